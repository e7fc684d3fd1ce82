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

// A hand-made coded record (format version 2): literals "ab", then a local
// match (dist 2, len 4), then a dictionary match ("XYZW" at absolute
// offset 3), i.e. "ababab" + "XYZW". Two sequences: (LL 2, ML 4, local 2),
// (LL 0, ML 4, abs 3).
TEST(PazipRecordDecoderTest, DecodesHandMadeRecord) {
  std::string lengths(kTablesLen, '\0');  // every literal context: 0
  for (unsigned k = 0; k < kLitContexts; ++k) {  // each code must be complete
    lengths[kLitTablesOffset + 256 * k + 'a'] = 1;
    lengths[kLitTablesOffset + 256 * k + 'b'] = 1;
  }
  uint8_t* ll = reinterpret_cast<uint8_t*>(&lengths[kSeqTablesOffset]);
  uint8_t* ml = ll + kSeqSymbols;
  uint8_t* of = ml + kSeqSymbols;
  ll[0] = 1;  // LL 0 -> code 0
  ll[2] = 1;  // LL 2 -> code 1
  ml[1] = 1;  // ML 4 (m = 1) -> code 0
  ml[2] = 1;
  unsigned nb;
  const unsigned local_sym = OFLocalSymbol(2, &nb);   // 65, 1 extra bit (0)
  const unsigned abs_sym = OFAbsSymbol(3, &nb);       // 34, 2 extra bits (0)
  of[abs_sym] = 1;    // code 0
  of[local_sym] = 1;  // code 1
  CodeTables tables;
  ASSERT_TRUE(BuildCodeTables(reinterpret_cast<const uint8_t*>(lengths.data()),
                              &tables).ok());
  uint16_t codes[256];
  CanonicalCodes(reinterpret_cast<const uint8_t*>(lengths.data()) + kLitTablesOffset,
                 codes);
  std::string bits;
  BackwardBitWriter bw(&bits);
  bw.Add(codes['b'], 1);  // literals are written last-first
  bw.Add(codes['a'], 1);
  bw.Finish();
  std::string seq;
  BackwardBitWriter fw(&seq);  // forward stream: LSB-first
  fw.Add(1, 1);  // LL 2
  fw.Add(0, 1);  // ML 4
  fw.Add(1, 1);  // OF local, nb 1
  fw.Add(0, 1);  //   dist = 2 + 0
  fw.Add(0, 1);  // LL 0
  fw.Add(0, 1);  // ML 4
  fw.Add(0, 1);  // OF abs, nb 2
  fw.Add(0, 2);  //   off + 1 = 4 + 0
  fw.Flush();
  ASSERT_EQ(seq.size(), 2u);
  std::string rec;
  PutVarint64(&rec, (10 << 1) | 1);
  const size_t header = rec.size();
  rec += seq;
  rec += bits;
  const std::string dict = std::string("...XYZW...") + std::string(kDictPad, '\0');
  std::string payload = std::string(kPayloadFrontPad, '\0') + rec +
                        std::string(kPayloadBackPad, '\0');
  DecodeContext ctx;
  ctx.dict = dict.data();
  ctx.dict_len = 10;
  ctx.tables = &tables;
  const char* b = payload.data() + kPayloadFrontPad;
  const char* e = b + rec.size();
  uint64_t raw_len;
  bool coded;
  const char* body = ParseRecordHeader(b, e, &raw_len, &coded);
  ASSERT_EQ(body, b + header);
  ASSERT_TRUE(coded);
  char out[10];
  ASSERT_TRUE(DecodeRecordBody(ctx, body, e, raw_len, coded, out));
  EXPECT_EQ(std::string(out, 10), "ababab" + std::string("XYZW"));
  auto decodes = [&](const std::string& bad) {
    return DecodeRecordBody(ctx, bad.data() + (body - payload.data()),
                            bad.data() + (e - payload.data()), raw_len, coded,
                            out);
  };
  // Dictionary offset past the end (extra bits 3: off 6, 6 + 4 > 10 is
  // fine, so use a dictionary of 9 bytes instead), a local distance before
  // the start, a set padding bit, and a table coding an invalid symbol.
  ctx.dict_len = 6;
  EXPECT_FALSE(decodes(payload));
  ctx.dict_len = 10;
  std::string bad = payload;
  bad[kPayloadFrontPad + header] |= 1 << 3;  // dist 3 > 2 bytes written
  EXPECT_FALSE(decodes(bad));
  bad = payload;
  bad[kPayloadFrontPad + header + 1] |= 0x80;  // padding bit
  EXPECT_FALSE(decodes(bad));
  std::string bad_tables = lengths;
  bad_tables[kSeqTablesOffset + 2 * kSeqSymbols + kOFDictSymbols] = 1;
  bad_tables[kSeqTablesOffset + 2 * kSeqSymbols + abs_sym] = 0;
  EXPECT_TRUE(BuildCodeTables(reinterpret_cast<const uint8_t*>(bad_tables.data()),
                              &tables).IsCorruption());
  bad_tables = lengths;
  bad_tables[7] = kLitContexts;  // literal context out of range
  EXPECT_TRUE(BuildCodeTables(reinterpret_cast<const uint8_t*>(bad_tables.data()),
                              &tables).IsCorruption());
}

// Pins the format: a change in the bytes written for this input must be a
// deliberate format change (bump kFormatVersion, docs/format.md changelog).
TEST(PazipGoldenTest, SmallStoreBytesArePinned) {
  std::vector<std::string> records;
  for (int i = 0; i < 400; ++i) {  // big enough that the code tables pay
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
  EXPECT_EQ(store.size(), 4752u);
  EXPECT_EQ(Checksum64(store), 14814829457095921605ull);
}

}  // namespace
}  // namespace pazip
}  // namespace sctable
