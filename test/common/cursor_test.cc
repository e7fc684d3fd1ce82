#include "common/cursor.h"

#include <gtest/gtest.h>

#include <random>

#include "common/coding.h"

namespace sctable {
namespace {

std::string SampleRecord() {
  std::string s;
  s.push_back('\x07');
  PutFixed16(&s, 0xbeef);
  PutFixed32(&s, 0xdeadbeef);
  PutFixed64(&s, 0x0123456789abcdefull);
  PutVarint64(&s, 1u << 20);
  PutVarint32(&s, 5);
  s += "hello";
  return s;
}

// Reads SampleRecord's fields; returns the first error.
Status ReadSample(ByteCursor* c, std::string* payload) {
  uint8_t a;
  uint16_t b;
  uint32_t d;
  uint64_t e, f;
  std::string_view bytes;
  SCTABLE_RETURN_IF_ERROR(c->ReadU8("tag", &a));
  SCTABLE_RETURN_IF_ERROR(c->ReadFixed16("u16", &b));
  SCTABLE_RETURN_IF_ERROR(c->ReadFixed32("u32", &d));
  SCTABLE_RETURN_IF_ERROR(c->ReadFixed64("u64", &e));
  SCTABLE_RETURN_IF_ERROR(c->ReadVarint64("count", &f));
  SCTABLE_RETURN_IF_ERROR(c->ReadLengthPrefixed("payload", &bytes));
  if (a != 7 || b != 0xbeef || d != 0xdeadbeef ||
      e != 0x0123456789abcdefull || f != (1u << 20)) {
    return Status::Corruption("wrong values");
  }
  payload->assign(bytes);
  return Status::OK();
}

TEST(ByteCursorTest, ReadsEveryFieldKind) {
  std::string rec = SampleRecord();
  ByteCursor c(rec);
  std::string payload;
  ASSERT_TRUE(ReadSample(&c, &payload).ok());
  EXPECT_EQ(payload, "hello");
  EXPECT_TRUE(c.empty());
}

TEST(ByteCursorTest, EveryTruncationFailsWithCorruptionNamingAField) {
  std::string rec = SampleRecord();
  for (size_t n = 0; n < rec.size(); ++n) {
    std::string cut = rec.substr(0, n);  // own allocation: ASan sees overreads
    ByteCursor c(cut);
    std::string payload;
    Status s = ReadSample(&c, &payload);
    ASSERT_TRUE(s.IsCorruption()) << n << ": " << s.ToString();
    EXPECT_NE(s.message().find("truncated"), std::string::npos) << s.message();
    EXPECT_LE(c.position(), n);
  }
}

TEST(ByteCursorTest, ErrorNamesTheField) {
  std::string rec = "\x01\x02";
  ByteCursor c(rec);
  uint32_t v;
  Status s = c.ReadFixed32("label_count", &v);
  EXPECT_TRUE(s.IsCorruption());
  EXPECT_EQ(s.message(), "label_count: truncated (need 4, have 2)");
  EXPECT_EQ(c.position(), 0u);  // a failed read consumes nothing
}

TEST(ByteCursorTest, HugeLengthPrefixDoesNotWrap) {
  std::string s;
  PutVarint64(&s, std::numeric_limits<uint64_t>::max());
  s += "abc";
  ByteCursor c(s);
  std::string_view out;
  EXPECT_TRUE(c.ReadLengthPrefixed("blob", &out).IsCorruption());
}

TEST(ByteCursorTest, ArraySizeOverflowIsCorruption) {
  std::string s(64, 'x');
  ByteCursor c(s);
  std::string_view out;
  Status st = c.ReadArray("offsets", uint64_t{1} << 62, 8, &out);
  EXPECT_TRUE(st.IsCorruption());
  EXPECT_NE(st.message().find("overflow"), std::string::npos);
  ASSERT_TRUE(c.ReadArray("offsets", 8, 8, &out).ok());
  EXPECT_EQ(out.size(), 64u);
}

TEST(ByteCursorTest, OverlongVarintSaysOverflow) {
  const std::string s = std::string(12, '\xff') + "\x01";
  ByteCursor c(s);  // the cursor borrows: the bytes must outlive it
  uint64_t v;
  Status st = c.ReadVarint64("n", &v);
  EXPECT_TRUE(st.IsCorruption());
  EXPECT_NE(st.message().find("overflow"), std::string::npos) << st.message();
}

TEST(ByteCursorTest, Varint32RejectsWideValue) {
  std::string s;
  PutVarint64(&s, uint64_t{1} << 40);
  ByteCursor c(s);
  uint32_t v;
  EXPECT_TRUE(c.ReadVarint32("n", &v).IsCorruption());
}

TEST(ByteCursorTest, AlignSkipsToBoundaryOrFails) {
  std::string s(10, '\0');
  ByteCursor c(s);
  uint8_t b;
  ASSERT_TRUE(c.ReadU8("a", &b).ok());
  ASSERT_TRUE(c.Align("pad", 8).ok());
  EXPECT_EQ(c.position(), 8u);
  ASSERT_TRUE(c.Align("pad", 8).ok());
  EXPECT_EQ(c.position(), 8u);
  ASSERT_TRUE(c.ReadU8("a", &b).ok());
  EXPECT_TRUE(c.Align("pad", 8).IsCorruption());
}

TEST(ByteCursorTest, RandomGarbageNeverReadsOutOfBounds) {
  // Hostile input: random bytes parsed as the sample grammar. Under ASan any
  // overread aborts; otherwise every outcome must be OK or Corruption.
  std::mt19937 rng(12345);
  for (int iter = 0; iter < 20000; ++iter) {
    std::string junk(rng() % 40, '\0');
    for (auto& ch : junk) ch = static_cast<char>(rng());
    ByteCursor c(junk);
    std::string payload;
    Status s = ReadSample(&c, &payload);
    ASSERT_TRUE(s.ok() || s.IsCorruption()) << s.ToString();
    EXPECT_LE(c.position(), junk.size());
  }
}

}  // namespace
}  // namespace sctable
