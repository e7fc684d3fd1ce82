// CoIndex builder -> reader round trips against a std::set oracle.
#include "coindex/co_index.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>

#include <gtest/gtest.h>

#include "coindex/co_index_builder.h"
#include "common/checksum.h"

namespace sctable::coindex {
namespace {

std::string RandomKey(std::mt19937_64& rng, int max_len, int alphabet) {
  std::string s(rng() % (max_len + 1), '\0');
  for (auto& c : s) {
    uint64_t r = rng() % alphabet;
    c = static_cast<char>(alphabet >= 256 ? r : (r < 2 ? r * 255 : 'a' + r));
  }
  return s;
}

struct Built {
  std::string image;
  CoIndex index;
};

std::unique_ptr<Built> BuildIndex(const std::set<std::string>& keys,
                                  CoIndexOptions options = CoIndexOptions()) {
  auto b = std::make_unique<Built>();
  std::vector<std::string_view> v(keys.begin(), keys.end());
  Status s = CoIndexBuilder::Build(v, options, &b->image);
  EXPECT_TRUE(s.ok()) << s.ToString();
  s = b->index.Open(b->image.data(), b->image.size());
  EXPECT_TRUE(s.ok()) << s.ToString();
  EXPECT_TRUE(b->index.Verify().ok());
  return b;
}

// Checks every operation against the oracle.
void CheckAgainstOracle(const std::set<std::string>& keys, const CoIndex& idx,
                        std::mt19937_64& rng, int probes) {
  ASSERT_EQ(idx.num_keys(), keys.size());
  std::vector<std::string> sorted(keys.begin(), keys.end());
  // Find and Key, ids in key order.
  for (size_t i = 0; i < sorted.size(); ++i) {
    uint64_t id = ~0ull;
    ASSERT_TRUE(idx.Find(sorted[i], &id)) << i;
    ASSERT_EQ(id, i);
    std::string k;
    ASSERT_TRUE(idx.Key(i, &k).ok());
    ASSERT_EQ(k, sorted[i]);
  }
  std::string k;
  EXPECT_TRUE(idx.Key(sorted.size(), &k).IsNotFound());
  // Forward and backward iteration.
  auto c = idx.NewCursor();
  c->SeekToFirst();
  for (size_t i = 0; i < sorted.size(); ++i) {
    ASSERT_TRUE(c->Valid()) << i;
    ASSERT_EQ(c->key(), sorted[i]);
    ASSERT_EQ(c->id(), i);
    c->Next();
  }
  EXPECT_FALSE(c->Valid());
  EXPECT_TRUE(c->status().ok());
  c->SeekToLast();
  for (size_t i = sorted.size(); i-- > 0;) {
    ASSERT_TRUE(c->Valid()) << i;
    ASSERT_EQ(c->key(), sorted[i]);
    ASSERT_EQ(c->id(), i);
    c->Prev();
  }
  EXPECT_FALSE(c->Valid());
  // Seek / SeekForPrev / Find / prefix ranges on probes, mostly absent.
  for (int p = 0; p < probes; ++p) {
    std::string q;
    if (!sorted.empty() && p % 3 == 0) {
      q = sorted[rng() % sorted.size()];
      if (p % 2) q.resize(rng() % (q.size() + 1));
      if (p % 4 == 0) q.push_back(static_cast<char>(rng()));
    } else {
      q = RandomKey(rng, 12, p % 2 ? 4 : 256);
    }
    auto lb = keys.lower_bound(q);
    c->Seek(q);
    ASSERT_EQ(c->Valid(), lb != keys.end()) << q;
    if (lb != keys.end()) {
      ASSERT_EQ(c->key(), *lb);
      ASSERT_EQ(c->id(), std::distance(keys.begin(), lb));
      // Next/Prev continue correctly from a Seek.
      c->Prev();
      ASSERT_EQ(c->Valid(), lb != keys.begin());
      if (lb != keys.begin()) {
        ASSERT_EQ(c->key(), *std::prev(lb));
      }
    }
    auto ub = keys.upper_bound(q);
    c->SeekForPrev(q);
    ASSERT_EQ(c->Valid(), ub != keys.begin()) << q;
    if (ub != keys.begin()) {
      ASSERT_EQ(c->key(), *std::prev(ub));
      ASSERT_EQ(c->id(), std::distance(keys.begin(), ub) - 1);
      c->Next();
      ASSERT_EQ(c->Valid(), ub != keys.end());
      if (ub != keys.end()) {
        ASSERT_EQ(c->key(), *ub);
      }
    }
    uint64_t id;
    ASSERT_EQ(idx.Find(q, &id), keys.count(q) == 1);
    // Prefix enumeration.
    uint64_t begin, end;
    idx.PrefixRange(q, &begin, &end);
    std::vector<std::string> want, got;
    for (auto it = keys.lower_bound(q);
         it != keys.end() && it->compare(0, q.size(), q) == 0; ++it) {
      want.push_back(*it);
    }
    ASSERT_EQ(end - begin, want.size()) << q;
    for (c->Seek(q); c->Valid() && c->id() < end; c->Next()) {
      got.emplace_back(c->key());
    }
    ASSERT_EQ(got, want);
  }
}

class CoIndexTest : public ::testing::TestWithParam<int> {};  // nest level

TEST_P(CoIndexTest, RandomBinaryKeysMatchStdSet) {
  std::mt19937_64 rng(42 + GetParam());
  CoIndexOptions opt;
  opt.nest_level = GetParam();
  opt.nest_stop_ratio = 1 << 20;  // always nest, to exercise every level
  opt.id_sample_every = 1 + GetParam() % 3;  // id sample tables: 1, 2, 3
  for (int round = 0; round < 12; ++round) {
    std::set<std::string> keys;
    const int n = round < 4 ? round : 50 + static_cast<int>(rng() % 1500);
    const int alphabet = round % 2 ? 256 : 4;  // 4: 0x00, 0xFF, 'c', 'd'
    while (static_cast<int>(keys.size()) < n) {
      keys.insert(RandomKey(rng, 1 + static_cast<int>(rng() % 24), alphabet));
    }
    auto b = BuildIndex(keys, opt);
    CheckAgainstOracle(keys, b->index, rng, 300);
  }
}

TEST_P(CoIndexTest, SharedPrefixesAndSuffixesMatchStdSet) {
  std::mt19937_64 rng(9);
  CoIndexOptions opt;
  opt.nest_level = GetParam();
  opt.nest_stop_ratio = 1 << 20;
  const char* stems[] = {"@babel/", "react-", "lodash.", "", "x"};
  const char* tails[] = {"plugin", "-utils", ".js", "core", "util", ""};
  std::set<std::string> keys;
  for (int i = 0; i < 3000; ++i) {
    std::string k = stems[rng() % 5];
    k += tails[rng() % 6];
    k += std::to_string(rng() % 200);
    k += tails[rng() % 6];
    keys.insert(k);
  }
  auto b = BuildIndex(keys, opt);
  CheckAgainstOracle(keys, b->index, rng, 500);
}

INSTANTIATE_TEST_SUITE_P(NestLevels, CoIndexTest, ::testing::Values(0, 1, 2, 4));

// The run-time dispatch (common/bits.h) must not change answers: the same
// oracle check with the portable popcount/select forced.
TEST(CoIndexDispatchTest, PortablePathGivesSameAnswers) {
  std::mt19937_64 rng(77);
  std::set<std::string> keys;
  while (keys.size() < 3000) keys.insert(RandomKey(rng, 12, 256));
  for (int i = 0; i < 2000; ++i) keys.insert("prefix/" + RandomKey(rng, 30, 4));
  auto b = BuildIndex(keys);
  SetFastBitsForTesting(false);
  ASSERT_FALSE(FastBits());
  CheckAgainstOracle(keys, b->index, rng, 300);
  SetFastBitsForTesting(true);
  CheckAgainstOracle(keys, b->index, rng, 300);
}

TEST(CoIndexBuilderTest, EmptySetHasNoKeys) {
  std::set<std::string> keys;
  auto b = BuildIndex(keys);
  uint64_t id;
  EXPECT_FALSE(b->index.Find("", &id));
  auto c = b->index.NewCursor();
  c->SeekToFirst();
  EXPECT_FALSE(c->Valid());
  c->SeekToLast();
  EXPECT_FALSE(c->Valid());
  c->Seek("a");
  EXPECT_FALSE(c->Valid());
}

TEST(CoIndexBuilderTest, EmptyKeyAndPrefixKeysRoundTrip) {
  std::mt19937_64 rng(3);
  std::set<std::string> keys = {"", "a", "ab", "abc", "abcd", std::string(1, '\0'),
                                std::string(2, '\0'), "\xff", "\xff\xff"};
  auto b = BuildIndex(keys);
  CheckAgainstOracle(keys, b->index, rng, 200);
}

TEST(CoIndexBuilderTest, HugeKeysRoundTrip) {
  std::mt19937_64 rng(5);
  std::set<std::string> keys;
  std::string big(70000, 'k');
  for (auto& c : big) c = static_cast<char>(rng());
  keys.insert(big);
  keys.insert(big.substr(0, 65536));
  keys.insert(big + "x");
  keys.insert("small");
  for (int level : {0, 2}) {
    CoIndexOptions opt;
    opt.nest_level = level;
    auto b = BuildIndex(keys, opt);
    CheckAgainstOracle(keys, b->index, rng, 20);
    EXPECT_EQ(b->index.max_key_length(), big.size() + 1);
  }
}

TEST(CoIndexBuilderTest, UnsortedInputIsInvalidArgumentNamingPosition) {
  CoIndexBuilder b;
  ASSERT_TRUE(b.Add("a").ok());
  ASSERT_TRUE(b.Add("b").ok());
  Status s = b.Add("ab");
  EXPECT_TRUE(s.IsInvalidArgument());
  EXPECT_NE(s.message().find("key #2"), std::string::npos) << s.ToString();
  // Sticky.
  EXPECT_TRUE(b.Add("z").IsInvalidArgument());
  std::string image;
  EXPECT_TRUE(b.Finish(&image).IsInvalidArgument());
}

TEST(CoIndexBuilderTest, DuplicateInputIsInvalidArgumentNamingPosition) {
  CoIndexBuilder b;
  ASSERT_TRUE(b.Add("").ok());
  Status s = b.Add("");
  EXPECT_TRUE(s.IsInvalidArgument());
  EXPECT_NE(s.message().find("key #1 duplicates"), std::string::npos)
      << s.ToString();
}

constexpr uint64_t kGoldenChecksum = 10385366074942417879ull;

TEST(CoIndexBuilderTest, GoldenBytesOfTinyImage) {
  // Pins the format: any change of the image layout must update this test
  // and docs/format.md.
  std::string image;
  ASSERT_TRUE(CoIndexBuilder::Build({"a", "abc", "b"}, CoIndexOptions(), &image).ok());
  EXPECT_EQ(image.size(), 200u);
  EXPECT_EQ(image.substr(0, 8), std::string("SCCOIDX\x01", 8));
  EXPECT_EQ(image[8], 3);  // format version 3: LOUDS with exact select
  // Meta: num_keys 3, max_key_len 3, 2 tries (top + nested), no pool; then
  // the top trie's 4 nodes, its LOUDS of 7 bits and 3 ones, select0 |
  // exact (6), no spilled positions; its term bits (4 bits, 3 ones, 0).
  EXPECT_EQ(image.substr(32, 12),
            std::string("\x03\x03\x02\x00\x04\x07\x03\x06\x00\x04\x03\x00", 12));
  EXPECT_EQ(Checksum64(image), kGoldenChecksum);
}

// Keys of the version-2 image in testdata/: package-like names with shared
// prefixes and suffixes, so the image has nested tries, a pool and several
// select samples per bit vector. Raw rng() only: reproducible everywhere.
std::set<std::string> VersionTwoKeys() {
  static const char* const kPrefixes[] = {"@babel/", "@types/", "lodash.",
                                          "react-", "vue-", ""};
  static const char* const kSuffixes[] = {"-plugin", "-core", "-loader", "",
                                          "", ".js"};
  static const char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz-0123";
  std::mt19937_64 rng(20261204);
  std::set<std::string> keys;
  while (keys.size() < 3000) {
    std::string k = kPrefixes[rng() % 6];
    const uint64_t len = 2 + rng() % 12;
    for (uint64_t i = 0; i < len; ++i) k += kAlphabet[rng() % 31];
    k += kSuffixes[rng() % 6];
    keys.insert(k);
  }
  return keys;
}

// A version-2 image (written by the builder before version 3, select
// tables over the rank directory) still opens and answers every query.
TEST(CoIndexFormatTest, VersionTwoImageStillReads) {
  const std::set<std::string> keys = VersionTwoKeys();
  const std::string path =
      std::string(SCTABLE_SOURCE_DIR) + "/test/coindex/testdata/v2_3000.coindex";
  if (const char* out = std::getenv("SCTABLE_WRITE_V2_GOLDEN")) {
    std::vector<std::string_view> v(keys.begin(), keys.end());
    std::string image;
    ASSERT_TRUE(CoIndexBuilder::Build(v, CoIndexOptions(), &image).ok());
    std::ofstream(out, std::ios::binary) << image;
  }
  std::ifstream f(path, std::ios::binary);
  ASSERT_TRUE(f) << path;
  const std::string image((std::istreambuf_iterator<char>(f)),
                          std::istreambuf_iterator<char>());
  ASSERT_GE(image.size(), 16u);
  EXPECT_EQ(image[8], 2);  // format version 2
  CoIndex idx;
  ASSERT_TRUE(idx.Open(image.data(), image.size()).ok());
  ASSERT_TRUE(idx.Verify().ok());
  std::mt19937_64 rng(5);
  CheckAgainstOracle(keys, idx, rng, 2000);
}

// Real key file, if the benchmark data was fetched (bench/datasets/).
// Real keys, always available: every 20th of the first 400k npm package
// names when bench/data holds them, else file paths under /usr (a real,
// deep, prefix-heavy key set present on every Debian machine).
TEST(CoIndexRealKeysTest, RealKeySliceMatchesStdSet) {
  std::set<std::string> keys;
  std::ifstream in(SCTABLE_SOURCE_DIR "/bench/data/npm_names.txt");
  if (in) {
    std::string line;
    for (int i = 0; i < 400000 && std::getline(in, line); ++i) {
      if (i % 20 == 0) keys.insert(line);
    }
  } else {
    std::error_code ec;
    // Every path, up to 20000: a minimal Debian install has ~16k under /usr.
    auto it = std::filesystem::recursive_directory_iterator(
        "/usr", std::filesystem::directory_options::skip_permission_denied, ec);
    for (; !ec && it != std::filesystem::recursive_directory_iterator() &&
           keys.size() < 20000;
         it.increment(ec)) {
      keys.insert(it->path().string());
    }
  }
  ASSERT_GT(keys.size(), 4000u);
  std::mt19937_64 rng(11);
  auto b = BuildIndex(keys);
  CheckAgainstOracle(keys, b->index, rng, 2000);
}

}  // namespace
}  // namespace sctable::coindex
