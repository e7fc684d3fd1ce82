// Golden bytes of the SearchableTable sections sctable encodes itself
// (docs/format.md §Versions section, §Meta section): an accidental format
// change fails here. A deliberate one moves the spec, the layout version and
// these bytes together.
#include <gtest/gtest.h>

#include <string>

#include "table_factory/meta_section.h"
#include "table_factory/version_data.h"

namespace sctable {
namespace {

std::string Hex(const std::string& s) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : s) {
    out.push_back(digits[c >> 4]);
    out.push_back(digits[c & 15]);
  }
  return out;
}

TEST(FormatGoldenTest, VersionsKindZeroIsThreeHeaderFields) {
  VersionDataBuilder b;
  for (int i = 0; i < 3; ++i) {
    b.StartKey();
    b.AddEntry(0, 0x1);
  }
  std::string out;
  b.Finish(&out);
  EXPECT_EQ(Hex(out), "000303");
}

TEST(FormatGoldenTest, VersionsKindOnePacksSeqDeltaAndTypeIndex) {
  VersionDataBuilder b;
  const uint64_t seqs[] = {100, 103, 101};
  const uint8_t types[] = {0x1, 0x0, 0x2};
  for (int i = 0; i < 3; ++i) {
    b.StartKey();
    b.AddEntry(seqs[i], types[i]);
  }
  std::string out;
  b.Finish(&out);
  // kind 1, 3 keys, 3 entries, min_seq 100, 2 seq bits, 2 type bits,
  // types {0,1,2}; codes 1, 12, 6 at 4 bits; 8 bytes of padding.
  EXPECT_EQ(Hex(out), "01030364020203000102c1060000000000000000");
  VersionDataReader r;
  ASSERT_TRUE(r.Open(out).ok());
  for (int i = 0; i < 3; ++i) {
    uint64_t seq;
    uint8_t type;
    ASSERT_TRUE(r.Entry(i, &seq, &type));
    EXPECT_EQ(seq, seqs[i]);
    EXPECT_EQ(type, types[i]);
  }
}

TEST(FormatGoldenTest, VersionsKindTwoStoresKeyStarts) {
  VersionDataBuilder b;
  b.StartKey();
  b.AddEntry(9, 0x2);
  b.AddEntry(5, 0x1);
  b.StartKey();
  b.AddEntry(7, 0x7);
  std::string out;
  b.Finish(&out);
  EXPECT_EQ(Hex(out), "020203050302030102070238000000000000000011280000000000000000");
  VersionDataReader r;
  ASSERT_TRUE(r.Open(out).ok());
  uint64_t begin, end;
  ASSERT_TRUE(r.EntryRange(0, &begin, &end).ok());
  EXPECT_EQ(begin, 0u);
  EXPECT_EQ(end, 2u);
  ASSERT_TRUE(r.EntryRange(1, &begin, &end).ok());
  EXPECT_EQ(begin, 2u);
  EXPECT_EQ(end, 3u);
}

TEST(FormatGoldenTest, MetaSectionBytes) {
  MetaSection m;
  m.checksum_level = 1;
  m.sections.push_back({"sctable.keys", 10, 20, 0x0102030405060708ull});
  std::string out;
  m.EncodeTo(&out);
  // version 1, level 1, one section: name, offset 10, size 20, checksum;
  // then XXH3-64 of all of it.
  EXPECT_EQ(Hex(out),
            "0101010c73637461626c652e6b6579730a140807060504030201917cec54dad311c8");
  MetaSection back;
  ASSERT_TRUE(back.DecodeFrom(out).ok());
  ASSERT_EQ(back.sections.size(), 1u);
  EXPECT_EQ(back.sections[0].name, "sctable.keys");
  EXPECT_EQ(back.sections[0].checksum, 0x0102030405060708ull);
}

}  // namespace
}  // namespace sctable
