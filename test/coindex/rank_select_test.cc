// Rank/select against naive scans and sdsl-lite as a reference oracle.
#include "coindex/rank_select.h"

#include <random>

#include <gtest/gtest.h>
#include <sdsl/bit_vectors.hpp>

#include "common/bits.h"

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

}  // namespace
}  // namespace sctable::coindex
