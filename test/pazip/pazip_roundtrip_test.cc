// Builder -> reader round trips over generated and real records, covering
// the shapes the issue names: 0 and 1 records, empty, 1-byte and multi-MiB
// records, identical records, incompressible records.
#include "pazip_test_util.h"

namespace sctable {
namespace pazip {
namespace {

TEST(PazipRoundTripTest, ZeroRecords) { ExpectRoundTrip({}); }

TEST(PazipRoundTripTest, OneRecord) { ExpectRoundTrip({"hello, world"}); }

TEST(PazipRoundTripTest, OneEmptyRecord) { ExpectRoundTrip({""}); }

TEST(PazipRoundTripTest, EmptyAndOneByteRecords) {
  std::vector<std::string> r;
  for (int i = 0; i < 500; ++i) {
    r.push_back(i % 3 == 0 ? "" : std::string(1, static_cast<char>(i)));
  }
  ExpectRoundTrip(r);
}

TEST(PazipRoundTripTest, BorrowedBuildMatchesAddFinishForAnyThreadCount) {
  const auto records = StructuredRecords(2000, 7);
  const std::string expected = BuildStore(records);
  std::vector<std::string_view> views(records.begin(), records.end());
  // Blocks of 1 KiB (many) and of the default size (one block): the bytes
  // must not depend on either the threads or the block size.
  uint64_t raw = 0;
  for (const std::string& r : records) raw += r.size();
  ASSERT_GT(raw, 32u << 10);  // at least 32 blocks of 1 KiB
  for (int threads : {1, 2, 3}) {
    for (uint64_t block : {uint64_t{1} << 10, BuilderOptions().work_block_bytes}) {
      BuilderOptions options;
      options.threads = threads;
      options.work_block_bytes = block;
      std::string store;
      BuildStats stats;
      ASSERT_TRUE(PazipBuilder::Build(views, options, &store, &stats).ok());
      EXPECT_EQ(store, expected) << threads << " threads, blocks of " << block;
      EXPECT_EQ(stats.store_bytes, store.size());
      EXPECT_EQ(stats.num_records, records.size());
    }
  }
  std::string store;
  ASSERT_TRUE(PazipBuilder::Build({}, BuilderOptions(), &store).ok());
  std::unique_ptr<PazipReader> reader;
  ASSERT_TRUE(PazipReader::Open(store.data(), store.size(), &reader).ok());
  EXPECT_EQ(reader->num_records(), 0u);
}

// The fast parse (RocksDB's write path) skips searches inside matches; its
// output must still decode, and neither the bytes nor the counts may depend
// on how many threads parse and emit.
TEST(PazipRoundTripTest, FastParseRoundTripsForAnyThreadCount) {
  const auto records = StructuredRecords(3000, 9);
  BuilderOptions fast;
  fast.fast_parse = true;
  BuildStats expected_stats;
  ExpectRoundTrip(records, fast, &expected_stats);
  EXPECT_EQ(expected_stats.kind, StoreKind::kDictZip);
  EXPECT_GT(expected_stats.dict_matches, 0u);
  std::vector<std::string_view> views(records.begin(), records.end());
  std::string expected;
  for (int threads : {1, 2, 3}) {
    BuilderOptions options = fast;
    options.threads = threads;
    options.work_block_bytes = 2 << 10;
    std::string store;
    BuildStats stats;
    ASSERT_TRUE(PazipBuilder::Build(views, options, &store, &stats).ok());
    if (threads == 1) expected = store;
    EXPECT_EQ(store, expected) << threads << " threads";
    EXPECT_EQ(stats.sequences, expected_stats.sequences) << threads;
    EXPECT_EQ(stats.literal_count, expected_stats.literal_count) << threads;
    EXPECT_EQ(stats.literal_bits, expected_stats.literal_bits) << threads;
    EXPECT_EQ(stats.dict_matches + stats.local_matches,
              expected_stats.dict_matches + expected_stats.local_matches);
    EXPECT_EQ(stats.token_bytes, expected_stats.token_bytes) << threads;
  }
}

// Keyed stores: values that repeat their key (as a repository URL repeats
// its package name) get smaller, every record reads back with its key, and
// reads without a key are refused.
TEST(PazipRoundTripTest, KeyedRecordsUseTheirKeys) {
  std::mt19937 rng(5);
  std::vector<std::string> keys, records;
  for (int i = 0; i < 4000; ++i) {
    std::string name = RandomBytes(6 + rng() % 10, &rng);
    for (char& ch : name) ch = static_cast<char>('a' + static_cast<uint8_t>(ch) % 26);
    keys.push_back("@scope" + std::to_string(i % 50) + "/" + name);
    records.push_back(i % 5 == 0 ? std::string()
                                 : "https://github.com/" + keys.back().substr(1) +
                                       (i % 3 ? ".git" : ""));
  }
  // Keys longer than the encoder searches, and binary keys.
  keys[7] = std::string(5000, 'x') + keys[7];
  records[7] = "see " + keys[7].substr(4990) + " and " + keys[7].substr(0, 20);
  keys[8] = std::string("\0\xff\0", 3);
  records[8] = std::string("\0\xff\0\0\xff\0", 6);
  std::vector<std::string_view> rv(records.begin(), records.end());
  std::vector<std::string_view> kv(keys.begin(), keys.end());
  for (bool fast : {false, true}) {
    for (RecordChecksum cs : {RecordChecksum::kNone, RecordChecksum::kXxh32}) {
      BuilderOptions options;
      options.fast_parse = fast;
      options.record_checksum = cs;
      std::string keyed, plain;
      ASSERT_TRUE(PazipBuilder::Build(rv, kv, options, &keyed).ok());
      ASSERT_TRUE(PazipBuilder::Build(rv, options, &plain).ok());
      EXPECT_LT(keyed.size() * 100, plain.size() * 85)
          << keyed.size() << " vs " << plain.size();
      std::unique_ptr<PazipReader> reader;
      ReaderOptions ro;
      ro.verify_checksums = true;
      ASSERT_TRUE(PazipReader::Open(keyed.data(), keyed.size(), &reader, ro).ok());
      ASSERT_TRUE(reader->keyed());
      std::string value;
      std::vector<char> buf(6000);
      for (size_t i = 0; i < records.size(); ++i) {
        ASSERT_TRUE(reader->Get(i, keys[i], &value).ok()) << i;
        ASSERT_EQ(value, records[i]) << i;
        size_t len = 0;
        ASSERT_TRUE(reader->Get(i, keys[i], buf.data(), buf.size(), &len).ok());
        ASSERT_EQ(std::string(buf.data(), len), records[i]);
      }
      EXPECT_TRUE(reader->Get(1, &value).IsInvalidArgument());
      size_t len = 0;
      EXPECT_TRUE(reader->Get(1, buf.data(), buf.size(), &len).IsInvalidArgument());
      std::vector<uint64_t> ends;
      EXPECT_TRUE(reader->GetRun(0, 2, &value, &ends).IsInvalidArgument());
      // With record checksums, a record read with another record's key is
      // caught rather than returned wrong.
      if (cs == RecordChecksum::kXxh32) {
        int caught = 0;
        for (size_t i = 1; i < 200; ++i) {
          if (records[i].empty()) continue;
          Status st = reader->Get(i, keys[i - 1], &value);
          if (st.ok()) {
            EXPECT_EQ(value, records[i]) << i;  // did not use its key
          } else {
            EXPECT_TRUE(st.IsCorruption());
            ++caught;
          }
        }
        EXPECT_GT(caught, 100);
      }
    }
  }
  // The plain overloads read an unkeyed store, and keys must match records.
  std::string plain, bad;
  ASSERT_TRUE(PazipBuilder::Build(rv, BuilderOptions(), &plain).ok());
  std::unique_ptr<PazipReader> reader;
  ASSERT_TRUE(PazipReader::Open(plain.data(), plain.size(), &reader).ok());
  EXPECT_FALSE(reader->keyed());
  std::string value;
  ASSERT_TRUE(reader->Get(1, &value).ok());
  EXPECT_EQ(value, records[1]);
  ASSERT_TRUE(reader->Get(1, "ignored", &value).ok());
  EXPECT_EQ(value, records[1]);
  kv.pop_back();
  EXPECT_TRUE(PazipBuilder::Build(rv, kv, BuilderOptions(), &bad).IsInvalidArgument());
}

TEST(PazipRoundTripTest, StructuredRecordsCompress) {
  const auto records = StructuredRecords(3000, 1);
  BuildStats stats;
  ExpectRoundTrip(records, BuilderOptions(), &stats);
  EXPECT_EQ(stats.kind, StoreKind::kDictZip);
  EXPECT_LT(stats.store_bytes * 2, stats.raw_bytes);
}

TEST(PazipRoundTripTest, AllIdenticalRecords) {
  std::vector<std::string> r(5000, "Package: same\nVersion: 1.0\nArchitecture: all\n");
  BuildStats stats;
  ExpectRoundTrip(r, BuilderOptions(), &stats);
  EXPECT_EQ(stats.kind, StoreKind::kDictZip);
  EXPECT_LT(stats.store_bytes * 5, stats.raw_bytes);
}

TEST(PazipRoundTripTest, IncompressibleRecordsFallBackToRaw) {
  std::mt19937 rng(7);
  std::vector<std::string> r;
  for (int i = 0; i < 400; ++i) r.push_back(RandomBytes(rng() % 300, &rng));
  BuildStats stats;
  ExpectRoundTrip(r, BuilderOptions(), &stats);
  EXPECT_EQ(stats.kind, StoreKind::kRaw);
}

TEST(PazipRoundTripTest, MultiMebibyteRecords) {
  std::mt19937 rng(3);
  auto text = StructuredRecords(200, 5);
  std::string big;
  while (big.size() < (3u << 20)) big += text[rng() % text.size()];
  std::string random_big = RandomBytes(1u << 20, &rng);
  ExpectRoundTrip({big, "small", random_big, big.substr(1000), ""});
}

TEST(PazipRoundTripTest, RandomMixedRecords) {
  std::mt19937 rng(11);
  auto text = StructuredRecords(1500, 9);
  std::vector<std::string> r;
  for (int i = 0; i < 2000; ++i) {
    switch (rng() % 4) {
      case 0: r.push_back(RandomBytes(rng() % 64, &rng)); break;
      case 1: r.push_back(text[rng() % text.size()]); break;
      case 2: r.push_back(text[rng() % text.size()] + RandomBytes(9, &rng)); break;
      default: r.push_back(std::string(rng() % 200, 'a' + rng() % 3)); break;
    }
  }
  ExpectRoundTrip(r);
}

TEST(PazipRoundTripTest, RecordChecksumsRoundTrip) {
  BuilderOptions opt;
  opt.record_checksum = RecordChecksum::kXxh32;
  ExpectRoundTrip(StructuredRecords(800, 2), opt);
  opt.force_raw = true;
  ExpectRoundTrip(StructuredRecords(300, 2), opt);
}

TEST(PazipRoundTripTest, DebianStanzas) {
  const auto records = DebianStanzas(3000);
  ASSERT_GE(records.size(), 1000u) << "reading " << PAZIP_DEBIAN_LIST;
  BuildStats stats;
  ExpectRoundTrip(records, BuilderOptions(), &stats);
  EXPECT_EQ(stats.kind, StoreKind::kDictZip);
  EXPECT_LT(stats.store_bytes * 2, stats.raw_bytes);
}

TEST(PazipRoundTripTest, GetIntoSmallBufferReportsLength) {
  const std::string store = BuildStore({"abcdef"});
  std::unique_ptr<PazipReader> reader;
  ASSERT_TRUE(PazipReader::Open(store.data(), store.size(), &reader).ok());
  char buf[3];
  size_t len = 0;
  EXPECT_TRUE(reader->Get(0, buf, sizeof(buf), &len).IsInvalidArgument());
  EXPECT_EQ(len, 6u);
}

}  // namespace
}  // namespace pazip
}  // namespace sctable
