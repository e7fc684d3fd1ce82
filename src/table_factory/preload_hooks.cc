// libsctable_preload.so: LD_PRELOAD into programs linked against Debian's
// unmodified librocksdb.so.7.8 (rocksdb-7.8.3-plugin.md §4, -details.md §5).
//
// librocksdb is built without -Bsymbolic, version script or
// -fno-semantic-interposition, so every call to the functions below, from the
// program or from inside the library, goes through the PLT (or a symbolic
// relocation) and binds to the first definition in the global scope: ours.
// Each interposer copies the options it was given, switches the column
// families (preload_config.h), and calls the library's own definition, found
// with dlsym(RTLD_NEXT, <mangled name>). Without SCTABLE_ENABLE, a DB that
// already has SearchableTable files is switched too, since it could not be
// opened otherwise.
//
// Entry points and who reaches them:
//   DB::Open(Options)            programs, C API rocksdb_open*, DBWithTTL ...
//   DB::Open(DBOptions, cfs)     the above, programs, DBWithTTL, BlobDB
//   DB::OpenForReadOnly x2       programs, ldb, C API
//   DB::OpenAsSecondary x2       programs, C API
//   DBImpl::Open                 the funnel of all read-write opens:
//                                DB::Open, TransactionDB, Optimistic-
//                                TransactionDB, OpenAndTrimHistory
//   DBImpl::CreateColumnFamilyImpl  every CreateColumnFamily(ies) after open
//   RepairDB x3                  programs, ldb repair
//   SstFileDumper::SetTableOptionsByMagicNumber  sst_dump, ldb dump
//
// Nesting: DB::Open(Options) calls DB::Open(DBOptions, cfs), which calls
// DBImpl::Open, which may call CreateColumnFamilyImpl: every level applies
// the switch, which is idempotent (a SearchableTable column family is left
// alone), so an entry point reached directly is covered as well as one
// reached from an outer one. Only the outermost level of a thread logs.
//
// The exported symbols are exactly the interposers (preload.map); everything
// else, including the whole table format, is local, so that nothing of ours
// replaces a definition the program or librocksdb has.
// clang-format off
#include "table_factory/abi_check.h"  // before any RocksDB internal header
// clang-format on

#include <dlfcn.h>

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "db/db_impl/db_impl.h"
#include "rocksdb/db.h"
#include "sctable/searchable_table.h"
#include "table/sst_file_dumper.h"
#include "table_factory/preload_config.h"
#include "table_factory/table_format.h"

namespace {

using rocksdb::ColumnFamilyDescriptor;
using rocksdb::ColumnFamilyHandle;
using rocksdb::ColumnFamilyOptions;
using rocksdb::DB;
using rocksdb::DBOptions;
using rocksdb::Options;
using rocksdb::Status;
namespace preload = sctable::preload;

// Mangled names of the interposed functions. preload.map exports exactly
// these: preload_tools_test.sh checks that the exports are those of the map
// and are all defined by librocksdb, and a name here that librocksdb lacks
// stops the process at its first call (RealAddress).
constexpr const char kDbOpen[] =
    "_ZN7rocksdb2DB4OpenERKNS_7OptionsERKNSt7__cxx1112basic_stringIcSt11char_"
    "traitsIcESaIcEEEPPS0_";
constexpr const char kDbOpenCfs[] =
    "_ZN7rocksdb2DB4OpenERKNS_9DBOptionsERKNSt7__cxx1112basic_stringIcSt11char_"
    "traitsIcESaIcEEERKSt6vectorINS_22ColumnFamilyDescriptorESaISD_EEPSC_IPNS_"
    "18ColumnFamilyHandleESaISJ_EEPPS0_";
constexpr const char kDbOpenForReadOnly[] =
    "_ZN7rocksdb2DB15OpenForReadOnlyERKNS_7OptionsERKNSt7__cxx1112basic_"
    "stringIcSt11char_traitsIcESaIcEEEPPS0_b";
constexpr const char kDbOpenForReadOnlyCfs[] =
    "_ZN7rocksdb2DB15OpenForReadOnlyERKNS_9DBOptionsERKNSt7__cxx1112basic_"
    "stringIcSt11char_traitsIcESaIcEEERKSt6vectorINS_22ColumnFamilyDescriptorE"
    "SaISD_EEPSC_IPNS_18ColumnFamilyHandleESaISJ_EEPPS0_b";
constexpr const char kDbOpenAsSecondary[] =
    "_ZN7rocksdb2DB15OpenAsSecondaryERKNS_7OptionsERKNSt7__cxx1112basic_"
    "stringIcSt11char_traitsIcESaIcEEESB_PPS0_";
constexpr const char kDbOpenAsSecondaryCfs[] =
    "_ZN7rocksdb2DB15OpenAsSecondaryERKNS_9DBOptionsERKNSt7__cxx1112basic_"
    "stringIcSt11char_traitsIcESaIcEEESB_RKSt6vectorINS_"
    "22ColumnFamilyDescriptorESaISD_EEPSC_IPNS_18ColumnFamilyHandleESaISJ_"
    "EEPPS0_";
constexpr const char kDbImplOpen[] =
    "_ZN7rocksdb6DBImpl4OpenERKNS_9DBOptionsERKNSt7__cxx1112basic_"
    "stringIcSt11char_traitsIcESaIcEEERKSt6vectorINS_22ColumnFamilyDescriptorE"
    "SaISD_EEPSC_IPNS_18ColumnFamilyHandleESaISJ_EEPPNS_2DBEbb";
constexpr const char kDbImplCreateColumnFamilyImpl[] =
    "_ZN7rocksdb6DBImpl22CreateColumnFamilyImplERKNS_19ColumnFamilyOptionsERK"
    "NSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEEPPNS_"
    "18ColumnFamilyHandleE";
constexpr const char kRepairDb[] =
    "_ZN7rocksdb8RepairDBERKNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEE"
    "ERKNS_7OptionsE";
constexpr const char kRepairDbCfs[] =
    "_ZN7rocksdb8RepairDBERKNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEE"
    "ERKNS_9DBOptionsERKSt6vectorINS_22ColumnFamilyDescriptorESaISC_EE";
constexpr const char kRepairDbCfsUnknown[] =
    "_ZN7rocksdb8RepairDBERKNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEE"
    "ERKNS_9DBOptionsERKSt6vectorINS_22ColumnFamilyDescriptorESaISC_EERKNS_"
    "19ColumnFamilyOptionsE";
constexpr const char kSstFileDumperSetTableOptions[] =
    "_ZN7rocksdb13SstFileDumper28SetTableOptionsByMagicNumberEm";

// The library's definition of `mangled`. Without it nothing can work, so a
// missing one (a librocksdb other than 7.8.x) stops the process with a clear
// message instead of recursing into ourselves.
void* RealAddress(const char* mangled) {
  void* p = dlsym(RTLD_NEXT, mangled);
  if (p == nullptr) {
    std::fprintf(stderr,
                 "libsctable_preload: %s not found in librocksdb (%s); the "
                 "preload needs Debian's librocksdb.so.7.8\n",
                 mangled, dlerror());
    std::abort();
  }
  return p;
}

template <typename Fn>
Fn RealFunction(const char* mangled) {
  void* p = RealAddress(mangled);
  Fn f;
  static_assert(sizeof f == sizeof p, "function pointer size");
  std::memcpy(&f, &p, sizeof f);
  return f;
}

// A pointer to a non-virtual member function at `mangled`: in the Itanium
// C++ ABI, {address, this-adjustment 0}.
template <typename MemFn>
MemFn RealMember(const char* mangled) {
  struct {
    void* ptr;
    std::ptrdiff_t adj;
  } rep{RealAddress(mangled), 0};
  MemFn f;
  static_assert(sizeof f == sizeof rep, "Itanium member pointer layout");
  std::memcpy(&f, &rep, sizeof f);
  return f;
}

// Nesting depth of interposers on this thread; only depth 0 logs.
thread_local int tls_depth = 0;

class DepthGuard {
 public:
  DepthGuard() : outermost_(tls_depth++ == 0) {}
  ~DepthGuard() { --tls_depth; }
  DepthGuard(const DepthGuard&) = delete;
  DepthGuard& operator=(const DepthGuard&) = delete;
  bool outermost() const { return outermost_; }

 private:
  const bool outermost_;
};

void LogSwitch(const preload::Config& config, bool outermost, const char* entry,
               const std::string& name, size_t num_cfs,
               const std::vector<std::string>& notes, bool detected = false) {
  if (!config.log || !outermost || !config.enabled) return;
  size_t switched = 0;
  for (const std::string& n : notes) {
    if (n.find(" -> ") != std::string::npos) ++switched;
  }
  std::fprintf(stderr,
               "[sctable] %s(%s): %zu of %zu column families switched to "
               "SearchableTable%s\n",
               entry, name.c_str(), switched, num_cfs,
               detected ? " (it has SearchableTable files; SCTABLE_ENABLE is "
                          "not set)"
                        : "");
  for (const std::string& n : notes) {
    std::fprintf(stderr, "[sctable]   %s\n", n.c_str());
  }
}

// Switches the column families `cfs` of the DB `name` about to be opened
// (copies made by the caller). The outermost interposer also looks for
// SearchableTable files when switching is not enabled
// (preload::DetectSearchableTable); nested ones find the work done.
Status SwitchDb(const char* entry, const std::string& name,
                const DepthGuard& guard, const DBOptions& db_options,
                const std::vector<preload::ColumnFamilyRef>& cfs) {
  preload::Config config = preload::ConfigFromEnv();
  std::map<std::string, std::shared_ptr<rocksdb::TableFactory>> saved;
  bool detected = false;
  if (guard.outermost()) {
    std::vector<std::string> dirs = {name};
    for (const rocksdb::DbPath& p : db_options.db_paths) dirs.push_back(p.path);
    for (const preload::ColumnFamilyRef& cf : cfs) {
      for (const rocksdb::DbPath& p : cf.options->cf_paths) {
        dirs.push_back(p.path);
      }
    }
    detected = preload::DetectSearchableTable(db_options.env, name, dirs,
                                              &config, &saved);
  }
  std::vector<std::string> notes;
  Status s = preload::SwitchColumnFamilies(config, cfs, &notes, &saved);
  if (s.ok()) {
    LogSwitch(config, guard.outermost(), entry, name, cfs.size(), notes,
              detected);
  }
  return s;
}

// Switches a copy of single-CF Options (the "default" column family).
Status SwitchOptions(const char* entry, const std::string& name,
                     const DepthGuard& guard, Options* options) {
  return SwitchDb(entry, name, guard, *options,
                  {{rocksdb::kDefaultColumnFamilyName, options}});
}

// Switches a copy of the column family descriptors.
Status SwitchDescriptors(const char* entry, const std::string& name,
                         const DepthGuard& guard, const DBOptions& db_options,
                         std::vector<ColumnFamilyDescriptor>* cfs) {
  std::vector<preload::ColumnFamilyRef> refs;
  refs.reserve(cfs->size());
  for (ColumnFamilyDescriptor& d : *cfs) refs.push_back({d.name, &d.options});
  return SwitchDb(entry, name, guard, db_options, refs);
}

// Registers "SearchableTable" as soon as the preload is loaded, so that any
// program can open a DB whose OPTIONS name it (ldb), with nothing else set.
__attribute__((constructor)) void RegisterAtLoad() {
  sctable::RegisterSearchableTable();
}

}  // namespace

#define SCTABLE_INTERPOSE __attribute__((visibility("default")))

namespace rocksdb {

SCTABLE_INTERPOSE Status DB::Open(const Options& options,
                                  const std::string& name, DB** dbptr) {
  using Fn = Status (*)(const Options&, const std::string&, DB**);
  static const Fn real = RealFunction<Fn>(kDbOpen);
  DepthGuard guard;
  Options copy = options;
  Status s = SwitchOptions("DB::Open", name, guard, &copy);
  if (!s.ok()) return s;
  return real(copy, name, dbptr);
}

SCTABLE_INTERPOSE Status
DB::Open(const DBOptions& db_options, const std::string& name,
         const std::vector<ColumnFamilyDescriptor>& column_families,
         std::vector<ColumnFamilyHandle*>* handles, DB** dbptr) {
  using Fn = Status (*)(const DBOptions&, const std::string&,
                        const std::vector<ColumnFamilyDescriptor>&,
                        std::vector<ColumnFamilyHandle*>*, DB**);
  static const Fn real = RealFunction<Fn>(kDbOpenCfs);
  DepthGuard guard;
  std::vector<ColumnFamilyDescriptor> copy = column_families;
  Status s = SwitchDescriptors("DB::Open", name, guard, db_options, &copy);
  if (!s.ok()) return s;
  return real(db_options, name, copy, handles, dbptr);
}

SCTABLE_INTERPOSE Status DB::OpenForReadOnly(const Options& options,
                                             const std::string& name,
                                             DB** dbptr,
                                             bool error_if_wal_file_exists) {
  using Fn = Status (*)(const Options&, const std::string&, DB**, bool);
  static const Fn real = RealFunction<Fn>(kDbOpenForReadOnly);
  DepthGuard guard;
  Options copy = options;
  Status s = SwitchOptions("DB::OpenForReadOnly", name, guard, &copy);
  if (!s.ok()) return s;
  return real(copy, name, dbptr, error_if_wal_file_exists);
}

SCTABLE_INTERPOSE Status
DB::OpenForReadOnly(const DBOptions& db_options, const std::string& name,
                    const std::vector<ColumnFamilyDescriptor>& column_families,
                    std::vector<ColumnFamilyHandle*>* handles, DB** dbptr,
                    bool error_if_wal_file_exists) {
  using Fn = Status (*)(const DBOptions&, const std::string&,
                        const std::vector<ColumnFamilyDescriptor>&,
                        std::vector<ColumnFamilyHandle*>*, DB**, bool);
  static const Fn real = RealFunction<Fn>(kDbOpenForReadOnlyCfs);
  DepthGuard guard;
  std::vector<ColumnFamilyDescriptor> copy = column_families;
  Status s =
      SwitchDescriptors("DB::OpenForReadOnly", name, guard, db_options, &copy);
  if (!s.ok()) return s;
  return real(db_options, name, copy, handles, dbptr, error_if_wal_file_exists);
}

SCTABLE_INTERPOSE Status DB::OpenAsSecondary(const Options& options,
                                             const std::string& name,
                                             const std::string& secondary_path,
                                             DB** dbptr) {
  using Fn =
      Status (*)(const Options&, const std::string&, const std::string&, DB**);
  static const Fn real = RealFunction<Fn>(kDbOpenAsSecondary);
  DepthGuard guard;
  Options copy = options;
  Status s = SwitchOptions("DB::OpenAsSecondary", name, guard, &copy);
  if (!s.ok()) return s;
  return real(copy, name, secondary_path, dbptr);
}

SCTABLE_INTERPOSE Status
DB::OpenAsSecondary(const DBOptions& db_options, const std::string& name,
                    const std::string& secondary_path,
                    const std::vector<ColumnFamilyDescriptor>& column_families,
                    std::vector<ColumnFamilyHandle*>* handles, DB** dbptr) {
  using Fn =
      Status (*)(const DBOptions&, const std::string&, const std::string&,
                 const std::vector<ColumnFamilyDescriptor>&,
                 std::vector<ColumnFamilyHandle*>*, DB**);
  static const Fn real = RealFunction<Fn>(kDbOpenAsSecondaryCfs);
  DepthGuard guard;
  std::vector<ColumnFamilyDescriptor> copy = column_families;
  Status s =
      SwitchDescriptors("DB::OpenAsSecondary", name, guard, db_options, &copy);
  if (!s.ok()) return s;
  return real(db_options, name, secondary_path, copy, handles, dbptr);
}

SCTABLE_INTERPOSE Status
DBImpl::Open(const DBOptions& db_options, const std::string& name,
             const std::vector<ColumnFamilyDescriptor>& column_families,
             std::vector<ColumnFamilyHandle*>* handles, DB** dbptr,
             const bool seq_per_batch, const bool batch_per_txn) {
  using Fn = Status (*)(const DBOptions&, const std::string&,
                        const std::vector<ColumnFamilyDescriptor>&,
                        std::vector<ColumnFamilyHandle*>*, DB**, bool, bool);
  static const Fn real = RealFunction<Fn>(kDbImplOpen);
  DepthGuard guard;
  std::vector<ColumnFamilyDescriptor> copy = column_families;
  Status s = SwitchDescriptors("DBImpl::Open", name, guard, db_options, &copy);
  if (!s.ok()) return s;
  return real(db_options, name, copy, handles, dbptr, seq_per_batch,
              batch_per_txn);
}

SCTABLE_INTERPOSE Status DBImpl::CreateColumnFamilyImpl(
    const ColumnFamilyOptions& cf_options, const std::string& column_family,
    ColumnFamilyHandle** handle) {
  using Fn = Status (DBImpl::*)(const ColumnFamilyOptions&, const std::string&,
                                ColumnFamilyHandle**);
  static const Fn real = RealMember<Fn>(kDbImplCreateColumnFamilyImpl);
  DepthGuard guard;
  const preload::Config config = preload::ConfigFromEnv();
  ColumnFamilyOptions copy = cf_options;
  std::vector<std::string> notes;
  Status s =
      preload::SwitchColumnFamilies(config, {{column_family, &copy}}, &notes);
  if (!s.ok()) return s;
  LogSwitch(config, guard.outermost(), "CreateColumnFamily", GetName(), 1,
            notes);
  return (this->*real)(copy, column_family, handle);
}

// RepairDB reads every table file of the DB through the default column
// family's factory (and rebuilds tables from the WALs with it): without the
// switch, it would set SearchableTable files aside as unreadable (lost/).
SCTABLE_INTERPOSE Status RepairDB(const std::string& dbname,
                                  const Options& options) {
  using Fn = Status (*)(const std::string&, const Options&);
  static const Fn real = RealFunction<Fn>(kRepairDb);
  DepthGuard guard;
  Options copy = options;
  Status s = SwitchOptions("RepairDB", dbname, guard, &copy);
  if (!s.ok()) return s;
  return real(dbname, copy);
}

SCTABLE_INTERPOSE Status
RepairDB(const std::string& dbname, const DBOptions& db_options,
         const std::vector<ColumnFamilyDescriptor>& column_families) {
  using Fn = Status (*)(const std::string&, const DBOptions&,
                        const std::vector<ColumnFamilyDescriptor>&);
  static const Fn real = RealFunction<Fn>(kRepairDbCfs);
  DepthGuard guard;
  std::vector<ColumnFamilyDescriptor> copy = column_families;
  Status s = SwitchDescriptors("RepairDB", dbname, guard, db_options, &copy);
  if (!s.ok()) return s;
  return real(dbname, db_options, copy);
}

SCTABLE_INTERPOSE Status
RepairDB(const std::string& dbname, const DBOptions& db_options,
         const std::vector<ColumnFamilyDescriptor>& column_families,
         const ColumnFamilyOptions& unknown_cf_opts) {
  using Fn = Status (*)(const std::string&, const DBOptions&,
                        const std::vector<ColumnFamilyDescriptor>&,
                        const ColumnFamilyOptions&);
  static const Fn real = RealFunction<Fn>(kRepairDbCfsUnknown);
  DepthGuard guard;
  std::vector<ColumnFamilyDescriptor> copy = column_families;
  ColumnFamilyOptions unknown = unknown_cf_opts;
  std::vector<preload::ColumnFamilyRef> refs;
  for (ColumnFamilyDescriptor& d : copy) refs.push_back({d.name, &d.options});
  refs.push_back({"(column families not listed)", &unknown});
  Status s = SwitchDb("RepairDB", dbname, guard, db_options, refs);
  if (!s.ok()) return s;
  return real(dbname, db_options, copy, unknown);
}

// sst_dump (and ldb dump) choose the table factory from the footer magic and
// reject unknown magics; SearchableTable's gets a SearchableTable factory
// (configured by SCTABLE_OPTIONS if set), the others the library's choice.
SCTABLE_INTERPOSE Status
SstFileDumper::SetTableOptionsByMagicNumber(uint64_t table_magic_number) {
  using Fn = Status (SstFileDumper::*)(uint64_t);
  static const Fn real = RealMember<Fn>(kSstFileDumperSetTableOptions);
  if (table_magic_number != sctable::kSearchableTableMagic) {
    return (this->*real)(table_magic_number);
  }
  const preload::Config config = preload::ConfigFromEnv();
  std::shared_ptr<TableFactory> factory;
  Status s = preload::NewConfiguredFactory(config.options, &factory);
  if (!s.ok()) return s;
  options_.table_factory = std::move(factory);
  if (!silent_) std::fprintf(stdout, "Sst file format: SearchableTable\n");
  return Status::OK();
}

}  // namespace rocksdb
