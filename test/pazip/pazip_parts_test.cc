// Unit tests of the PA-Zip parts: Huffman code construction and validation,
// the offsets section, the record decoder on hand-made records, the
// dictionary matcher against brute force, and golden bytes that pin the
// format.
#include <cstring>
#include <fstream>
#include <iterator>
#include <random>

#include "common/checksum.h"
#include "pazip/pazip_dictionary_builder.h"
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
  // The offsets section itself, read back by ReadOffset: gaps of 0, small
  // and huge (zero runs longer than a load, low widths up to 56), and
  // partial last blocks.
  std::mt19937_64 rng(17);
  for (int round = 0; round < 40; ++round) {
    std::vector<uint64_t> offs = {8};
    const int n = 1 + static_cast<int>(rng() % 300);
    for (int i = 0; i < n; ++i) {
      const uint64_t kind = rng() % 10;
      const uint64_t gap = kind < 3 ? 0 : kind < 8 ? rng() % 40
                                     : kind < 9 ? rng() % 5000 : (rng() % 3) << (20 + rng() % 21);
      offs.push_back(offs.back() + gap);
    }
    std::string bytes = EncodeOffsets(offs);
    const uint64_t blocks = NumOffsetBlocks(offs.size() - 1);
    ASSERT_GE(bytes.size(), blocks * kBlockEntrySize);
    const uint64_t packed_bits = (bytes.size() - blocks * kBlockEntrySize) * 8;
    bytes.append(8, '\0');  // the section's padding
    for (uint64_t k = 0; k < offs.size(); ++k) {
      uint64_t off = 0;
      ASSERT_TRUE(ReadOffset(bytes.data(), blocks, bytes.data() + blocks * kBlockEntrySize,
                             packed_bits, offs.size(), kFormatVersion, k, &off))
          << round << " " << k;
      ASSERT_EQ(off, offs[k]) << round << " " << k;
    }
  }
  // Elias-Fano needs fewer bits than fixed widths for even small records:
  // 64 offsets 11 bytes apart take 16 + 63 * 10 bits with fixed widths.
  std::vector<uint64_t> even = {8};
  for (int i = 0; i < 63; ++i) even.push_back(even.back() + 9 + i % 5);
  EXPECT_LE(EncodeOffsets(even).size(), 16u + (63 * 6 + 7) / 8);
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
  ASSERT_TRUE(DecodeRecordBody(ctx, body, e, raw_len, coded, {}, out));
  EXPECT_EQ(std::string(out, 10), "ababab" + std::string("XYZW"));
  auto decodes = [&](const std::string& bad) {
    return DecodeRecordBody(ctx, bad.data() + (body - payload.data()),
                            bad.data() + (e - payload.data()), raw_len, coded,
                            {}, out);
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

// Longest prefix of q occurring anywhere in dict, by brute force.
uint64_t BruteLongest(const std::string& dict, const std::string& q) {
  uint64_t best = 0;
  for (size_t s = 0; s < dict.size(); ++s) {
    uint64_t l = 0;
    while (l < q.size() && s + l < dict.size() && dict[s + l] == q[l]) ++l;
    best = std::max(best, l);
  }
  return best;
}

TEST(PazipDictMatcherTest, FindsTheLongestMatchLikeBruteForce) {
  std::mt19937_64 rng(7);
  // Few distinct bytes and repeated phrases: large suffix-array groups,
  // long matches, and matches that run into the dictionary's end.
  std::string dict;
  const char* phrases[] = {"Package: ", "Version: 1.", "Depends: libc6", "\n", "aaaaaaaaaaaa"};
  while (dict.size() < 6000) {
    if (rng() % 3 == 0) {
      dict += phrases[rng() % 5];
    } else {
      dict.push_back(static_cast<char>("abc\0\xff"[rng() % 5]));
    }
  }
  DictMatcher m(dict);
  for (int iter = 0; iter < 3000; ++iter) {
    std::string q;
    if (iter % 3 == 0) {  // random bytes from the same alphabet
      for (int k = 0; k < 20; ++k) q.push_back(static_cast<char>("abc\0\xff"[rng() % 5]));
    } else {  // a dictionary substring, maybe mutated or cut at the end
      const size_t s = rng() % dict.size();
      q = dict.substr(s, 1 + rng() % 40);
      if (iter % 3 == 1 && q.size() > 8) q[6 + rng() % (q.size() - 6)] ^= 1;
    }
    const auto* p = reinterpret_cast<const uint8_t*>(q.data());
    if (q.size() >= 6) m.Prefetch(p);
    const uint64_t want = BruteLongest(dict, q);
    uint64_t off = ~0ull;
    DictMatcher::Frontier fr;
    const uint64_t got = m.Find(p, q.size(), rng() % dict.size(), &off, &fr);
    if (want < 6) {
      EXPECT_EQ(got, 0u) << iter;
      continue;
    }
    ASSERT_EQ(got, want) << iter;
    ASSERT_LE(off + got, dict.size());
    EXPECT_EQ(dict.compare(off, got, q, 0, got), 0) << iter;
    // Frontier: real matches, length descending, each offset below all
    // longer ones', the first as long as the longest.
    ASSERT_GE(fr.n, 1u);
    EXPECT_EQ(fr.len[0], want);
    for (unsigned j = 0; j < fr.n; ++j) {
      EXPECT_EQ(dict.compare(fr.off[j], fr.len[j], q, 0, fr.len[j]), 0);
      if (j) {
        EXPECT_LT(fr.len[j], fr.len[j - 1]);
        EXPECT_LT(fr.off[j], fr.off[j - 1]);
      }
    }
    // Without a frontier the answer is the same length.
    uint64_t off2 = ~0ull;
    EXPECT_EQ(m.Find(p, q.size(), 0, &off2), want);
  }
}

TEST(PazipDictMatcherTest, TinyAndEmptyDictionariesFindNothing) {
  const std::string q = "abcdefgh";
  const auto* p = reinterpret_cast<const uint8_t*>(q.data());
  uint64_t off = 0;
  for (const char* d : {"", "abcde"}) {
    const std::string dict(d);
    DictMatcher m(dict);
    m.Prefetch(p);
    EXPECT_EQ(m.Find(p, q.size(), 0, &off), 0u);
  }
  DictMatcher exact("abcdef");
  EXPECT_EQ(exact.Find(p, q.size(), 0, &off), 6u);
  EXPECT_EQ(off, 0u);
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
  EXPECT_EQ(h.version, 3u);
  EXPECT_EQ(h.flags, 0u);
  EXPECT_EQ(store.size(), 4521u);
  EXPECT_EQ(Checksum64(store), 1478465716099153027ull);
}

// Version 2 stores (fixed-width offsets, no flags) still read: the same
// records as above, built by the version 2 writer (4752 bytes).
TEST(PazipGoldenTest, VersionTwoStoreStillReads) {
  std::ifstream f(std::string(SCTABLE_SOURCE_DIR) + "/test/pazip/testdata/v2_small.pazip",
                  std::ios::binary);
  const std::string store((std::istreambuf_iterator<char>(f)),
                          std::istreambuf_iterator<char>());
  ASSERT_EQ(store.size(), 4752u);
  EXPECT_EQ(Checksum64(store), 14814829457095921605ull);
  std::unique_ptr<PazipReader> reader;
  ReaderOptions ro;
  ro.verify_checksums = true;
  ASSERT_TRUE(PazipReader::Open(store.data(), store.size(), &reader, ro).ok());
  EXPECT_FALSE(reader->keyed());
  ASSERT_EQ(reader->num_records(), 400u);
  std::string value;
  for (int i = 0; i < 400; ++i) {
    ASSERT_TRUE(reader->Get(i, &value).ok()) << i;
    EXPECT_EQ(value, "Package: golden" + std::to_string(i % 7) + "\nVersion: 1." +
                         std::to_string(i) + "\n");
  }
  // A version 2 header with flags set is refused.
  std::string flagged = store;
  flagged[15] = 1;
  Header h;
  DecodeHeader(flagged.data(), &h);
  EncodeHeader(h, &flagged[0]);
  EXPECT_TRUE(PazipReader::Open(flagged.data(), flagged.size(), &reader).IsCorruption());
}

// The same for a keyed store (format version 3, flags bit 0).
TEST(PazipGoldenTest, SmallKeyedStoreBytesArePinned) {
  std::vector<std::string> records, keys;
  for (int i = 0; i < 400; ++i) {
    keys.push_back("golden" + std::to_string(i));
    records.push_back("Package: golden" + std::to_string(i) + "\nVersion: 1." +
                      std::to_string(i % 7) + "\n");
  }
  BuilderOptions opt;
  opt.dictionary.min_bytes = 256;
  std::vector<std::string_view> rv(records.begin(), records.end());
  std::vector<std::string_view> kv(keys.begin(), keys.end());
  std::string store;
  ASSERT_TRUE(PazipBuilder::Build(rv, kv, opt, &store).ok());
  Header h;
  DecodeHeader(store.data(), &h);
  EXPECT_EQ(h.version, 3u);
  EXPECT_EQ(h.flags, kFlagKeyed);
  EXPECT_EQ(store.size(), 4690u);
  EXPECT_EQ(Checksum64(store), 4933561175160149000ull);
}

// A local match may reach into the key by at most its length: a record
// coded entirely from its key, read with shorter keys, must be rejected
// (ASan builds check that nothing outside the key is read).
TEST(PazipKeyedTest, DecoderRejectsMatchesBeforeTheKeysStart) {
  std::vector<std::string> records, keys;
  for (int i = 0; i < 300; ++i) {
    keys.push_back("k" + std::to_string(i * 7919) + "-some-longer-name-" +
                   std::to_string(i));
    records.push_back(keys.back());  // the record is its key
  }
  std::vector<std::string_view> rv(records.begin(), records.end());
  std::vector<std::string_view> kv(keys.begin(), keys.end());
  std::string store;
  BuilderOptions opt;
  opt.dictionary.min_bytes = 256;  // else a 16 KiB dictionary outweighs 9 KB
  ASSERT_TRUE(PazipBuilder::Build(rv, kv, opt, &store).ok());
  std::unique_ptr<PazipReader> reader;
  ASSERT_TRUE(PazipReader::Open(store.data(), store.size(), &reader).ok());
  ASSERT_TRUE(reader->keyed());
  std::string value;
  int rejected = 0;
  for (size_t i = 0; i < records.size(); ++i) {
    ASSERT_TRUE(reader->Get(i, keys[i], &value).ok()) << i;
    ASSERT_EQ(value, records[i]);
    // Shorter keys (separate buffers, so ASan sees any read past them).
    for (size_t cut : {size_t{0}, size_t{1}, keys[i].size() / 2}) {
      const std::string shorter = keys[i].substr(keys[i].size() - cut);
      Status st = reader->Get(i, shorter, &value);
      if (!st.ok()) {
        EXPECT_TRUE(st.IsCorruption()) << st.ToString();
        ++rejected;
      }
    }
  }
  // Nearly every record copies most of itself from its key.
  EXPECT_GT(rejected, static_cast<int>(records.size()));
}

}  // namespace
}  // namespace pazip
}  // namespace sctable
