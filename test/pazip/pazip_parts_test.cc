// Unit tests of the PA-Zip parts: Huffman code construction and validation,
// the offsets section, the record decoder on hand-made records, and golden
// bytes that pin the format.
#include <cstring>

#include "common/checksum.h"
#include "pazip/pazip_huffman.h"
#include "pazip/pazip_record_decoder.h"
#include "pazip_test_util.h"

namespace sctable {
namespace pazip {
namespace {

TEST(PazipHuffmanTest, LengthsAreLimitedAndComplete) {
  uint64_t freq[256];
  for (int s = 0; s < 256; ++s) freq[s] = 1ull << (s % 40);  // very skewed
  uint8_t lengths[256];
  BuildHuffmanLengths(freq, lengths);
  HuffmanTable table;
  EXPECT_TRUE(BuildHuffmanTable(lengths, &table).ok());
  for (int s = 0; s < 256; ++s) EXPECT_LE(lengths[s], kHuffMaxBits);
}

TEST(PazipHuffmanTest, SingleSymbolStillGivesCompleteCode) {
  uint64_t freq[256] = {0};
  freq['x'] = 100;
  uint8_t lengths[256];
  BuildHuffmanLengths(freq, lengths);
  HuffmanTable table;
  EXPECT_TRUE(BuildHuffmanTable(lengths, &table).ok());
  EXPECT_EQ(lengths['x'], 1);
}

TEST(PazipHuffmanTest, IncompleteOrOverlongCodesAreRejected) {
  uint8_t lengths[256] = {0};
  HuffmanTable table;
  EXPECT_TRUE(BuildHuffmanTable(lengths, &table).IsCorruption());
  lengths[0] = 1;
  EXPECT_TRUE(BuildHuffmanTable(lengths, &table).IsCorruption());
  lengths[1] = 1;
  EXPECT_TRUE(BuildHuffmanTable(lengths, &table).ok());
  lengths[2] = 1;  // over-subscribed
  EXPECT_TRUE(BuildHuffmanTable(lengths, &table).IsCorruption());
  std::memset(lengths, 0, sizeof(lengths));
  lengths[0] = 1;
  lengths[1] = kHuffMaxBits + 1;
  EXPECT_TRUE(BuildHuffmanTable(lengths, &table).IsCorruption());
}

TEST(PazipOffsetsTest, LargeAndSkewedOffsetsRoundTrip) {
  // Record lengths from 0 to 2^40 exercise per-block widths 0..41.
  std::vector<std::string> records;
  for (int i = 0; i < 300; ++i) records.push_back(std::string(i % 5 == 0 ? 0 : i, 'q'));
  ExpectRoundTrip(records);
  std::vector<uint64_t> offs = {8};
  for (int i = 0; i < 200; ++i) offs.push_back(offs.back() + (i == 100 ? (1ull << 40) : i));
  const std::string bytes = EncodeOffsets(offs);
  EXPECT_EQ(bytes.size() % 1, 0u);
  EXPECT_GE(bytes.size(), NumOffsetBlocks(199) * kBlockEntrySize);
}

// A hand-made coded record: literal "ab", local match (dist 2, len 4),
// dictionary match ("XYZW" at 3), i.e. "ababab" + "XYZW".
TEST(PazipRecordDecoderTest, DecodesHandMadeRecord) {
  uint8_t lengths[256] = {0};
  lengths['a'] = 1;
  lengths['b'] = 1;
  HuffmanTable table;
  ASSERT_TRUE(BuildHuffmanTable(lengths, &table).ok());
  uint16_t codes[256];
  CanonicalCodes(lengths, codes);
  std::string bits;
  BackwardBitWriter bw(&bits);
  bw.Add(codes['b'], 1);  // literals are written last-first
  bw.Add(codes['a'], 1);
  bw.Finish();
  std::string rec;
  PutVarint64(&rec, (10 << 1) | 1);
  const size_t header = rec.size();
  rec.push_back(static_cast<char>(2 | ((4 - kLocalMinMatch + kLocalCodeBase) << 3)));
  rec.push_back(1);  // distance - 1
  rec.push_back(static_cast<char>(0 | ((4 - kDictMinMatch + 1) << 3)));
  rec.push_back(static_cast<char>(ZigZagEncode(3)));
  rec += bits;
  const std::string dict = std::string("...XYZW...") + std::string(kDictPad, '\0');
  std::string payload = std::string(kPayloadFrontPad, '\0') + rec +
                        std::string(kPayloadBackPad, '\0');
  DecodeContext ctx;
  ctx.dict = dict.data();
  ctx.dict_len = 10;
  ctx.huff = &table;
  const char* b = payload.data() + kPayloadFrontPad;
  const char* e = b + rec.size();
  uint64_t raw_len;
  bool coded;
  const char* body = ParseRecordHeader(b, e, &raw_len, &coded);
  ASSERT_EQ(body, b + header);
  ASSERT_TRUE(coded);
  char out[10];
  ASSERT_TRUE(DecodeRecordBody(ctx, body, e, raw_len, coded, out));
  EXPECT_EQ(std::string(out, 10), "ababXYZW" == std::string() ? "" : std::string("ababab") + "XYZW");
  // Dictionary offset past the end, and a local distance before the start.
  std::string bad = payload;
  bad[kPayloadFrontPad + header + 3] = static_cast<char>(ZigZagEncode(7));
  EXPECT_FALSE(DecodeRecordBody(ctx, bad.data() + (body - payload.data()),
                                bad.data() + (e - payload.data()), raw_len,
                                coded, out));
  bad = payload;
  bad[kPayloadFrontPad + header + 1] = 2;
  EXPECT_FALSE(DecodeRecordBody(ctx, bad.data() + (body - payload.data()),
                                bad.data() + (e - payload.data()), raw_len,
                                coded, out));
}

// Pins the format: a change in the bytes written for this input must be a
// deliberate format change (bump kFormatVersion, docs/format.md changelog).
TEST(PazipGoldenTest, SmallStoreBytesArePinned) {
  std::vector<std::string> records;
  for (int i = 0; i < 64; ++i) {
    records.push_back("Package: golden" + std::to_string(i % 7) +
                      "\nVersion: 1." + std::to_string(i) + "\n");
  }
  BuilderOptions opt;
  opt.dictionary.min_bytes = 256;
  const std::string store = BuildStore(records, opt);
  Header h;
  DecodeHeader(store.data(), &h);
  EXPECT_EQ(h.magic, kMagic);
  EXPECT_EQ(std::string(store.data(), 8), "PAZIPst1");
  EXPECT_EQ(h.kind, static_cast<uint8_t>(StoreKind::kDictZip));
  EXPECT_EQ(store.size(), 1246u);
  EXPECT_EQ(Checksum64(store), 16113955956885524560ull);
}

}  // namespace
}  // namespace pazip
}  // namespace sctable
