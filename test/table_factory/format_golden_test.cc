// Golden bytes of the SearchableTable sections sctable encodes itself
// (docs/format.md §Versions section, §Meta section): an accidental format
// change fails here. A deliberate one moves the spec, the layout version and
// these bytes together.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/checksum.h"
#include "table_factory/key_filter.h"
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
  // version 2, level 1, one section: name, offset 10, size 20, checksum;
  // then XXH3-64 of all of it.
  EXPECT_EQ(Hex(out),
            "0201010c73637461626c652e6b6579730a140807060504030201d6a2a1e83633d6cc");
  MetaSection back;
  ASSERT_TRUE(back.DecodeFrom(out).ok());
  ASSERT_EQ(back.sections.size(), 1u);
  EXPECT_EQ(back.sections[0].name, "sctable.keys");
  EXPECT_EQ(back.sections[0].checksum, 0x0102030405060708ull);
}

// Files of layout version 1 (no filter section) are still read.
TEST(FormatGoldenTest, MetaSectionVersionOneStillDecodes) {
  const std::string v1_hex =
      "0101010c73637461626c652e6b6579730a140807060504030201917cec54dad311c8";
  std::string v1;
  for (size_t i = 0; i < v1_hex.size(); i += 2) {
    v1.push_back(static_cast<char>(std::stoi(v1_hex.substr(i, 2), nullptr, 16)));
  }
  MetaSection m;
  ASSERT_TRUE(m.DecodeFrom(v1).ok());
  EXPECT_EQ(m.version, 1u);
  ASSERT_EQ(m.sections.size(), 1u);
  EXPECT_EQ(m.sections[0].offset, 10u);
}

TEST(FormatGoldenTest, FilterSectionBytes) {
  KeyFilterBuilder b(10);
  for (const char* k : {"apple", "banana", "cherry"}) b.AddKey(k);
  std::string out;
  b.Finish(&out);
  // One line (30 bits round up to 512), 7 probes (round(10 * 0.69)), then
  // the 64-byte line.
  EXPECT_EQ(Hex(out).substr(0, 4), "0107");
  EXPECT_EQ(out.size(), 2u + 64u);
  EXPECT_EQ(Hex(out.substr(2)), "0000010000000000000000000000001902000000000000100181000000000040000000000420000002a000001000000000000040800000008000002400000000");
}

// The bits the builder sets are exactly those docs/format.md §Filter section
// describes, derived here from the spec's formula rather than the builder.
TEST(FormatGoldenTest, FilterBitsFollowTheSpec) {
  KeyFilterBuilder b(10);
  std::vector<std::string> keys;
  for (int i = 0; i < 1000; ++i) keys.push_back("key" + std::to_string(i));
  for (const auto& k : keys) b.AddKey(k);
  std::string out;
  b.Finish(&out);
  const uint64_t num_lines = 20;  // ceil(1000 * 10 / 512)
  ASSERT_EQ(static_cast<uint8_t>(out[0]), num_lines);
  ASSERT_EQ(static_cast<uint8_t>(out[1]), 7);
  ASSERT_EQ(out.size(), 2 + num_lines * 64);
  std::string expect(num_lines * 64, '\0');
  for (const auto& k : keys) {
    const uint64_t h = Checksum64(k);
    const uint64_t line = ((h >> 32) * num_lines) >> 32;
    uint32_t g = static_cast<uint32_t>(h);
    for (int i = 0; i < 7; ++i) {
      const uint32_t bit = g >> 23;
      expect[line * 64 + bit / 8] |= static_cast<char>(1u << (bit % 8));
      g *= 0x9e3779b9u;
    }
  }
  EXPECT_EQ(Hex(out.substr(2)), Hex(expect));
}

}  // namespace
}  // namespace sctable
