#include "common/coding.h"

#include <gtest/gtest.h>

#include <limits>
#include <random>
#include <vector>

namespace sctable {
namespace {

TEST(CodingTest, FixedIsLittleEndian) {
  std::string s;
  PutFixed32(&s, 0x04030201u);
  PutFixed64(&s, 0x0807060504030201ull);
  PutFixed16(&s, 0x0201);
  ASSERT_EQ(s.size(), 14u);
  EXPECT_EQ(s.substr(0, 4), std::string("\x01\x02\x03\x04", 4));
  EXPECT_EQ(s.substr(4, 8), std::string("\x01\x02\x03\x04\x05\x06\x07\x08", 8));
  EXPECT_EQ(DecodeFixed32(s.data()), 0x04030201u);
  EXPECT_EQ(DecodeFixed64(s.data() + 4), 0x0807060504030201ull);
  EXPECT_EQ(DecodeFixed16(s.data() + 12), 0x0201);
}

TEST(CodingTest, VarintRoundTripsBoundaryValues) {
  std::vector<uint64_t> values = {0, 1, 127, 128, 255, 300, 16383, 16384,
                                  UINT32_MAX, uint64_t{UINT32_MAX} + 1,
                                  std::numeric_limits<uint64_t>::max()};
  std::mt19937_64 rng(7);
  for (int i = 0; i < 1000; ++i) values.push_back(rng() >> (rng() % 64));
  std::string s;
  for (uint64_t v : values) PutVarint64(&s, v);
  const char* p = s.data();
  const char* limit = s.data() + s.size();
  for (uint64_t v : values) {
    uint64_t got = 0;
    const char* q = GetVarint64Ptr(p, limit, &got);
    ASSERT_NE(q, nullptr);
    EXPECT_EQ(got, v);
    EXPECT_EQ(q - p, VarintLength(v));
    p = q;
  }
  EXPECT_EQ(p, limit);
}

TEST(CodingTest, VarintLengthOfMaxIsTen) {
  EXPECT_EQ(VarintLength(std::numeric_limits<uint64_t>::max()),
            kMaxVarint64Bytes);
  EXPECT_EQ(VarintLength(0), 1);
}

TEST(CodingTest, TruncatedVarintIsRejectedAtEveryLength) {
  std::string s;
  PutVarint64(&s, std::numeric_limits<uint64_t>::max());
  for (size_t n = 0; n < s.size(); ++n) {
    uint64_t v = 0;
    EXPECT_EQ(GetVarint64Ptr(s.data(), s.data() + n, &v), nullptr) << n;
  }
}

TEST(CodingTest, OverlongVarintIsRejected) {
  // Eleven continuation bytes: no valid uint64 is this long.
  std::string s(11, '\xff');
  s.push_back('\x01');
  uint64_t v = 0;
  EXPECT_EQ(GetVarint64Ptr(s.data(), s.data() + s.size(), &v), nullptr);
  // Ten bytes whose last carries more than the top bit: overflows 64 bits.
  std::string t(9, '\xff');
  t.push_back('\x02');
  EXPECT_EQ(GetVarint64Ptr(t.data(), t.data() + t.size(), &v), nullptr);
}

TEST(CodingTest, Varint32RejectsValuesAbove32Bits) {
  std::string s;
  PutVarint64(&s, uint64_t{UINT32_MAX} + 1);
  uint32_t v = 0;
  EXPECT_EQ(GetVarint32Ptr(s.data(), s.data() + s.size(), &v), nullptr);
  s.clear();
  PutVarint32(&s, UINT32_MAX);
  ASSERT_NE(GetVarint32Ptr(s.data(), s.data() + s.size(), &v), nullptr);
  EXPECT_EQ(v, UINT32_MAX);
}

}  // namespace
}  // namespace sctable
