// Constants of the CO-Index image (docs/format.md, "CO-Index image").
//
//   Image  := Header(32) Meta MetaChecksum(8) Pad8 Body
//   Header := magic:u64 version:u32 meta_size:u32 image_size:u64
//             body_checksum:u64
// MetaChecksum is XXH3-64 of Header and Meta; it is verified on every open.
// body_checksum is XXH3-64 of Body; it is verified by CoIndex::Verify().
#pragma once

#include <cstdint>

namespace sctable::coindex {

// "SCCOIDX\x01" read as a little-endian u64: the ASCII name of the section
// plus a byte that differs from every other sctable magic.
constexpr uint64_t kCoIndexMagic = 0x01584449'4f434353ULL;
constexpr uint32_t kCoIndexFormatVersion = 3;
// Still read: select tables over a rank directory in every bit vector.
constexpr uint32_t kCoIndexFormatVersion2 = 2;
constexpr uint64_t kHeaderSize = 32;
// Top trie plus nested tries. Bounds reader recursion on corrupt input.
constexpr int kMaxTries = 8;

}  // namespace sctable::coindex
