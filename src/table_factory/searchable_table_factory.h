// SearchableTableFactory: the rocksdb::TableFactory of the SearchableTable
// format. Writes go to SearchableTableBuilder, except files for levels below
// fallback_below_level and column families with a non-bytewise comparator,
// which go to a BlockBasedTable factory. Reads dispatch on the footer magic:
// SearchableTable files to SearchableTableReader, PlainTable files to a
// PlainTable factory, anything else to the BlockBasedTable factory.
//
// Thread-safe: RocksDB shares one factory among all its threads.
#pragma once

#include "table_factory/abi_check.h"  // before any RocksDB internal header

#include <atomic>
#include <memory>
#include <string>

#include "rocksdb/table.h"
#include "sctable/searchable_table.h"
#include "table_factory/searchable_table_builder.h"

namespace sctable {

class SearchableTableFactory : public rocksdb::TableFactory {
 public:
  explicit SearchableTableFactory(const SearchableTableOptions& options);

  static const char* kClassName() { return kSearchableTableName; }
  const char* Name() const override { return kClassName(); }

  using rocksdb::TableFactory::NewTableReader;
  rocksdb::Status NewTableReader(
      const rocksdb::ReadOptions& ro,
      const rocksdb::TableReaderOptions& tro,
      std::unique_ptr<rocksdb::RandomAccessFileReader>&& file,
      uint64_t file_size, std::unique_ptr<rocksdb::TableReader>* table,
      bool prefetch_index_and_filter_in_cache = true) const override;
  rocksdb::TableBuilder* NewTableBuilder(
      const rocksdb::TableBuilderOptions& tbo,
      rocksdb::WritableFileWriter* file) const override;
  bool IsDeleteRangeSupported() const override { return true; }

  std::string GetPrintableOptions() const override;
  rocksdb::Status PrepareOptions(const rocksdb::ConfigOptions& opts) override;
  rocksdb::Status ValidateOptions(
      const rocksdb::DBOptions& db_opts,
      const rocksdb::ColumnFamilyOptions& cf_opts) const override;

  const SearchableTableOptions& options() const { return options_; }

  // Replaces the BlockBasedTable factory that reads BlockBasedTable files
  // (and writes the ones described above), e.g. with the factory a column
  // family used before it was switched, so that its block cache and filter
  // settings keep applying to its old files.
  // REQUIRES: `factory` is a BlockBasedTable factory, and this factory has
  // not been given to a DB yet (not thread-safe).
  void SetBlockBasedFallback(std::shared_ptr<rocksdb::TableFactory> factory);
  const std::shared_ptr<rocksdb::TableFactory>& block_based_fallback() const {
    return block_based_;
  }

 private:
  SearchableTableOptions options_;
  std::shared_ptr<rocksdb::TableFactory> block_based_;
  std::shared_ptr<rocksdb::TableFactory> plain_;
  std::shared_ptr<BuildStats> stats_;
  mutable std::atomic<bool> warned_comparator_{false};
};

// InvalidArgument naming the first option out of range, else OK.
rocksdb::Status CheckSearchableTableOptions(const SearchableTableOptions& o);

}  // namespace sctable
