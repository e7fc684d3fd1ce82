// Shared helpers of the PA-Zip tests: record generators and round trips.
#pragma once

#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "pazip/pazip_builder.h"
#include "pazip/pazip_reader.h"

namespace sctable {
namespace pazip {

inline std::string BuildStore(const std::vector<std::string>& records,
                              const BuilderOptions& options = BuilderOptions(),
                              BuildStats* stats = nullptr) {
  PazipBuilder builder(options);
  for (const auto& r : records) builder.Add(r);
  std::string store;
  EXPECT_TRUE(builder.Finish(&store).ok());
  if (stats) *stats = builder.stats();
  return store;
}

// Builds, opens with checksum verification, and checks every record by Get
// (both forms) and by GetRun.
inline void ExpectRoundTrip(const std::vector<std::string>& records,
                            const BuilderOptions& options = BuilderOptions(),
                            BuildStats* stats = nullptr) {
  const std::string store = BuildStore(records, options, stats);
  std::unique_ptr<PazipReader> reader;
  ReaderOptions ro;
  ro.verify_checksums = true;
  ASSERT_TRUE(PazipReader::Open(store.data(), store.size(), &reader, ro).ok());
  ASSERT_EQ(reader->num_records(), records.size());
  std::string value;
  std::vector<char> buf;
  for (size_t i = 0; i < records.size(); ++i) {
    ASSERT_TRUE(reader->Get(i, &value).ok()) << i;
    ASSERT_EQ(value, records[i]) << "record " << i;
    buf.assign(records[i].size() + 1, 'x');
    size_t len = 0;
    ASSERT_TRUE(reader->Get(i, buf.data(), buf.size(), &len).ok());
    ASSERT_EQ(std::string(buf.data(), len), records[i]);
  }
  std::string run;
  std::vector<uint64_t> ends;
  ASSERT_TRUE(reader->GetRun(0, records.size(), &run, &ends).ok());
  ASSERT_EQ(ends.size(), records.size());
  uint64_t at = 0;
  for (size_t i = 0; i < records.size(); ++i) {
    ASSERT_EQ(run.substr(at, ends[i] - at), records[i]);
    at = ends[i];
  }
  EXPECT_TRUE(reader->Get(records.size(), &value).IsInvalidArgument());
}

// Text-like records with shared structure, so the dictionary has work.
inline std::vector<std::string> StructuredRecords(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  static const char* kWords[] = {"alpha", "beta",  "gamma", "delta", "lib",
                                 "-dev",  "python3", "Depends: ", "amd64",
                                 " (>= ", "), ",   "\n",    "Version: "};
  std::vector<std::string> out;
  for (size_t i = 0; i < n; ++i) {
    std::string r = "Package: pkg" + std::to_string(rng() % 1000) + "\n";
    const size_t words = rng() % 60;
    for (size_t w = 0; w < words; ++w) {
      r += kWords[rng() % (sizeof(kWords) / sizeof(kWords[0]))];
      if (rng() % 7 == 0) r += std::to_string(rng() % 100);
    }
    out.push_back(r);
  }
  return out;
}

inline std::string RandomBytes(size_t n, std::mt19937* rng) {
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>((*rng)() & 0xff);
  return s;
}

// The first `max` stanzas of a real Debian package index: the machine's apt
// list, or the slice bundled in bench/datasets (see CMakeLists.txt).
inline std::vector<std::string> DebianStanzas(size_t max) {
  std::vector<std::string> out;
  const std::string list = PAZIP_DEBIAN_LIST;
  auto ends_with = [&](const char* ext) {
    const std::string e(ext);
    return list.size() >= e.size() &&
           list.compare(list.size() - e.size(), e.size(), e) == 0;
  };
  const char* cat = ends_with(".lz4") ? "lz4cat"
                    : ends_with(".gz") ? "zcat"
                    : ends_with(".xz") ? "xzcat"
                                       : "cat";
  FILE* f = popen((std::string(cat) + " '" + list + "' 2>/dev/null").c_str(), "r");
  if (f == nullptr) return out;
  std::string cur;
  char line[1 << 16];
  while (out.size() < max && fgets(line, sizeof(line), f)) {
    if (line[0] == '\n') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else {
      cur += line;
    }
  }
  pclose(f);
  return out;
}

}  // namespace pazip
}  // namespace sctable
