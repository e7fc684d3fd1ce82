#include "table_factory/searchable_table_reader.h"

#include <algorithm>
#include <cinttypes>

#include "common/checksum.h"
#include "common/coding.h"
#include "common/cursor.h"
#include "db/pinned_iterators_manager.h"
#include "memory/arena.h"
#include "rocksdb/env.h"
#include "rocksdb/snapshot.h"
#include "table/block_based/block.h"
#include "table/format.h"
#include "table/get_context.h"
#include "table/internal_iterator.h"
#include "table/meta_blocks.h"
#include "table/unique_id_impl.h"
#include "table_factory/block_check.h"
#include "table_factory/status_util.h"
#include "table_factory/table_format.h"
#include "util/vector_iterator.h"

namespace sctable {

namespace {

using rocksdb::Slice;

// Packs (seq, type) as in an internal key's last 8 bytes.
inline uint64_t Pack(uint64_t seq, uint8_t type) { return (seq << 8) | type; }

rocksdb::Status CorruptEntry(uint64_t e) {
  return rocksdb::Status::Corruption(
      "SearchableTable: versions: invalid entry " + std::to_string(e));
}

// The global seqno of an ingested file (RocksDB 7.8's rules for
// BlockBasedTable, which keeps its own copy private): none unless the file
// was written by SstFileWriter; then the value patched into the properties
// block, or the largest seqno the MANIFEST recorded.
rocksdb::Status GlobalSeqno(const rocksdb::TableProperties& props,
                            rocksdb::SequenceNumber largest_seqno,
                            rocksdb::SequenceNumber* seqno) {
  const auto& user = props.user_collected_properties;
  const auto version_pos = user.find("rocksdb.external_sst_file.version");
  const auto seqno_pos = user.find("rocksdb.external_sst_file.global_seqno");
  *seqno = rocksdb::kDisableGlobalSequenceNumber;
  if (version_pos == user.end()) {
    if (seqno_pos != user.end()) {
      return rocksdb::Status::Corruption(
          "SearchableTable: global seqno property in a non-external file");
    }
    return rocksdb::Status::OK();
  }
  if (version_pos->second.size() < 4) {
    return rocksdb::Status::Corruption("SearchableTable: bad external version");
  }
  const uint32_t version = DecodeFixed32(version_pos->second.data());
  if (version < 2) {
    if (seqno_pos != user.end() || version != 1) {
      return rocksdb::Status::Corruption(
          "SearchableTable: external file version " + std::to_string(version));
    }
    return rocksdb::Status::OK();
  }
  rocksdb::SequenceNumber global = 0;
  if (seqno_pos != user.end()) {
    if (seqno_pos->second.size() < 8) {
      return rocksdb::Status::Corruption("SearchableTable: bad global seqno");
    }
    global = DecodeFixed64(seqno_pos->second.data());
  }
  if (largest_seqno < rocksdb::kMaxSequenceNumber) {
    if (global == 0) global = largest_seqno;
    if (global != largest_seqno) {
      return rocksdb::Status::Corruption(
          "SearchableTable: global seqno " + std::to_string(global) +
          " differs from the MANIFEST's " + std::to_string(largest_seqno));
    }
  }
  if (global > rocksdb::kMaxSequenceNumber) {
    return rocksdb::Status::Corruption("SearchableTable: global seqno too large");
  }
  *seqno = global;
  return rocksdb::Status::OK();
}

void DeleteString(void* p) { delete static_cast<std::string*>(p); }

}  // namespace

// Iterates every entry (all versions) in internal-key order.
class SearchableTableIterator : public rocksdb::InternalIterator {
 public:
  SearchableTableIterator(const SearchableTableReader* table,
                          bool allow_unprepared_value)
      : table_(table),
        cursor_(&table->keys()),
        lazy_value_(allow_unprepared_value) {}

  bool Valid() const override { return valid_; }
  void SeekToFirst() override {
    status_ = rocksdb::Status::OK();
    cursor_.SeekToFirst();
    if (LoadKey()) SetEntry(begin_);
  }
  void SeekToLast() override {
    status_ = rocksdb::Status::OK();
    cursor_.SeekToLast();
    if (LoadKey()) SetEntry(end_ - 1);
  }
  void Seek(const Slice& target) override {
    status_ = rocksdb::Status::OK();
    const Slice user_key = rocksdb::ExtractUserKey(target);
    const uint64_t packed = rocksdb::ExtractInternalKeyFooter(target);
    cursor_.Seek(std::string_view(user_key.data(), user_key.size()));
    if (!LoadKey()) return;
    if (user_key_ == std::string_view(user_key.data(), user_key.size())) {
      // First entry <= target in internal order: packed (seq,type) <= target's.
      for (uint64_t e = begin_; e < end_; ++e) {
        uint64_t seq;
        uint8_t type;
        if (!table_->EntryAt(e, &seq, &type)) return Fail(CorruptEntry(e));
        if (Pack(seq, type) <= packed) return SetEntry(e);
      }
      cursor_.Next();
      if (!LoadKey()) return;
    }
    SetEntry(begin_);
  }
  void SeekForPrev(const Slice& target) override {
    status_ = rocksdb::Status::OK();
    const Slice user_key = rocksdb::ExtractUserKey(target);
    const uint64_t packed = rocksdb::ExtractInternalKeyFooter(target);
    cursor_.SeekForPrev(std::string_view(user_key.data(), user_key.size()));
    if (!LoadKey()) return;
    if (user_key_ == std::string_view(user_key.data(), user_key.size())) {
      // Last entry >= target in internal order... i.e. last with packed >=.
      for (uint64_t e = end_; e > begin_; --e) {
        uint64_t seq;
        uint8_t type;
        if (!table_->EntryAt(e - 1, &seq, &type)) {
          return Fail(CorruptEntry(e - 1));
        }
        if (Pack(seq, type) >= packed) return SetEntry(e - 1);
      }
      cursor_.Prev();
      if (!LoadKey()) return;
    }
    SetEntry(end_ - 1);
  }
  void Next() override {
    prev_key_.swap(key_buf_);
    if (entry_ + 1 < end_) {
      SetEntry(entry_ + 1);
    } else {
      cursor_.Next();
      if (LoadKey()) SetEntry(begin_);
    }
    CheckOrder(/*forward=*/true);
  }
  void Prev() override {
    prev_key_.swap(key_buf_);
    if (entry_ > begin_) {
      SetEntry(entry_ - 1);
    } else {
      cursor_.Prev();
      if (LoadKey()) SetEntry(end_ - 1);
    }
    CheckOrder(/*forward=*/false);
  }
  Slice key() const override { return Slice(key_buf_); }
  Slice value() const override { return value_; }
  // With allow_unprepared_value, values are decoded only when asked for.
  bool PrepareValue() override {
    if (valid_ && !value_loaded_) LoadValue();
    return valid_;
  }
  rocksdb::Status status() const override { return status_; }

  void SetPinnedItersMgr(rocksdb::PinnedIteratorsManager* m) override {
    pinned_iters_mgr_ = m;
  }
  bool IsValuePinned() const override {
    return pinned_iters_mgr_ != nullptr && pinned_iters_mgr_->PinningEnabled();
  }
  bool IsKeyPinned() const override { return false; }

 private:
  void Fail(const rocksdb::Status& s) {
    status_ = s;
    valid_ = false;
  }
  // Damaged bytes must never yield keys out of internal-key order: RocksDB's
  // DBIter and merging iterator assert on it (Debian builds with asserts).
  void CheckOrder(bool forward) {
    if (!valid_) return;
    const int c = CompareInternal(prev_key_, key_buf_);
    if (forward ? c >= 0 : c <= 0) {
      Fail(rocksdb::Status::Corruption(
          "SearchableTable: keys out of order (damaged index or versions)"));
    }
  }
  static int CompareInternal(const std::string& a, const std::string& b) {
    const Slice ua(a.data(), a.size() - 8), ub(b.data(), b.size() - 8);
    const int c = ua.compare(ub);
    if (c != 0) return c;
    const uint64_t pa = DecodeFixed64(a.data() + a.size() - 8);
    const uint64_t pb = DecodeFixed64(b.data() + b.size() - 8);
    return pa > pb ? -1 : pa < pb ? 1 : 0;  // newer (larger) first
  }
  // Reads the cursor's key and its entry range; false (and invalid) at the
  // end or on corruption.
  bool LoadKey() {
    valid_ = false;
    if (!cursor_.Valid()) {
      Status cs = cursor_.status();
      if (!cs.ok()) status_ = ToRocksStatus(cs, "keys");
      return false;
    }
    user_key_ = cursor_.key();
    Status s = table_->versions().EntryRange(cursor_.id(), &begin_, &end_);
    if (!s.ok()) {
      Fail(ToRocksStatus(s, "versions"));
      return false;
    }
    return true;
  }
  void SetEntry(uint64_t e) {
    uint64_t seq;
    uint8_t type;
    if (!table_->EntryAt(e, &seq, &type)) return Fail(CorruptEntry(e));
    entry_ = e;
    key_buf_.assign(user_key_.data(), user_key_.size());
    char footer[8];
    EncodeFixed64(footer, Pack(seq, type));
    key_buf_.append(footer, 8);
    value_loaded_ = false;
    valid_ = true;
    // RocksDB's IteratorWrapper caches Valid() right after positioning, so a
    // decode error must be known now, not when value() is called.
    if (!lazy_value_) LoadValue();
  }
  void LoadValue() {
    value_loaded_ = true;
    std::string* buf = &value_buf_;
    const bool pin = IsValuePinned();
    if (pin) buf = new std::string;
    Status s = table_->values().Get(entry_, user_key_, buf);
    if (!s.ok()) {
      if (pin) delete buf;
      // An iterator with a non-OK status must not be Valid (RocksDB's
      // wrappers assert it), so a value that fails to decode ends it.
      status_ = ToRocksStatus(s, "values");
      valid_ = false;
      value_ = Slice();
      return;
    }
    if (pin) pinned_iters_mgr_->PinPtr(buf, &DeleteString);
    value_ = Slice(*buf);
  }

  const SearchableTableReader* table_;
  KeyIndex::Cursor cursor_;
  bool valid_ = false;
  std::string_view user_key_;
  uint64_t begin_ = 0, end_ = 0, entry_ = 0;
  std::string key_buf_;
  std::string prev_key_;  // the key before the last Next/Prev
  const bool lazy_value_;
  std::string value_buf_;
  Slice value_;
  bool value_loaded_ = false;
  rocksdb::Status status_;
  rocksdb::PinnedIteratorsManager* pinned_iters_mgr_ = nullptr;
};

SearchableTableReader::SearchableTableReader(
    const rocksdb::ImmutableOptions& ioptions,
    const rocksdb::InternalKeyComparator& icmp)
    : ioptions_(ioptions), icmp_(icmp) {}

SearchableTableReader::~SearchableTableReader() = default;

rocksdb::Status SearchableTableReader::Open(
    const rocksdb::ReadOptions& ro, const rocksdb::TableReaderOptions& tro,
    std::unique_ptr<rocksdb::RandomAccessFileReader>&& file,
    uint64_t file_size, const rocksdb::Footer& footer,
    std::unique_ptr<rocksdb::TableReader>* reader) {
  if (footer.table_magic_number() != kSearchableTableMagic) {
    return rocksdb::Status::Corruption("SearchableTable: not a SearchableTable file");
  }
  std::unique_ptr<SearchableTableReader> r(
      new SearchableTableReader(tro.ioptions, tro.internal_comparator));
  r->file_ = std::move(file);
  rocksdb::Status s = r->Init(ro, tro, file_size, footer);
  if (!s.ok()) return s;
  r->published_.store(true, std::memory_order_release);
  *reader = std::move(r);
  return rocksdb::Status::OK();
}

rocksdb::Status SearchableTableReader::SectionBytes(
    const char* name, std::string_view* out) const {
  const MetaSection::Section* sec = meta_.Find(name);
  if (sec == nullptr) {
    return rocksdb::Status::Corruption(std::string("SearchableTable: missing "
                                                   "section ") + name);
  }
  uint64_t end;
  if (!CheckedAdd(sec->offset, sec->size, &end) || end > file_size_) {
    return rocksdb::Status::Corruption(std::string("SearchableTable: section ") +
                                       name + " lies outside the file");
  }
  *out = std::string_view(map_->data() + sec->offset, sec->size);
  return rocksdb::Status::OK();
}

rocksdb::Status SearchableTableReader::Init(
    const rocksdb::ReadOptions& ro, const rocksdb::TableReaderOptions& tro,
    uint64_t file_size, const rocksdb::Footer& footer) {
  file_size_ = file_size;
  const std::string& path = file_->file_name();
  Status ms = MappedFile::Open(path, &map_);
  if (!ms.ok()) return ToRocksStatus(ms, "mapping " + path);
  if (map_->size() < file_size) {
    return rocksdb::Status::Corruption("SearchableTable: " + path +
                                       " is shorter than its recorded size");
  }

  rocksdb::Status s;
  // RocksDB parses the metaindex and properties blocks with asserts; check
  // their structure first (they have no checksum under a foreign magic).
  auto check_block = [&](const rocksdb::BlockHandle& h, const char* what) {
    uint64_t block_end;
    if (!CheckedAdd(h.offset(), h.size(), &block_end) || block_end > file_size) {
      return rocksdb::Status::Corruption(std::string("SearchableTable: ") + what +
                                         " outside the file " + path);
    }
    Status bs = CheckRocksDBBlock(
        std::string_view(map_->data() + h.offset(), h.size()), what);
    return ToRocksStatus(bs, path);
  };
  s = check_block(footer.metaindex_handle(), "metaindex block");
  if (!s.ok()) return s;
  rocksdb::BlockContents metaindex_contents;
  s = rocksdb::ReadMetaIndexBlockInFile(file_.get(), file_size,
                                        kSearchableTableMagic, ioptions_,
                                        &metaindex_contents);
  if (!s.ok()) return s;
  rocksdb::Block metaindex(std::move(metaindex_contents));
  std::unique_ptr<rocksdb::MetaBlockIter> meta_iter(
      metaindex.NewMetaIterator());
  rocksdb::BlockHandle handle;
  s = rocksdb::FindMetaBlock(meta_iter.get(), rocksdb::kPropertiesBlockName,
                             &handle);
  if (!s.ok()) return s;
  s = check_block(handle, "properties block");
  if (!s.ok()) return s;
  std::unique_ptr<rocksdb::TableProperties> props;
  s = rocksdb::ReadTablePropertiesHelper(ro, handle, file_.get(), nullptr,
                                         footer, ioptions_, &props);
  if (!s.ok()) return s;
  props_ = std::shared_ptr<const rocksdb::TableProperties>(std::move(props));

  s = rocksdb::FindMetaBlock(meta_iter.get(), kMetaSectionName, &handle);
  if (!s.ok()) return s;
  uint64_t end;
  if (!CheckedAdd(handle.offset(), handle.size(), &end) || end > file_size) {
    return rocksdb::Status::Corruption("SearchableTable: sctable.meta outside file");
  }
  Status ds = meta_.DecodeFrom(
      std::string_view(map_->data() + handle.offset(), handle.size()));
  if (!ds.ok()) return ToRocksStatus(ds, path);

  // The unique id RocksDB recorded for this file must match its properties.
  if (tro.unique_id != rocksdb::kNullUniqueId64x2) {
    rocksdb::UniqueId64x2 actual{};
    s = rocksdb::GetSstInternalUniqueId(props_->db_id, props_->db_session_id,
                                        props_->orig_file_number, &actual,
                                        /*force=*/true);
    if (!s.ok()) return s;
    if (actual != tro.unique_id) {
      return rocksdb::Status::Corruption(
          "SearchableTable: mismatch in unique id of " + path);
    }
  }
  s = GlobalSeqno(*props_, tro.largest_seqno, &global_seqno_);
  if (!s.ok()) return s;

  std::string_view keys, values, versions, range_dels;
  for (auto [name, out] : {std::pair{kKeysSectionName, &keys},
                           std::pair{kValuesSectionName, &values},
                           std::pair{kVersionsSectionName, &versions},
                           std::pair{kRangeDelSectionName, &range_dels}}) {
    s = SectionBytes(name, out);
    if (!s.ok()) return s;
  }
  if (meta_.checksum_level >= 1) {
    // The small sections are checked on every open; the key index and the
    // value store check their own headers, and VerifyChecksum checks all.
    for (auto [name, bytes] : {std::pair{kVersionsSectionName, versions},
                               std::pair{kRangeDelSectionName, range_dels}}) {
      if (Checksum64(bytes) != meta_.Find(name)->checksum) {
        return rocksdb::Status::Corruption(
            std::string("SearchableTable: checksum mismatch in ") + name +
            " of " + path);
      }
    }
  }
  if (const MetaSection::Section* f = meta_.Find(kFilterSectionName)) {
    // Verified at every checksum level: damage here would hide present keys
    // rather than return wrong bytes (key_filter.h).
    std::string_view filter;
    s = SectionBytes(kFilterSectionName, &filter);
    if (!s.ok()) return s;
    if (Checksum64(filter) != f->checksum) {
      return rocksdb::Status::Corruption(
          "SearchableTable: checksum mismatch in " +
          std::string(kFilterSectionName) + " of " + path);
    }
    Status fs = filter_.Open(filter);
    if (!fs.ok()) return ToRocksStatus(fs, path + ": filter");
    has_filter_ = true;
  }
  Status ks = keys_.Open(keys);
  if (!ks.ok()) return ToRocksStatus(ks, path + ": keys");
  ks = values_.Open(values);
  if (!ks.ok()) return ToRocksStatus(ks, path + ": values");
  ks = versions_.Open(versions);
  if (!ks.ok()) return ToRocksStatus(ks, path + ": versions");
  if (versions_.num_keys() != keys_.num_keys() ||
      versions_.num_entries() != values_.num_records()) {
    return rocksdb::Status::Corruption("SearchableTable: " + path +
                                       ": section counts disagree");
  }
  values_offset_ = meta_.Find(kValuesSectionName)->offset;
  values_size_ = props_->data_size;

  // Range tombstones, fragmented once.
  ByteCursor c(range_dels);
  uint64_t count = 0;
  Status rs = c.ReadVarint64("range_del count", &count);
  std::vector<std::string> begins, ends;
  for (uint64_t i = 0; rs.ok() && i < count; ++i) {
    std::string_view b, e;
    rs = c.ReadLengthPrefixed("range_del begin", &b);
    if (rs.ok()) rs = c.ReadLengthPrefixed("range_del end", &e);
    if (rs.ok() && b.size() < 8) rs = ByteCursor::Bad("range_del begin", "short");
    if (!rs.ok()) break;
    std::string begin(b);
    if (global_seqno_ != rocksdb::kDisableGlobalSequenceNumber) {
      EncodeFixed64(&begin[begin.size() - 8],
                    Pack(global_seqno_, rocksdb::kTypeRangeDeletion));
    }
    begins.push_back(std::move(begin));
    ends.emplace_back(e);
  }
  if (!rs.ok()) return ToRocksStatus(rs, path);
  if (!begins.empty()) {
    std::unique_ptr<rocksdb::InternalIterator> it(
        new rocksdb::VectorIterator(std::move(begins), std::move(ends), &icmp_));
    range_dels_ = std::make_shared<rocksdb::FragmentedRangeTombstoneList>(
        std::move(it), icmp_);
  }
  return rocksdb::Status::OK();
}

rocksdb::InternalIterator* SearchableTableReader::NewIterator(
    const rocksdb::ReadOptions&, const rocksdb::SliceTransform*,
    rocksdb::Arena* arena, bool, rocksdb::TableReaderCaller, size_t,
    bool allow_unprepared_value) {
  if (arena == nullptr) {
    return new SearchableTableIterator(this, allow_unprepared_value);
  }
  void* mem = arena->AllocateAligned(sizeof(SearchableTableIterator));
  return new (mem) SearchableTableIterator(this, allow_unprepared_value);
}

rocksdb::FragmentedRangeTombstoneIterator*
SearchableTableReader::NewRangeTombstoneIterator(const rocksdb::ReadOptions& ro) {
  Acquire();
  if (range_dels_ == nullptr || range_dels_->empty()) return nullptr;
  rocksdb::SequenceNumber snapshot = rocksdb::kMaxSequenceNumber;
  if (ro.snapshot != nullptr) snapshot = ro.snapshot->GetSequenceNumber();
  return new rocksdb::FragmentedRangeTombstoneIterator(range_dels_, icmp_,
                                                       snapshot);
}

rocksdb::Status SearchableTableReader::Get(const rocksdb::ReadOptions&,
                                           const Slice& key,
                                           rocksdb::GetContext* get_context,
                                           const rocksdb::SliceTransform*,
                                           bool skip_filters) {
  Acquire();
  rocksdb::ParsedInternalKey lookup;
  rocksdb::Status s = rocksdb::ParseInternalKey(key, &lookup, false);
  if (!s.ok()) return s;
  // RocksDB skips filters where they rarely pay (optimize_filters_for_hits
  // on the last level); the key index is exact either way.
  if (has_filter_ && !skip_filters &&
      !filter_.MayContain(std::string_view(lookup.user_key.data(),
                                           lookup.user_key.size()))) {
    return rocksdb::Status::OK();
  }
  uint64_t id;
  if (!keys_.Find(std::string_view(lookup.user_key.data(),
                                   lookup.user_key.size()),
                  &id)) {
    return rocksdb::Status::OK();
  }
  uint64_t begin, end;
  Status es = versions_.EntryRange(id, &begin, &end);
  if (!es.ok()) return ToRocksStatus(es, "versions");
  const uint64_t target = Pack(lookup.sequence, lookup.type);
  static thread_local std::string value;
  for (uint64_t e = begin; e < end; ++e) {
    uint64_t seq;
    uint8_t type;
    if (!EntryAt(e, &seq, &type)) return CorruptEntry(e);
    if (Pack(seq, type) > target) continue;  // newer than the snapshot
    Status vs = values_.Get(
        e, std::string_view(lookup.user_key.data(), lookup.user_key.size()),
        &value);
    if (!vs.ok()) return ToRocksStatus(vs, "values");
    rocksdb::ParsedInternalKey found(lookup.user_key, seq,
                                     static_cast<rocksdb::ValueType>(type));
    bool matched = false;
    if (!get_context->SaveValue(found, Slice(value), &matched, nullptr)) break;
  }
  return rocksdb::Status::OK();
}

uint64_t SearchableTableReader::OffsetOfKeyId(uint64_t id) const {
  const uint64_t n = versions_.num_entries();
  if (id >= keys_.num_keys() || n == 0) return values_offset_ + values_size_;
  uint64_t begin = 0, end = 0;
  if (!versions_.EntryRange(id, &begin, &end).ok()) begin = 0;
  return values_offset_ + static_cast<uint64_t>(
                              static_cast<double>(values_size_) * begin / n);
}

uint64_t SearchableTableReader::ApproximateOffsetOf(
    const Slice& key, rocksdb::TableReaderCaller) {
  Acquire();
  KeyIndex::Cursor cursor(&keys_);
  const Slice user_key = rocksdb::ExtractUserKey(key);
  cursor.Seek(std::string_view(user_key.data(), user_key.size()));
  if (!cursor.Valid()) return file_size_;
  return OffsetOfKeyId(cursor.id());
}

uint64_t SearchableTableReader::ApproximateSize(const Slice& start,
                                                const Slice& end,
                                                rocksdb::TableReaderCaller c) {
  const uint64_t a = ApproximateOffsetOf(start, c);
  const uint64_t b = ApproximateOffsetOf(end, c);
  return b > a ? b - a : 0;
}

size_t SearchableTableReader::ApproximateMemoryUsage() const {
  size_t usage = sizeof(*this) + keys_.memory_usage() + values_.memory_usage();
  if (range_dels_ != nullptr) usage += range_dels_->num_unfragmented_tombstones() * 64;
  return usage;
}

rocksdb::Status SearchableTableReader::DumpTable(rocksdb::WritableFile* out) {
  Acquire();
  char line[128];
  std::snprintf(line, sizeof line,
                "SearchableTable: %" PRIu64 " user keys, %" PRIu64
                " entries, global seqno %s\n",
                keys_.num_keys(), versions_.num_entries(),
                global_seqno_ == rocksdb::kDisableGlobalSequenceNumber
                    ? "none"
                    : std::to_string(global_seqno_).c_str());
  rocksdb::Status s = out->Append(line);
  std::unique_ptr<rocksdb::InternalIterator> it(NewIterator(
      rocksdb::ReadOptions(), nullptr, nullptr, false,
      rocksdb::TableReaderCaller::kSSTDumpTool));
  for (it->SeekToFirst(); s.ok() && it->Valid(); it->Next()) {
    rocksdb::ParsedInternalKey ikey;
    s = rocksdb::ParseInternalKey(it->key(), &ikey, true);
    if (!s.ok()) break;
    s = out->Append(ikey.DebugString(true, true) + " => " +
                    it->value().ToString(true) + "\n");
  }
  if (s.ok()) s = it->status();
  return s;
}

rocksdb::Status SearchableTableReader::VerifyChecksum(
    const rocksdb::ReadOptions&, rocksdb::TableReaderCaller) {
  Acquire();
  const std::string& path = file_->file_name();
  for (const MetaSection::Section& sec : meta_.sections) {
    std::string_view bytes;
    rocksdb::Status s = SectionBytes(sec.name.c_str(), &bytes);
    if (!s.ok()) return s;
    if (Checksum64(bytes) != sec.checksum) {
      return rocksdb::Status::Corruption("SearchableTable: checksum mismatch in " +
                                         sec.name + " of " + path);
    }
  }
  Status s = keys_.Verify();
  if (!s.ok()) return ToRocksStatus(s, path + ": keys");
  s = values_.Verify();
  if (!s.ok()) return ToRocksStatus(s, path + ": values");
  // Every value decodes with its entry's user key, walked in key order.
  std::string value;
  uint64_t e = 0;
  KeyIndex::Cursor c(&keys_);
  for (c.SeekToFirst(); c.Valid(); c.Next()) {
    uint64_t begin, end;
    s = versions_.EntryRange(c.id(), &begin, &end);
    if (!s.ok()) return ToRocksStatus(s, path + ": versions");
    if (begin != e || end > values_.num_records()) return CorruptEntry(e);
    for (; e < end; ++e) {
      s = values_.Get(e, c.key(), &value);
      if (!s.ok()) return ToRocksStatus(s, path + ": values");
      uint64_t seq;
      uint8_t type;
      if (!versions_.Entry(e, &seq, &type)) return CorruptEntry(e);
    }
  }
  if (!c.status().ok()) return ToRocksStatus(c.status(), path + ": keys");
  if (e != values_.num_records()) return CorruptEntry(e);
  return rocksdb::Status::OK();
}

}  // namespace sctable
