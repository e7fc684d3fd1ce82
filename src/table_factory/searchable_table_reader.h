// SearchableTableReader: reads a SearchableTable file in place from its own
// memory map (whatever allow_mmap_reads says), with no block cache and no
// copy of the index or the values at open. Open validates the footer, the
// metaindex, the properties, sctable.meta (its checksum always) and the
// small sections; the key index and value store validate their headers.
//
// Thread-safe after Open: Get, NewIterator and the rest may be called from
// many threads at once.
#pragma once

#include "table_factory/abi_check.h"  // before any RocksDB internal header

#include <atomic>
#include <memory>
#include <string>

#include "common/mapped_file.h"
#include "db/dbformat.h"
#include "db/range_tombstone_fragmenter.h"
#include "file/random_access_file_reader.h"
#include "options/cf_options.h"
#include "table/format.h"
#include "table/table_builder.h"  // TableReaderOptions
#include "table/table_reader.h"
#include "table_factory/key_filter.h"
#include "table_factory/key_index.h"
#include "table_factory/meta_section.h"
#include "table_factory/value_store.h"
#include "table_factory/version_data.h"

namespace sctable {

class SearchableTableReader : public rocksdb::TableReader {
 public:
  // `footer` is the file's footer, already read (by the factory, to
  // dispatch on its magic).
  static rocksdb::Status Open(
      const rocksdb::ReadOptions& ro,
      const rocksdb::TableReaderOptions& tro,
      std::unique_ptr<rocksdb::RandomAccessFileReader>&& file,
      uint64_t file_size, const rocksdb::Footer& footer,
      std::unique_ptr<rocksdb::TableReader>* reader);

  ~SearchableTableReader() override;

  rocksdb::InternalIterator* NewIterator(
      const rocksdb::ReadOptions& ro, const rocksdb::SliceTransform* prefix,
      rocksdb::Arena* arena, bool skip_filters,
      rocksdb::TableReaderCaller caller, size_t compaction_readahead_size = 0,
      bool allow_unprepared_value = false) override;
  rocksdb::FragmentedRangeTombstoneIterator* NewRangeTombstoneIterator(
      const rocksdb::ReadOptions& ro) override;
  uint64_t ApproximateOffsetOf(const rocksdb::Slice& key,
                               rocksdb::TableReaderCaller caller) override;
  uint64_t ApproximateSize(const rocksdb::Slice& start,
                           const rocksdb::Slice& end,
                           rocksdb::TableReaderCaller caller) override;
  void SetupForCompaction() override {}
  std::shared_ptr<const rocksdb::TableProperties> GetTableProperties()
      const override {
    return props_;
  }
  size_t ApproximateMemoryUsage() const override;
  rocksdb::Status Get(const rocksdb::ReadOptions& ro,
                      const rocksdb::Slice& key,
                      rocksdb::GetContext* get_context,
                      const rocksdb::SliceTransform* prefix,
                      bool skip_filters = false) override;
  rocksdb::Status DumpTable(rocksdb::WritableFile* out) override;
  rocksdb::Status VerifyChecksum(const rocksdb::ReadOptions& ro,
                                 rocksdb::TableReaderCaller caller) override;

  // For the iterator.
  const KeyIndex& keys() const {
    Acquire();
    return keys_;
  }
  const ValueStore& values() const { return values_; }
  const VersionDataReader& versions() const { return versions_; }
  // The seqno and type of entry e, with the global seqno of an ingested file
  // applied; false if the stored data is corrupt.
  bool EntryAt(uint64_t e, uint64_t* seq, uint8_t* type) const {
    if (!versions_.Entry(e, seq, type)) return false;
    if (global_seqno_ != rocksdb::kDisableGlobalSequenceNumber) {
      *seq = global_seqno_;
    }
    return true;
  }

 private:
  SearchableTableReader(const rocksdb::ImmutableOptions& ioptions,
                        const rocksdb::InternalKeyComparator& icmp);
  rocksdb::Status Init(const rocksdb::ReadOptions& ro,
                       const rocksdb::TableReaderOptions& tro,
                       uint64_t file_size, const rocksdb::Footer& footer);
  rocksdb::Status SectionBytes(const char* name, std::string_view* out) const;
  // Approximate file offset of the first entry of user key `id` (or the end).
  uint64_t OffsetOfKeyId(uint64_t id) const;

  const rocksdb::ImmutableOptions& ioptions_;
  const rocksdb::InternalKeyComparator icmp_;
  std::unique_ptr<rocksdb::RandomAccessFileReader> file_;
  std::unique_ptr<MappedFile> map_;
  uint64_t file_size_ = 0;
  std::shared_ptr<const rocksdb::TableProperties> props_;
  MetaSection meta_;
  KeyIndex keys_;
  KeyFilter filter_;
  bool has_filter_ = false;
  ValueStore values_;
  VersionDataReader versions_;
  uint64_t values_offset_ = 0, values_size_ = 0;
  rocksdb::SequenceNumber global_seqno_ =
      rocksdb::kDisableGlobalSequenceNumber;
  std::shared_ptr<rocksdb::FragmentedRangeTombstoneList> range_dels_;

  // Set (release) when Open completes; read (acquire) by every entry point.
  // RocksDB publishes a reader to other threads through its table cache and
  // versions, inside librocksdb, which ThreadSanitizer does not instrument;
  // this makes the happens-before edge visible. Free on x86 (a plain load).
  std::atomic<bool> published_{false};
  void Acquire() const { (void)published_.load(std::memory_order_acquire); }
};

}  // namespace sctable
