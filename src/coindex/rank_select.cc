// Rank/select directory construction, validation and select (see
// rank_select.h for the layout and conventions).
#include "coindex/rank_select.h"

#include <algorithm>

#include "common/coding.h"

namespace sctable::coindex {
namespace {

constexpr uint64_t kBlockBits = 512;
constexpr uint64_t kSampleRate = 512;

void PadTo8(std::string* body) {
  while (body->size() % 8 != 0) body->push_back('\0');
}

uint64_t DivCeil(uint64_t a, uint64_t b) { return a / b + (a % b != 0); }

}  // namespace

uint64_t BitVectorBuilder::CountOnes() const {
  uint64_t n = 0;
  for (uint64_t w : words_) n += Popcount64(w);
  return n;
}

void PutBitVectorDesc(const BitVectorDesc& desc, std::string* meta) {
  PutVarint64(meta, desc.num_bits);
  PutVarint64(meta, desc.num_ones);
  meta->push_back(static_cast<char>(desc.select));
  if (desc.select & kExactSelect) PutVarint64(meta, desc.num_spill);
}

Status GetBitVectorDesc(ByteCursor* meta, std::string_view field,
                        BitVectorDesc* desc) {
  SCTABLE_RETURN_IF_ERROR(meta->ReadVarint64(field, &desc->num_bits));
  SCTABLE_RETURN_IF_ERROR(meta->ReadVarint64(field, &desc->num_ones));
  SCTABLE_RETURN_IF_ERROR(meta->ReadU8(field, &desc->select));
  desc->num_spill = 0;
  if (desc->num_ones > desc->num_bits || desc->select > 7 ||
      desc->num_bits > (uint64_t{1} << 40)) {
    return ByteCursor::Bad(field, "bit vector descriptor out of range");
  }
  if (desc->select & kExactSelect) {
    SCTABLE_RETURN_IF_ERROR(meta->ReadVarint64(field, &desc->num_spill));
    const uint64_t kinds = desc->select & (kSelect1 | kSelect0);
    const uint64_t count = kinds == kSelect1   ? desc->num_ones
                           : kinds == kSelect0 ? desc->num_bits - desc->num_ones
                                               : 0;
    if (kinds == (kSelect1 | kSelect0) ||
        desc->num_bits >= (uint64_t{1} << 31) || desc->num_spill > count) {
      return ByteCursor::Bad(field, "exact-select descriptor out of range");
    }
  }
  return Status::OK();
}

namespace {

// The exact-select table of `words` (docs/format.md, "Bit vector"): one
// entry per kExactRate positions of the wanted kind, sparse blocks spilled.
void AppendExactSelect(const std::vector<uint64_t>& words, uint64_t num_bits,
                       bool ones, BitVectorDesc* desc, std::string* body) {
  std::vector<uint32_t> entries, spill;
  uint32_t block[kExactRate];
  uint64_t n = 0;
  auto flush = [&] {
    if (n == 0) return;
    if (block[n - 1] - block[0] < kExactSpan) {
      entries.push_back(block[0]);
    } else {
      entries.push_back(kSpillFlag | static_cast<uint32_t>(spill.size()));
      spill.insert(spill.end(), block, block + n);
    }
    n = 0;
  };
  for (uint64_t w = 0; w < words.size(); ++w) {
    uint64_t x = ones ? words[w] : ~words[w];
    while (x != 0) {
      const uint64_t pos = w * 64 + CountTrailingZeros64(x);
      if (pos >= num_bits) break;
      block[n++] = static_cast<uint32_t>(pos);
      if (n == kExactRate) flush();
      x &= x - 1;
    }
  }
  flush();
  desc->num_spill = spill.size();
  for (uint32_t e : entries) PutFixed32(body, e);
  PadTo8(body);
  for (uint32_t p : spill) PutFixed32(body, p);
  PadTo8(body);
}

}  // namespace

BitVectorDesc AppendBitVector(const BitVectorBuilder& bits, uint8_t select,
                              std::string* body) {
  PadTo8(body);
  BitVectorDesc desc;
  desc.num_bits = bits.size();
  desc.select = select;
  const auto& words = bits.words();
  for (uint64_t w : words) PutFixed64(body, w);
  if (select & kExactSelect) {
    desc.num_ones = bits.CountOnes();
    if (select & (kSelect1 | kSelect0)) {
      AppendExactSelect(words, bits.size(), (select & kSelect1) != 0, &desc,
                        body);
    }
    return desc;
  }
  const uint64_t num_blocks = DivCeil(bits.size(), kBlockBits);
  std::vector<uint32_t> rank(num_blocks + 1);
  uint64_t ones = 0;
  for (uint64_t b = 0; b < num_blocks; ++b) {
    rank[b] = static_cast<uint32_t>(ones);
    for (uint64_t w = b * 8; w < b * 8 + 8 && w < words.size(); ++w) {
      ones += Popcount64(words[w]);
    }
  }
  rank[num_blocks] = static_cast<uint32_t>(ones);
  desc.num_ones = ones;
  for (uint32_t r : rank) PutFixed32(body, r);
  PadTo8(body);
  // Select samples: block index holding the (512*j)-th one (zero).
  for (int pass = 0; pass < 2; ++pass) {
    const bool want_ones = pass == 0;
    if (!(select & (want_ones ? kSelect1 : kSelect0))) continue;
    const uint64_t total = want_ones ? ones : bits.size() - ones;
    uint64_t next = 0;
    for (uint64_t b = 0; b < num_blocks && next < total; ++b) {
      uint64_t before = want_ones ? rank[b] : b * kBlockBits - rank[b];
      uint64_t end_bit = std::min<uint64_t>((b + 1) * kBlockBits, bits.size());
      uint64_t after = want_ones ? rank[b + 1] : end_bit - rank[b + 1];
      while (next < total && next >= before && next < after) {
        PutFixed32(body, static_cast<uint32_t>(b));
        next += kSampleRate;
      }
    }
    PadTo8(body);
  }
  return desc;
}

Status BitVectorView::Open(const BitVectorDesc& desc, ByteCursor* body,
                           std::string_view field) {
  num_bits_ = desc.num_bits;
  num_ones_ = desc.num_ones;
  num_words_ = DivCeil(num_bits_, 64);
  num_blocks_ = DivCeil(num_bits_, kBlockBits);
  std::string_view a;
  SCTABLE_RETURN_IF_ERROR(body->ReadArray(field, num_words_, 8, &a));
  words_ = a.data();
  num_select1_ = num_select0_ = num_exact_ = num_spill_ = 0;
  select1_ = select0_ = exact_ = spill_ = rank_ = nullptr;
  if (desc.select & kExactSelect) {
    if (desc.select & (kSelect1 | kSelect0)) {
      exact_ones_ = (desc.select & kSelect1) != 0;
      num_exact_ = DivCeil(exact_ones_ ? num_ones_ : num_bits_ - num_ones_,
                           kExactRate);
      SCTABLE_RETURN_IF_ERROR(body->ReadArray(field, num_exact_, 4, &a));
      exact_ = a.data();
      SCTABLE_RETURN_IF_ERROR(body->Align(field, 8));
      num_spill_ = desc.num_spill;
      SCTABLE_RETURN_IF_ERROR(body->ReadArray(field, num_spill_, 4, &a));
      spill_ = a.data();
      SCTABLE_RETURN_IF_ERROR(body->Align(field, 8));
    }
    return Status::OK();
  }
  SCTABLE_RETURN_IF_ERROR(body->ReadArray(field, num_blocks_ + 1, 4, &a));
  rank_ = a.data();
  SCTABLE_RETURN_IF_ERROR(body->Align(field, 8));
  if (RankEntry(0) != 0 || RankEntry(num_blocks_) != num_ones_) {
    return ByteCursor::Bad(field, "rank directory does not match descriptor");
  }
  if (desc.select & kSelect1) {
    num_select1_ = DivCeil(num_ones_, kSampleRate);
    SCTABLE_RETURN_IF_ERROR(body->ReadArray(field, num_select1_, 4, &a));
    select1_ = a.data();
    SCTABLE_RETURN_IF_ERROR(body->Align(field, 8));
  }
  if (desc.select & kSelect0) {
    num_select0_ = DivCeil(num_bits_ - num_ones_, kSampleRate);
    SCTABLE_RETURN_IF_ERROR(body->ReadArray(field, num_select0_, 4, &a));
    select0_ = a.data();
    SCTABLE_RETURN_IF_ERROR(body->Align(field, 8));
  }
  return Status::OK();
}

// Largest block b with (ones or zeros before b) <= k, searched between the
// two samples around k. Every index is clamped, so a corrupt table only
// yields a wrong (but in-range) block.
uint64_t BitVectorView::SelectBlock(const char* samples, uint64_t num_samples,
                                    uint64_t k, bool ones) const {
  const uint64_t j = k / kSampleRate;
  uint64_t lo = LoadWord32(samples + 4 * j);
  uint64_t hi = j + 1 < num_samples ? LoadWord32(samples + 4 * (j + 1))
                                    : num_blocks_ - 1;
  if (hi >= num_blocks_) hi = num_blocks_ - 1;
  if (lo > hi) lo = hi;
  auto before = [&](uint64_t b) -> uint64_t {
    uint64_t r = RankEntry(b);
    return ones ? r : b * kBlockBits - r;
  };
  while (hi - lo > 8) {
    uint64_t mid = lo + (hi - lo + 1) / 2;
    if (before(mid) <= k) lo = mid; else hi = mid - 1;
  }
  while (lo < hi && before(lo + 1) <= k) ++lo;
  return lo;
}

uint64_t BitVectorView::SelectExact(uint64_t k, bool ones) const {
  const uint32_t e = LoadWord32(exact_ + 4 * (k >> kExactShift));
  uint64_t rem = k & (kExactRate - 1);
  if (e & kSpillFlag) {
    const uint64_t i = (e & ~kSpillFlag) + rem;
    if (i >= num_spill_) return kNotFound;
    const uint64_t pos = LoadWord32(spill_ + 4 * i);
    return pos < num_bits_ ? pos : kNotFound;
  }
  return ScanDense(e, rem, ones);
}

uint64_t BitVectorView::Select1(uint64_t k) const {
  if (k >= num_ones_) return kNotFound;
  if (exact_ != nullptr) {
    return exact_ones_ ? SelectExact(k, true) : kNotFound;
  }
  if (select1_ == nullptr) return kNotFound;
  const uint64_t b = SelectBlock(select1_, num_select1_, k, true);
  uint64_t rem = k - std::min<uint64_t>(k, RankEntry(b));
  for (uint64_t w = b * 8; w < b * 8 + 8 && w < num_words_; ++w) {
    uint64_t word = Word(w);
    uint64_t c = Popcount64(word);
    if (rem < c) {
      uint64_t pos = w * 64 + SelectInWord(word, static_cast<int>(rem));
      return pos < num_bits_ ? pos : kNotFound;
    }
    rem -= c;
  }
  return kNotFound;
}

uint64_t BitVectorView::Select0(uint64_t k) const {
  if (k >= num_bits_ - num_ones_) return kNotFound;
  if (exact_ != nullptr) {
    return exact_ones_ ? kNotFound : SelectExact(k, false);
  }
  if (select0_ == nullptr) return kNotFound;
  const uint64_t b = SelectBlock(select0_, num_select0_, k, false);
  const uint64_t zeros_before = b * kBlockBits - RankEntry(b);
  uint64_t rem = k - std::min<uint64_t>(k, zeros_before);
  for (uint64_t w = b * 8; w < b * 8 + 8 && w < num_words_; ++w) {
    uint64_t word = ~Word(w);
    uint64_t c = Popcount64(word);
    if (rem < c) {
      uint64_t pos = w * 64 + SelectInWord(word, static_cast<int>(rem));
      return pos < num_bits_ ? pos : kNotFound;
    }
    rem -= c;
  }
  return kNotFound;
}

uint64_t BitVectorView::OnesRunFrom(uint64_t i) const {
  uint64_t run = 0;
  while (i < num_bits_) {
    uint64_t word = ~(Word(i >> 6) >> (i & 63));
    if (word != 0) {
      uint64_t n = CountTrailingZeros64(word);
      uint64_t avail = 64 - (i & 63);
      if (n < avail) {
        run += n;
        break;
      }
    }
    uint64_t step = 64 - (i & 63);
    run += step;
    i += step;
  }
  // Padding bits past num_bits are zero, but never report beyond the end.
  return run;
}

}  // namespace sctable::coindex
