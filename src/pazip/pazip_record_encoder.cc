#include "pazip/pazip_record_encoder.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "common/coding.h"
#include "pazip/pazip_huffman.h"

namespace sctable {
namespace pazip {
namespace {

constexpr unsigned kHashBits = 15;
constexpr int kMaxChain = 8;
// Chain depth for local matches at positions whose dictionary search is
// skipped (keyed stores only; in both parses, though only the fast one
// skips often enough to matter). Measured, fast parse, one thread, 4
// alternated runs (docs/design.md, "Round 6"): Debian index parse time -6%
// for +0.03% bytes, 1 M npm URLs +0.001% bytes; depth 1: -10% for +0.08%
// (Debian) and +0.2% (npm).
constexpr int kSkipChain = 2;
constexpr uint32_t kUnseenPrice = 14;  // bits for a symbol the stats lack

inline uint32_t HashLocal(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return (v * 2654435761u) >> (32 - kHashBits);
}

inline uint64_t CommonPrefix(const uint8_t* a, const uint8_t* b,
                             uint64_t max) {
  uint64_t l = 0;
  while (l + 8 <= max) {
    uint64_t x, y;
    std::memcpy(&x, a + l, 8);
    std::memcpy(&y, b + l, 8);
    if (x != y) return l + (__builtin_ctzll(x ^ y) >> 3);
    l += 8;
  }
  while (l < max && a[l] == b[l]) ++l;
  return l;
}

}  // namespace

void SymbolCounts::Add(const SymbolCounts& o) {
  for (size_t s = 0; s < lit.size(); ++s) lit[s] += o.lit[s];
  for (unsigned s = 0; s < kSeqSymbols; ++s) {
    ll[s] += o.ll[s];
    ml[s] += o.ml[s];
    of[s] += o.of[s];
  }
}

Prices Prices::Default() {
  Prices p;
  for (auto& c : p.lit_context) c = 0;
  for (auto& t : p.lit) for (auto& v : t) v = 6;
  for (unsigned s = 0; s < kSeqSymbols; ++s) {
    p.ll[s] = 3;
    p.ml[s] = 5;
    p.of[s] = 6;
  }
  p.ll[0] = 1;
  p.of[0] = 2;
  return p;
}

Prices Prices::FromCounts(const SymbolCounts& c) {
  Prices p;
  auto fill = [](const uint64_t* freq, unsigned nsym, uint32_t* price) {
    uint8_t len[256];
    BuildHuffmanLengths(freq, len, nsym);
    for (unsigned s = 0; s < nsym; ++s) {
      price[s] = freq[s] ? len[s] : kUnseenPrice;
    }
  };
  ChooseLiteralContexts(c.lit, p.lit_context);
  for (unsigned k = 0; k < kLitContexts; ++k) {
    uint64_t freq[256] = {0};
    for (unsigned prev = 0; prev < 256; ++prev) {
      if (p.lit_context[prev] != k) continue;
      for (unsigned b = 0; b < 256; ++b) freq[b] += c.lit[prev * 256 + b];
    }
    fill(freq, 256, p.lit[k]);
  }
  fill(c.ll, kSeqSymbols, p.ll);
  fill(c.ml, kSeqSymbols, p.ml);
  fill(c.of, kSeqSymbols, p.of);
  return p;
}

void ChooseLiteralContexts(const std::vector<uint64_t>& pair,
                           uint8_t context[256]) {
  for (unsigned p = 0; p < 256; ++p) {
    const bool hex = (p >= '0' && p <= '9') || (p >= 'a' && p <= 'f');
    context[p] = hex ? 1 : (p >= 'g' && p <= 'z') ? 2 : (p >= 'A' && p <= 'Z') ? 3 : 0;
  }
  static_assert(kLitContexts == 4, "initial classes assume 4 contexts");
  for (int round = 0; round < 6; ++round) {
    std::vector<double> cnt(kLitContexts * 256, 0), tot(kLitContexts, 0);
    for (unsigned p = 0; p < 256; ++p) {
      for (unsigned b = 0; b < 256; ++b) {
        cnt[context[p] * 256 + b] += pair[p * 256 + b];
        tot[context[p]] += pair[p * 256 + b];
      }
    }
    std::vector<double> bits(kLitContexts * 256);
    for (unsigned k = 0; k < kLitContexts; ++k) {
      for (unsigned b = 0; b < 256; ++b) {
        bits[k * 256 + b] = -std::log2((cnt[k * 256 + b] + 0.5) / (tot[k] + 128));
      }
    }
    bool changed = false;
    for (unsigned p = 0; p < 256; ++p) {
      double best = 0;
      unsigned arg = context[p];
      for (unsigned k = 0; k < kLitContexts; ++k) {
        double c = 0;
        for (unsigned b = 0; b < 256; ++b) {
          if (pair[p * 256 + b]) c += pair[p * 256 + b] * bits[k * 256 + b];
        }
        if (k == 0 || c < best) { best = c; arg = k; }
      }
      if (arg != context[p]) { context[p] = static_cast<uint8_t>(arg); changed = true; }
    }
    if (!changed) break;
  }
}

void RecordEncoder::Insert(const uint8_t* base, uint64_t pos) {
  const uint32_t h = HashLocal(base + pos);
  chain_[key_len_ + pos] = head_[h];
  head_[h] = static_cast<int32_t>(key_len_ + pos + 1);
}

void RecordEncoder::ParseSegment(const uint8_t* base, uint64_t n, uint64_t s,
                                 uint64_t e, const Prices& pr,
                                 uint64_t* litlen, uint64_t* dict_end,
                                 std::vector<Match>* out) {
  const uint64_t w = e - s;
  constexpr int64_t kInf = std::numeric_limits<int64_t>::max();
  nodes_.assign(w + 1, Node{kInf, 0, 0, 0, 0});
  nodes_[0] = Node{static_cast<int64_t>(pr.LL(*litlen)),
                   static_cast<uint32_t>(*litlen), 0, *dict_end, 0};
  const std::string_view dict =
      matcher_ != nullptr ? matcher_->dict() : std::string_view();
  const auto* d = reinterpret_cast<const uint8_t*>(dict.data());
  const int64_t ll0 = pr.LL(0);
  uint64_t skip_from = 0, skip_until = 0;  // no match search in [from, until)
  for (uint64_t k = 0; k < w; ++k) {
    const Node cur = nodes_[k];
    const uint64_t i = s + k;
    // The dictionary lookup and the local hash head of a later position
    // are cache misses known from the bytes alone: start them now (the
    // lookup only if that position is not inside a match already taken).
    if (matcher_ != nullptr && i + kPrefetchAhead + 6 <= e &&
        !(i + kPrefetchAhead >= skip_from && i + kPrefetchAhead < skip_until)) {
      matcher_->Prefetch(base + i + kPrefetchAhead);
    }
    if (i + kPrefetchAhead + 4 <= n) {
      __builtin_prefetch(&head_[HashLocal(base + i + kPrefetchAhead)]);
    }
    // Literal.
    {
      const int64_t c = cur.cost + pr.Lit(i ? base[i - 1] : 0, base[i]) +
                        static_cast<int64_t>(pr.LL(cur.litlen + 1)) -
                        static_cast<int64_t>(pr.LL(cur.litlen));
      Node& t = nodes_[k + 1];
      if (c < t.cost) t = Node{c, cur.litlen + 1, 0, cur.dict_end, 0};
    }
    const uint64_t rem = e - i;
    const bool search = !(i >= skip_from && i < skip_until) && rem >= kMinMatch;
    uint64_t longest = 0;
    auto offer = [&](uint64_t from_len, uint64_t to_len, int64_t op_cost,
                     uint64_t ofv, uint64_t new_dict_end_base, bool is_dict) {
      const int64_t base_cost = cur.cost + op_cost + ll0;
      for (uint64_t len = from_len; len <= to_len; ++len) {
        const int64_t c = base_cost + pr.ML(len);
        Node& t = nodes_[k + len];
        if (c < t.cost) {
          t = Node{c, 0, static_cast<uint32_t>(len),
                   is_dict ? new_dict_end_base + len : cur.dict_end, ofv};
        }
      }
    };
    if (search) {
      if (matcher_ != nullptr) {
        // The bytes right after the previous dictionary match.
        const uint64_t st = cur.dict_end;
        if (st < dict.size()) {
          const uint64_t l0 =
              CommonPrefix(d + st, base + i, std::min(rem, dict.size() - st));
          if (l0 >= kMinMatch) {
            offer(kMinMatch, l0, pr.of[0], 0, st, true);
            longest = l0;
          }
        }
        if (rem >= 6) {
          uint64_t off = 0;
          DictMatcher::Frontier fr;
          const uint64_t l =
              matcher_->Find(base + i, rem, st, &off, frontier_ ? &fr : nullptr);
          if (l >= 6) {
            longest = std::max(longest, l);
            if (off != st) {  // (off == st is the repeat candidate above)
              const uint64_t zz = ZigZagEncode(static_cast<int64_t>(off - st));
              unsigned nb, nb2;
              const unsigned sym = OFDictSymbol(zz, &nb);
              const unsigned sym2 = OFAbsSymbol(off, &nb2);
              if (pr.of[sym] + nb <= pr.of[sym2] + nb2) {
                offer(4, l, pr.of[sym] + nb, zz << 2, off, true);
              } else {
                offer(4, l, pr.of[sym2] + nb2, off << 2 | 2, off, true);
              }
            }
            // Shorter matches at smaller offsets, each for the lengths the
            // next (smaller-offset) one cannot cover.
            for (unsigned j = 0; j < fr.n; ++j) {
              const uint64_t hi_len = fr.len[j];
              const uint64_t lo_len = j + 1 < fr.n ? fr.len[j + 1] + 1 : 4;
              if (hi_len < lo_len) continue;
              unsigned nb2;
              const unsigned sym2 = OFAbsSymbol(fr.off[j], &nb2);
              offer(lo_len, hi_len, pr.of[sym2] + nb2, fr.off[j] << 2 | 2,
                    fr.off[j], true);
            }
          }
        }
      }
    }
    // Local matches are cheap to look for, and one into the key may start
    // inside a dictionary match the search skips (a URL's host, then the
    // package name): with a key they are searched everywhere, but where the
    // search is skipped only kSkipChain candidates deep (newest first).
    if (search || (key_len_ != 0 && rem >= kMinMatch)) {
      if (i + 4 <= n) {
        int32_t cand = head_[HashLocal(base + i)];
        uint64_t best = kMinMatch - 1;
        const int max_chain = search ? kMaxChain : kSkipChain;
        for (int c = 0; c < max_chain && cand > 0; ++c, cand = chain_[cand - 1]) {
          // p < 0: a position in the key before the record.
          const int64_t p = static_cast<int64_t>(cand - 1) -
                            static_cast<int64_t>(key_len_);
          const uint64_t l = CommonPrefix(base + p, base + i, rem);
          if (l <= best) continue;
          const uint64_t dist = static_cast<uint64_t>(static_cast<int64_t>(i) - p);
          unsigned nb;
          const unsigned sym = OFLocalSymbol(dist, &nb);
          offer(best + 1, l, pr.of[sym] + nb, dist << 2 | 1, 0, false);
          best = l;
          if (l == rem) break;
        }
        if (best >= kMinMatch) longest = std::max(longest, best);
      }
    }
    if (search) {
      if (longest >= sufficient_len_) {
        skip_from = i;
        skip_until = i + longest;
      } else if (lazy_len_ != 0 && longest >= lazy_len_ &&
                 i + longest > skip_until) {
        skip_from = i + kFastLazySearches;
        skip_until = i + longest;
      }
    }
    if (i + 4 <= n) Insert(base, i);
  }
  // Backtrack the cheapest path.
  const size_t first = out->size();
  uint64_t k = w;
  while (k > 0) {
    const Node& t = nodes_[k];
    if (t.mlen == 0) {
      --k;
    } else {
      out->push_back(Match{s + k - t.mlen, t.mlen, t.ofv, t.dict_end - t.mlen});
      k -= t.mlen;
    }
  }
  std::reverse(out->begin() + first, out->end());
  *litlen = nodes_[w].litlen;
  *dict_end = nodes_[w].dict_end;
}

void RecordEncoder::Parse(std::string_view record, std::string_view key,
                          const Prices& prices, std::string* seqs,
                          std::string* literals, SymbolCounts* counts,
                          std::vector<uint32_t>* dict_hits) {
  const uint64_t n = record.size();
  if (head_.empty()) head_.assign(1u << kHashBits, 0);
  // A key goes in front of the record in one buffer, so a local match may
  // start in it and run on into the record, as the decoder copies.
  key_len_ = std::min<uint64_t>(key.size(), kMaxKeyBytes);
  const uint8_t* base;
  if (key_len_ == 0) {
    base = reinterpret_cast<const uint8_t*>(record.data());
  } else {
    buf_.assign(key.data() + key.size() - key_len_, key_len_);
    buf_.append(record.data(), n);
    base = reinterpret_cast<const uint8_t*>(buf_.data()) + key_len_;
  }
  if (chain_.size() < key_len_ + n) chain_.resize(key_len_ + n);
  const uint8_t* const first = base - key_len_;
  for (uint64_t c = 0; c < key_len_ && c + 4 <= key_len_ + n; ++c) {
    const uint32_t h = HashLocal(first + c);
    chain_[c] = head_[h];
    head_[h] = static_cast<int32_t>(c + 1);
  }
  matches_.clear();
  uint64_t litlen = 0, dict_end = 0;
  for (uint64_t s = 0; s < n; s += kSegment) {
    ParseSegment(base, n, s, std::min(n, s + kSegment), prices, &litlen,
                 &dict_end, &matches_);
  }
  uint64_t pos = 0;
  unsigned nb;
  for (const Match& m : matches_) {
    const uint64_t ll = m.pos - pos;
    for (uint64_t k = pos; k < m.pos; ++k) {
      counts->lit[(k ? base[k - 1] : 0) * 256u + base[k]]++;
    }
    literals->append(record.data() + pos, ll);
    PutVarint64(seqs, ll);
    PutVarint64(seqs, m.len);
    PutVarint64(seqs, m.ofv);
    counts->ll[LLSymbol(ll, &nb)]++;
    counts->ml[MLSymbol(m.len - kMinMatch, &nb)]++;
    counts->of[OFSymbolOf(m.ofv, &nb)]++;
    if (dict_hits != nullptr && (m.ofv & 3) != 1) {
      (*dict_hits)[m.dict_off >> kHitShift]++;
    }
    pos = m.pos + m.len;
  }
  if (pos < n) {
    for (uint64_t k = pos; k < n; ++k) {
      counts->lit[(k ? base[k - 1] : 0) * 256u + base[k]]++;
    }
    literals->append(record.data() + pos, n - pos);
    PutVarint64(seqs, n - pos);
    PutVarint64(seqs, 0);
    counts->ll[LLSymbol(n - pos, &nb)]++;
  }
  // Reset only the hash slots this record (and its key) touched.
  for (uint64_t k = 0; k + 4 <= key_len_ + n; ++k) head_[HashLocal(first + k)] = 0;
}

}  // namespace pazip
}  // namespace sctable
