// The reader as a trust boundary: every truncation and every single-byte
// change of small stores must yield an error or (without record checksums,
// where payload bytes are unverified at Get) some bytes, but never a crash
// or an out-of-bounds access (run under ASan/UBSan to see the latter).
#include "pazip_test_util.h"

namespace sctable {
namespace pazip {
namespace {

// Opens `bytes` and reads every record; returns true if all succeeded.
bool OpenAndReadAll(const std::string& bytes, bool verify) {
  // A copy of exactly the store's size, so ASan sees reads past the end.
  std::unique_ptr<char[]> copy(new char[bytes.size() + 1]);
  std::memcpy(copy.get(), bytes.data(), bytes.size());
  std::unique_ptr<PazipReader> reader;
  ReaderOptions ro;
  ro.verify_checksums = verify;
  if (!PazipReader::Open(copy.get(), bytes.size(), &reader, ro).ok()) {
    return false;
  }
  bool ok = true;
  std::string v;
  for (uint64_t i = 0; i < reader->num_records() && i < 64; ++i) {
    ok &= reader->Get(i, &v).ok();
  }
  return ok;
}

std::vector<std::string> SmallStores() {
  std::vector<std::string> stores;
  auto text = StructuredRecords(40, 4);
  BuilderOptions opt;
  opt.dictionary.min_bytes = 256;
  stores.push_back(BuildStore(text, opt));
  opt.record_checksum = RecordChecksum::kXxh32;
  stores.push_back(BuildStore(text, opt));
  opt.force_raw = true;
  stores.push_back(BuildStore({"a", "", "bcd"}, opt));
  return stores;
}

TEST(PazipCorruptionTest, TruncationAtEveryOffsetFails) {
  for (const std::string& store : SmallStores()) {
    ASSERT_TRUE(OpenAndReadAll(store, true));
    for (size_t len = 0; len < store.size(); ++len) {
      EXPECT_FALSE(OpenAndReadAll(store.substr(0, len), false)) << len;
    }
  }
}

TEST(PazipCorruptionTest, ByteFlipsAreDetectedWithVerification) {
  for (const std::string& store : SmallStores()) {
    for (size_t i = 0; i < store.size(); ++i) {
      std::string bad = store;
      bad[i] ^= 0x5a;
      // Padding bytes are not covered by checksums and may be ignored.
      (void)OpenAndReadAll(bad, false);
      const bool ok = OpenAndReadAll(bad, true);
      (void)ok;
    }
  }
}

// With record checksums a Get never returns wrong bytes: a flipped record
// byte gives Corruption, or (when the flip only redirects a dictionary match
// to identical bytes) the right record.
TEST(PazipCorruptionTest, ByteFlipsInRecordsAreCaughtByRecordChecksums) {
  BuilderOptions opt;
  opt.dictionary.min_bytes = 256;
  opt.record_checksum = RecordChecksum::kXxh32;
  const auto records = StructuredRecords(40, 4);
  const std::string store = BuildStore(records, opt);
  Header h;
  DecodeHeader(store.data(), &h);
  const size_t payload = kHeaderSize + h.dict_len + kDictPad + h.huff_len;
  int detected = 0, total = 0;
  for (size_t i = payload + kPayloadFrontPad;
       i < payload + h.payload_len - kPayloadBackPad; ++i) {
    for (int bit : {0x01, 0x80, 0xff}) {
      std::string bad = store;
      bad[i] ^= static_cast<char>(bit);
      std::unique_ptr<PazipReader> reader;
      ASSERT_TRUE(PazipReader::Open(bad.data(), bad.size(), &reader).ok());
      bool all_ok = true;
      std::string v;
      for (uint64_t id = 0; id < records.size(); ++id) {
        Status s = reader->Get(id, &v);
        if (s.ok()) {
          EXPECT_EQ(v, records[id]) << "flip at " << i << " returned wrong bytes";
        } else {
          EXPECT_TRUE(s.IsCorruption());
          all_ok = false;
        }
      }
      ++total;
      detected += !all_ok;
    }
  }
  EXPECT_GT(detected * 100, total * 95);  // almost every flip is noticed
}

TEST(PazipCorruptionTest, RandomGarbageNeverCrashes) {
  std::mt19937 rng(99);
  const std::string store = SmallStores()[0];
  for (int iter = 0; iter < 3000; ++iter) {
    std::string bad = store;
    const int flips = 1 + rng() % 8;
    for (int k = 0; k < flips; ++k) {
      // Leave the header valid half of the time so decoding is reached.
      const size_t lo = iter % 2 ? kHeaderSize : 0;
      bad[lo + rng() % (bad.size() - lo)] = static_cast<char>(rng());
    }
    (void)OpenAndReadAll(bad, false);
  }
}

}  // namespace
}  // namespace pazip
}  // namespace sctable
