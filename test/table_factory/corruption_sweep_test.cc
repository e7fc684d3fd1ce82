// Corruption sweep over a small SearchableTable file: truncated at every
// offset and with every byte flipped, the file must fail to open, fail
// VerifyChecksum, or read back exactly; with or without verification,
// reading never crashes (run it under ASan to catch out-of-bounds reads).
#include <gtest/gtest.h>
#include <rocksdb/options.h>
#include <rocksdb/sst_file_reader.h>
#include <rocksdb/sst_file_writer.h>
#include <rocksdb/table.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <sstream>

#include "sctable/searchable_table.h"

namespace sctable {
namespace {

using Data = std::map<std::string, std::string>;

rocksdb::Options TableOptions(int checksum_level) {
  rocksdb::Options o;
  SearchableTableOptions so;
  so.checksum_level = checksum_level;
  o.table_factory.reset(NewSearchableTableFactory(so));
  return o;
}

std::string Slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

void Spit(const std::string& path, const std::string& bytes) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

enum class Outcome { kOpenFailed, kVerifyFailed, kReadFailed, kIntact, kWrong };

// Opens `path`, optionally verifies, then reads everything (scan and a Seek
// per key). Wrong data is only an error when verification passed.
Outcome Probe(const std::string& path, const Data& want, bool verify,
              int checksum_level) {
  rocksdb::SstFileReader reader(TableOptions(checksum_level));
  if (!reader.Open(path).ok()) return Outcome::kOpenFailed;
  if (verify && !reader.VerifyChecksum().ok()) return Outcome::kVerifyFailed;
  std::unique_ptr<rocksdb::Iterator> it(reader.NewIterator(rocksdb::ReadOptions()));
  Data got;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    got[it->key().ToString()] = it->value().ToString();
    if (got.size() > want.size() + 10) break;  // no endless loops
  }
  if (!it->status().ok()) return Outcome::kReadFailed;
  for (it->SeekToLast(); it->Valid(); it->Prev()) {
  }
  for (const auto& kv : want) {
    it->Seek(kv.first);
    if (!it->status().ok()) return Outcome::kReadFailed;
  }
  return got == want ? Outcome::kIntact : Outcome::kWrong;
}

class CorruptionSweepTest : public ::testing::TestWithParam<int> {};

TEST_P(CorruptionSweepTest, EveryTruncationAndByteFlipIsDetectedOrHarmless) {
  const int level = GetParam();
  const std::string dir = SCTABLE_TEST_TMPDIR;
  const std::string good_path = dir + "/sweep-good." + std::to_string(::getpid()) + ".sst";
  const std::string bad_path = dir + "/sweep-bad." + std::to_string(::getpid()) + ".sst";
  Data want;
  {
    rocksdb::SstFileWriter w(rocksdb::EnvOptions(), TableOptions(level));
    ASSERT_TRUE(w.Open(good_path).ok());
    for (int i = 0; i < 60; ++i) {
      char k[16];
      std::snprintf(k, sizeof k, "key%03d", i * 7);
      std::string v = "value " + std::to_string(i) + " " + std::string(i % 23, 'z') +
                      (i % 3 ? " common suffix text" : "");
      want[k] = v;
      ASSERT_TRUE(w.Put(k, v).ok());
    }
    ASSERT_TRUE(w.DeleteRange("key500", "key600").ok());
    ASSERT_TRUE(w.Finish().ok());
  }
  const std::string good = Slurp(good_path);
  ASSERT_EQ(Probe(good_path, want, true, level), Outcome::kIntact);
  std::map<Outcome, int> counts;
  for (size_t n = 0; n < good.size(); ++n) {
    Spit(bad_path, good.substr(0, n));
    const Outcome o = Probe(bad_path, want, true, level);
    ASSERT_NE(o, Outcome::kWrong) << "truncated to " << n;
    ASSERT_NE(o, Outcome::kIntact) << "truncated to " << n << " still opens";
  }
  for (size_t i = 0; i < good.size(); ++i) {
    std::string bad = good;
    bad[i] = static_cast<char>(bad[i] ^ 0xff);
    Spit(bad_path, bad);
    const Outcome verified = Probe(bad_path, want, true, level);
    ASSERT_NE(verified, Outcome::kWrong) << "byte " << i << " of " << good.size();
    counts[verified]++;
    Probe(bad_path, want, false, level);  // must not crash; data may differ
  }
  std::remove(good_path.c_str());
  std::remove(bad_path.c_str());
  // Most flips must be caught; the rest hit bytes nobody reads for data
  // (e.g. property values such as the creation time).
  std::cout << "file " << good.size() << " bytes: open failed "
            << counts[Outcome::kOpenFailed] << ", verify failed "
            << counts[Outcome::kVerifyFailed] << ", read failed "
            << counts[Outcome::kReadFailed] << ", intact " << counts[Outcome::kIntact]
            << "\n";
  EXPECT_GT(counts[Outcome::kOpenFailed] + counts[Outcome::kVerifyFailed],
            static_cast<int>(good.size() * 3 / 4));
}

INSTANTIATE_TEST_SUITE_P(ChecksumLevels, CorruptionSweepTest, ::testing::Values(1, 2));

}  // namespace
}  // namespace sctable
