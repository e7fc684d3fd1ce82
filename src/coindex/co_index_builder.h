// CoIndexBuilder: turns keys in strictly increasing bytewise order into one
// CO-Index image (docs/format.md, "CO-Index image"; docs/design.md,
// "CO-Index").
//
// The image is a LOUDS Patricia trie ("top trie") whose compressed-path
// remainders are stored in up to `nest_level` nested LOUDS Patricia tries
// over reversed strings (as marisa-trie and TerarkDB's NestLoudsTrie do),
// the rest in a suffix-shared tail pool.
//
// Call order: (Add)* Finish. A failed Add makes the status sticky: every
// later call returns it. Not thread-safe.
//
// Memory: the builder keeps a copy of the keys (key bytes + 8 bytes per key),
// then while finishing the BFS queues, bit vectors, labels and reversed tail
// copies: peak is about 2.3x key bytes + 40 bytes per key (measured on npm
// names, see docs/design.md).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace sctable::coindex {

struct CoIndexOptions {
  // Nested tries below the top trie (0 = all path remainders in the tail
  // pool). Chosen by measurement, see docs/design.md.
  int nest_level = 2;
  // Stop nesting once the remaining path bytes are below this fraction of the
  // key bytes (1/nest_stop_ratio); they then go to the tail pool.
  int nest_stop_ratio = 64;
  // Every this many levels of the top trie (levels k with k % n == 0, k >= 1)
  // stores, per node x, the keys at depth >= k under nodes left of x and
  // their descendants, so a key-order id needs at most n-1 frontier steps
  // (docs/design.md, "Key-order ids"). 0 = none. Chosen by measurement.
  int id_sample_every = 16;
};

class CoIndexBuilder {
 public:
  explicit CoIndexBuilder(const CoIndexOptions& options = CoIndexOptions());
  CoIndexBuilder(const CoIndexBuilder&) = delete;
  CoIndexBuilder& operator=(const CoIndexBuilder&) = delete;

  // REQUIRES: key > every key added before (bytewise); otherwise returns
  // InvalidArgument naming the position.
  Status Add(std::string_view key);
  // Writes the image to *image (replacing its contents).
  Status Finish(std::string* image);

  uint64_t num_keys() const { return ends_.size(); }

  // Convenience: builds an image from a sorted vector.
  static Status Build(const std::vector<std::string_view>& keys,
                      const CoIndexOptions& options, std::string* image);

 private:
  CoIndexOptions options_;
  Status status_;
  bool finished_ = false;
  std::string bytes_;           // keys, concatenated
  std::vector<uint64_t> ends_;  // end offset of each key in bytes_
};

}  // namespace sctable::coindex
