// The drop-in's policy (preload_config.h) in-process: how the SCTABLE_*
// variables parse, which column families are switched, idempotence, and that
// bad options fail rather than being ignored. The interposers themselves are
// exercised with Debian's unmodified tools by test/preload/.
#include "table_factory/preload_config.h"

#include <gtest/gtest.h>
#include <rocksdb/comparator.h>
#include <rocksdb/convenience.h>
#include <rocksdb/db.h>
#include <rocksdb/table.h>

#include "sctable/searchable_table.h"
#include "table_factory/searchable_table_factory.h"
#include "test_util.h"

namespace sctable {
namespace preload {
namespace {

// A column family on the stock factory, as programs have them by default.
rocksdb::ColumnFamilyOptions Stock() {
  rocksdb::ColumnFamilyOptions o;
  o.table_factory.reset(rocksdb::NewBlockBasedTableFactory());
  return o;
}

bool IsSearchable(const rocksdb::ColumnFamilyOptions& o) {
  return o.table_factory != nullptr &&
         o.table_factory->IsInstanceOf(kSearchableTableName);
}

Config Enabled(const char* options = nullptr, const char* skip = nullptr) {
  return ParseConfig("1", options, skip, nullptr);
}

TEST(PreloadConfigTest, EnableAcceptsTheUsualSpellings) {
  for (const char* on : {"1", "true", "YES", " on "}) {
    EXPECT_TRUE(ParseConfig(on, nullptr, nullptr, nullptr).enabled) << on;
  }
  for (const char* off : {"0", "false", "no", "off", ""}) {
    const Config c = ParseConfig(off, nullptr, nullptr, nullptr);
    EXPECT_FALSE(c.enabled) << off;
    EXPECT_TRUE(c.error.empty()) << off;
  }
  EXPECT_FALSE(ParseConfig(nullptr, nullptr, nullptr, nullptr).enabled);
}

TEST(PreloadConfigTest, UnknownEnableValueFailsEveryOpen) {
  const Config c = ParseConfig("maybe", nullptr, nullptr, nullptr);
  ASSERT_FALSE(c.error.empty());
  rocksdb::ColumnFamilyOptions o = Stock();
  std::vector<std::string> notes;
  const rocksdb::Status s = SwitchColumnFamilies(c, {{"default", &o}}, &notes);
  EXPECT_TRUE(s.IsInvalidArgument()) << s.ToString();
  EXPECT_NE(s.ToString().find("SCTABLE_ENABLE"), std::string::npos);
  EXPECT_FALSE(IsSearchable(o));
}

TEST(PreloadConfigTest, OptionsImplyEnableUnlessEnableIsZero) {
  EXPECT_TRUE(
      ParseConfig(nullptr, "checksum_level=2", nullptr, nullptr).enabled);
  EXPECT_FALSE(ParseConfig("0", "checksum_level=2", nullptr, nullptr).enabled);
  EXPECT_TRUE(ParseConfig("0", nullptr, nullptr, nullptr).disabled_explicitly);
  EXPECT_FALSE(ParseConfig("", nullptr, nullptr, nullptr).disabled_explicitly);
  EXPECT_FALSE(ParseConfig(nullptr, "  ", nullptr, nullptr).enabled);
}

TEST(PreloadConfigTest, SkipListIsCommaSeparatedAndTrimmed) {
  const Config c = ParseConfig("1", nullptr, " a, b ,,c d,", nullptr);
  EXPECT_EQ(c.skip_cf, (std::set<std::string>{"a", "b", "c d"}));
}

const std::shared_ptr<rocksdb::TableFactory>& FallbackOf(
    const rocksdb::ColumnFamilyOptions& o) {
  return static_cast<const SearchableTableFactory*>(o.table_factory.get())
      ->block_based_fallback();
}

TEST(PreloadConfigTest, SwitchesBlockBasedColumnFamiliesAndIsIdempotent) {
  rocksdb::ColumnFamilyOptions a = Stock(), b = Stock(), own = Stock();
  b.table_factory = a.table_factory;  // shared, as most programs do
  const auto shared = a.table_factory, own_bbt = own.table_factory;
  const Config c = Enabled("checksum_level=2");
  std::vector<std::string> notes;
  ASSERT_TRUE(SwitchColumnFamilies(
                  c, {{"default", &a}, {"b", &b}, {"own", &own}}, &notes)
                  .ok());
  ASSERT_TRUE(IsSearchable(a));
  ASSERT_TRUE(IsSearchable(b));
  ASSERT_TRUE(IsSearchable(own));
  EXPECT_EQ(notes.size(), 3u);
  // One SearchableTable factory per factory replaced, reading old files
  // through that very factory (its block cache and filters).
  EXPECT_EQ(a.table_factory, b.table_factory);
  EXPECT_NE(a.table_factory, own.table_factory);
  EXPECT_EQ(FallbackOf(a), shared);
  EXPECT_EQ(FallbackOf(own), own_bbt);
  std::string level;
  ASSERT_TRUE(
      a.table_factory
          ->GetOption(rocksdb::ConfigOptions(), "checksum_level", &level)
          .ok());
  EXPECT_EQ(level, "2");

  // What a nested interposer does: nothing, and says nothing.
  const auto before = a.table_factory;
  notes.clear();
  ASSERT_TRUE(SwitchColumnFamilies(
                  c, {{"default", &a}, {"b", &b}, {"own", &own}}, &notes)
                  .ok());
  EXPECT_EQ(a.table_factory, before);
  EXPECT_TRUE(notes.empty());
}

TEST(PreloadConfigTest, DisabledChangesNothing) {
  rocksdb::ColumnFamilyOptions o = Stock();
  std::vector<std::string> notes;
  const Config c = ParseConfig(nullptr, nullptr, nullptr, "1");
  ASSERT_TRUE(SwitchColumnFamilies(c, {{"default", &o}}, &notes).ok());
  EXPECT_FALSE(IsSearchable(o));
  EXPECT_TRUE(notes.empty());
}

TEST(PreloadConfigTest, LeavesSkippedOtherFormatsAndOtherOrders) {
  rocksdb::ColumnFamilyOptions skipped = Stock(), plain = Stock(),
                               reverse = Stock(), null_factory;
  null_factory.table_factory.reset();
  plain.table_factory.reset(rocksdb::NewPlainTableFactory());
  reverse.comparator = rocksdb::ReverseBytewiseComparator();
  std::vector<std::string> notes;
  ASSERT_TRUE(SwitchColumnFamilies(Enabled(nullptr, "skipped"),
                                   {{"skipped", &skipped},
                                    {"plain", &plain},
                                    {"reverse", &reverse},
                                    {"null", &null_factory}},
                                   &notes)
                  .ok());
  EXPECT_FALSE(IsSearchable(skipped));
  EXPECT_FALSE(IsSearchable(plain));
  EXPECT_FALSE(IsSearchable(reverse));
  EXPECT_TRUE(IsSearchable(null_factory));  // RocksDB's default: BlockBased
  ASSERT_EQ(notes.size(), 4u);
  EXPECT_NE(notes[0].find("SCTABLE_SKIP_CF"), std::string::npos);
  EXPECT_NE(notes[1].find("PlainTable"), std::string::npos);
  EXPECT_NE(notes[2].find("comparator"), std::string::npos);
}

TEST(PreloadConfigTest, TtlAndPeriodicCompactionAreDroppedExceptFifoTtl) {
  rocksdb::ColumnFamilyOptions leveled = Stock(), fifo = Stock(),
                               defaults = Stock();
  leveled.ttl = 3600;
  leveled.periodic_compaction_seconds = 7200;
  fifo.compaction_style = rocksdb::kCompactionStyleFIFO;
  fifo.ttl = 3600;
  const uint64_t default_ttl = defaults.ttl;
  std::vector<std::string> notes;
  ASSERT_TRUE(
      SwitchColumnFamilies(
          Enabled(),
          {{"leveled", &leveled}, {"fifo", &fifo}, {"defaults", &defaults}},
          &notes)
          .ok());
  EXPECT_TRUE(IsSearchable(leveled));
  EXPECT_EQ(leveled.ttl, 0u);
  EXPECT_EQ(leveled.periodic_compaction_seconds, 0u);
  EXPECT_NE(notes[0].find("ttl=3600 set to 0"), std::string::npos);
  EXPECT_FALSE(IsSearchable(fifo));  // its ttl deletes data
  EXPECT_EQ(fifo.ttl, 3600u);
  EXPECT_TRUE(IsSearchable(defaults));
  EXPECT_EQ(defaults.ttl, default_ttl);  // "unset" stays unset
}

TEST(PreloadConfigTest, InvalidOptionsFailNamingTheOptionAndChangeNothing) {
  struct Case {
    const char* options;
    const char* named;
  } cases[] = {
      {"checksum_level=9", "checksum_level"},
      {"checksum_level=2;dict_per_mille=1000", "dict_per_mille"},
      {"checksum_level=x", "checksum_level"},
      {"no_such_option=1", "no_such_option"},
      {"checksum_level", "checksum_level"},  // RocksDB alone would ignore it
      {"spool_memory_bytes=1", "spool_memory_bytes"},
  };
  for (const Case& k : cases) {
    rocksdb::ColumnFamilyOptions o = Stock();
    std::vector<std::string> notes;
    const rocksdb::Status s =
        SwitchColumnFamilies(Enabled(k.options), {{"default", &o}}, &notes);
    EXPECT_TRUE(s.IsInvalidArgument()) << k.options << ": " << s.ToString();
    EXPECT_NE(s.ToString().find(k.named), std::string::npos)
        << k.options << ": " << s.ToString();
    EXPECT_FALSE(IsSearchable(o)) << k.options;
  }
}

TEST(PreloadConfigTest, OptionsAcceptBracesAndBlanks) {
  for (const char* opts :
       {"{checksum_level=0}", " checksum_level = 0 ; ", "checksum_level=0;;"}) {
    std::shared_ptr<rocksdb::TableFactory> f;
    const rocksdb::Status s = NewConfiguredFactory(opts, &f);
    ASSERT_TRUE(s.ok()) << opts << ": " << s.ToString();
    std::string level;
    ASSERT_TRUE(
        f->GetOption(rocksdb::ConfigOptions(), "checksum_level", &level).ok());
    EXPECT_EQ(level, "0") << opts;
  }
}

// Writes a few keys through `factory` into a new DB at `path`.
void WriteDb(const std::string& path, rocksdb::TableFactory* factory) {
  rocksdb::Options o;
  o.create_if_missing = true;
  o.table_factory.reset(factory);
  rocksdb::DB* db = nullptr;
  ASSERT_TRUE(rocksdb::DB::Open(o, path, &db).ok());
  for (int i = 0; i < 100; ++i) {
    ASSERT_TRUE(
        db->Put(rocksdb::WriteOptions(), "key" + std::to_string(i), "value")
            .ok());
  }
  ASSERT_TRUE(db->Flush(rocksdb::FlushOptions()).ok());
  delete db;
}

TEST(PreloadConfigTest, DbWithSearchableFilesIsSwitchedWithItsSavedOptions) {
  test::TempDir dir("preload_detect");
  SearchableTableOptions so;
  so.checksum_level = 2;
  so.fallback_below_level = 0;  // the flushed file must be ours
  WriteDb(dir.path(), NewSearchableTableFactory(so));

  Config c = ParseConfig(nullptr, nullptr, nullptr, nullptr);
  std::map<std::string, std::shared_ptr<rocksdb::TableFactory>> saved;
  ASSERT_TRUE(
      DetectSearchableTable(nullptr, dir.path(), {dir.path()}, &c, &saved));
  EXPECT_TRUE(c.enabled);
  ASSERT_EQ(saved.count("default"), 1u);

  rocksdb::ColumnFamilyOptions o = Stock();
  const auto program_factory = o.table_factory;
  std::vector<std::string> notes;
  ASSERT_TRUE(SwitchColumnFamilies(c, {{"default", &o}}, &notes, &saved).ok());
  ASSERT_TRUE(IsSearchable(o));
  std::string level;
  ASSERT_TRUE(
      o.table_factory
          ->GetOption(rocksdb::ConfigOptions(), "checksum_level", &level)
          .ok());
  EXPECT_EQ(level, "2");  // as written, not the default
  EXPECT_EQ(FallbackOf(o), program_factory);

  // SCTABLE_ENABLE=0 means no switch at all.
  Config off = ParseConfig("0", nullptr, nullptr, nullptr);
  saved.clear();
  EXPECT_FALSE(
      DetectSearchableTable(nullptr, dir.path(), {dir.path()}, &off, &saved));
  EXPECT_FALSE(off.enabled);
}

TEST(PreloadConfigTest, BlockBasedDbIsNotSwitchedWithoutEnable) {
  test::TempDir dir("preload_nodetect");
  WriteDb(dir.path(), rocksdb::NewBlockBasedTableFactory());
  Config c = ParseConfig(nullptr, nullptr, nullptr, nullptr);
  std::map<std::string, std::shared_ptr<rocksdb::TableFactory>> saved;
  EXPECT_FALSE(
      DetectSearchableTable(nullptr, dir.path(), {dir.path()}, &c, &saved));
  EXPECT_FALSE(c.enabled);
  EXPECT_FALSE(DetectSearchableTable(nullptr, dir.path() + "/missing",
                                     {dir.path() + "/missing"}, &c, &saved));
}

}  // namespace
}  // namespace preload
}  // namespace sctable
