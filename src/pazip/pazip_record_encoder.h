// Builder side of the record encoding (format version 2): parses one record
// into sequences (literal length, match length, offset) and the literal
// bytes they refer to. Sequences are entropy-coded later, once the global
// tables are known (pazip_builder.cc), so a parse only needs the dictionary
// and a price for every symbol.
//
// Parse: cost-based (near-optimal). A forward dynamic program over the
// record's positions keeps, for each position, the cheapest known way to
// reach it (in bits, from `Prices`) and the state that way leaves (the end
// of the last dictionary match, against which dictionary offsets are coded,
// and the length of the open literal run). From each position it offers a
// literal, the dictionary bytes right after the previous dictionary match
// (the cheapest offset symbol), the longest dictionary match (suffix array,
// nearest the previous match end among equally long ones) and local matches
// (4-byte hash chains over the record), each at every length it allows. The
// state is the one of the cheapest path, so costs of later offsets are
// exact along that path but the program is not exhaustive over states
// (as zstd's optimal parser). A match of >= kSufficientLen bytes ends the
// search inside it. Records longer than kSegment are parsed in segments,
// carrying the state across.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "pazip/pazip_dictionary_builder.h"
#include "pazip/pazip_format.h"

namespace sctable {
namespace pazip {

// Symbol frequencies gathered by parses (to build the global tables).
struct SymbolCounts {
  std::vector<uint64_t> lit = std::vector<uint64_t>(256 * 256, 0);  // [prev][b]
  uint64_t ll[kSeqSymbols] = {0};
  uint64_t ml[kSeqSymbols] = {0};
  uint64_t of[kSeqSymbols] = {0};
  void Add(const SymbolCounts& o);
};

// Bit prices of every symbol (code length; extra bits are added on top).
struct Prices {
  uint8_t lit_context[256];            // previous byte -> literal code
  uint32_t lit[kLitContexts][256];
  uint32_t ll[kSeqSymbols], ml[kSeqSymbols], of[kSeqSymbols];
  // Flat first guess, before any statistics.
  static Prices Default();
  // Huffman code lengths of `c` (what the final code would cost); symbols
  // never seen get a high price.
  static Prices FromCounts(const SymbolCounts& c);
  uint32_t Lit(uint8_t prev, uint8_t b) const { return lit[lit_context[prev]][b]; }

  uint32_t LL(uint64_t v) const {
    unsigned nb;
    const unsigned s = LLSymbol(v, &nb);
    return ll[s] + nb;
  }
  uint32_t ML(uint64_t len) const {
    unsigned nb;
    const unsigned s = MLSymbol(len - kMinMatch, &nb);
    return ml[s] + nb;
  }
};

// Chooses the literal context of every previous byte: k-means over the
// distributions of the bytes that follow it (a few rounds from a start by
// character class), so each context's Huffman code fits its literals.
void ChooseLiteralContexts(const std::vector<uint64_t>& pair_counts,
                           uint8_t context[256]);

// OF symbol and extra-bit count of an intermediate offset value (see
// RecordEncoder::Parse).
inline unsigned OFSymbolOf(uint64_t ofv, unsigned* nb) {
  switch (ofv & 3) {
    case 1: return OFLocalSymbol(ofv >> 2, nb);
    case 2: return OFAbsSymbol(ofv >> 2, nb);
    default: return OFDictSymbol(ofv >> 2, nb);
  }
}
// Extra-bit value of an intermediate offset value.
inline uint64_t OFExtraOf(uint64_t ofv, unsigned nb) {
  const uint64_t v = (ofv & 3) == 2 ? (ofv >> 2) + 1 : ofv >> 2;
  return nb ? v - (1ull << nb) : 0;
}
// Not thread-safe (scratch buffers); one per encoding thread.
class RecordEncoder {
 public:
  // `matcher` may be null (no dictionary). Borrowed.
  // `fast` trades ~4% of bytes (Debian index) for 4-5x the speed: no search
  // inside a match of kFastSufficientLen bytes or more, after a match of
  // kFastLazyLen bytes or more only the next kFastLazySearches - 1
  // positions are searched until its end, and no walk to shorter matches
  // at smaller offsets. The output format is the same.
  explicit RecordEncoder(const DictMatcher* matcher, bool fast = false)
      : matcher_(matcher),
        sufficient_len_(fast ? kFastSufficientLen : kSufficientLen),
        lazy_len_(fast ? kFastLazyLen : 0),
        frontier_(!fast) {}

  // Parses `record` with `prices` and appends its sequences to *seqs as
  // varints: ll, ml (0 = none: the record's trailing literals), and when
  // ml > 0 ofv = zz << 2 (dictionary by delta, zz = zigzag(off -
  // prev_dict_end)), off << 2 | 2 (dictionary, absolute) or dist << 2 | 1
  // (local). Appends literals to *literals; counts symbols into *counts and,
  // if dict_hits is given, dictionary matches per 2^kHitShift-byte block.
  // `key` (empty for none): bytes that precede the record for local
  // matches (its last kMaxKeyBytes are searched), as in a keyed store.
  // REQUIRES: record.size() <= kMaxSeqValue.
  void Parse(std::string_view record, std::string_view key,
             const Prices& prices, std::string* seqs, std::string* literals,
             SymbolCounts* counts, std::vector<uint32_t>* dict_hits = nullptr);
  static constexpr uint64_t kMaxKeyBytes = 1024;
  static constexpr unsigned kHitShift = 6;

  static constexpr uint64_t kSegment = 1 << 16;
  // How many positions ahead of the parse DictMatcher::Prefetch runs.
  static constexpr uint64_t kPrefetchAhead = 4;
  static constexpr uint64_t kSufficientLen = 128;
  static constexpr uint64_t kFastSufficientLen = 16;
  // Measured with one thread (docs/design.md, "Fast parse"): Debian index
  // parse time -25..-30%, bytes -0.15%; 1 M npm URLs -12%, +0.33%.
  static constexpr uint64_t kFastLazyLen = 8;
  static constexpr uint64_t kFastLazySearches = 3;

 private:
  struct Node {
    int64_t cost;
    uint32_t litlen;     // open literal run at this position
    uint32_t mlen;       // 0: reached by a literal; else by a match
    uint64_t dict_end;   // end of the last dictionary match on the path
    uint64_t ofv;        // the match's offset value (see Parse)
  };
  struct Match {
    uint64_t pos, len, ofv, dict_off;
  };
  void Insert(const uint8_t* base, uint64_t pos);
  // Parses [s, e) of the record starting in state (*litlen, *dict_end);
  // appends the chosen matches and updates the state.
  void ParseSegment(const uint8_t* base, uint64_t n, uint64_t s, uint64_t e,
                    const Prices& pr, uint64_t* litlen, uint64_t* dict_end,
                    std::vector<Match>* out);

  const DictMatcher* matcher_;
  const uint64_t sufficient_len_;
  const uint64_t lazy_len_;  // 0: off
  const bool frontier_;
  // Positions in the hash chains count from the start of the key bytes
  // used (key_len_ of them) that precede the record in buf_.
  std::vector<int32_t> head_;   // hash -> last position + 1 (0 = none)
  std::vector<int32_t> chain_;  // position -> previous position + 1
  uint64_t key_len_ = 0;
  std::string buf_;             // key bytes used + record, when keyed
  std::vector<Node> nodes_;
  std::vector<Match> matches_;
};

}  // namespace pazip
}  // namespace sctable
