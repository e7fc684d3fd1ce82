// KeyFilter: no false negatives, a false-positive rate near what the bits per
// key promise, and hostile section bytes rejected at Open.
#include "table_factory/key_filter.h"

#include <gtest/gtest.h>

#include <string>

namespace sctable {
namespace {

std::string Build(int bits, int n, const std::string& prefix) {
  KeyFilterBuilder b(bits);
  for (int i = 0; i < n; ++i) b.AddKey(prefix + std::to_string(i));
  std::string out;
  b.Finish(&out);
  return out;
}

TEST(KeyFilterTest, EveryAddedKeyMayBeThereAndFewOthersAre) {
  // Expected rates of a blocked Bloom filter at 10 / 6 bits per key are
  // about 1% / 6%; the bounds leave room for the blocking and the hash.
  for (auto [bits, bound] : {std::pair{10, 0.02}, std::pair{6, 0.09}}) {
    const std::string bytes = Build(bits, 20000, "present/");
    KeyFilter f;
    ASSERT_TRUE(f.Open(bytes).ok());
    for (int i = 0; i < 20000; ++i) {
      ASSERT_TRUE(f.MayContain("present/" + std::to_string(i))) << i;
    }
    int fp = 0;
    for (int i = 0; i < 100000; ++i) fp += f.MayContain("absent/" + std::to_string(i));
    EXPECT_LT(fp / 100000.0, bound) << bits << " bits/key";
    EXPECT_GT(fp, 0) << "a filter with no false positive at all is suspicious";
  }
}

TEST(KeyFilterTest, OneKeyAndTheEmptyKey) {
  KeyFilterBuilder b(10);
  b.AddKey("");
  std::string out;
  b.Finish(&out);
  KeyFilter f;
  ASSERT_TRUE(f.Open(out).ok());
  EXPECT_EQ(f.num_lines(), 1u);
  EXPECT_TRUE(f.MayContain(""));
}

TEST(KeyFilterTest, HostileBytesAreRejected) {
  const std::string good = Build(10, 100, "k");
  KeyFilter f;
  ASSERT_TRUE(f.Open(good).ok());
  // Truncated anywhere, or with a byte too many.
  for (size_t n = 0; n < good.size(); ++n) {
    EXPECT_FALSE(f.Open(std::string_view(good.data(), n)).ok()) << n;
  }
  EXPECT_FALSE(f.Open(good + "x").ok());
  std::string bad = good;
  bad[1] = 0;  // no probes
  EXPECT_FALSE(f.Open(bad).ok());
  bad[1] = 17;  // more probes than a reader allows
  EXPECT_FALSE(f.Open(bad).ok());
  bad = good;
  bad[0] = 0;  // no lines
  EXPECT_FALSE(f.Open(bad).ok());
  // A line count far beyond the bytes present.
  EXPECT_FALSE(f.Open(std::string("\xff\xff\xff\xff\x0f\x07", 6)).ok());
}

}  // namespace
}  // namespace sctable
