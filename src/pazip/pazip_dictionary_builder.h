// Builder side of PA-Zip's global dictionary: which bytes go into it
// (sampling) and how the encoder finds the longest match in it (a suffix
// array built by libdivsufsort, a 2-byte bucket table and a 4-gram filter).
// Neither is needed to read a store: the reader only sees the dictionary
// bytes.
//
// Memory while building: the dictionary (D bytes) + suffix array (4D) +
// bucket table (512 KiB) + 4-gram filter (1 MiB) = 5D + 1.5 MiB.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace sctable {
namespace pazip {

struct DictionaryOptions {
  // Dictionary size as a fraction of the input bytes, then clamped to
  // [min_bytes, max_bytes] (and never more than the input). 3% was chosen
  // by measurement on the Debian and npm sets (docs/design.md "## PA-Zip").
  double fraction = 0.03;
  uint64_t min_bytes = 16 << 10;
  uint64_t max_bytes = 64 << 20;
  // Samples longer than this are cut to a window of this size at a
  // pseudo-random position, so one huge record cannot fill the dictionary.
  uint64_t max_sample_bytes = 16 << 10;
  uint64_t seed = 0x9e3779b97f4a7c15ull;
};

// Picks records pseudo-randomly (deterministic for a seed), drops exact
// duplicates, and concatenates them until the target size is reached.
std::string BuildDictionary(const std::vector<std::string_view>& records,
                            uint64_t total_bytes,
                            const DictionaryOptions& options);

// Longest-match search over a dictionary. Immutable after construction;
// safe to share between threads. Borrows `dict`, which must outlive it.
class DictMatcher {
 public:
  explicit DictMatcher(std::string_view dict);
  ~DictMatcher();
  DictMatcher(const DictMatcher&) = delete;
  DictMatcher& operator=(const DictMatcher&) = delete;

  // Longest prefix of p[0, n) occurring in the dictionary, capped at n.
  // Among occurrences of that length it picks (cheaply) one near `prefer`.
  // Returns the length (0 when shorter than 6) and sets *offset.
  uint64_t Find(const uint8_t* p, uint64_t n, uint64_t prefer,
                uint64_t* offset) const;

  uint64_t memory_bytes() const;

 private:
  bool MayContain4(const uint8_t* p) const;

  std::string_view dict_;
  std::vector<int32_t> sa_;
  std::vector<uint32_t> bucket_lo_;  // by first two bytes; [lo, hi)
  std::vector<uint32_t> bucket_hi_;
  std::vector<uint64_t> filter_;     // bitset over hashes of 4-grams
};

}  // namespace pazip
}  // namespace sctable
