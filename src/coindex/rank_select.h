// Rank/select over a bit vector read in place from an image, and the builder
// side that lays it out.
//
// Conventions (cited by every coindex structure): bits are LSB-first in
// little-endian uint64_t words; Rank1(i) counts ones in [0, i); Select1(k)
// and Select0(k) are 0-based (Select1(0) is the position of the first one).
//
// Layout (docs/format.md, "Bit vector"), all arrays 8-byte padded:
//   words   ceil(num_bits/64) x uint64
//   rank    (num_blocks+1) x uint32, num_blocks = ceil(num_bits/512):
//           rank[b] = ones in bits [0, 512*b); rank[num_blocks] = num_ones
//   select1 (optional) ceil(num_ones/512) x uint32: block holding one #512j
//   select0 (optional) ceil(num_zeros/512) x uint32: same for zeros
// Space overhead: 32 bits per 512 bits for rank (6.25%) plus 32 bits per 512
// ones/zeros for each select sample table (<= 6.25% each), in the spirit of
// sdsl's rank_support_v5 and Vigna's "Broadword implementation of rank/select
// queries" (sampled select + directory search + in-word select).
//
// Exact-select layout (kExactSelect, CO-Index format 3): no rank directory,
// and at most one select table, of one entry per kExactRate ones (zeros):
//   entries ceil(count/128) x uint32, then spill num_spill x uint32
// Entry j covers the ones #128j .. #128j+127 (a "block"). If their
// positions span fewer than kExactSpan bits the entry is the exact position
// of one #128j, and a select scans at most kExactSpan/64 + 1 words from it;
// otherwise (a sparse block) it is kSpillFlag | i and spill[i..] holds every
// position of the block (as select_support_mcl's sparse blocks). Space:
// 0.25 bits per one (zero) plus 32 bits per one in sparse blocks, whose
// spill is at most 2x the bits they span; one dependent load less per
// select than the rank-directory layout, and none in sparse blocks.
//
// Thread-safety: a BitVectorView is immutable; any number of threads may
// query it. It borrows the image bytes, which must outlive it.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "common/bits.h"
#include "common/cursor.h"
#include "common/status.h"

namespace sctable::coindex {

// Growable bit vector used while building.
class BitVectorBuilder {
 public:
  void PushBack(bool bit) {
    if ((size_ & 63) == 0) words_.push_back(0);
    if (bit) words_.back() |= uint64_t{1} << (size_ & 63);
    ++size_;
  }
  bool Get(uint64_t i) const { return (words_[i >> 6] >> (i & 63)) & 1; }
  uint64_t size() const { return size_; }
  uint64_t CountOnes() const;
  const std::vector<uint64_t>& words() const { return words_; }
  size_t MemoryUsage() const { return words_.capacity() * 8; }

 private:
  std::vector<uint64_t> words_;
  uint64_t size_ = 0;
};

// Which select sample tables a serialized bit vector carries.
enum SelectSupport : uint8_t {
  kSelectNone = 0,
  kSelect1 = 1,
  kSelect0 = 2,
  // No rank directory; the select table (at most one kind) is exact.
  kExactSelect = 4,
};
inline constexpr uint64_t kExactRate = 128;
inline constexpr unsigned kExactShift = 7;
inline constexpr uint64_t kExactSpan = 2048;
inline constexpr uint32_t kSpillFlag = 0x80000000u;

// What the metadata says about one bit vector; the arrays' sizes follow from
// it.
struct BitVectorDesc {
  uint64_t num_bits = 0;
  uint64_t num_ones = 0;
  uint8_t select = kSelectNone;
  uint64_t num_spill = 0;  // kExactSelect only
};

// Appends the metadata fields of `desc` to `meta` (varint num_bits, varint
// num_ones, u8 select flags, and varint num_spill with kExactSelect).
void PutBitVectorDesc(const BitVectorDesc& desc, std::string* meta);
Status GetBitVectorDesc(ByteCursor* meta, std::string_view field,
                        BitVectorDesc* desc);

// Appends the arrays of `bits` (8-byte aligned, relative to `body`'s start)
// and returns its descriptor. REQUIRES with kExactSelect: at most one select
// kind, and bits.size() < 2^31.
BitVectorDesc AppendBitVector(const BitVectorBuilder& bits, uint8_t select,
                              std::string* body);

class BitVectorView {
 public:
  static constexpr uint64_t kNotFound = ~uint64_t{0};

  // Points the view at the arrays described by `desc`, consuming them from
  // `body` (which must be positioned 8-byte aligned). O(1): checks sizes and
  // the two end entries of the rank directory only.
  Status Open(const BitVectorDesc& desc, ByteCursor* body,
              std::string_view field);

  uint64_t size() const { return num_bits_; }
  uint64_t num_ones() const { return num_ones_; }

  // REQUIRES: i < size() (returns false otherwise).
  bool Get(uint64_t i) const {
    if (i >= num_bits_) return false;
    return (Word(i >> 6) >> (i & 63)) & 1;
  }
  // Ones in [0, i). i is clamped to size().
  // REQUIRES: a rank directory (not opened with kExactSelect).
  uint64_t Rank1(uint64_t i) const;
  uint64_t Rank0(uint64_t i) const {
    if (i > num_bits_) i = num_bits_;
    return i - Rank1(i);
  }
  // Position of the k-th one / zero, or kNotFound if there is none (or the
  // directory is corrupt). Requires the matching select table.
  uint64_t Select1(uint64_t k) const;
  uint64_t Select0(uint64_t k) const;
  // Select1 inline, for the nested-trie walks (the same answers).
  uint64_t Select1Inline(uint64_t k) const;
  // Number of consecutive ones starting at position i (bounded by size()).
  uint64_t OnesRunFrom(uint64_t i) const;

  uint64_t Word(uint64_t w) const { return LoadWord64(words_ + 8 * w); }
  // Starts loading what Get(i) and Rank1(i) read (its word and rank
  // entry), for a caller that knows i before it needs the answer.
  void PrefetchRank(uint64_t i) const {
    if (i >= num_bits_) return;
    __builtin_prefetch(words_ + 8 * (i >> 6));
    if (rank_ != nullptr) __builtin_prefetch(rank_ + 4 * (i >> 9));
  }
  // Starts loading the entry Select0(k) / Select1(k) reads first.
  void PrefetchSelect(uint64_t k) const {
    if (exact_ != nullptr && k >> kExactShift < num_exact_) {
      __builtin_prefetch(exact_ + 4 * (k >> kExactShift));
    }
  }
  // Bytes of the words, rank directory and select samples.
  uint64_t SpaceBytes() const {
    return num_words_ * 8 + (rank_ != nullptr ? (num_blocks_ + 1) * 4 : 0) +
           (num_select1_ + num_select0_ + num_exact_ + num_spill_) * 4;
  }

 private:
  uint32_t RankEntry(uint64_t b) const { return LoadWord32(rank_ + 4 * b); }
  uint64_t SelectBlock(const char* samples, uint64_t num_samples, uint64_t k,
                       bool ones) const;
  // Select in the exact layout (kExactSelect).
  uint64_t SelectExact(uint64_t k, bool ones) const;
  // The words scan of SelectExact in a dense block whose first position is
  // e: the rem-th one (zero) from there.
  uint64_t ScanDense(uint32_t e, uint64_t rem, bool ones) const;

  const char* words_ = nullptr;
  const char* rank_ = nullptr;
  const char* select1_ = nullptr;
  const char* select0_ = nullptr;
  uint64_t num_bits_ = 0;
  uint64_t num_ones_ = 0;
  uint64_t num_words_ = 0;
  uint64_t num_blocks_ = 0;
  uint64_t num_select1_ = 0;
  uint64_t num_select0_ = 0;
  const char* exact_ = nullptr;  // kExactSelect: entries, then spill
  const char* spill_ = nullptr;
  uint64_t num_exact_ = 0;
  uint64_t num_spill_ = 0;
  bool exact_ones_ = false;  // which kind the exact table selects
};

// --- inline hot paths -------------------------------------------------------

inline uint64_t BitVectorView::Rank1(uint64_t i) const {
  if (i >= num_bits_) return num_ones_;
  uint64_t b = i >> 9;
  uint64_t r = RankEntry(b);
  uint64_t w = b << 3;
  const uint64_t last = i >> 6;
  for (; w < last; ++w) r += Popcount64(Word(w));
  if (i & 63) r += Popcount64(Word(last) & ((uint64_t{1} << (i & 63)) - 1));
  return r;
}

// A dense block's positions lie in [e, e + kExactSpan): at most
// kExactSpan / 64 + 1 words, so a corrupt entry cannot make this scan long.
inline uint64_t BitVectorView::ScanDense(uint32_t e, uint64_t rem,
                                         bool ones) const {
  const uint64_t flip = ones ? 0 : ~uint64_t{0};
  uint64_t w = e >> 6;
  const uint64_t last = std::min<uint64_t>(num_words_, w + kExactSpan / 64 + 1);
  if (w >= last) return kNotFound;
  uint64_t word = (Word(w) ^ flip) & (~uint64_t{0} << (e & 63));
  for (;;) {
    const uint64_t c = Popcount64(word);
    if (rem < c) {
      const uint64_t pos = w * 64 + SelectInWord(word, static_cast<int>(rem));
      return pos < num_bits_ ? pos : kNotFound;
    }
    rem -= c;
    if (++w >= last) return kNotFound;
    word = Word(w) ^ flip;
  }
}

inline uint64_t BitVectorView::Select1Inline(uint64_t k) const {
  if (exact_ == nullptr || !exact_ones_ || k >= num_ones_) return Select1(k);
  const uint32_t e = LoadWord32(exact_ + 4 * (k >> kExactShift));
  if (e & kSpillFlag) return SelectExact(k, true);
  return ScanDense(e, k & (kExactRate - 1), true);
}

}  // namespace sctable::coindex
