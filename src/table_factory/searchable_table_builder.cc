#include "table_factory/searchable_table_builder.h"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cinttypes>

#include "common/checksum.h"
#include "common/coding.h"
#include "file/writable_file_writer.h"
#include "logging/logging.h"
#include "rocksdb/merge_operator.h"
#include "rocksdb/slice_transform.h"
#include "table/format.h"
#include "table/meta_blocks.h"
#include "table_factory/key_filter.h"
#include "table_factory/key_index.h"
#include "table_factory/meta_section.h"
#include "table_factory/status_util.h"
#include "table_factory/table_format.h"
#include "table_factory/value_spool.h"
#include "table_factory/value_store.h"

namespace sctable {

namespace {

std::string SpoolPath(const SearchableTableOptions& options,
                      const std::string& sst_path) {
  static std::atomic<uint64_t> counter{0};
  std::string dir = options.temp_dir;
  std::string base = sst_path;
  const size_t slash = sst_path.rfind('/');
  if (slash != std::string::npos) base = sst_path.substr(slash + 1);
  if (dir.empty()) {
    dir = slash == std::string::npos ? "." : sst_path.substr(0, slash);
  }
  return dir + "/" + base + ".sctable-spool." + std::to_string(::getpid()) +
         "." + std::to_string(counter.fetch_add(1));
}

}  // namespace

SearchableTableBuilder::SearchableTableBuilder(
    const rocksdb::TableBuilderOptions& tbo, rocksdb::WritableFileWriter* file,
    const SearchableTableOptions& options, std::shared_ptr<BuildStats> stats)
    : options_(options),
      stats_(std::move(stats)),
      file_(file),
      info_log_(tbo.ioptions.logger),
      offset_(file->GetFileSize()),
      values_(new ValueSpool(SpoolPath(options, file->file_name()),
                             options.spool_memory_bytes)) {
  for (auto& factory : *tbo.int_tbl_prop_collector_factories) {
    collectors_.emplace_back(factory->CreateIntTblPropCollector(
        tbo.column_family_id, tbo.level_at_creation));
  }
  props_.column_family_id = tbo.column_family_id;
  props_.column_family_name = tbo.column_family_name;
  props_.comparator_name = tbo.ioptions.user_comparator != nullptr
                               ? tbo.ioptions.user_comparator->Name()
                               : "nullptr";
  props_.merge_operator_name = tbo.ioptions.merge_operator != nullptr
                                   ? tbo.ioptions.merge_operator->Name()
                                   : "nullptr";
  props_.prefix_extractor_name = tbo.moptions.prefix_extractor != nullptr
                                     ? tbo.moptions.prefix_extractor->AsString()
                                     : "nullptr";
  std::string names;
  for (auto& c : collectors_) {
    if (!names.empty()) names += ",";
    names += c->Name();
  }
  props_.property_collectors_names = "[" + names + "]";
  props_.compression_name = "SearchableTable";
  props_.format_version = kSearchableTableFormatVersion;
  props_.db_id = tbo.db_id;
  props_.db_session_id = tbo.db_session_id;
  props_.orig_file_number = tbo.cur_file_num;
  props_.oldest_key_time = tbo.oldest_key_time;
  props_.file_creation_time = tbo.file_creation_time;
  props_.creation_time = tbo.file_creation_time;
}

SearchableTableBuilder::~SearchableTableBuilder() = default;

void SearchableTableBuilder::SetError(const rocksdb::Status& s) {
  if (status_.ok() && !s.ok()) status_ = s;
}

// The spool lives in the temp directory: a full or missing directory is an
// environmental fault, not damage. Said as NoSpace, or as a retryable IO
// error, RocksDB keeps it recoverable (DB::Resume, auto-recovery) instead of
// treating it as fatal.
void SearchableTableBuilder::SetSpoolError(const Status& s) {
  const int err = values_ != nullptr ? values_->last_errno() : 0;
  const std::string msg = "SearchableTable: " + s.message();
  if (err == ENOSPC || err == EDQUOT) {
    io_status_ = rocksdb::IOStatus::NoSpace(msg);
  } else {
    io_status_ = rocksdb::IOStatus::IOError(msg);
    io_status_.SetRetryable(true);
  }
  SetError(io_status_);
}

void SearchableTableBuilder::Add(const rocksdb::Slice& key,
                                 const rocksdb::Slice& value) {
  if (!status_.ok()) return;
  rocksdb::ParsedInternalKey ikey;
  rocksdb::Status s =
      rocksdb::ParseInternalKey(key, &ikey, /*log_err_key=*/false);
  if (!s.ok()) {
    SetError(s);
    return;
  }
  props_.num_entries++;
  props_.raw_key_size += key.size();
  props_.raw_value_size += value.size();
  if (ikey.type == rocksdb::kTypeRangeDeletion) {
    // Stored apart: they may arrive interleaved (SstFileWriter) and are not
    // point entries.
    PutVarint64(&range_dels_, key.size());
    range_dels_.append(key.data(), key.size());
    PutVarint64(&range_dels_, value.size());
    range_dels_.append(value.data(), value.size());
    ++num_range_dels_;
    props_.num_range_deletions++;
    props_.num_deletions++;
  } else {
    switch (ikey.type) {
      case rocksdb::kTypeDeletion:
      case rocksdb::kTypeSingleDeletion:
      case rocksdb::kTypeDeletionWithTimestamp:
        props_.num_deletions++;
        break;
      case rocksdb::kTypeMerge:
        props_.num_merge_operands++;
        break;
      case rocksdb::kTypeValue:
      case rocksdb::kTypeBlobIndex:
      case rocksdb::kTypeWideColumnEntity:
        break;
      default:
        SetError(rocksdb::Status::NotSupported(
            "SearchableTable: value type " + std::to_string(ikey.type) +
            " cannot be stored in a table"));
        return;
    }
    const rocksdb::Slice user_key = ikey.user_key;
    // Entries arrive in internal-key order, so a key equal to the last one
    // stored is another version of it.
    const size_t last_begin =
        key_ends_.size() < 2 ? 0 : key_ends_[key_ends_.size() - 2];
    const bool same_key =
        !key_ends_.empty() &&
        std::string_view(keys_).substr(last_begin) ==
            std::string_view(user_key.data(), user_key.size());
    if (!same_key) {
      keys_.append(user_key.data(), user_key.size());
      key_ends_.push_back(keys_.size());
      versions_.StartKey();
    }
    versions_.AddEntry(ikey.sequence, static_cast<uint8_t>(ikey.type));
    Status vs = values_->Add(std::string_view(value.data(), value.size()));
    if (!vs.ok()) {
      SetSpoolError(vs);
      return;
    }
  }
  rocksdb::NotifyCollectTableCollectorsOnAdd(key, value, offset_, collectors_,
                                             info_log_);
}

rocksdb::Status SearchableTableBuilder::WriteSection(
    const std::string& bytes, rocksdb::BlockHandle* handle) {
  *handle = rocksdb::BlockHandle(offset_, bytes.size());
  io_status_ = file_->Append(bytes);
  if (!io_status_.ok()) return io_status_;
  offset_ += bytes.size();
  return rocksdb::Status::OK();
}

rocksdb::Status SearchableTableBuilder::Finish() {
  closed_ = true;
  if (!status_.ok()) return status_;

  // Key index over the unique user keys.
  std::vector<std::string_view> keys;
  keys.reserve(key_ends_.size());
  uint64_t start = 0;
  for (uint64_t end : key_ends_) {
    keys.emplace_back(keys_.data() + start, end - start);
    start = end;
  }
  std::string filter_image;
  if (options_.filter_bits_per_key > 0 && !keys.empty()) {
    KeyFilterBuilder filter(options_.filter_bits_per_key);
    for (std::string_view k : keys) filter.AddKey(k);
    filter.Finish(&filter_image);
  }
  std::string key_image;
  Status s = KeyIndexBuilder::Build(keys, options_.index_nest_level, &key_image);
  if (!s.ok()) return status_ = ToRocksStatus(s, "building key index");
  // Each entry's value is coded with its user key (entries of key k are
  // [start k, start k+1) in entry order).
  std::vector<std::string_view> value_keys;
  value_keys.reserve(versions_.num_entries());
  for (uint64_t k = 0; k < keys.size(); ++k) {
    const uint64_t n = versions_.num_entries_of(k);
    for (uint64_t e = 0; e < n; ++e) value_keys.push_back(keys[k]);
  }
  keys.clear();
  keys.shrink_to_fit();

  // Value store over every entry's value, in entry order.
  std::vector<std::string_view> records;
  s = values_->Finish(&records);
  if (!s.ok()) {
    SetSpoolError(s);
    return status_;
  }
  std::string value_image;
  ValueStoreOptions vopts;
  vopts.dict_per_mille = options_.dict_per_mille;
  vopts.checksum_level = options_.checksum_level;
  vopts.fast_parse = options_.value_effort == 0;
  uint64_t dict_bytes = 0;
  if (value_keys.size() != records.size()) {
    return status_ = rocksdb::Status::Corruption(
               "SearchableTable: entries and values differ in number");
  }
  s = ValueStoreBuilder::Build(records, value_keys, vopts, &value_image,
                               &dict_bytes);
  if (!s.ok()) return status_ = ToRocksStatus(s, "building value store");
  records.clear();
  records.shrink_to_fit();
  value_keys.clear();
  value_keys.shrink_to_fit();
  values_.reset();  // removes the spool file

  std::string version_image;
  versions_.Finish(&version_image);
  std::string range_del_image;
  PutVarint64(&range_del_image, num_range_dels_);
  range_del_image += range_dels_;

  // Sections, in file order: values, keys, versions, range deletions, and
  // the filter if there is one.
  MetaSection meta;
  meta.checksum_level = static_cast<uint8_t>(options_.checksum_level);
  rocksdb::MetaIndexBuilder metaindex;
  struct Item {
    const char* name;
    const std::string* bytes;
  } items[] = {{kValuesSectionName, &value_image},
               {kKeysSectionName, &key_image},
               {kVersionsSectionName, &version_image},
               {kRangeDelSectionName, &range_del_image},
               {kFilterSectionName, &filter_image}};
  const uint64_t data_begin = offset_;
  for (const Item& item : items) {
    if (item.bytes == &filter_image && filter_image.empty()) continue;
    rocksdb::BlockHandle handle;
    rocksdb::Status ws = WriteSection(*item.bytes, &handle);
    if (!ws.ok()) return status_ = ws;
    metaindex.Add(item.name, handle);
    meta.sections.push_back({item.name, handle.offset(), handle.size(),
                             Checksum64(*item.bytes)});
  }
  std::string meta_image;
  meta.EncodeTo(&meta_image);
  {
    rocksdb::BlockHandle handle;
    rocksdb::Status ws = WriteSection(meta_image, &handle);
    if (!ws.ok()) return status_ = ws;
    metaindex.Add(kMetaSectionName, handle);
  }

  // Properties.
  props_.data_size = offset_ - data_begin;
  props_.index_size = key_image.size();
  props_.num_data_blocks = 1;
  rocksdb::PropertyBlockBuilder property_block;
  property_block.AddTableProperty(props_);
  rocksdb::UserCollectedProperties ours;
  ours[kPropIndexBytes] = std::to_string(key_image.size());
  ours[kPropValueBytes] = std::to_string(value_image.size());
  ours[kPropVersionBytes] = std::to_string(version_image.size());
  ours[kPropUserKeys] = std::to_string(key_ends_.size());
  ours[kPropDictBytes] = std::to_string(dict_bytes);
  ours[kPropFilterBytes] = std::to_string(filter_image.size());
  property_block.Add(ours);
  rocksdb::NotifyCollectTableCollectorsOnFinish(collectors_, info_log_,
                                                &property_block);
  for (auto& c : collectors_) {
    rocksdb::UserCollectedProperties readable = c->GetReadableProperties();
    props_.readable_properties.insert(readable.begin(), readable.end());
  }
  props_.user_collected_properties.insert(ours.begin(), ours.end());
  {
    rocksdb::Slice block = property_block.Finish();
    rocksdb::BlockHandle handle(offset_, block.size());
    io_status_ = file_->Append(block);
    if (!io_status_.ok()) return status_ = io_status_;
    offset_ += block.size();
    metaindex.Add(rocksdb::kPropertiesBlockName, handle);
  }

  // Metaindex and footer.
  rocksdb::Slice meta_block = metaindex.Finish();
  rocksdb::BlockHandle metaindex_handle(offset_, meta_block.size());
  io_status_ = file_->Append(meta_block);
  if (!io_status_.ok()) return status_ = io_status_;
  offset_ += meta_block.size();
  rocksdb::FooterBuilder footer;
  footer.Build(kSearchableTableMagic, kFooterFormatVersion, offset_,
               rocksdb::kNoChecksum, metaindex_handle);
  io_status_ = file_->Append(footer.GetSlice());
  if (!io_status_.ok()) return status_ = io_status_;
  offset_ += footer.GetSlice().size();

  const uint64_t raw = props_.raw_key_size + props_.raw_value_size;
  if (raw >= (1u << 20)) {  // small files say little about the ratio
    const double ratio = static_cast<double>(offset_) / raw;
    const double old = stats_->bytes_per_raw_byte.load();
    stats_->bytes_per_raw_byte.store(0.5 * old + 0.5 * ratio);
  }
  return status_;
}

void SearchableTableBuilder::Abandon() {
  closed_ = true;
  values_.reset();  // removes the spool file
}

uint64_t SearchableTableBuilder::EstimatedFileSize() const {
  if (closed_) return offset_;
  const uint64_t raw = props_.raw_key_size + props_.raw_value_size;
  return offset_ + static_cast<uint64_t>(raw * stats_->bytes_per_raw_byte.load());
}

bool SearchableTableBuilder::NeedCompact() const {
  for (const auto& c : collectors_) {
    if (c->NeedCompact()) return true;
  }
  return false;
}

rocksdb::TableProperties SearchableTableBuilder::GetTableProperties() const {
  return props_;
}

std::string SearchableTableBuilder::GetFileChecksum() const {
  return file_ != nullptr ? file_->GetFileChecksum()
                          : rocksdb::kUnknownFileChecksum;
}

const char* SearchableTableBuilder::GetFileChecksumFuncName() const {
  return file_ != nullptr ? file_->GetFileChecksumFuncName()
                          : rocksdb::kUnknownFileChecksumFuncName;
}

void SearchableTableBuilder::SetSeqnoTimeTableProperties(
    const std::string& encoded_mapping, uint64_t oldest_ancestor_time) {
  props_.seqno_to_time_mapping = encoded_mapping;
  props_.creation_time = oldest_ancestor_time;
}

}  // namespace sctable
