// Builder side of the record encoding: parses one record into a token
// stream (docs/format.md "Record encoding") and the literal bytes that the
// token stream refers to. Literals are entropy-coded later, once the global
// Huffman code is known (pazip_builder.cc), so a parse only needs the
// dictionary.
//
// Parse: greedy with one step of lazy evaluation. At each position it takes
// the longest dictionary match (suffix array, offset chosen near the end of
// the previous dictionary match, since offsets are coded as deltas from it)
// and the longest local match (4-byte hash chains over the record), scores
// each as (bytes saved * literal cost - operand cost) and emits the better
// one if it saves bits.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "pazip/pazip_dictionary_builder.h"

namespace sctable {
namespace pazip {

// Not thread-safe (scratch buffers); one per encoding thread.
class RecordEncoder {
 public:
  // `matcher` may be null (no dictionary). Borrowed.
  explicit RecordEncoder(const DictMatcher* matcher) : matcher_(matcher) {}

  // Appends the tokens of `record` to *tokens and its literals to *literals.
  void Parse(std::string_view record, std::string* tokens,
             std::string* literals);

  // Estimated cost of one literal in bits, used to score matches.
  void set_literal_bits(double bits) { literal_bits_ = bits; }

 private:
  struct Match {
    uint64_t len = 0;
    uint64_t off = 0;    // dictionary offset or local distance
    bool dict = false;
    double gain = 0;     // bits saved versus literals
  };
  Match Best(const uint8_t* base, uint64_t pos, uint64_t n,
             uint64_t prev_dict_end);
  void Insert(const uint8_t* base, uint64_t pos);
  static void EmitToken(uint64_t lit, const Match* m, uint64_t prev_dict_end,
                        std::string* tokens);

  const DictMatcher* matcher_;
  double literal_bits_ = 6.0;
  std::vector<int32_t> head_;   // hash -> last position + 1 (0 = none)
  std::vector<int32_t> chain_;  // position -> previous position + 1
};

}  // namespace pazip
}  // namespace sctable
