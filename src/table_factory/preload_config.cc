#include "table_factory/preload_config.h"

#include <strings.h>

#include <cstdlib>
#include <map>

#include "rocksdb/comparator.h"
#include "rocksdb/convenience.h"
#include "rocksdb/utilities/options_util.h"
#include "sctable/searchable_table.h"
#include "table_factory/searchable_table_factory.h"
#include "table_factory/table_format.h"

namespace sctable {
namespace preload {

namespace {

// ColumnFamilyOptions' "not set" values of ttl and
// periodic_compaction_seconds (column_family.cc, 7.8.3).
constexpr uint64_t kDefaultTtl = 0xfffffffffffffffeull;
constexpr uint64_t kDefaultPeriodicCompSecs = 0xfffffffffffffffeull;

std::string Trim(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  const size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

// 1/0 (and the usual spellings); -1 when `v` is none of them.
int ParseBool(const std::string& v) {
  for (const char* t : {"1", "true", "yes", "on"}) {
    if (strcasecmp(v.c_str(), t) == 0) return 1;
  }
  for (const char* f : {"0", "false", "no", "off", ""}) {
    if (strcasecmp(v.c_str(), f) == 0) return 0;
  }
  return -1;
}

bool IsBytewise(const rocksdb::Comparator* c) {
  return c == nullptr ||
         std::string(c->Name()) == rocksdb::BytewiseComparator()->Name();
}

std::string Quoted(const std::string& s) { return "\"" + s + "\""; }

// Trims `s` and removes one pair of enclosing braces ("{k=v;...}").
std::string Normalize(const std::string& s) {
  std::string t = Trim(s);
  if (t.size() >= 2 && t.front() == '{' && t.back() == '}') {
    t = Trim(t.substr(1, t.size() - 2));
  }
  return t;
}

// RocksDB's parser accepts an entry without '=' ("checksum_level;") and
// ignores it; an option the user wrote must never be ignored, so such an
// entry is an error here. Braces nest ("temp_dir={a;b}"). Empty entries
// ("a=1;;b=2", which RocksDB rejects) are dropped: `cleaned` has none.
rocksdb::Status CleanEntries(const std::string& opts, std::string* cleaned) {
  cleaned->clear();
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i <= opts.size(); ++i) {
    const char c = i < opts.size() ? opts[i] : ';';
    if (c == '{') ++depth;
    if (c == '}') --depth;
    if (c != ';' || depth > 0) continue;
    const std::string entry = Trim(opts.substr(start, i - start));
    start = i + 1;
    if (entry.empty()) continue;
    const size_t eq = entry.find('=');
    if (eq == std::string::npos || Trim(entry.substr(0, eq)).empty()) {
      return rocksdb::Status::InvalidArgument("entry " + Quoted(entry) +
                                              " is not name=value");
    }
    if (!cleaned->empty()) cleaned->push_back(';');
    cleaned->append(entry);
  }
  return rocksdb::Status::OK();
}

}  // namespace

Config ParseConfig(const char* enable, const char* options, const char* skip_cf,
                   const char* log) {
  Config c;
  int enable_flag = -2;  // unset
  if (enable != nullptr) {
    enable_flag = ParseBool(Trim(enable));
    if (enable_flag < 0) {
      c.error = std::string("SCTABLE_ENABLE=") + enable +
                " is not 1 or 0 (nor true/false, yes/no, on/off)";
    }
  }
  if (options != nullptr) c.options = Normalize(options);
  // SCTABLE_OPTIONS implies enable, unless SCTABLE_ENABLE=0 says otherwise.
  c.enabled = enable_flag == 1 || (enable_flag != 0 && !c.options.empty());
  // "SCTABLE_ENABLE=" (empty) reads as unset rather than as a decision.
  c.disabled_explicitly = enable_flag == 0 && !Trim(enable).empty();
  if (skip_cf != nullptr) {
    std::string list = skip_cf;
    size_t start = 0;
    while (start <= list.size()) {
      size_t comma = list.find(',', start);
      if (comma == std::string::npos) comma = list.size();
      std::string name = Trim(list.substr(start, comma - start));
      if (!name.empty()) c.skip_cf.insert(name);
      start = comma + 1;
    }
  }
  if (log != nullptr) {
    const int f = ParseBool(Trim(log));
    // Logging is a convenience: an odd value turns it on rather than failing.
    c.log = f != 0;
  }
  return c;
}

Config ConfigFromEnv() {
  return ParseConfig(
      std::getenv("SCTABLE_ENABLE"), std::getenv("SCTABLE_OPTIONS"),
      std::getenv("SCTABLE_SKIP_CF"), std::getenv("SCTABLE_LOG"));
}

rocksdb::Status NewConfiguredFactory(
    const std::string& options_string,
    std::shared_ptr<rocksdb::TableFactory>* factory) {
  // The "{k=v;...}" form of an options string is accepted as well.
  const std::string opts = Normalize(options_string);
  std::shared_ptr<rocksdb::TableFactory> f(NewSearchableTableFactory());
  rocksdb::ConfigOptions co;
  co.ignore_unknown_options = false;
  co.ignore_unsupported_options = false;
  co.invoke_prepare_options = true;
  std::string cleaned;
  rocksdb::Status s = CleanEntries(opts, &cleaned);
  if (s.ok()) {
    s = cleaned.empty() ? f->PrepareOptions(co)
                        : f->ConfigureFromString(co, cleaned);
  }
  if (!s.ok()) {
    return rocksdb::Status::InvalidArgument(
        "SCTABLE_OPTIONS=" + Quoted(options_string),
        s.getState() != nullptr ? s.getState() : s.ToString());
  }
  *factory = std::move(f);
  return rocksdb::Status::OK();
}

namespace {

// Whether a *.sst file in `dir` ends with SearchableTable's magic. Read
// through `env`, so that a program's own Env is honoured.
bool HasSearchableTableFile(rocksdb::Env* env, const std::string& dir) {
  std::vector<std::string> children;
  if (!env->GetChildren(dir, &children).ok()) return false;
  for (const std::string& name : children) {
    if (name.size() < 4 || name.compare(name.size() - 4, 4, ".sst") != 0) {
      continue;
    }
    const std::string path = dir + "/" + name;
    uint64_t size = 0;
    std::unique_ptr<rocksdb::RandomAccessFile> file;
    if (!env->GetFileSize(path, &size).ok() || size < 8 ||
        !env->NewRandomAccessFile(path, &file, rocksdb::EnvOptions()).ok()) {
      continue;
    }
    char scratch[8];
    rocksdb::Slice tail;
    if (!file->Read(size - 8, 8, &tail, scratch).ok() || tail.size() != 8) {
      continue;
    }
    uint64_t magic = 0;
    for (int i = 7; i >= 0; --i) {
      magic = (magic << 8) | static_cast<unsigned char>(tail[i]);
    }
    if (magic == kSearchableTableMagic) return true;
  }
  return false;
}

}  // namespace

bool DetectSearchableTable(
    rocksdb::Env* env, const std::string& dbname,
    const std::vector<std::string>& dirs, Config* config,
    std::map<std::string, std::shared_ptr<rocksdb::TableFactory>>* saved) {
  if (config->enabled || config->disabled_explicitly ||
      !config->error.empty()) {
    return false;
  }
  if (env == nullptr) env = rocksdb::Env::Default();
  bool found = false;
  for (const std::string& dir : dirs) {
    if (HasSearchableTableFile(env, dir)) {
      found = true;
      break;
    }
  }
  if (!found) return false;
  config->enabled = true;
  // The options the DB was last opened with, if its OPTIONS file says.
  rocksdb::ConfigOptions co;
  co.env = env;
  co.ignore_unknown_options = true;
  co.ignore_unsupported_options = true;
  rocksdb::DBOptions db_options;
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  if (rocksdb::LoadLatestOptions(co, dbname, &db_options, &descriptors).ok()) {
    for (const rocksdb::ColumnFamilyDescriptor& d : descriptors) {
      const auto& f = d.options.table_factory;
      if (f != nullptr && f->IsInstanceOf(kSearchableTableName)) {
        (*saved)[d.name] = f;
      }
    }
  }
  return true;
}

rocksdb::Status SwitchColumnFamilies(
    const Config& config, const std::vector<ColumnFamilyRef>& cfs,
    std::vector<std::string>* notes,
    const std::map<std::string, std::shared_ptr<rocksdb::TableFactory>>*
        saved) {
  if (!config.error.empty()) {
    return rocksdb::Status::InvalidArgument("sctable preload", config.error);
  }
  if (!config.enabled) return rocksdb::Status::OK();
  // Validated before anything is changed, so that an invalid SCTABLE_OPTIONS
  // fails every open, even one where no column family would be switched.
  std::shared_ptr<rocksdb::TableFactory> first;
  rocksdb::Status s = NewConfiguredFactory(config.options, &first);
  if (!s.ok()) return s;
  // One SearchableTable factory per BlockBasedTable factory replaced (most
  // programs share one among their column families), whose fallback is that
  // factory: old files keep the program's block cache and filter settings.
  std::map<const rocksdb::TableFactory*, std::shared_ptr<rocksdb::TableFactory>>
      replacement;
  auto replacement_for = [&](const std::shared_ptr<rocksdb::TableFactory>& old,
                             std::shared_ptr<rocksdb::TableFactory>* out) {
    std::shared_ptr<rocksdb::TableFactory>& r = replacement[old.get()];
    if (r == nullptr) {
      if (first != nullptr) {
        r = std::move(first);
      } else {
        rocksdb::Status fs = NewConfiguredFactory(config.options, &r);
        if (!fs.ok()) return fs;  // the same string parsed fine just above
      }
      if (old != nullptr) {
        static_cast<SearchableTableFactory*>(r.get())->SetBlockBasedFallback(
            old);
      }
    }
    *out = r;
    return rocksdb::Status::OK();
  };

  for (const ColumnFamilyRef& cf : cfs) {
    rocksdb::ColumnFamilyOptions& o = *cf.options;
    const std::string what = "column family " + Quoted(cf.name);
    const char* current =
        o.table_factory == nullptr ? "(none)" : o.table_factory->Name();
    if (o.table_factory != nullptr &&
        o.table_factory->IsInstanceOf(kSearchableTableName)) {
      continue;  // already switched (by an outer interposer) or configured
    }
    if (config.skip_cf.count(cf.name) != 0) {
      notes->push_back(what + " left as " + current + " (SCTABLE_SKIP_CF)");
      continue;
    }
    if (o.table_factory != nullptr &&
        !o.table_factory->IsInstanceOf(
            rocksdb::TableFactory::kBlockBasedTableName())) {
      notes->push_back(what + " left as " + current +
                       " (SearchableTable can only take over BlockBasedTable"
                       " column families: it could not read these files)");
      continue;
    }
    if (!IsBytewise(o.comparator)) {
      notes->push_back(what + " left as " + current + " (comparator " +
                       o.comparator->Name() +
                       ": SearchableTable needs the bytewise order)");
      continue;
    }
    if (o.ttl > 0 && o.ttl != kDefaultTtl &&
        o.compaction_style == rocksdb::kCompactionStyleFIFO) {
      // FIFO's ttl deletes data: dropping it would change what reads return.
      notes->push_back(what + " left as " + current +
                       " (FIFO ttl=" + std::to_string(o.ttl) +
                       " expires data and is BlockBasedTable-only)");
      continue;
    }
    std::shared_ptr<rocksdb::TableFactory> factory;
    std::string source;
    if (saved != nullptr && saved->count(cf.name) != 0) {
      // Its own, from the OPTIONS file: a fresh object, for this column
      // family only.
      factory = saved->at(cf.name);
      source = " (its options from the DB's OPTIONS file)";
      // (Made by the registry: possibly libsctable.so's copy of the class,
      // if the program links it too; then it keeps its default fallback.)
      auto* ours = dynamic_cast<SearchableTableFactory*>(factory.get());
      if (ours != nullptr && o.table_factory != nullptr) {
        ours->SetBlockBasedFallback(o.table_factory);
      }
    } else {
      s = replacement_for(o.table_factory, &factory);
      if (!s.ok()) return s;
    }
    std::string extra;
    if (o.ttl > 0 && o.ttl != kDefaultTtl) {
      extra += "; ttl=" + std::to_string(o.ttl) +
               " set to 0 (a compaction trigger RocksDB allows only with "
               "BlockBasedTable)";
      o.ttl = 0;
    }
    if (o.periodic_compaction_seconds > 0 &&
        o.periodic_compaction_seconds != kDefaultPeriodicCompSecs) {
      extra += "; periodic_compaction_seconds=" +
               std::to_string(o.periodic_compaction_seconds) +
               " set to 0 (BlockBasedTable only)";
      o.periodic_compaction_seconds = 0;
    }
    o.table_factory = std::move(factory);
    notes->push_back(
        what + ": " + current + " -> " + kSearchableTableName +
        (config.options.empty() ? std::string() : "{" + config.options + "}") +
        source + extra);
  }
  return rocksdb::Status::OK();
}

}  // namespace preload
}  // namespace sctable
