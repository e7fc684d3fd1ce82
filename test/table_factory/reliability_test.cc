// Resource faults and hostile ingestion.
#include <gtest/gtest.h>
#include <rocksdb/db.h>
#include <rocksdb/sst_file_writer.h>
#include <rocksdb/table.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "sctable/searchable_table.h"
#include "test_util.h"

namespace sctable {
namespace {

// The temp directory is gone while a flush needs it: the flush fails with a
// clear IO error in the DB's background error, nothing acknowledged is lost,
// and DB::Resume() succeeds once the directory is back.
TEST(ReliabilityTest, UnusableTempDirFailsFlushThenResumes) {
  test::TempDir dir("faults");
  const std::string spool_dir = dir.path() + "-spool";
  (void)!std::system(("rm -rf '" + spool_dir + "'").c_str());
  rocksdb::Options o;
  o.create_if_missing = true;
  SearchableTableOptions so;
  so.temp_dir = spool_dir;            // does not exist yet
  so.fallback_below_level = 0;        // flushes build SearchableTable
  so.spool_memory_bytes = 1 << 20;    // values beyond 1 MiB go to the spool
  o.table_factory.reset(NewSearchableTableFactory(so));
  o.write_buffer_size = 64 << 20;
  o.max_bgerror_resume_count = 0;  // no auto-recovery: exercise DB::Resume
  rocksdb::DB* raw = nullptr;
  ASSERT_TRUE(rocksdb::DB::Open(o, dir.path(), &raw).ok());
  std::unique_ptr<rocksdb::DB> db(raw);
  const std::string big(4096, 'x');
  for (int i = 0; i < 1000; ++i) {  // 4 MB of values
    ASSERT_TRUE(db->Put({}, "k" + std::to_string(i), big + std::to_string(i)).ok());
  }
  rocksdb::Status s = db->Flush({});
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(s.IsIOError()) << s.ToString();
  EXPECT_NE(s.ToString().find(spool_dir), std::string::npos) << s.ToString();
  // Reads still work, from the memtable.
  std::string v;
  ASSERT_TRUE(db->Get({}, "k7", &v).ok());
  EXPECT_EQ(v, big + "7");
  // Space is back.
  ASSERT_EQ(::mkdir(spool_dir.c_str(), 0755), 0);
  s = db->Resume();
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_TRUE(db->Flush({}).ok());
  std::vector<rocksdb::LiveFileMetaData> files;
  db->GetLiveFilesMetaData(&files);
  ASSERT_FALSE(files.empty());
  for (int i = 0; i < 1000; i += 97) {
    ASSERT_TRUE(db->Get({}, "k" + std::to_string(i), &v).ok());
    EXPECT_EQ(v, big + std::to_string(i));
  }
  // The spool file was removed.
  EXPECT_EQ(std::system(("test -z \"$(ls -A '" + spool_dir + "')\"").c_str()), 0);
  db.reset();
  (void)!std::system(("rm -rf '" + spool_dir + "'").c_str());
}

TEST(ReliabilityTest, IngestingACorruptedFileFailsCleanly) {
  test::TempDir dir("ingestbad");
  rocksdb::Options o;
  o.create_if_missing = true;
  o.table_factory.reset(NewSearchableTableFactory());
  const std::string sst = dir.path() + "-ext.sst";
  {
    rocksdb::SstFileWriter w(rocksdb::EnvOptions(), o);
    ASSERT_TRUE(w.Open(sst).ok());
    for (int i = 0; i < 500; ++i) {
      ASSERT_TRUE(w.Put("key" + std::to_string(100000 + i), "value " + std::to_string(i)).ok());
    }
    ASSERT_TRUE(w.Finish().ok());
  }
  std::string good;
  {
    std::ifstream f(sst, std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    good = ss.str();
  }
  rocksdb::DB* raw = nullptr;
  ASSERT_TRUE(rocksdb::DB::Open(o, dir.path(), &raw).ok());
  std::unique_ptr<rocksdb::DB> db(raw);
  // Damage at positions across the whole file: ingestion either fails with
  // an error or, if the byte was one nobody reads for data, the data is intact.
  int rejected = 0, accepted = 0;
  for (size_t at = 0; at < good.size(); at += good.size() / 40 + 1) {
    std::string bad = good;
    bad[at] ^= 0x5a;
    const std::string path = dir.path() + "-bad" + std::to_string(at) + ".sst";
    std::ofstream(path, std::ios::binary).write(bad.data(), bad.size());
    rocksdb::IngestExternalFileOptions io;
    io.verify_checksums_before_ingest = true;
    rocksdb::Status s = db->IngestExternalFile({path}, io);
    std::remove(path.c_str());
    if (!s.ok()) {
      ++rejected;
      EXPECT_TRUE(s.IsCorruption() || s.IsInvalidArgument() || s.IsNotSupported())
          << at << ": " << s.ToString();
      continue;
    }
    ++accepted;
    for (int i = 0; i < 500; i += 7) {
      std::string v;
      ASSERT_TRUE(db->Get({}, "key" + std::to_string(100000 + i), &v).ok()) << at;
      ASSERT_EQ(v, "value " + std::to_string(i)) << "flip at " << at;
    }
  }
  EXPECT_GT(rejected, accepted * 3);  // most bytes matter
  std::remove(sst.c_str());
}

}  // namespace
}  // namespace sctable
