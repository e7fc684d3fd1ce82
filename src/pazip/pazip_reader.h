// PazipReader: reads records of a PA-Zip store in place, from bytes the
// caller keeps mapped (docs/format.md "## PA-Zip store").
//
// Open is O(1) in the number of records: it checks the header (magic,
// version, header checksum, section sizes against the byte count) and the
// 640-byte code-table section (checksum, code validity), and builds four
// 4 KiB decode tables (literals, LL, ML, OF). Dictionary, payload and offsets checksums are verified only
// when ReaderOptions::verify_checksums is set or by VerifyChecksums(), which
// cost O(store bytes) (XXH3, ~20 GB/s).
//
// Integrity levels (BuilderOptions::record_checksum):
//   kNone:  a corrupt store is detected by VerifyChecksums(); without it, Get
//           on corrupt bytes returns Corruption or wrong bytes, but never
//           reads or writes out of bounds.
//   kXxh32: additionally every Get verifies the record's 4-byte checksum
//           (+4 bytes per record, ~record_len / 20 GB/s per Get), so a
//           corrupt record is reported as Corruption when it is read.
//
// Thread-safety: immutable after Open; Get may run concurrently. The bytes
// passed to Open must stay valid and unchanged while the reader exists.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "pazip/pazip_format.h"
#include "pazip/pazip_huffman.h"
#include "pazip/pazip_record_decoder.h"

namespace sctable {
namespace pazip {

struct ReaderOptions {
  bool verify_checksums = false;  // O(store) check of every section at Open
};

class PazipReader {
 public:
  static Status Open(const char* data, size_t size,
                     std::unique_ptr<PazipReader>* reader,
                     const ReaderOptions& options = ReaderOptions());
  PazipReader(const PazipReader&) = delete;
  PazipReader& operator=(const PazipReader&) = delete;

  uint64_t num_records() const { return h_.num_records; }
  uint64_t raw_bytes() const { return h_.raw_bytes; }
  uint64_t max_record_len() const { return h_.max_record_len; }
  StoreKind kind() const { return static_cast<StoreKind>(h_.kind); }
  uint64_t dict_bytes() const { return h_.dict_len; }

  // Whether records were coded with a key each (PazipBuilder::Build with
  // keys): then every Get needs that record's key, byte for byte.
  bool keyed() const { return (h_.flags & kFlagKeyed) != 0; }

  // Record `id` into *value (replacing its contents). `key`: the record's
  // key in a keyed store, ignored otherwise; a wrong key decodes to wrong
  // bytes or Corruption (caught by record checksums if the store has them).
  // REQUIRES: id < num_records() (else InvalidArgument).
  Status Get(uint64_t id, std::string_view key, std::string* value) const;
  // Unkeyed stores only (InvalidArgument on a keyed one).
  Status Get(uint64_t id, std::string* value) const;

  // Record `id` into buf[0, cap). Sets *len to the record's length; if it
  // exceeds cap, returns InvalidArgument and writes nothing.
  Status Get(uint64_t id, std::string_view key, char* buf, size_t cap,
             size_t* len) const;
  // Unkeyed stores only (InvalidArgument on a keyed one).
  Status Get(uint64_t id, char* buf, size_t cap, size_t* len) const;

  // Length of record `id` without decoding it (reads its header).
  Status GetLength(uint64_t id, uint64_t* len) const;

  // Records [first, first + count) appended to *out back to back; (*ends)[k]
  // is the end of record first + k in *out. Walks the offsets sequentially.
  // Unkeyed stores only (InvalidArgument on a keyed one).
  Status GetRun(uint64_t first, uint64_t count, std::string* out,
                std::vector<uint64_t>* ends) const;

  // Verifies the checksums of all sections: O(store bytes).
  Status VerifyChecksums() const;

  // Heap bytes this reader holds (its decode tables; not the mapped store).
  size_t memory_usage() const { return sizeof(*this); }

 private:
  PazipReader() = default;
  // [begin, end) of stored record `id`, bounds-checked.
  bool RecordBounds(uint64_t id, const char** begin, const char** end) const;
  bool Offset(uint64_t k, uint64_t* off) const;
  // Locates record `id`; sets its decoded length, body and body end.
  Status Locate(uint64_t id, uint64_t* raw_len, bool* coded,
                const char** body, const char** end) const;
  Status Decode(uint64_t raw_len, bool coded, const char* body,
                const char* end, std::string_view key, char* out) const;
  Status NeedsNoKey() const;

  Header h_;
  const char* dict_ = nullptr;
  const char* huff_ = nullptr;
  const char* payload_ = nullptr;
  const char* offsets_ = nullptr;
  uint64_t num_blocks_ = 0;
  uint64_t packed_bits_ = 0;
  const char* packed_ = nullptr;
  unsigned checksum_bytes_ = 0;
  CodeTables tables_;  // ~68 KiB: literal (single and pair) + LL/ML/OF tables
  DecodeContext ctx_;
};

}  // namespace pazip
}  // namespace sctable
