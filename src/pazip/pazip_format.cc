// Header serialisation (docs/format.md "## PA-Zip store", "Header").
#include "pazip/pazip_format.h"

#include "common/checksum.h"

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

}  // namespace pazip
}  // namespace sctable
