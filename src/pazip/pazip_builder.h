// PazipBuilder: builds a PA-Zip store (docs/format.md "## PA-Zip store")
// from records added in id order. Call order: (Add)* (Finish | FinishToFile),
// or the one-shot PazipBuilder::Build over borrowed records (no copy).
//
// Build: the builder keeps the added records, then at Finish samples a
// global dictionary, parses every record against it, derives one Huffman
// code for all literals, encodes each record on its own, and lays out the
// sections. If the result is not smaller than storing records verbatim
// (tiny or incompressible input), it writes a kRaw store instead.
//
// Memory bound (peak, during Finish/Build), for R raw input bytes, N records
// and a dictionary of D bytes (D <= max(3% of R, 16 KiB), <= 64 MiB):
//   R + 8N            the records and their ends, only when added by Add
//                     (PazipBuilder::Build borrows them: 0 extra bytes)
//   + 16N             one string_view per record
//   + 5D + 18 MiB     dictionary, suffix array, k-gram interval table
//                     (twice for a moment while the dictionary is reordered)
//   + T * (2 MiB + 32 * min(max record, 64 KiB))  per parse thread: parse
//                     nodes, literal pair counts (format v2)
//   + ~1.1 * S + 16N  parse output (tokens + literals, ends per record)
//                     where S is the compressed size (S <= R)
//   + S + 16N         the store being assembled and its offsets.
// So with Build the builder adds about 2.1S + 48N + 5D + 18 MiB to the
// caller's records (about 0.5R on the Debian index). Thread-compatible: one
// builder per thread (it may start options.threads worker threads itself).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "pazip/pazip_dictionary_builder.h"
#include "pazip/pazip_format.h"

namespace sctable {
namespace pazip {

struct BuilderOptions {
  DictionaryOptions dictionary;
  // kXxh32 adds 4 bytes per record and detects a corrupt record at Get.
  RecordChecksum record_checksum = RecordChecksum::kNone;
  // For tests: never build a dictionary (always kRaw).
  bool force_raw = false;
  // Threads that parse records (records are independent, the output does
  // not depend on this number). 2 = the builder's thread plus one worker.
  int threads = 2;
  // Threads claim records in blocks of about this many bytes, one block at
  // a time (the blocks and so the output depend only on the record sizes,
  // not on the threads). Small values are for tests that need many blocks.
  uint64_t work_block_bytes = 256 << 10;
  // A faster parse (same format; see RecordEncoder): for builds on the write
  // path such as RocksDB compactions.
  bool fast_parse = false;
};

// What Finish built, for benchmarks and logs.
struct BuildStats {
  StoreKind kind = StoreKind::kRaw;
  uint64_t num_records = 0;
  uint64_t raw_bytes = 0;
  uint64_t store_bytes = 0;
  uint64_t dict_bytes = 0;
  uint64_t payload_bytes = 0;
  uint64_t offsets_bytes = 0;
  uint64_t token_bytes = 0;      // sequence streams of coded records
  uint64_t sequences = 0;        // (LL, ML, OF) sequences, incl. trailing LL
  uint64_t ll_bits = 0;          // bits of the LL / ML / OF fields (code +
  uint64_t ml_bits = 0;          // extra bits), over all parsed records
  uint64_t of_bits = 0;
  uint64_t repeat_matches = 0;   // dictionary matches at the previous end
  uint64_t literal_count = 0;    // literal bytes before Huffman
  uint64_t literal_bits = 0;     // after Huffman
  uint64_t dict_matches = 0;
  uint64_t local_matches = 0;
  uint64_t raw_records = 0;      // records stored verbatim in a kDictZip store
};

class PazipBuilder {
 public:
  explicit PazipBuilder(const BuilderOptions& options = BuilderOptions());
  ~PazipBuilder();
  PazipBuilder(const PazipBuilder&) = delete;
  PazipBuilder& operator=(const PazipBuilder&) = delete;

  // Adds the next record; its id is the number of records added before it.
  // REQUIRES: Finish has not been called.
  void Add(std::string_view record);

  // Builds the store into *store (replacing its contents).
  // REQUIRES: called once.
  Status Finish(std::string* store);

  // One-shot build over borrowed records, without copying them: records[i]
  // gets id i. The views must stay valid until Build returns (they may point
  // into a mapped spool file). *stats (optional) receives what was built.
  static Status Build(const std::vector<std::string_view>& records,
                      const BuilderOptions& options, std::string* store,
                      BuildStats* stats = nullptr);
  // The same with a key per record (keys[i] for records[i], same lifetime
  // rules): a keyed store (format version 3), whose records may copy bytes
  // from their key, so a reader must give each Get that record's key. Keys
  // that repeat in their records (a name inside its value) cost little.
  // InvalidArgument if keys.size() != records.size().
  static Status Build(const std::vector<std::string_view>& records,
                      const std::vector<std::string_view>& keys,
                      const BuilderOptions& options, std::string* store,
                      BuildStats* stats = nullptr);
  // Builds the store and writes it to `path` atomically.
  Status FinishToFile(const std::string& path);

  uint64_t num_records() const { return ends_.size(); }
  const BuildStats& stats() const { return stats_; }

 private:
  using Records = std::vector<std::string_view>;
  Status FinishRecords(const Records& records, uint64_t raw_bytes,
                       uint64_t max_record_len, std::string* store);
  Status BuildRaw(const Records& records, std::string* store);
  Status BuildDictZip(const Records& records, std::string* store);
  void Assemble(const Records& records, Header* h, std::string_view dict,
                std::string_view huff, const std::string& payload,
                const std::vector<uint64_t>& offs, std::string* store);

  BuilderOptions options_;
  std::string data_;            // all records, concatenated
  std::vector<uint64_t> ends_;  // end of record i in data_
  uint64_t max_record_len_ = 0;
  uint64_t raw_bytes_ = 0;      // of the records being built
  const Records* keys_ = nullptr;  // per record, for a keyed store
  bool finished_ = false;
  BuildStats stats_;
};

// Encodes offsets[0..n] (n + 1 non-decreasing values) as the offsets
// section (pazip_format.h).
std::string EncodeOffsets(const std::vector<uint64_t>& offsets);

}  // namespace pazip
}  // namespace sctable
