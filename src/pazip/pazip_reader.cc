#include "pazip/pazip_reader.h"

#include <algorithm>
#include <cstring>

#include "common/checksum.h"
#include "common/cursor.h"

namespace sctable {
namespace pazip {
namespace {

Status Bad(std::string_view what) {
  return Status::Corruption(std::string("pazip: ") + std::string(what));
}

}  // namespace

Status PazipReader::Open(const char* data, size_t size,
                         std::unique_ptr<PazipReader>* reader,
                         const ReaderOptions& options) {
  if (size < kHeaderSize) return Bad("header: truncated");
  std::unique_ptr<PazipReader> r(new PazipReader());
  Header& h = r->h_;
  DecodeHeader(data, &h);
  if (h.magic != kMagic) return Bad("header: bad magic");
  if (h.version != kFormatVersion && h.version != kFormatVersion2) {
    return Status::NotSupported("pazip: unknown format version " +
                                std::to_string(h.version));
  }
  if ((h.flags & ~kFlagKeyed) != 0 ||
      (h.version == kFormatVersion2 && h.flags != 0)) {
    return Bad("header: unknown flags");
  }
  // Fuzzing builds skip the checksums checked at open (as zstd does), so the
  // fuzzer reaches the parsing behind them; every bound is still checked.
#ifndef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
  if (h.header_xxh != Checksum64(data, kHeaderSize - 8)) {
    return Bad("header: checksum mismatch");
  }
#endif
  const bool dictzip = h.kind == static_cast<uint8_t>(StoreKind::kDictZip);
  if (!dictzip && h.kind != static_cast<uint8_t>(StoreKind::kRaw)) {
    return Bad("header: unknown store kind");
  }
  if (h.record_checksum > static_cast<uint8_t>(RecordChecksum::kXxh32)) {
    return Bad("header: unknown record checksum level");
  }
  if (dictzip ? (h.literal_coding != static_cast<uint8_t>(LiteralCoding::kHuffman) ||
                 h.huff_len != kTablesLen)
              : (h.dict_len != 0 || h.huff_len != 0)) {
    return Bad("header: sections do not match the store kind");
  }
  if (h.num_records > (1ull << 56) || h.max_record_len > h.raw_bytes) {
    return Bad("header: record counts out of range");
  }
  uint64_t total = kHeaderSize;
  const uint64_t parts[] = {h.dict_len, kDictPad,       h.huff_len,
                            h.payload_len, h.offsets_len, kOffsetsPad};
  for (uint64_t p : parts) {
    if (!CheckedAdd(total, p, &total)) return Bad("header: sizes overflow");
  }
  if (total != size) return Bad("header: section sizes do not add up");
  if (h.payload_len < kPayloadFrontPad + kPayloadBackPad) {
    return Bad("payload: too short");
  }
  r->num_blocks_ = NumOffsetBlocks(h.num_records);
  const uint64_t entries = r->num_blocks_ * kBlockEntrySize;
  if (h.offsets_len < entries) return Bad("offsets: truncated");
  const char* p = data + kHeaderSize;
  r->dict_ = p;
  p += h.dict_len + kDictPad;
  r->huff_ = p;
  p += h.huff_len;
  r->payload_ = p;
  p += h.payload_len;
  r->offsets_ = p;
  r->packed_ = p + entries;
  r->packed_bits_ = (h.offsets_len - entries) * 8;
  r->checksum_bytes_ =
      h.record_checksum == static_cast<uint8_t>(RecordChecksum::kXxh32) ? 4 : 0;
  r->ctx_.dict = r->dict_;
  r->ctx_.dict_len = h.dict_len;
  if (dictzip) {
#ifndef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
    if (Checksum64(r->huff_, h.huff_len) != h.huff_xxh) {
      return Bad("huff: checksum mismatch");
    }
#endif
    SCTABLE_RETURN_IF_ERROR(BuildCodeTables(
        reinterpret_cast<const uint8_t*>(r->huff_), &r->tables_));
    r->ctx_.tables = &r->tables_;
  }
  if (options.verify_checksums) SCTABLE_RETURN_IF_ERROR(r->VerifyChecksums());
  *reader = std::move(r);
  return Status::OK();
}

Status PazipReader::VerifyChecksums() const {
  if (Checksum64(dict_, h_.dict_len) != h_.dict_xxh) {
    return Bad("dict: checksum mismatch");
  }
  if (Checksum64(huff_, h_.huff_len) != h_.huff_xxh) {
    return Bad("huff: checksum mismatch");
  }
  if (Checksum64(payload_, h_.payload_len) != h_.payload_xxh) {
    return Bad("payload: checksum mismatch");
  }
  if (Checksum64(offsets_, h_.offsets_len) != h_.offsets_xxh) {
    return Bad("offsets: checksum mismatch");
  }
  return Status::OK();
}

bool PazipReader::Offset(uint64_t k, uint64_t* off) const {
  return ReadOffset(offsets_, num_blocks_, packed_, packed_bits_,
                    h_.num_records + 1, h_.version, k, off);
}

bool PazipReader::RecordBounds(uint64_t id, const char** begin,
                               const char** end) const {
  uint64_t s, e;
  if (!Offset(id, &s)) return false;
  // Ask for the record's first line now, so its miss overlaps the work on
  // the next offset instead of following it.
  if (s < h_.payload_len) __builtin_prefetch(payload_ + s);
  if (!Offset(id + 1, &e)) return false;
  if (s < kPayloadFrontPad || s > e || e > h_.payload_len - kPayloadBackPad) {
    return false;
  }
  *begin = payload_ + s;
  *end = payload_ + e;
  return true;
}

Status PazipReader::Locate(uint64_t id, uint64_t* raw_len, bool* coded,
                           const char** body, const char** end) const {
  if (id >= h_.num_records) {
    return Status::InvalidArgument("pazip: record id out of range");
  }
  const char* b;
  const char* e;
  if (!RecordBounds(id, &b, &e)) return Bad("offsets: record out of bounds");
  // The decoder reads a record from both ends (sequences forward from the
  // header, literals backward from the end) and its middle last: ask for
  // its first 512 bytes and its end now, so those misses overlap.
  for (const char* l = b; l < e && l < b + 512; l += 64) __builtin_prefetch(l);
  if (e > b) __builtin_prefetch(e - 1);
  if (static_cast<uint64_t>(e - b) < checksum_bytes_) {
    return Bad("record: shorter than its checksum");
  }
  e -= checksum_bytes_;
  if (h_.kind == static_cast<uint8_t>(StoreKind::kRaw)) {
    *raw_len = e - b;
    *coded = false;
    *body = b;
  } else {
    *body = ParseRecordHeader(b, e, raw_len, coded);
    if (*body == nullptr) return Bad("record: bad header");
  }
  if (*raw_len > h_.max_record_len) return Bad("record: length out of range");
  *end = e;
  return Status::OK();
}

Status PazipReader::Decode(uint64_t raw_len, bool coded, const char* body,
                           const char* end, std::string_view key,
                           char* out) const {
  if (!DecodeRecordBody(ctx_, body, end, raw_len, coded, key, out)) {
    return Bad("record: corrupt encoding");
  }
  if (checksum_bytes_ && DecodeFixed32(end) != Checksum32(out, raw_len)) {
    return Bad("record: checksum mismatch");
  }
  return Status::OK();
}

Status PazipReader::NeedsNoKey() const {
  if (keyed()) {
    return Status::InvalidArgument("pazip: keyed store: reads need the record's key");
  }
  return Status::OK();
}

Status PazipReader::Get(uint64_t id, std::string_view key,
                        std::string* value) const {
  uint64_t raw_len;
  bool coded;
  const char* body;
  const char* end;
  SCTABLE_RETURN_IF_ERROR(Locate(id, &raw_len, &coded, &body, &end));
  value->resize(raw_len);
  return Decode(raw_len, coded, body, end, keyed() ? key : std::string_view(),
                value->data());
}

Status PazipReader::Get(uint64_t id, std::string* value) const {
  SCTABLE_RETURN_IF_ERROR(NeedsNoKey());
  return Get(id, std::string_view(), value);
}

Status PazipReader::Get(uint64_t id, std::string_view key, char* buf,
                        size_t cap, size_t* len) const {
  uint64_t raw_len;
  bool coded;
  const char* body;
  const char* end;
  SCTABLE_RETURN_IF_ERROR(Locate(id, &raw_len, &coded, &body, &end));
  *len = raw_len;
  if (raw_len > cap) return Status::InvalidArgument("pazip: buffer too small");
  return Decode(raw_len, coded, body, end, keyed() ? key : std::string_view(),
                buf);
}

Status PazipReader::Get(uint64_t id, char* buf, size_t cap,
                        size_t* len) const {
  SCTABLE_RETURN_IF_ERROR(NeedsNoKey());
  return Get(id, std::string_view(), buf, cap, len);
}

Status PazipReader::GetLength(uint64_t id, uint64_t* len) const {
  bool coded;
  const char* body;
  const char* end;
  return Locate(id, len, &coded, &body, &end);
}

Status PazipReader::GetRun(uint64_t first, uint64_t count, std::string* out,
                           std::vector<uint64_t>* ends) const {
  SCTABLE_RETURN_IF_ERROR(NeedsNoKey());
  uint64_t last;
  if (!CheckedAdd(first, count, &last) || last > h_.num_records) {
    return Status::InvalidArgument("pazip: run out of range");
  }
  for (uint64_t id = first; id < last; ++id) {
    uint64_t raw_len;
    bool coded;
    const char* body;
    const char* end;
    SCTABLE_RETURN_IF_ERROR(Locate(id, &raw_len, &coded, &body, &end));
    const size_t at = out->size();
    out->resize(at + raw_len);
    SCTABLE_RETURN_IF_ERROR(
        Decode(raw_len, coded, body, end, std::string_view(), out->data() + at));
    ends->push_back(out->size());
  }
  return Status::OK();
}

}  // namespace pazip
}  // namespace sctable
