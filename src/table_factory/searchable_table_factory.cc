#include "table_factory/searchable_table_factory.h"

#include <cassert>
#include <cerrno>
#include <cinttypes>
#include <cstddef>
#include <cstdlib>
#include <mutex>
#include <set>
#include <unordered_map>

#include "logging/logging.h"
#include "rocksdb/comparator.h"
#include "rocksdb/convenience.h"
#include "rocksdb/utilities/object_registry.h"
#include "rocksdb/utilities/options_type.h"
#include "table/format.h"
#include "table/table_builder.h"
#include "table_factory/searchable_table_reader.h"
#include "table_factory/table_format.h"

namespace sctable {

namespace {

constexpr uint64_t kPlainTableMagic = 0x8242229663bf9564ull;
constexpr uint64_t kLegacyPlainTableMagic = 0x4f3418eb7a8f13b8ull;

using rocksdb::OptionType;
using rocksdb::OptionTypeFlags;
using rocksdb::OptionTypeInfo;
using rocksdb::OptionVerificationType;

rocksdb::Status OutOfRange(const std::string& name, int64_t value, int64_t lo,
                           int64_t hi);

// An int option whose parser rejects values outside [lo, hi], naming the
// option: RocksDB does not call PrepareOptions on a factory configured inside
// an options string, so the range check must happen while parsing.
OptionTypeInfo RangedInt(int offset, int lo, int hi) {
  return OptionTypeInfo(
      offset, OptionType::kInt, OptionVerificationType::kNormal,
      OptionTypeFlags::kNone,
      [lo, hi](const rocksdb::ConfigOptions&, const std::string& name,
               const std::string& value, void* addr) {
        char* end = nullptr;
        errno = 0;
        const long long v = std::strtoll(value.c_str(), &end, 10);
        if (value.empty() || *end != '\0' || errno != 0) {
          return rocksdb::Status::InvalidArgument(
              "SearchableTable option " + name + "=" + value +
              " is not an integer");
        }
        if (v < lo || v > hi) return OutOfRange(name, v, lo, hi);
        *static_cast<int*>(addr) = static_cast<int>(v);
        return rocksdb::Status::OK();
      });
}

// The int options and their ranges: one table for the options-string parser
// and for CheckSearchableTableOptions.
struct IntOption {
  const char* name;
  size_t offset;
  int lo, hi;
};
constexpr IntOption kIntOptions[] = {
    {"index_nest_level", offsetof(SearchableTableOptions, index_nest_level), 0, 8},
    {"dict_per_mille", offsetof(SearchableTableOptions, dict_per_mille), 0, 500},
    {"value_effort", offsetof(SearchableTableOptions, value_effort), 0, 1},
    {"filter_bits_per_key", offsetof(SearchableTableOptions, filter_bits_per_key), 0, 32},
    {"checksum_level", offsetof(SearchableTableOptions, checksum_level), 0, 2},
    {"fallback_below_level", offsetof(SearchableTableOptions, fallback_below_level), 0, 64},
};

std::unordered_map<std::string, OptionTypeInfo> MakeOptionTypeInfo() {
  std::unordered_map<std::string, OptionTypeInfo> m = {
      {"temp_dir",
       {offsetof(SearchableTableOptions, temp_dir), OptionType::kString,
        OptionVerificationType::kNormal, OptionTypeFlags::kNone}},
      {"spool_memory_bytes",
       {offsetof(SearchableTableOptions, spool_memory_bytes),
        OptionType::kUInt64T, OptionVerificationType::kNormal,
        OptionTypeFlags::kNone}},
  };
  for (const IntOption& o : kIntOptions) {
    m.emplace(o.name, RangedInt(static_cast<int>(o.offset), o.lo, o.hi));
  }
  return m;
}

const std::unordered_map<std::string, OptionTypeInfo> kOptionTypeInfo =
    MakeOptionTypeInfo();

rocksdb::Status OutOfRange(const std::string& name, int64_t value, int64_t lo,
                           int64_t hi) {
  return rocksdb::Status::InvalidArgument(
      std::string("SearchableTable option ") + name + "=" +
      std::to_string(value) + " is out of range [" + std::to_string(lo) +
      ", " + std::to_string(hi) + "]");
}

bool IsBytewise(const rocksdb::Comparator* c) {
  return c != nullptr &&
         std::string(c->Name()) == rocksdb::BytewiseComparator()->Name();
}

}  // namespace

rocksdb::Status CheckSearchableTableOptions(const SearchableTableOptions& o) {
  for (const IntOption& opt : kIntOptions) {
    const int v = *reinterpret_cast<const int*>(
        reinterpret_cast<const char*>(&o) + opt.offset);
    if (v < opt.lo || v > opt.hi) return OutOfRange(opt.name, v, opt.lo, opt.hi);
  }
  if (o.spool_memory_bytes < (1u << 20) ||
      o.spool_memory_bytes > (uint64_t{4} << 30)) {
    return rocksdb::Status::InvalidArgument(
        "SearchableTable option spool_memory_bytes=" +
        std::to_string(o.spool_memory_bytes) +
        " is out of range [1048576, 4294967296]");
  }
  return rocksdb::Status::OK();
}

SearchableTableFactory::SearchableTableFactory(
    const SearchableTableOptions& options)
    : options_(options),
      block_based_(rocksdb::NewBlockBasedTableFactory()),
      stats_(std::make_shared<BuildStats>()) {
  rocksdb::PlainTableOptions plain;
  plain.hash_table_ratio = 0;  // no prefix extractor needed to read
  plain_.reset(rocksdb::NewPlainTableFactory(plain));
  RegisterOptions("SearchableTableOptions", &options_, &kOptionTypeInfo);
}

void SearchableTableFactory::SetBlockBasedFallback(
    std::shared_ptr<rocksdb::TableFactory> factory) {
  assert(factory != nullptr &&
         factory->IsInstanceOf(rocksdb::TableFactory::kBlockBasedTableName()));
  block_based_ = std::move(factory);
}

rocksdb::Status SearchableTableFactory::PrepareOptions(
    const rocksdb::ConfigOptions& opts) {
  rocksdb::Status s = CheckSearchableTableOptions(options_);
  if (!s.ok()) return s;
  return rocksdb::TableFactory::PrepareOptions(opts);
}

rocksdb::Status SearchableTableFactory::ValidateOptions(
    const rocksdb::DBOptions& db_opts,
    const rocksdb::ColumnFamilyOptions& cf_opts) const {
  rocksdb::Status s = CheckSearchableTableOptions(options_);
  // The fallback's own constraints hold as they would without us.
  if (s.ok()) s = block_based_->ValidateOptions(db_opts, cf_opts);
  if (!s.ok()) return s;
  return rocksdb::TableFactory::ValidateOptions(db_opts, cf_opts);
}

std::string SearchableTableFactory::GetPrintableOptions() const {
  char buf[512];
  std::snprintf(buf, sizeof buf,
                "  temp_dir: %s\n  index_nest_level: %d\n"
                "  dict_per_mille: %d\n  value_effort: %d\n"
                "  checksum_level: %d\n  filter_bits_per_key: %d\n"
                "  fallback_below_level: %d\n"
                "  spool_memory_bytes: %" PRIu64 "\n",
                options_.temp_dir.empty() ? "(the SST's directory)"
                                          : options_.temp_dir.c_str(),
                options_.index_nest_level, options_.dict_per_mille,
                options_.value_effort, options_.checksum_level,
                options_.filter_bits_per_key, options_.fallback_below_level,
                options_.spool_memory_bytes);
  return buf;
}

rocksdb::Status SearchableTableFactory::NewTableReader(
    const rocksdb::ReadOptions& ro, const rocksdb::TableReaderOptions& tro,
    std::unique_ptr<rocksdb::RandomAccessFileReader>&& file,
    uint64_t file_size, std::unique_ptr<rocksdb::TableReader>* table,
    bool prefetch_index_and_filter_in_cache) const {
  rocksdb::Footer footer;
  rocksdb::Status s = rocksdb::ReadFooterFromFile(
      rocksdb::IOOptions(), file.get(), nullptr, file_size, &footer);
  if (!s.ok()) return s;
  const uint64_t magic = footer.table_magic_number();
  if (magic == kSearchableTableMagic) {
    return SearchableTableReader::Open(ro, tro, std::move(file), file_size,
                                       footer, table);
  }
  const auto& fallback = (magic == kPlainTableMagic ||
                          magic == kLegacyPlainTableMagic)
                             ? plain_
                             : block_based_;
  return fallback->NewTableReader(ro, tro, std::move(file), file_size, table,
                                  prefetch_index_and_filter_in_cache);
}

rocksdb::TableBuilder* SearchableTableFactory::NewTableBuilder(
    const rocksdb::TableBuilderOptions& tbo,
    rocksdb::WritableFileWriter* file) const {
  if (!IsBytewise(tbo.internal_comparator.user_comparator())) {
    if (!warned_comparator_.exchange(true)) {
      using rocksdb::InfoLogLevel;  // for ROCKS_LOG_WARN
      ROCKS_LOG_WARN(tbo.ioptions.logger,
                     "SearchableTable: column family %s uses comparator %s, "
                     "not bytewise; its files are written as BlockBasedTable",
                     tbo.column_family_name.c_str(),
                     tbo.internal_comparator.user_comparator()->Name());
    }
    return block_based_->NewTableBuilder(tbo, file);
  }
  // Only level-style compaction has short-lived upper levels; a file that
  // is bottommost stays, so it is ours whatever its level. SstFileWriter's
  // files (level -1) are ours too.
  if (tbo.ioptions.compaction_style == rocksdb::kCompactionStyleLevel &&
      !tbo.is_bottommost && tbo.level_at_creation >= 0 &&
      tbo.level_at_creation < options_.fallback_below_level) {
    return block_based_->NewTableBuilder(tbo, file);
  }
  return new SearchableTableBuilder(tbo, file, options_, stats_);
}

}  // namespace sctable

// --- Public API -------------------------------------------------------------

rocksdb::TableFactory* sctable::NewSearchableTableFactory(
    const SearchableTableOptions& options) {
  return new SearchableTableFactory(options);
}

void sctable::RegisterSearchableTable(rocksdb::ObjectLibrary* library) {
  static std::mutex mu;
  static std::set<rocksdb::ObjectLibrary*> done;
  if (library == nullptr) library = rocksdb::ObjectLibrary::Default().get();
  std::lock_guard<std::mutex> lock(mu);
  if (!done.insert(library).second) return;
  library->AddFactory<rocksdb::TableFactory>(
      kSearchableTableName,
      [](const std::string&, std::unique_ptr<rocksdb::TableFactory>* guard,
         std::string*) {
        guard->reset(new SearchableTableFactory(SearchableTableOptions()));
        return guard->get();
      });
}

namespace {
// Loading libsctable (or any binary that links the factory) registers the
// name, so options strings and OPTIONS files resolve with no code.
const bool kRegisteredAtLoad = (sctable::RegisterSearchableTable(), true);
}  // namespace
