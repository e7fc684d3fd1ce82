// The policy of libsctable_preload.so, separate from the interposers so that
// it can be tested in-process: which SCTABLE_* environment variables exist,
// what they mean, and how the column families of a DB about to be opened are
// switched to SearchableTable.
//
// Environment (read at every open, so a process may change it between opens):
//   SCTABLE_ENABLE=1           switch every BlockBasedTable column family
//                              (unset: only in DBs that already have
//                              SearchableTable files; 0: never)
//   SCTABLE_OPTIONS="k=v;..."  factory options; implies SCTABLE_ENABLE=1
//                              unless SCTABLE_ENABLE=0 is set explicitly
//   SCTABLE_SKIP_CF=a,b        column families left as they are
//   SCTABLE_LOG=1              one stderr line per DB and column family
//
// Only column families whose table factory is BlockBasedTable are switched:
// the new SearchableTable factory reads their existing files through its
// BlockBasedTable fallback. Others (PlainTable, CuckooTable, a custom
// format, SearchableTable already) are left alone, because SearchableTable
// could not read their files, or because they are already what we want.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "rocksdb/env.h"
#include "rocksdb/options.h"
#include "rocksdb/status.h"
#include "rocksdb/table.h"

namespace sctable {
namespace preload {

struct Config {
  bool enabled = false;  // switch column families at all
  // SCTABLE_ENABLE=0 was given: not even a DB that already has
  // SearchableTable files is switched (see DetectSearchableTable).
  bool disabled_explicitly = false;
  bool log = false;     // SCTABLE_LOG
  std::string options;  // SCTABLE_OPTIONS, as given
  std::set<std::string> skip_cf;
  // Set when a variable has a value we do not understand: every open then
  // fails with it (InvalidArgument), rather than running unswitched.
  std::string error;
};

// Parses the values of the variables (nullptr = unset). Never fails; an
// unusable value is reported in Config::error.
Config ParseConfig(const char* enable, const char* options, const char* skip_cf,
                   const char* log);

// ParseConfig over the process environment.
Config ConfigFromEnv();

// A SearchableTable factory configured with `options_string` ("k=v;..."),
// or InvalidArgument naming the bad option.
rocksdb::Status NewConfiguredFactory(
    const std::string& options_string,
    std::shared_ptr<rocksdb::TableFactory>* factory);

// A DB opened without SCTABLE_ENABLE whose files are SearchableTable (it was
// written under the preload before) would fail to open with "Bad table magic
// number" (or, with paranoid_checks=false, fail every read and have its
// OPTIONS overwritten). So when switching is neither enabled nor explicitly
// disabled, this reads the footers of the *.sst files in `dirs` through
// `env`; if one is SearchableTable, it enables the switch in `config` for
// this DB and fills `saved` with the SearchableTable factories that the DB's
// latest OPTIONS file records per column family, so that their options are
// kept. Returns whether it enabled the switch.
bool DetectSearchableTable(
    rocksdb::Env* env, const std::string& dbname,
    const std::vector<std::string>& dirs, Config* config,
    std::map<std::string, std::shared_ptr<rocksdb::TableFactory>>* saved);

// One column family of a DB about to be opened.
struct ColumnFamilyRef {
  std::string name;
  rocksdb::ColumnFamilyOptions* options;  // modified in place
};

// Switches the column families of one DB as `config` says. Returns
// InvalidArgument, and changes nothing, when the configuration is invalid.
// Idempotent: a column family already on SearchableTable is left alone, so
// the nested interposers (DB::Open(Options) -> DB::Open(DBOptions, cfs) ->
// DBImpl::Open) may all apply it. `notes` receives one human-readable line
// per column family that was switched or deliberately left alone.
// `saved` (optional, from DetectSearchableTable): the factory to use for a
// named column family instead of a new one.
rocksdb::Status SwitchColumnFamilies(
    const Config& config, const std::vector<ColumnFamilyRef>& cfs,
    std::vector<std::string>* notes,
    const std::map<std::string, std::shared_ptr<rocksdb::TableFactory>>* saved =
        nullptr);

}  // namespace preload
}  // namespace sctable
