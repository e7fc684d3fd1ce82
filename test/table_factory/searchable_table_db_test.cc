// DB-level tests: SearchableTable inside a real RocksDB 7.8.3 (Debian's
// librocksdb), parameterised over "SearchableTable everywhere" and "L0
// through the BlockBasedTable fallback".
#include <gtest/gtest.h>
#include <rocksdb/convenience.h>
#include <rocksdb/db.h>
#include <rocksdb/sst_file_writer.h>
#include <rocksdb/utilities/options_util.h>

#include <map>
#include <memory>
#include <random>

#include "sctable/searchable_table.h"
#include "test_util.h"

namespace sctable {
namespace {

constexpr uint64_t kMagic = 0x2b9926a3340ae36bull;  // docs/format.md

struct Param {
  const char* name;
  int fallback_below_level;
};

class SearchableTableDBTest : public ::testing::TestWithParam<Param> {
 protected:
  SearchableTableDBTest() : dir_("dbtest") {}

  rocksdb::Options MakeOptions() {
    rocksdb::Options o;
    o.create_if_missing = true;
    SearchableTableOptions so;
    so.fallback_below_level = GetParam().fallback_below_level;
    o.table_factory.reset(NewSearchableTableFactory(so));
    o.merge_operator = std::make_shared<test::AppendOperator>();
    o.disable_auto_compactions = true;
    return o;
  }
  void Open() { Open(MakeOptions()); }
  void Open(const rocksdb::Options& o) {
    db_.reset();
    rocksdb::DB* db = nullptr;
    rocksdb::Status s = rocksdb::DB::Open(o, dir_.path(), &db);
    ASSERT_TRUE(s.ok()) << s.ToString();
    db_.reset(db);
  }
  std::string Get(const std::string& k,
                  const rocksdb::Snapshot* snap = nullptr) {
    rocksdb::ReadOptions ro;
    ro.snapshot = snap;
    std::string v;
    rocksdb::Status s = db_->Get(ro, k, &v);
    if (s.IsNotFound()) return "NOT_FOUND";
    if (!s.ok()) return "ERROR: " + s.ToString();
    return v;
  }
  void Flush() { ASSERT_TRUE(db_->Flush(rocksdb::FlushOptions()).ok()); }
  void CompactAll() {
    rocksdb::CompactRangeOptions c;
    c.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
    ASSERT_TRUE(db_->CompactRange(c, nullptr, nullptr).ok());
  }
  // Magic numbers of the live SST files, by level.
  std::map<int, std::vector<uint64_t>> Magics() {
    std::vector<rocksdb::LiveFileMetaData> files;
    db_->GetLiveFilesMetaData(&files);
    std::map<int, std::vector<uint64_t>> out;
    for (auto& f : files) {
      out[f.level].push_back(test::FileMagic(f.db_path + f.name));
    }
    return out;
  }
  // Every (key, value) visible to a forward scan.
  std::map<std::string, std::string> Scan(const rocksdb::Snapshot* snap = nullptr) {
    rocksdb::ReadOptions ro;
    ro.snapshot = snap;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro));
    std::map<std::string, std::string> out;
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      out[it->key().ToString()] = it->value().ToString();
    }
    EXPECT_TRUE(it->status().ok()) << it->status().ToString();
    return out;
  }

  test::TempDir dir_;
  std::unique_ptr<rocksdb::DB> db_;
};

TEST_P(SearchableTableDBTest, PutGetAfterFlushAndReopen) {
  Open();
  for (int i = 0; i < 1000; ++i) {
    ASSERT_TRUE(db_->Put({}, "key" + std::to_string(i),
                         "value" + std::to_string(i * 7)).ok());
  }
  Flush();
  EXPECT_EQ(Get("key0"), "value0");
  EXPECT_EQ(Get("key999"), "value6993");
  EXPECT_EQ(Get("key1000"), "NOT_FOUND");
  EXPECT_EQ(Get(""), "NOT_FOUND");
  Open();
  EXPECT_EQ(Get("key500"), "value3500");
  CompactAll();
  EXPECT_EQ(Get("key500"), "value3500");
  auto magics = Magics();
  ASSERT_FALSE(magics.empty());
  for (auto& [level, ms] : magics) {
    for (uint64_t m : ms) {
      if (level >= GetParam().fallback_below_level) {
        EXPECT_EQ(m, kMagic);
      }
    }
  }
}

TEST_P(SearchableTableDBTest, FlushedL0FilesUseTheConfiguredFormat) {
  Open();
  ASSERT_TRUE(db_->Put({}, "a", "1").ok());
  Flush();
  auto magics = Magics();
  ASSERT_EQ(magics[0].size(), 1u);
  if (GetParam().fallback_below_level > 0) {
    EXPECT_NE(magics[0][0], kMagic);  // BlockBasedTable fallback
  } else {
    EXPECT_EQ(magics[0][0], kMagic);
  }
}

TEST_P(SearchableTableDBTest, DeleteSingleDeleteMergeAndDeleteRange) {
  Open();
  ASSERT_TRUE(db_->Put({}, "del", "x").ok());
  ASSERT_TRUE(db_->Put({}, "sd", "y").ok());
  ASSERT_TRUE(db_->Merge({}, "m", "a").ok());
  for (int i = 0; i < 50; ++i) {
    ASSERT_TRUE(db_->Put({}, "r" + std::to_string(100 + i), "v").ok());
  }
  Flush();
  ASSERT_TRUE(db_->Delete({}, "del").ok());
  ASSERT_TRUE(db_->SingleDelete({}, "sd").ok());
  ASSERT_TRUE(db_->Merge({}, "m", "b").ok());
  ASSERT_TRUE(db_->DeleteRange({}, db_->DefaultColumnFamily(), "r110", "r120").ok());
  Flush();
  ASSERT_TRUE(db_->Merge({}, "m", "c").ok());
  Flush();
  auto check = [&] {
    EXPECT_EQ(Get("del"), "NOT_FOUND");
    EXPECT_EQ(Get("sd"), "NOT_FOUND");
    EXPECT_EQ(Get("m"), "a,b,c");
    EXPECT_EQ(Get("r109"), "v");
    EXPECT_EQ(Get("r110"), "NOT_FOUND");
    EXPECT_EQ(Get("r119"), "NOT_FOUND");
    EXPECT_EQ(Get("r120"), "v");
    auto all = Scan();
    EXPECT_EQ(all.size(), 1u + 40u);
    EXPECT_EQ(all.count("r115"), 0u);
  };
  check();
  Open();
  check();
  CompactAll();
  check();
}

TEST_P(SearchableTableDBTest, SnapshotsKeepSeveralVersionsInOneFile) {
  Open();
  std::vector<const rocksdb::Snapshot*> snaps;
  for (int v = 0; v < 5; ++v) {
    for (int k = 0; k < 20; ++k) {
      if (v == 3 && k % 2 == 0) {
        ASSERT_TRUE(db_->Delete({}, "k" + std::to_string(k)).ok());
      } else {
        ASSERT_TRUE(db_->Put({}, "k" + std::to_string(k),
                             "v" + std::to_string(v) + "-" + std::to_string(k)).ok());
      }
    }
    snaps.push_back(db_->GetSnapshot());
  }
  Flush();  // one file, several versions per key
  for (int round = 0; round < 2; ++round) {
    for (int v = 0; v < 5; ++v) {
      for (int k = 0; k < 20; ++k) {
        std::string want = (v == 3 && k % 2 == 0)
                               ? "NOT_FOUND"
                               : "v" + std::to_string(v) + "-" + std::to_string(k);
        ASSERT_EQ(Get("k" + std::to_string(k), snaps[v]), want) << v << " " << k;
      }
      EXPECT_EQ(Scan(snaps[v]).size(), v == 3 ? 10u : 20u);
    }
    CompactAll();  // snapshots still pin every version
  }
  for (auto* s : snaps) db_->ReleaseSnapshot(s);
  CompactAll();
  EXPECT_EQ(Get("k1"), "v4-1");
  EXPECT_EQ(Scan().size(), 20u);
}

TEST_P(SearchableTableDBTest, IteratorsBothWaysWithBounds) {
  Open();
  std::map<std::string, std::string> model;
  for (int i = 0; i < 300; ++i) {
    char k[16];
    std::snprintf(k, sizeof k, "key%04d", i * 3);
    model[k] = std::string(i % 17, 'x') + std::to_string(i);
    ASSERT_TRUE(db_->Put({}, k, model[k]).ok());
    if (i % 100 == 99) Flush();
  }
  CompactAll();
  // Overwrite some in a newer L0 file so the merging iterator interleaves.
  for (int i = 0; i < 300; i += 10) {
    char k[16];
    std::snprintf(k, sizeof k, "key%04d", i * 3);
    model[k] = "new";
    ASSERT_TRUE(db_->Put({}, k, "new").ok());
  }
  Flush();

  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator({}));
  auto m = model.rbegin();
  for (it->SeekToLast(); it->Valid(); it->Prev(), ++m) {
    ASSERT_NE(m, model.rend());
    ASSERT_EQ(it->key().ToString(), m->first);
    ASSERT_EQ(it->value().ToString(), m->second);
  }
  ASSERT_TRUE(it->status().ok()) << it->status().ToString();
  EXPECT_EQ(m, model.rend());

  it->Seek("key0100");  // absent: next is key0102
  ASSERT_TRUE(it->Valid());
  EXPECT_EQ(it->key().ToString(), "key0102");
  it->SeekForPrev("key0100");
  ASSERT_TRUE(it->Valid());
  EXPECT_EQ(it->key().ToString(), "key0099");
  it->Prev();
  EXPECT_EQ(it->key().ToString(), "key0096");
  it->Next();
  it->Next();
  EXPECT_EQ(it->key().ToString(), "key0102");

  rocksdb::Slice lower("key0300"), upper("key0330");
  rocksdb::ReadOptions ro;
  ro.iterate_lower_bound = &lower;
  ro.iterate_upper_bound = &upper;
  std::unique_ptr<rocksdb::Iterator> b(db_->NewIterator(ro));
  std::vector<std::string> fwd, bwd;
  for (b->SeekToFirst(); b->Valid(); b->Next()) fwd.push_back(b->key().ToString());
  for (b->SeekToLast(); b->Valid(); b->Prev()) bwd.push_back(b->key().ToString());
  ASSERT_EQ(fwd.size(), 10u);
  EXPECT_EQ(fwd.front(), "key0300");
  EXPECT_EQ(fwd.back(), "key0327");
  std::reverse(bwd.begin(), bwd.end());
  EXPECT_EQ(fwd, bwd);
}

TEST_P(SearchableTableDBTest, FullCompactionZeroesSeqnosAndKeepsData) {
  Open();
  for (int i = 0; i < 500; ++i) {
    ASSERT_TRUE(db_->Put({}, "k" + std::to_string(i), std::string(i, 'v')).ok());
  }
  Flush();
  CompactAll();
  std::vector<rocksdb::LiveFileMetaData> files;
  db_->GetLiveFilesMetaData(&files);
  ASSERT_FALSE(files.empty());
  for (auto& f : files) {
    EXPECT_EQ(f.largest_seqno, 0u) << f.name;
    EXPECT_EQ(test::FileMagic(f.db_path + f.name), kMagic);
  }
  for (int i = 0; i < 500; i += 37) {
    EXPECT_EQ(Get("k" + std::to_string(i)), std::string(i, 'v'));
  }
  rocksdb::TablePropertiesCollection props;
  ASSERT_TRUE(db_->GetPropertiesOfAllTables(&props).ok());
  for (auto& [name, p] : props) {
    EXPECT_EQ(p->num_entries, 500u);
    EXPECT_EQ(p->column_family_name, "default");
  }
}

TEST_P(SearchableTableDBTest, IngestExternalFileBothGlobalSeqnoModes) {
  for (bool write_global_seqno : {true, false}) {
    test::TempDir d("ingestdb");
    rocksdb::Options o = MakeOptions();
    rocksdb::DB* raw = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(o, d.path(), &raw).ok());
    std::unique_ptr<rocksdb::DB> db(raw);
    ASSERT_TRUE(db->Put({}, "a", "old-a").ok());
    ASSERT_TRUE(db->Put({}, "c", "old-c").ok());
    ASSERT_TRUE(db->Flush({}).ok());
    ASSERT_TRUE(db->Put({}, "b", "memtable-b").ok());  // forces a global seqno

    const std::string sst = d.path() + "-ext.sst";
    rocksdb::SstFileWriter w(rocksdb::EnvOptions(), o);
    ASSERT_TRUE(w.Open(sst).ok());
    ASSERT_TRUE(w.Put("a", "ingested-a").ok());
    ASSERT_TRUE(w.Put("b", "ingested-b").ok());
    ASSERT_TRUE(w.DeleteRange("c", "d").ok());
    ASSERT_TRUE(w.Finish().ok());
    EXPECT_EQ(test::FileMagic(sst), kMagic);

    rocksdb::IngestExternalFileOptions io;
    io.write_global_seqno = write_global_seqno;
    io.verify_checksums_before_ingest = true;
    rocksdb::Status s = db->IngestExternalFile({sst}, io);
    ASSERT_TRUE(s.ok()) << s.ToString();
    std::string v;
    ASSERT_TRUE(db->Get({}, "a", &v).ok());
    EXPECT_EQ(v, "ingested-a");
    ASSERT_TRUE(db->Get({}, "b", &v).ok());
    EXPECT_EQ(v, "ingested-b");
    EXPECT_TRUE(db->Get({}, "c", &v).IsNotFound());
    ASSERT_TRUE(db->CompactRange({}, nullptr, nullptr).ok());
    ASSERT_TRUE(db->Get({}, "a", &v).ok());
    EXPECT_EQ(v, "ingested-a");
    EXPECT_TRUE(db->Get({}, "c", &v).IsNotFound());
    std::remove(sst.c_str());
  }
}

TEST_P(SearchableTableDBTest, VerifyChecksumPasses) {
  Open();
  for (int i = 0; i < 2000; ++i) {
    ASSERT_TRUE(db_->Put({}, "k" + std::to_string(i), "v" + std::to_string(i)).ok());
  }
  Flush();
  CompactAll();
  rocksdb::Status s = db_->VerifyChecksum();
  EXPECT_TRUE(s.ok()) << s.ToString();
}

TEST_P(SearchableTableDBTest, ColumnFamilies) {
  Open();
  rocksdb::ColumnFamilyHandle* cf = nullptr;
  ASSERT_TRUE(db_->CreateColumnFamily(MakeOptions(), "second", &cf).ok());
  ASSERT_TRUE(db_->Put({}, cf, "k", "in-second").ok());
  ASSERT_TRUE(db_->Put({}, "k", "in-default").ok());
  ASSERT_TRUE(db_->Flush({}, cf).ok());
  Flush();
  std::string v;
  ASSERT_TRUE(db_->Get({}, cf, "k", &v).ok());
  EXPECT_EQ(v, "in-second");
  EXPECT_EQ(Get("k"), "in-default");
  ASSERT_TRUE(db_->DestroyColumnFamilyHandle(cf).ok());
}

TEST_P(SearchableTableDBTest, ConvertsAnExistingBlockBasedTableDB) {
  {
    rocksdb::Options o;
    o.create_if_missing = true;
    rocksdb::DB* raw = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(o, dir_.path(), &raw).ok());
    std::unique_ptr<rocksdb::DB> db(raw);
    for (int i = 0; i < 300; ++i) {
      ASSERT_TRUE(db->Put({}, "k" + std::to_string(i), "bbt" + std::to_string(i)).ok());
    }
    ASSERT_TRUE(db->Flush({}).ok());
  }
  Open();
  EXPECT_EQ(Get("k42"), "bbt42");  // read through the fallback
  ASSERT_TRUE(db_->Put({}, "k42", "new").ok());
  CompactAll();
  EXPECT_EQ(Get("k42"), "new");
  EXPECT_EQ(Get("k41"), "bbt41");
  for (auto& [level, ms] : Magics()) {
    for (uint64_t m : ms) EXPECT_EQ(m, kMagic) << "level " << level;
  }
}

TEST_P(SearchableTableDBTest, CorruptedFileGivesCorruptionNotCrash) {
  Open();
  for (int i = 0; i < 200; ++i) {
    ASSERT_TRUE(db_->Put({}, "k" + std::to_string(i), std::string(50, 'a' + i % 26)).ok());
  }
  Flush();
  CompactAll();
  std::vector<rocksdb::LiveFileMetaData> files;
  db_->GetLiveFilesMetaData(&files);
  ASSERT_EQ(files.size(), 1u);
  const std::string path = files[0].db_path + files[0].name;
  db_.reset();
  // Flip a byte inside the values section (the start of the file).
  {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(20);
    char c;
    f.seekg(20);
    f.get(c);
    f.seekp(20);
    f.put(static_cast<char>(c ^ 0x40));
  }
  rocksdb::Options o = MakeOptions();
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(o, dir_.path(), &raw);
  if (s.ok()) {
    db_.reset(raw);
    rocksdb::Status v = db_->VerifyChecksum();
    EXPECT_TRUE(v.IsCorruption()) << v.ToString();
  } else {
    EXPECT_TRUE(s.IsCorruption()) << s.ToString();
  }
}

TEST_P(SearchableTableDBTest, OptionsFileRoundTrip) {
  rocksdb::Options o = MakeOptions();
  Open(o);
  ASSERT_TRUE(db_->Put({}, "k", "v").ok());
  Flush();
  db_.reset();
  rocksdb::DBOptions db_opts;
  std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
  rocksdb::ConfigOptions cfg;
  ASSERT_TRUE(rocksdb::LoadLatestOptions(cfg, dir_.path(), &db_opts, &cfs).ok());
  ASSERT_EQ(cfs.size(), 1u);
  ASSERT_NE(cfs[0].options.table_factory, nullptr);
  EXPECT_STREQ(cfs[0].options.table_factory->Name(), "SearchableTable");
  const auto* so = cfs[0].options.table_factory->GetOptions<SearchableTableOptions>(
      "SearchableTableOptions");
  ASSERT_NE(so, nullptr);
  EXPECT_EQ(so->fallback_below_level, GetParam().fallback_below_level);
  cfs[0].options.merge_operator = o.merge_operator;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  ASSERT_TRUE(rocksdb::DB::Open(db_opts, dir_.path(), cfs, &handles, &raw).ok());
  db_.reset(raw);
  EXPECT_EQ(Get("k"), "v");
  for (auto* h : handles) ASSERT_TRUE(db_->DestroyColumnFamilyHandle(h).ok());
}

INSTANTIATE_TEST_SUITE_P(
    Formats, SearchableTableDBTest,
    ::testing::Values(Param{"Everywhere", 0}, Param{"FallbackL0", 1}),
    [](const ::testing::TestParamInfo<Param>& info) { return info.param.name; });

TEST(SearchableTableOptionsTest, OptionsStringResolvesAndPrints) {
  rocksdb::ConfigOptions cfg;
  rocksdb::ColumnFamilyOptions base, out;
  rocksdb::Status s = rocksdb::GetColumnFamilyOptionsFromString(
      cfg, base, "table_factory={id=SearchableTable;checksum_level=2;index_nest_level=3}",
      &out);
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_NE(out.table_factory, nullptr);
  EXPECT_STREQ(out.table_factory->Name(), "SearchableTable");
  std::string printed = out.table_factory->GetPrintableOptions();
  EXPECT_NE(printed.find("checksum_level: 2"), std::string::npos) << printed;
  EXPECT_NE(printed.find("index_nest_level: 3"), std::string::npos) << printed;
}

// The filter answers for absent keys only: with it, without it, and with
// RocksDB skipping it on the last level (optimize_filters_for_hits), every
// Get answers the same; files say how many bytes it took.
TEST(SearchableTableFilterTest, SameAnswersWithAndWithoutFilter) {
  for (int bits : {0, 1, 10}) {
    for (bool skip_last : {false, true}) {
      SCOPED_TRACE("filter_bits_per_key=" + std::to_string(bits) +
                   (skip_last ? " optimize_filters_for_hits" : ""));
      SearchableTableOptions so;
      so.filter_bits_per_key = bits;
      rocksdb::Options o;
      o.create_if_missing = true;
      o.optimize_filters_for_hits = skip_last;
      o.table_factory.reset(NewSearchableTableFactory(so));
      test::TempDir d("filter");
      rocksdb::DB* raw = nullptr;
      ASSERT_TRUE(rocksdb::DB::Open(o, d.path(), &raw).ok());
      std::unique_ptr<rocksdb::DB> db(raw);
      for (int i = 0; i < 3000; i += 2) {
        ASSERT_TRUE(db->Put({}, "k" + std::to_string(i), std::to_string(i)).ok());
      }
      ASSERT_TRUE(db->Flush({}).ok());
      rocksdb::CompactRangeOptions c;
      c.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
      ASSERT_TRUE(db->CompactRange(c, nullptr, nullptr).ok());
      rocksdb::TablePropertiesCollection props;
      ASSERT_TRUE(db->GetPropertiesOfAllTables(&props).ok());
      ASSERT_FALSE(props.empty());
      for (auto& [name, p] : props) {
        const auto it = p->user_collected_properties.find("sctable.filter.bytes");
        ASSERT_NE(it, p->user_collected_properties.end()) << name;
        if (bits == 0) {
          EXPECT_EQ(it->second, "0");
        } else {  // 1500 keys: ceil(1500 * bits / 512) lines + 2 header bytes
          EXPECT_EQ(std::stoull(it->second), 2 + 64 * ((1500 * bits + 511) / 512));
        }
      }
      for (int i = 0; i < 3000; ++i) {
        std::string v;
        rocksdb::Status s = db->Get({}, "k" + std::to_string(i), &v);
        if (i % 2 == 0) {
          ASSERT_TRUE(s.ok()) << i << " " << s.ToString();
          EXPECT_EQ(v, std::to_string(i));
        } else {
          EXPECT_TRUE(s.IsNotFound()) << i << " " << s.ToString();
        }
      }
    }
  }
}

TEST(SearchableTableOptionsTest, BadValueIsInvalidArgumentNamingTheOption) {
  rocksdb::ConfigOptions cfg;
  rocksdb::ColumnFamilyOptions base, out;
  rocksdb::Status s = rocksdb::GetColumnFamilyOptionsFromString(
      cfg, base, "table_factory={id=SearchableTable;checksum_level=7}", &out);
  EXPECT_TRUE(s.IsInvalidArgument()) << s.ToString();
  EXPECT_NE(s.ToString().find("checksum_level"), std::string::npos) << s.ToString();
  s = rocksdb::GetColumnFamilyOptionsFromString(
      cfg, base, "table_factory={id=SearchableTable;filter_bits_per_key=33}", &out);
  EXPECT_TRUE(s.IsInvalidArgument()) << s.ToString();
  EXPECT_NE(s.ToString().find("filter_bits_per_key"), std::string::npos) << s.ToString();

  SearchableTableOptions bad;
  bad.index_nest_level = 99;
  rocksdb::Options o;
  o.create_if_missing = true;
  o.table_factory.reset(NewSearchableTableFactory(bad));
  test::TempDir d("badopt");
  rocksdb::DB* raw = nullptr;
  s = rocksdb::DB::Open(o, d.path(), &raw);
  EXPECT_TRUE(s.IsInvalidArgument()) << s.ToString();
  EXPECT_NE(s.ToString().find("index_nest_level"), std::string::npos) << s.ToString();
  delete raw;
}

}  // namespace
}  // namespace sctable
