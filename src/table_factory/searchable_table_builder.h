// SearchableTableBuilder: writes one SearchableTable file (docs/format.md).
// Entries arrive through Add in internal-key order; user keys go to an
// in-memory list (they become the key index), (seqno, type) pairs to the
// version data, values to a spool that moves to a temporary file beyond
// SearchableTableOptions::spool_memory_bytes. Finish builds the key index
// and the value store and writes all sections, the properties block, the
// metaindex and the footer.
//
// Memory while building: spool_memory_bytes + the user-key bytes + about
// 24 bytes per entry (value offset, version data) + at Finish 16 bytes per
// entry (its user key, which its value is coded with) and the value store's
// build memory (pazip_builder.h) + the sections being written (compressed,
// so smaller than the input).
//
// Call order: (Add)* (SetSeqnoTimeTableProperties)? (Finish | Abandon).
// Not thread-safe (RocksDB drives one builder from one thread).
#pragma once

#include "table_factory/abi_check.h"  // before any RocksDB internal header

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "db/dbformat.h"
#include "db/table_properties_collector.h"
#include "rocksdb/table_properties.h"
#include "sctable/searchable_table.h"
#include "table/table_builder.h"
#include "table_factory/version_data.h"

namespace sctable {

class ValueSpool;

// Shared by all builders of a factory: the running ratio of output bytes to
// raw input bytes, so EstimatedFileSize lets compaction cut files near
// target_file_size.
struct BuildStats {
  std::atomic<double> bytes_per_raw_byte{0.4};
};

class SearchableTableBuilder : public rocksdb::TableBuilder {
 public:
  SearchableTableBuilder(const rocksdb::TableBuilderOptions& tbo,
                         rocksdb::WritableFileWriter* file,
                         const SearchableTableOptions& options,
                         std::shared_ptr<BuildStats> stats);
  ~SearchableTableBuilder() override;

  void Add(const rocksdb::Slice& key, const rocksdb::Slice& value) override;
  rocksdb::Status status() const override { return status_; }
  rocksdb::IOStatus io_status() const override { return io_status_; }
  rocksdb::Status Finish() override;
  void Abandon() override;
  uint64_t NumEntries() const override { return props_.num_entries; }
  bool IsEmpty() const override { return props_.num_entries == 0; }
  uint64_t FileSize() const override { return offset_; }
  uint64_t EstimatedFileSize() const override;
  bool NeedCompact() const override;
  rocksdb::TableProperties GetTableProperties() const override;
  std::string GetFileChecksum() const override;
  const char* GetFileChecksumFuncName() const override;
  void SetSeqnoTimeTableProperties(const std::string& encoded_mapping,
                                   uint64_t oldest_ancestor_time) override;

 private:
  rocksdb::Status WriteSection(const std::string& bytes,
                               rocksdb::BlockHandle* handle);
  void SetError(const rocksdb::Status& s);
  void SetSpoolError(const Status& s);

  const SearchableTableOptions options_;
  std::shared_ptr<BuildStats> stats_;
  rocksdb::WritableFileWriter* file_;
  rocksdb::Logger* info_log_;
  uint64_t offset_ = 0;
  rocksdb::Status status_;
  rocksdb::IOStatus io_status_;
  bool closed_ = false;

  std::string keys_;                 // user keys, concatenated
  std::vector<uint64_t> key_ends_;   // end offset of each key in keys_
  VersionDataBuilder versions_;
  std::unique_ptr<ValueSpool> values_;
  std::string range_dels_;           // (ikey, end key) length-prefixed pairs
  uint64_t num_range_dels_ = 0;

  rocksdb::TableProperties props_;
  std::vector<std::unique_ptr<rocksdb::IntTblPropCollector>> collectors_;
};

}  // namespace sctable
