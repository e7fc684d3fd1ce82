// Concurrency: reader threads Get and iterate while a writer puts, deletes,
// flushes and compacts, for a fixed time. Every value encodes its key and
// the version the writer gave it, so a reader can tell a wrong read from a
// late one: a value must belong to its key, and a key's version never goes
// backwards within one reader. Run under TSan by `make test-sanitize`.
#include <gtest/gtest.h>
#include <rocksdb/db.h>
#include <rocksdb/table.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <random>
#include <thread>

#include "sctable/searchable_table.h"
#include "test_util.h"

namespace sctable {
namespace {

constexpr int kKeys = 2000;

std::string Key(int k) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "key%05d", k);
  return buf;
}
// value = key '|' version '|' padding (compressible, variable length)
std::string Value(int k, uint64_t version) {
  return Key(k) + "|" + std::to_string(version) + "|" +
         std::string(version % 97, static_cast<char>('a' + k % 26));
}
// Parses a value; false if it is not a well-formed value of `key`.
bool ParseValue(const rocksdb::Slice& key, const std::string& v, uint64_t* version) {
  const size_t a = v.find('|');
  if (a == std::string::npos || rocksdb::Slice(v.data(), a) != key) return false;
  const size_t b = v.find('|', a + 1);
  if (b == std::string::npos) return false;
  *version = std::strtoull(v.c_str() + a + 1, nullptr, 10);
  const std::string want = Value(0, *version);  // padding length check
  return v.size() - b - 1 == *version % 97;
}

TEST(ConcurrencyTest, ReadersSeeOnlyWrittenValuesWhileWriterCompacts) {
  test::TempDir dir("concurrency");
  rocksdb::Options o;
  o.create_if_missing = true;
  // Every file, flushes included, is a SearchableTable: this test is about
  // our reader. With the default fallback the L0 files are BlockBasedTable,
  // whose block cache is synchronised inside Debian's uninstrumented
  // librocksdb, so TSan reports the hand-off of every cached block between
  // threads (a block decompressed by one reader, copied out by another).
  SearchableTableOptions so;
  so.fallback_below_level = 0;
  o.table_factory.reset(NewSearchableTableFactory(so));
  o.write_buffer_size = 128 << 10;
  o.target_file_size_base = 128 << 10;
  o.level0_file_num_compaction_trigger = 2;
  o.max_background_jobs = 2;
  rocksdb::DB* raw = nullptr;
  ASSERT_TRUE(rocksdb::DB::Open(o, dir.path(), &raw).ok());
  std::unique_ptr<rocksdb::DB> db(raw);

  const char* env = std::getenv("SCTABLE_CONCURRENCY_SECONDS");
  const double seconds = env != nullptr ? std::atof(env) : 4.0;
  std::atomic<bool> stop{false};
  std::atomic<uint64_t> errors{0}, reads{0}, scans{0};
  std::atomic<uint64_t> version{1};

  std::thread writer([&] {
    std::mt19937 rng(1);
    uint64_t ops = 0;
    while (!stop.load()) {
      const int k = rng() % kKeys;
      rocksdb::Status s;
      if (rng() % 10 == 0) {
        s = db->Delete({}, Key(k));
      } else {
        s = db->Put({}, Key(k), Value(k, version.fetch_add(1)));
      }
      if (!s.ok()) errors++;
      if (++ops % 5000 == 0) {
        if (!db->Flush({}).ok()) errors++;
      }
      if (ops % 20000 == 0) {
        if (!db->CompactRange({}, nullptr, nullptr).ok()) errors++;
      }
    }
  });
  auto reader = [&](int seed) {
    std::mt19937 rng(seed);
    std::vector<uint64_t> last(kKeys, 0);
    std::string v;
    while (!stop.load()) {
      if (rng() % 50 != 0) {
        const int k = rng() % kKeys;
        rocksdb::Status s = db->Get({}, Key(k), &v);
        reads++;
        if (s.IsNotFound()) continue;
        uint64_t ver = 0;
        if (!s.ok() || !ParseValue(Key(k), v, &ver) || ver < last[k] ||
            ver >= version.load()) {
          errors++;
          ADD_FAILURE() << Key(k) << " -> " << s.ToString() << " " << v;
          continue;
        }
        last[k] = ver;
      } else {
        // A snapshot scan, forwards or backwards: values must parse and keys
        // must be strictly ordered.
        std::unique_ptr<rocksdb::Iterator> it(db->NewIterator({}));
        std::string prev;
        const bool fwd = rng() % 2;
        for (fwd ? it->SeekToFirst() : it->SeekToLast(); it->Valid();
             fwd ? it->Next() : it->Prev()) {
          uint64_t ver;
          const std::string key = it->key().ToString();
          if (!ParseValue(it->key(), it->value().ToString(), &ver) ||
              (!prev.empty() && (fwd ? key <= prev : key >= prev))) {
            errors++;
            ADD_FAILURE() << "scan: " << key;
            break;
          }
          prev = key;
        }
        if (!it->status().ok()) errors++;
        scans++;
      }
    }
  };
  std::thread r1(reader, 11), r2(reader, 12), r3(reader, 13);
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  writer.join();
  r1.join();
  r2.join();
  r3.join();
  EXPECT_EQ(errors.load(), 0u);
  EXPECT_GT(reads.load(), 1000u);
  EXPECT_GT(scans.load(), 3u);
  std::vector<rocksdb::LiveFileMetaData> files;
  db->GetLiveFilesMetaData(&files);
  int ours = 0;
  for (auto& f : files) ours += test::FileMagic(f.db_path + f.name) == 0x2b9926a3340ae36bull;
  EXPECT_GT(ours, 0);
  EXPECT_TRUE(db->VerifyChecksum().ok());
}

}  // namespace
}  // namespace sctable
