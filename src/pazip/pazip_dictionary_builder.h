// Builder side of PA-Zip's global dictionary: which bytes go into it
// (sampling) and how the encoder finds the longest match in it (a suffix
// array built by libdivsufsort and a hash table from each distinct 6-byte
// prefix to its suffix-array interval).
// Neither is needed to read a store: the reader only sees the dictionary
// bytes.
//
// Memory while building: the dictionary (D bytes) + suffix array with 4
// bytes of each suffix (8D; 4D more while divsufsort runs) +
// for G distinct 6-grams (G < D; ~0.35D on the Debian index) a hash table
// of 16-byte slots at load 1/3..2/3 (<= 48 bytes per gram) + a Bloom filter
// (<= 512 KiB): at most 13D + 48G + 512 KiB.
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
// If `sample_ends` is given it receives the end offset of every sample.
std::string BuildDictionary(const std::vector<std::string_view>& records,
                            uint64_t total_bytes,
                            const DictionaryOptions& options,
                            std::vector<uint64_t>* sample_ends = nullptr);

// Reorders the samples of `dict` (ends as from BuildDictionary) by how often
// parses used them (`hits`: dictionary matches per 2^hit_shift-byte block),
// densest first, so the most used bytes get the smallest offsets. Samples
// stay whole (consecutive pieces of one sample stay adjacent). Updates
// *sample_ends to the new order.
std::string ReorderDictionary(const std::string& dict,
                              std::vector<uint64_t>* sample_ends,
                              const std::vector<uint64_t>& hits,
                              unsigned hit_shift);

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
  // With `frontier`, also returns occurrences among the suffix-array
  // neighbours that trade length for a smaller offset: len descending, each
  // offset smaller than every longer one's (the first is the longest).
  struct Frontier {
    static constexpr unsigned kMax = 6;
    unsigned n = 0;
    uint64_t len[kMax], off[kMax];
  };
  static constexpr uint64_t kFrontierWalk = 8;
  uint64_t Find(const uint8_t* p, uint64_t n, uint64_t prefer,
                uint64_t* offset, Frontier* frontier = nullptr) const;
  // Starts loading what Find(p, ...) reads first (its filter word and hash
  // slot), so a parse that calls this a few positions ahead finds them in
  // cache. REQUIRES: p[0, 6) readable. Changes nothing observable.
  void Prefetch(const uint8_t* p) const;

  uint64_t memory_bytes() const;
  std::string_view dict() const { return dict_; }

 private:
  std::string_view dict_;
  // The suffix array, each entry with the 4 bytes after the suffix's gram
  // (big-endian, zero-padded past the dictionary's end).
  struct SaEntry {
    int32_t pos;
    uint32_t next;
  };
  std::vector<SaEntry> sa_;
  // Open addressing (linear probing, load <= 2/3) from a 6-byte prefix
  // (`gram`) to the SA interval [lo, hi) of the suffixes starting with it;
  // hi == 0 marks an empty slot. One slot answers a lookup: no second
  // array and no check against the dictionary bytes.
  struct Slot {
    uint64_t gram;
    uint32_t lo, hi;
  };
  std::vector<Slot> table_;
  unsigned table_bits_ = 0;
  std::vector<uint64_t> filter_;  // blocked Bloom filter over the 6-grams
  unsigned filter_bits_ = 0;
};

}  // namespace pazip
}  // namespace sctable
