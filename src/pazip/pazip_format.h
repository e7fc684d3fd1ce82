// PA-Zip store format: constants, the fixed header, and the offset array
// accessor shared by the builder (writes) and the reader (reads in place).
// docs/format.md "## PA-Zip store" is normative; this file cites it.
//
// Store byte layout (all integers little-endian):
//
//   store    := header[kHeaderSize] dict dict_pad[16] huff payload offsets
//               offsets_pad[8]
//   header   := magic:u64 version:u32 kind:u8 literal_coding:u8
//               record_checksum:u8 flags:u8 num_records:u64
//               raw_bytes:u64 max_record_len:u64 dict_len:u64 huff_len:u64 payload_len:u64
//               offsets_len:u64 dict_xxh:u64 huff_xxh:u64 payload_xxh:u64
//               offsets_xxh:u64 header_xxh:u64            (= 112 bytes)
//   huff     := lit_context[256]:u8 lit_len[4][256]:u8 ll_len[128]:u8
//               ml_len[128]:u8 of_len[128]:u8  (huff_len 0 or kTablesLen)
//   payload  := zero[8] record* zero[16]   (record i at offsets[i]..[i+1])
//   offsets  := block_entry[nb] packed_bits   (nb = ceil((n+1)/64))
//   block_entry := base:u64 (bit_pos:u56 | width:u8 in one u64)
//
// Offset k (0 <= k <= n) lives in block b = k/64, slot j = k%64; offset =
// base_b + v_j with v_0 = 0. Version 3 (Elias-Fano per block, `width` = the
// number L of low bits): the block's m = (its offsets - 1) values v_1..v_m
// are m*L low bits (v_j's at bit_pos + (j-1)*L) followed by the high bits,
// where v_j sets bit (v_j >> L) + j - 1. Version 2: v_j = bits(bit_pos +
// (j-1)*width, width). The packed bits are LSB-first; readers load 8 bytes
// at a time, which the 8 padding bytes after the offsets section keep in
// bounds.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "common/bits.h"
#include "common/coding.h"
#include "common/cursor.h"

namespace sctable {
namespace pazip {

// "PAZIPst1" as little-endian bytes: human-readable in a hex dump, and unlike
// any other sctable magic (CO-Index uses its own).
inline constexpr uint64_t kMagic = 0x31747350495a4150ull;
// Version 3: header.flags (kFlagKeyed) and Elias-Fano offsets. Readers
// also read version 2 (flags 0, fixed-width offsets).
inline constexpr uint32_t kFormatVersion = 3;
inline constexpr uint32_t kFormatVersion2 = 2;
// header.flags, version 3: records were coded with a key each (any bytes
// the caller gives back when reading): local matches may reach before the
// record's start into its key, as if the key preceded the record.
inline constexpr uint8_t kFlagKeyed = 1;
inline constexpr size_t kHeaderSize = 112;
inline constexpr size_t kDictPad = 16;
inline constexpr size_t kPayloadFrontPad = 8;
inline constexpr size_t kPayloadBackPad = 16;
inline constexpr size_t kOffsetsPad = 8;
inline constexpr size_t kOffsetsPerBlock = 64;
inline constexpr size_t kBlockEntrySize = 16;
inline constexpr unsigned kMaxOffsetWidth = 56;  // one unaligned u64 load

// Store kinds (header.kind).
enum class StoreKind : uint8_t {
  kRaw = 0,      // records stored verbatim (tiny or incompressible data)
  kDictZip = 1,  // records encoded against the global dictionary
};

// How literals of kDictZip records are coded (header.literal_coding).
enum class LiteralCoding : uint8_t {
  kHuffman = 1,  // global canonical Huffman code, huff section present
};

// Per-record checksum level (header.record_checksum).
enum class RecordChecksum : uint8_t {
  kNone = 0,      // sections only: corrupt records may decode to wrong bytes
  kXxh32 = 1,     // 4-byte low XXH3-64 of the decoded record after each record
};

// Huffman code lengths are at most this many bits, so one table lookup of
// 2^kHuffMaxBits entries decodes any literal.
inline constexpr unsigned kHuffMaxBits = 11;

// Record sequence codes (docs/format.md "Record encoding", version 2).
// A record is a list of sequences (literal length LL, match length ML,
// offset OF); each field is a Huffman-coded symbol from one of three global
// tables plus `nb` raw extra bits:
//   LL value v:      v < 16: symbol v; else nb = floor(log2 v), symbol 12 + nb,
//                    extra = v - 2^nb.
//   ML value m = match length - kMinMatch: m < 32: symbol m; else
//                    nb = floor(log2 m), symbol 27 + nb, extra = m - 2^nb.
//   OF (dictionary match at offset off; zz = zigzag(off - prev_dict_end)):
//                    zz == 0: symbol 0 (the bytes right after the previous
//                    dictionary match); or by delta: nb = floor(log2 zz),
//                    symbol 1 + nb, extra = zz - 2^nb; or absolute:
//                    nb = floor(log2(off + 1)), symbol 32 + nb,
//                    extra = off + 1 - 2^nb (the encoder picks the cheaper;
//                    the builder puts the most used dictionary bytes first,
//                    so absolute offsets of popular strings are short).
//   OF (local match at distance d >= 1): nb = floor(log2 d), symbol 64 + nb,
//                    extra = d - 2^nb. In a keyed store d may exceed the
//                    bytes decoded so far by up to the key's length: those
//                    bytes come from the key's end.
// Dictionary offsets are below 2^kMaxDictBits.
// nb <= kMaxExtraBits, so every value is below 2^41.
inline constexpr unsigned kMinMatch = 3;
inline constexpr unsigned kSeqSymbols = 128;        // table size per field
inline constexpr unsigned kMaxExtraBits = 40;
inline constexpr unsigned kLLDirect = 16;
inline constexpr unsigned kLLSymbols = 12 + kMaxExtraBits + 1;   // 53
inline constexpr unsigned kMLDirect = 32;
inline constexpr unsigned kMLSymbols = 27 + kMaxExtraBits + 1;   // 68
inline constexpr unsigned kMaxDictBits = 26;     // dictionary <= 64 MiB
inline constexpr unsigned kOFAbsBase = 32;
inline constexpr unsigned kOFDictSymbols = kMaxDictBits + 2;  // 0..27: delta
inline constexpr unsigned kOFAbsSymbols = kOFAbsBase + kMaxDictBits + 1;  // 32..58
inline constexpr unsigned kOFLocalBase = 64;
inline constexpr unsigned kOFSymbols = kOFLocalBase + kMaxExtraBits + 1;  // 105
inline constexpr uint64_t kMaxSeqValue = (2ull << kMaxExtraBits) - 1;
// Literals are coded with one of kLitContexts Huffman codes, chosen by the
// byte before the literal in the record (0 at its start) through a 256-entry
// context map stored with the tables.
inline constexpr unsigned kLitContexts = 4;
// Table section: context map[256], literal lengths[kLitContexts][256], then
// LL, ML, OF lengths[128] each.
inline constexpr size_t kLitTablesOffset = 256;
inline constexpr size_t kSeqTablesOffset = 256 + kLitContexts * 256;
inline constexpr size_t kTablesLen = kSeqTablesOffset + 3 * kSeqSymbols;

inline unsigned FloorLog2(uint64_t v) {  // REQUIRES: v > 0
  return 63 - static_cast<unsigned>(__builtin_clzll(v));
}
// Symbol and extra-bit count of a field value (encoder side).
inline unsigned LLSymbol(uint64_t v, unsigned* nb) {
  if (v < kLLDirect) { *nb = 0; return static_cast<unsigned>(v); }
  *nb = FloorLog2(v);
  return 12 + *nb;
}
inline unsigned MLSymbol(uint64_t m, unsigned* nb) {
  if (m < kMLDirect) { *nb = 0; return static_cast<unsigned>(m); }
  *nb = FloorLog2(m);
  return 27 + *nb;
}
inline unsigned OFDictSymbol(uint64_t zz, unsigned* nb) {
  if (zz == 0) { *nb = 0; return 0; }
  *nb = FloorLog2(zz);
  return 1 + *nb;
}
inline unsigned OFAbsSymbol(uint64_t off, unsigned* nb) {
  *nb = FloorLog2(off + 1);
  return kOFAbsBase + *nb;
}
inline unsigned OFLocalSymbol(uint64_t dist, unsigned* nb) {
  *nb = FloorLog2(dist);
  return kOFLocalBase + *nb;
}

struct Header {
  uint64_t magic = kMagic;
  uint32_t version = kFormatVersion;
  uint8_t kind = 0;
  uint8_t literal_coding = 0;
  uint8_t record_checksum = 0;
  uint8_t flags = 0;  // version 3; 0 in version 2
  uint64_t num_records = 0;
  uint64_t raw_bytes = 0;
  uint64_t max_record_len = 0;  // bounds what a reader allocates per record
  uint64_t dict_len = 0;
  uint64_t huff_len = 0;
  uint64_t payload_len = 0;
  uint64_t offsets_len = 0;
  uint64_t dict_xxh = 0;
  uint64_t huff_xxh = 0;
  uint64_t payload_xxh = 0;
  uint64_t offsets_xxh = 0;
  uint64_t header_xxh = 0;  // XXH3-64 of the 104 bytes before it
};

// Serialises `h` (header_xxh is computed here) into exactly kHeaderSize bytes.
void EncodeHeader(const Header& h, char* dst);
// Parses the fixed fields; does not validate them. REQUIRES: kHeaderSize bytes.
void DecodeHeader(const char* src, Header* h);

inline uint64_t ZigZagEncode(int64_t v) {
  return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}
inline int64_t ZigZagDecode(uint64_t v) {
  return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1);
}

inline uint64_t LoadU64(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;  // little-endian hosts only (checked in pazip_format.cc)
}

// Number of offsets-section bytes for a store of `n` records, given the
// packed-bit total; used by the builder and the reader's open check.
// Offset k of an offsets section (block entries, then `packed` holding
// packed_bits bits) of `num_offsets` offsets in format `version`, into
// *off. REQUIRES: k < num_offsets, and 8 readable bytes past the packed
// bits. False on damage detected (never reads outside those bounds).
inline bool ReadOffset(const char* entries, uint64_t num_blocks,
                       const char* packed,
                       uint64_t packed_bits, uint64_t num_offsets,
                       uint32_t version,
                       uint64_t k, uint64_t* off) {
  const uint64_t b = k / kOffsetsPerBlock;
  const char* e = entries + b * kBlockEntrySize;
  const uint64_t base = LoadU64(e);
  const uint64_t j = k % kOffsetsPerBlock;
  if (j == 0) {
    *off = base;
    return true;
  }
  const uint64_t meta = LoadU64(e + 8);
  const unsigned w = static_cast<unsigned>(meta & 0xff);
  const uint64_t pos = meta >> 8;
  if (w > kMaxOffsetWidth || pos > packed_bits ||
      j * w > packed_bits - pos) {
    return false;
  }
  const uint64_t bit = pos + (j - 1) * w;
  const uint64_t word = LoadU64(packed + (bit >> 3)) >> (bit & 7);
  const uint64_t low = w == 0 ? 0 : word & ((1ull << w) - 1);
  if (version == kFormatVersion2) return CheckedAdd(base, low, off);
  // Elias-Fano: the high part is the position of the block's (j-1)-th one
  // after its m low fields, minus j-1. The scan stops at the next block's
  // bits (or the section's end), so a damaged block cannot run it far.
  const uint64_t m =
      std::min<uint64_t>(kOffsetsPerBlock, num_offsets - b * kOffsetsPerBlock) - 1;
  if (j > m || m * w > packed_bits - pos) return false;
  const uint64_t hpos = pos + m * w;
  uint64_t stop = packed_bits;
  if (b + 1 < num_blocks) {
    const uint64_t next = LoadU64(e + kBlockEntrySize + 8) >> 8;
    if (next < stop) stop = next;
  }
  uint64_t r = j - 1;
  for (uint64_t t = hpos; t < stop; t += 56) {
    uint64_t chunk = (LoadU64(packed + (t >> 3)) >> (t & 7)) & ((1ull << 56) - 1);
    if (stop - t < 56) chunk &= (1ull << (stop - t)) - 1;
    const uint64_t ones = static_cast<uint64_t>(Popcount64(chunk));
    if (r < ones) {
      const uint64_t high =
          t - hpos + static_cast<uint64_t>(SelectInWord(chunk, static_cast<int>(r))) - (j - 1);
      if (w > 0 && high > (~uint64_t{0} >> w)) return false;
      return CheckedAdd(base, (high << w) | low, off);
    }
    r -= ones;
  }
  return false;
}


inline uint64_t NumOffsetBlocks(uint64_t n) {
  return (n + 1 + kOffsetsPerBlock - 1) / kOffsetsPerBlock;
}

}  // namespace pazip
}  // namespace sctable
