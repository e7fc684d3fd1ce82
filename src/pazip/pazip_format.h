// PA-Zip store format: constants, the fixed header, and the offset array
// accessor shared by the builder (writes) and the reader (reads in place).
// docs/format.md "## PA-Zip store" is normative; this file cites it.
//
// Store byte layout (all integers little-endian):
//
//   store    := header[kHeaderSize] dict dict_pad[16] huff payload offsets
//               offsets_pad[8]
//   header   := magic:u64 version:u32 kind:u8 literal_coding:u8
//               record_checksum:u8 reserved:u8 num_records:u64
//               raw_bytes:u64 max_record_len:u64 dict_len:u64 huff_len:u64 payload_len:u64
//               offsets_len:u64 dict_xxh:u64 huff_xxh:u64 payload_xxh:u64
//               offsets_xxh:u64 header_xxh:u64            (= 112 bytes)
//   huff     := code_length[256]:u8  (huff_len is 0 or 256)
//   payload  := zero[8] record* zero[16]   (record i at offsets[i]..[i+1])
//   offsets  := block_entry[nb] packed_bits   (nb = ceil((n+1)/64))
//   block_entry := base:u64 (bit_pos:u56 | width:u8 in one u64)
//
// Offset k (0 <= k <= n) lives in block b = k/64, slot j = k%64:
//   offset = base_b + (j == 0 ? 0 : bits(bit_pos_b + (j-1)*width_b, width_b)).
// The packed bits are LSB-first; readers load 8 bytes at a time, which the
// 8 padding bytes after the offsets section keep in bounds.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "common/coding.h"

namespace sctable {
namespace pazip {

// "PAZIPst1" as little-endian bytes: human-readable in a hex dump, and unlike
// any other sctable magic (CO-Index uses its own).
inline constexpr uint64_t kMagic = 0x31747350495a4150ull;
inline constexpr uint32_t kFormatVersion = 1;
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

// Record token byte (docs/format.md "Record encoding"):
//   bits 0..2: literal count L (7 = 7 + varint)
//   bits 3..7: match code M: 0 none; 1..15 dictionary match of length
//              M + kDictMinMatch - 1 (15: + varint); 16..31 local match of
//              length M - 16 + kLocalMinMatch (31: + varint).
inline constexpr unsigned kDictMinMatch = 4;
inline constexpr unsigned kLocalMinMatch = 3;
inline constexpr unsigned kLitInline = 7;
inline constexpr unsigned kDictCodeMax = 15;   // escape code for dict length
inline constexpr unsigned kLocalCodeBase = 16;
inline constexpr unsigned kLocalCodeMax = 31;  // escape code for local length
inline constexpr uint64_t kDictLenInlineMax = kDictMinMatch + 13;   // M=14
inline constexpr uint64_t kLocalLenInlineMax = kLocalMinMatch + 14; // M=30

struct Header {
  uint64_t magic = kMagic;
  uint32_t version = kFormatVersion;
  uint8_t kind = 0;
  uint8_t literal_coding = 0;
  uint8_t record_checksum = 0;
  uint8_t reserved = 0;
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
inline uint64_t NumOffsetBlocks(uint64_t n) {
  return (n + 1 + kOffsetsPerBlock - 1) / kOffsetsPerBlock;
}

}  // namespace pazip
}  // namespace sctable
