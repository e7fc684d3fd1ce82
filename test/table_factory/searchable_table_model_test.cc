// Randomized model test: a RocksDB with SearchableTable against a std::map,
// through puts, deletes, single deletes, merges, range deletes, snapshots,
// flushes, compactions (automatic and manual) and reopens. Every read checks
// Get and iteration (both ways) against the model, at the latest state and
// at live snapshots. SCTABLE_MODEL_OPS sets the number of operations per
// configuration (default 100000).
#include <gtest/gtest.h>
#include <rocksdb/db.h>
#include <rocksdb/table.h>

#include <cstdlib>
#include <map>
#include <memory>
#include <optional>
#include <random>

#include "sctable/searchable_table.h"
#include "test_util.h"

namespace sctable {
namespace {

using Model = std::map<std::string, std::string>;

uint64_t OpsFromEnv() {
  const char* e = std::getenv("SCTABLE_MODEL_OPS");
  return e != nullptr ? std::strtoull(e, nullptr, 10) : 100000;
}

class ModelTest : public ::testing::TestWithParam<int> {};

TEST_P(ModelTest, MatchesStdMap) {
  test::TempDir dir("model");
  rocksdb::Options o;
  o.create_if_missing = true;
  SearchableTableOptions so;
  so.fallback_below_level = GetParam();
  o.table_factory.reset(NewSearchableTableFactory(so));
  o.merge_operator = std::make_shared<test::AppendOperator>();
  o.write_buffer_size = 64 << 10;  // many flushes
  o.target_file_size_base = 64 << 10;
  o.max_bytes_for_level_base = 256 << 10;
  o.level0_file_num_compaction_trigger = 3;
  std::unique_ptr<rocksdb::DB> db;
  auto open = [&] {
    db.reset();
    rocksdb::DB* raw = nullptr;
    rocksdb::Status s = rocksdb::DB::Open(o, dir.path(), &raw);
    ASSERT_TRUE(s.ok()) << s.ToString();
    db.reset(raw);
  };
  open();

  std::mt19937_64 rng(20261122 + GetParam());
  Model model;
  struct Snap {
    const rocksdb::Snapshot* snap;
    Model model;
  };
  std::vector<Snap> snaps;
  // Keys of the form k<number>; single-delete keys live apart ("s"), each
  // put at most once between single deletes, as SingleDelete requires.
  auto key = [&](uint64_t n) { return "k" + std::to_string(n % 3000); };
  std::map<std::string, bool> sd_live;

  auto check_get = [&](const std::string& k, const Model& m,
                       const rocksdb::Snapshot* snap) {
    rocksdb::ReadOptions ro;
    ro.snapshot = snap;
    std::string v;
    rocksdb::Status s = db->Get(ro, k, &v);
    auto it = m.find(k);
    if (it == m.end()) {
      ASSERT_TRUE(s.IsNotFound()) << k << ": " << s.ToString() << " " << v;
    } else {
      ASSERT_TRUE(s.ok()) << k << ": " << s.ToString();
      ASSERT_EQ(v, it->second) << k;
    }
  };
  auto check_scan = [&](const Model& m, const rocksdb::Snapshot* snap) {
    rocksdb::ReadOptions ro;
    ro.snapshot = snap;
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(ro));
    auto mi = m.begin();
    for (it->SeekToFirst(); it->Valid(); it->Next(), ++mi) {
      ASSERT_NE(mi, m.end());
      ASSERT_EQ(it->key().ToString(), mi->first);
      ASSERT_EQ(it->value().ToString(), mi->second);
    }
    ASSERT_TRUE(it->status().ok()) << it->status().ToString();
    ASSERT_EQ(mi, m.end());
    auto ri = m.rbegin();
    for (it->SeekToLast(); it->Valid(); it->Prev(), ++ri) {
      ASSERT_NE(ri, m.rend());
      ASSERT_EQ(it->key().ToString(), ri->first);
    }
    ASSERT_EQ(ri, m.rend());
  };

  const uint64_t ops = OpsFromEnv();
  for (uint64_t i = 0; i < ops; ++i) {
    const uint64_t r = rng() % 1000;
    const std::string k = key(rng());
    if (r < 450) {
      std::string v = std::to_string(i) + std::string(rng() % 40, 'a' + i % 26);
      ASSERT_TRUE(db->Put({}, k, v).ok());
      model[k] = v;
    } else if (r < 550) {
      ASSERT_TRUE(db->Delete({}, k).ok());
      model.erase(k);
    } else if (r < 650) {
      std::string v = "m" + std::to_string(i % 100);
      ASSERT_TRUE(db->Merge({}, k, v).ok());
      auto it = model.find(k);
      model[k] = it == model.end() ? v : it->second + "," + v;
    } else if (r < 700) {
      const std::string sk = "s" + std::to_string(rng() % 200);
      if (sd_live[sk]) {
        ASSERT_TRUE(db->SingleDelete({}, sk).ok());
        model.erase(sk);
        sd_live[sk] = false;
      } else {
        ASSERT_TRUE(db->Put({}, sk, "single" + std::to_string(i)).ok());
        model[sk] = "single" + std::to_string(i);
        sd_live[sk] = true;
      }
    } else if (r < 705) {
      std::string a = key(rng()), b = key(rng());
      if (a > b) std::swap(a, b);
      ASSERT_TRUE(db->DeleteRange({}, db->DefaultColumnFamily(), a, b).ok());
      model.erase(model.lower_bound(a), model.lower_bound(b));
    } else if (r < 950) {
      ASSERT_NO_FATAL_FAILURE(check_get(k, model, nullptr));
      if (!snaps.empty()) {
        Snap& s = snaps[rng() % snaps.size()];
        ASSERT_NO_FATAL_FAILURE(check_get(k, s.model, s.snap));
      }
    } else if (r < 970) {
      if (snaps.size() < 3) {
        snaps.push_back({db->GetSnapshot(), model});
      } else {
        const size_t j = rng() % snaps.size();
        db->ReleaseSnapshot(snaps[j].snap);
        snaps.erase(snaps.begin() + j);
      }
    } else if (r < 990) {
      ASSERT_TRUE(db->Flush({}).ok());
    } else if (r < 996) {
      rocksdb::CompactRangeOptions c;
      c.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
      ASSERT_TRUE(db->CompactRange(c, nullptr, nullptr).ok());
    } else if (r < 998) {
      ASSERT_NO_FATAL_FAILURE(check_scan(model, nullptr));
      for (auto& s : snaps) ASSERT_NO_FATAL_FAILURE(check_scan(s.model, s.snap));
    } else {
      for (auto& s : snaps) db->ReleaseSnapshot(s.snap);
      snaps.clear();
      ASSERT_NO_FATAL_FAILURE(open());
    }
  }
  ASSERT_NO_FATAL_FAILURE(check_scan(model, nullptr));
  for (auto& s : snaps) db->ReleaseSnapshot(s.snap);
  rocksdb::Status v = db->VerifyChecksum();
  EXPECT_TRUE(v.ok()) << v.ToString();
  std::vector<rocksdb::LiveFileMetaData> files;
  db->GetLiveFilesMetaData(&files);
  int ours = 0;
  for (auto& f : files) ours += test::FileMagic(f.db_path + f.name) == 0x2b9926a3340ae36bull;
  EXPECT_GT(ours, 0);
}

INSTANTIATE_TEST_SUITE_P(Formats, ModelTest, ::testing::Values(0, 1),
                         [](const ::testing::TestParamInfo<int>& info) {
                           return info.param == 0 ? "Everywhere" : "FallbackL0";
                         });

}  // namespace
}  // namespace sctable
