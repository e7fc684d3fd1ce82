// Rank/select against naive scans and sdsl-lite as a reference oracle.
#include "coindex/rank_select.h"

#include <random>

#include <gtest/gtest.h>
#include <sdsl/bit_vectors.hpp>

#include "common/bits.h"
#include "common/coding.h"

namespace sctable::coindex {
namespace {

TEST(BitsTest, SelectInWordMatchesNaiveScan) {
  std::mt19937_64 rng(1);
  for (int it = 0; it < 4000; ++it) {
    SetFastBitsForTesting(it % 2 == 0);  // both the dispatched and portable path
    if (it % 2) {
      EXPECT_FALSE(FastBits());
    }
    EXPECT_EQ(Popcount64(rng() & 0), 0);
    EXPECT_EQ(Popcount64(~uint64_t{0}), 64);
    uint64_t x = rng() & rng();
    int k = 0;
    for (int i = 0; i < 64; ++i) {
      if ((x >> i) & 1) {
        EXPECT_EQ(SelectInWord(x, k++), i);
      }
    }
    EXPECT_EQ(SelectInWord(x, k), 64);
    EXPECT_EQ(SelectInWord(x, 64), 64);
    EXPECT_EQ(Popcount64(x), k);
  }
  SetFastBitsForTesting(true);
}

class RankSelectTest : public ::testing::TestWithParam<double> {};

TEST_P(RankSelectTest, RankAndSelectMatchSdsl) {
  std::mt19937_64 rng(7);
  std::bernoulli_distribution bit(GetParam());
  for (uint64_t n : {0ull, 1ull, 63ull, 64ull, 511ull, 512ull, 513ull,
                     5000ull, 70001ull}) {
    BitVectorBuilder b;
    sdsl::bit_vector ref(n);
    for (uint64_t i = 0; i < n; ++i) {
      bool v = bit(rng);
      b.PushBack(v);
      ref[i] = v;
    }
    std::string body;
    BitVectorDesc desc = AppendBitVector(b, kSelect0 | kSelect1, &body);
    ByteCursor cur(body);
    BitVectorView view;
    ASSERT_TRUE(view.Open(desc, &cur, "bv").ok());
    EXPECT_TRUE(cur.empty());
    sdsl::rank_support_v5<1> r1(&ref);
    sdsl::select_support_mcl<1> s1(&ref);
    sdsl::select_support_mcl<0> s0(&ref);
    ASSERT_EQ(view.num_ones(), r1(n));
    for (uint64_t i = 0; i <= n; ++i) ASSERT_EQ(view.Rank1(i), r1(i)) << i;
    for (uint64_t k = 0; k < view.num_ones(); ++k) {
      ASSERT_EQ(view.Select1(k), s1(k + 1)) << k;
    }
    for (uint64_t k = 0; k < n - view.num_ones(); ++k) {
      ASSERT_EQ(view.Select0(k), s0(k + 1)) << k;
    }
    EXPECT_EQ(view.Select1(view.num_ones()), BitVectorView::kNotFound);
    EXPECT_EQ(view.Select0(n - view.num_ones()), BitVectorView::kNotFound);
  }
}

INSTANTIATE_TEST_SUITE_P(Densities, RankSelectTest,
                         ::testing::Values(0.0, 0.01, 0.5, 0.99, 1.0));

// Bits with the density of a region that changes every `run` bits between
// `dense` and 1 - `dense`, so an exact-select table gets both dense blocks
// (an exact start) and sparse ones (spilled positions) of either kind.
sdsl::bit_vector MixedBits(uint64_t n, uint64_t run, double dense,
                           std::mt19937_64& rng) {
  sdsl::bit_vector ref(n);
  std::uniform_real_distribution<double> u(0, 1);
  for (uint64_t i = 0; i < n; ++i) {
    const double p = (i / run) % 2 ? dense : 1 - dense;
    ref[i] = u(rng) < p;
  }
  return ref;
}

// The exact layout (kExactSelect): no rank directory, one select kind.
TEST(ExactSelectTest, MatchesSdslForEitherKind) {
  std::mt19937_64 rng(17);
  struct Case {
    uint64_t n, run;
    double dense;
  };
  const Case cases[] = {{0, 1, 0.5},       {1, 1, 0.5},      {127, 1000, 0.5},
                        {128, 1000, 1.0},  {129, 1000, 0.0}, {5000, 1000, 0.5},
                        {70001, 3000, 0.01}, {70001, 50000, 0.002},
                        {200000, 7000, 0.05}};
  bool saw_spill = false, saw_dense = false;
  for (const Case& c : cases) {
    const sdsl::bit_vector ref = MixedBits(c.n, c.run, c.dense, rng);
    BitVectorBuilder b;
    for (uint64_t i = 0; i < c.n; ++i) b.PushBack(ref[i]);
    sdsl::rank_support_v5<1> r1(&ref);
    const uint64_t ones = r1(c.n);
    for (const uint8_t kind : {kSelect1, kSelect0}) {
      SCOPED_TRACE(testing::Message() << "n=" << c.n << " kind=" << int(kind));
      std::string body;
      const BitVectorDesc desc = AppendBitVector(b, kind | kExactSelect, &body);
      ASSERT_EQ(desc.num_ones, ones);
      const uint64_t count = kind == kSelect1 ? ones : c.n - ones;
      saw_spill |= desc.num_spill > 0;
      saw_dense |= desc.num_spill + kExactRate <= count;
      // The descriptor round-trips through Meta.
      std::string meta;
      PutBitVectorDesc(desc, &meta);
      ByteCursor mc(meta);
      BitVectorDesc back;
      ASSERT_TRUE(GetBitVectorDesc(&mc, "bv", &back).ok());
      EXPECT_TRUE(mc.empty());
      EXPECT_EQ(back.num_spill, desc.num_spill);
      ByteCursor cur(body);
      BitVectorView view;
      ASSERT_TRUE(view.Open(back, &cur, "bv").ok());
      EXPECT_TRUE(cur.empty());
      EXPECT_LE(view.SpaceBytes(), body.size());  // all but padding to 8
      EXPECT_LE(body.size(), view.SpaceBytes() + 8);
      for (uint64_t i = 0; i < c.n; ++i) ASSERT_EQ(view.Get(i), ref[i] != 0) << i;
      if (kind == kSelect1) {
        sdsl::select_support_mcl<1> s1(&ref);
        for (uint64_t k = 0; k < ones; ++k) {
          ASSERT_EQ(view.Select1(k), s1(k + 1)) << k;
          ASSERT_EQ(view.Select1Inline(k), s1(k + 1)) << k;
        }
        EXPECT_EQ(view.Select1(ones), BitVectorView::kNotFound);
        EXPECT_EQ(view.Select1Inline(ones), BitVectorView::kNotFound);
        if (c.n > ones) {
          EXPECT_EQ(view.Select0(0), BitVectorView::kNotFound);
        }
      } else {
        sdsl::select_support_mcl<0> s0(&ref);
        for (uint64_t k = 0; k < c.n - ones; ++k) {
          ASSERT_EQ(view.Select0(k), s0(k + 1)) << k;
        }
        EXPECT_EQ(view.Select0(c.n - ones), BitVectorView::kNotFound);
        if (ones) {
          EXPECT_EQ(view.Select1(0), BitVectorView::kNotFound);
          EXPECT_EQ(view.Select1Inline(0), BitVectorView::kNotFound);
        }
      }
    }
  }
  EXPECT_TRUE(saw_spill);
  EXPECT_TRUE(saw_dense);
}

// Descriptors the exact layout cannot have are rejected at open.
TEST(ExactSelectTest, BadDescriptorsAreRejected) {
  auto parse = [](uint64_t bits, uint64_t ones, uint8_t select, uint64_t spill) {
    std::string meta;
    PutVarint64(&meta, bits);
    PutVarint64(&meta, ones);
    meta.push_back(static_cast<char>(select));
    PutVarint64(&meta, spill);
    ByteCursor mc(meta);
    BitVectorDesc d;
    return GetBitVectorDesc(&mc, "bv", &d);
  };
  EXPECT_TRUE(parse(1000, 10, kSelect1 | kExactSelect, 10).ok());
  EXPECT_TRUE(parse(1000, 10, kSelect1 | kExactSelect, 11).IsCorruption());
  EXPECT_TRUE(parse(1000, 10, kSelect0 | kSelect1 | kExactSelect, 0).IsCorruption());
  EXPECT_TRUE(parse(1000, 10, kExactSelect, 1).IsCorruption());
  EXPECT_TRUE(parse(uint64_t{1} << 31, 10, kSelect0 | kExactSelect, 0).IsCorruption());
  EXPECT_TRUE(parse(1000, 10, 8, 0).IsCorruption());
}

// Any damage to the exact table gives an in-range answer or kNotFound:
// never a read outside the arrays (run under ASan in test-sanitize).
TEST(ExactSelectTest, CorruptTablesStayInBounds) {
  std::mt19937_64 rng(3);
  const sdsl::bit_vector ref = MixedBits(20000, 2500, 0.02, rng);
  BitVectorBuilder b;
  for (uint64_t i = 0; i < ref.size(); ++i) b.PushBack(ref[i]);
  std::string body;
  const BitVectorDesc desc = AppendBitVector(b, kSelect1 | kExactSelect, &body);
  ASSERT_GT(desc.num_spill, 0u);
  const size_t tables = (ref.size() + 63) / 64 * 8;  // after the words
  for (size_t at = tables; at < body.size(); ++at) {
    for (const uint8_t mask : {0x01, 0x80, 0xff}) {
      std::string bad = body;
      bad[at] = static_cast<char>(bad[at] ^ mask);
      // Exact-size copy, so ASan sees any read past the arrays.
      std::vector<char> copy(bad.begin(), bad.end());
      ByteCursor cur(std::string_view(copy.data(), copy.size()));
      BitVectorView view;
      ASSERT_TRUE(view.Open(desc, &cur, "bv").ok());
      for (uint64_t k = 0; k < desc.num_ones; k += 7) {
        const uint64_t p = view.Select1(k);
        ASSERT_TRUE(p == BitVectorView::kNotFound || p < ref.size());
        ASSERT_EQ(view.Select1Inline(k), p);
      }
    }
  }
}

}  // namespace
}  // namespace sctable::coindex
