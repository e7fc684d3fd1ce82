// Header serialisation and the offsets reader (docs/format.md "## PA-Zip
// store", "Layout").
#include "pazip/pazip_format.h"

#include <algorithm>

#include "common/bits.h"
#include "common/checksum.h"
#include "common/cursor.h"

namespace sctable {
namespace pazip {

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "pazip loads little-endian words directly");

void EncodeHeader(const Header& h, char* dst) {
  char* p = dst;
  EncodeFixed64(p, h.magic), p += 8;
  EncodeFixed32(p, h.version), p += 4;
  *p++ = static_cast<char>(h.kind);
  *p++ = static_cast<char>(h.literal_coding);
  *p++ = static_cast<char>(h.record_checksum);
  *p++ = static_cast<char>(h.flags);
  const uint64_t fields[] = {h.num_records, h.raw_bytes,   h.max_record_len,
                             h.dict_len,    h.huff_len,    h.payload_len,
                             h.offsets_len, h.dict_xxh,    h.huff_xxh,
                             h.payload_xxh, h.offsets_xxh};
  for (uint64_t f : fields) EncodeFixed64(p, f), p += 8;
  EncodeFixed64(p, Checksum64(dst, kHeaderSize - 8));
}

void DecodeHeader(const char* src, Header* h) {
  const char* p = src;
  h->magic = DecodeFixed64(p), p += 8;
  h->version = DecodeFixed32(p), p += 4;
  h->kind = static_cast<uint8_t>(*p++);
  h->literal_coding = static_cast<uint8_t>(*p++);
  h->record_checksum = static_cast<uint8_t>(*p++);
  h->flags = static_cast<uint8_t>(*p++);
  uint64_t* fields[] = {&h->num_records, &h->raw_bytes,   &h->max_record_len,
                        &h->dict_len,    &h->huff_len,    &h->payload_len,
                        &h->offsets_len, &h->dict_xxh,    &h->huff_xxh,
                        &h->payload_xxh, &h->offsets_xxh};
  for (uint64_t* f : fields) *f = DecodeFixed64(p), p += 8;
  h->header_xxh = DecodeFixed64(p);
}

bool ReadOffset(const char* entries, uint64_t num_blocks, const char* packed,
                uint64_t packed_bits, uint64_t num_offsets, uint32_t version,
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

}  // namespace pazip
}  // namespace sctable
