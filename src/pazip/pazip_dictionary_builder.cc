#include "pazip/pazip_dictionary_builder.h"

#include <algorithm>

#include "pazip/pazip_format.h"

#include <divsufsort.h>

#include <algorithm>
#include <cstring>
#include <unordered_set>

#include "common/checksum.h"
#include "common/huge_pages.h"

namespace sctable {
namespace pazip {
namespace {

constexpr unsigned kGram = 6;

inline uint64_t SplitMix(uint64_t* s) {
  uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

// Dictionary matches shorter than kGram bytes are not searched: they would
// rarely pay for their token. A gram is the first kGram bytes of a string,
// read as a little-endian integer.
// (Two loads, not one 6-byte memcpy into a zeroed word: that compiles to
// two stores and a wider load, which stalls on store forwarding.)
inline uint64_t Gram(const uint8_t* p) {
  static_assert(kGram == 6, "Gram reads 4 + 2 bytes");
  uint32_t lo;
  uint16_t hi;
  std::memcpy(&lo, p, 4);
  std::memcpy(&hi, p + 4, 2);
  return lo | static_cast<uint64_t>(hi) << 32;
}
// The up to 4 bytes of p[0, n) as a big-endian integer, zero-padded: its
// order is the bytewise order of the (padded) strings.
inline uint32_t Next4(const uint8_t* p, uint64_t n) {
  if (n >= 4) {
    uint32_t v;
    std::memcpy(&v, p, 4);
    return __builtin_bswap32(v);
  }
  uint32_t v = 0;
  for (uint64_t k = 0; k < 4; ++k) v = v << 8 | (k < n ? p[k] : 0);
  return v;
}
inline uint64_t GramHash(uint64_t gram) {
  const uint64_t h = (gram ^ (gram >> 29)) * 0x9E3779B97F4A7C15ull;
  return h ^ (h >> 32);
}
// Two bits of one filter word, from hash bits the slot index does not use.
inline uint64_t FilterMask(uint64_t h) {
  return (1ull << ((h >> 32) & 63)) | (1ull << ((h >> 38) & 63));
}

}  // namespace

std::string BuildDictionary(const std::vector<std::string_view>& records,
                            uint64_t total_bytes,
                            const DictionaryOptions& options,
                            std::vector<uint64_t>* sample_ends) {
  uint64_t target = static_cast<uint64_t>(options.fraction *
                                          static_cast<double>(total_bytes));
  target = std::max(target, options.min_bytes);
  target = std::min({target, options.max_bytes, total_bytes,
                     uint64_t{1} << kMaxDictBits});
  std::string dict;
  if (target == 0 || records.empty()) return dict;
  dict.reserve(target);
  // Visit records in a pseudo-random order via a stride walk (a random
  // start and a step coprime with n), so the sample is spread over the
  // whole input and needs no permutation array.
  const uint64_t n = records.size();
  uint64_t state = options.seed;
  uint64_t step = (SplitMix(&state) % n) | 1;
  while (std::__gcd(step, n) != 1) step += 2;
  uint64_t idx = SplitMix(&state) % n;
  std::unordered_set<uint64_t> seen;
  for (uint64_t visited = 0; visited < n && dict.size() < target; ++visited) {
    std::string_view r = records[idx];
    idx = (idx + step) % n;
    if (r.empty()) continue;
    if (r.size() > options.max_sample_bytes) {
      const uint64_t start =
          SplitMix(&state) % (r.size() - options.max_sample_bytes + 1);
      r = r.substr(start, options.max_sample_bytes);
    }
    if (!seen.insert(Checksum64(r)).second) continue;
    const uint64_t room = target - dict.size();
    dict.append(r.data(), std::min<uint64_t>(room, r.size()));
    if (sample_ends != nullptr) sample_ends->push_back(dict.size());
  }
  return dict;
}

std::string ReorderDictionary(const std::string& dict,
                              std::vector<uint64_t>* sample_ends,
                              const std::vector<uint64_t>& hits,
                              unsigned hit_shift) {
  struct Sample {
    uint64_t begin, end;
    double density;
  };
  std::vector<Sample> samples;
  uint64_t begin = 0;
  for (uint64_t end : *sample_ends) {
    uint64_t h = 0;
    for (uint64_t b = begin >> hit_shift; b < hits.size() && (b << hit_shift) < end; ++b) {
      if ((b << hit_shift) >= begin) h += hits[b];
    }
    samples.push_back({begin, end, static_cast<double>(h) / static_cast<double>(end - begin)});
    begin = end;
  }
  std::stable_sort(samples.begin(), samples.end(),
                   [](const Sample& a, const Sample& b) { return a.density > b.density; });
  std::string out;
  out.reserve(dict.size());
  sample_ends->clear();
  for (const Sample& s : samples) {
    out.append(dict, s.begin, s.end - s.begin);
    sample_ends->push_back(out.size());
  }
  return out;
}

DictMatcher::DictMatcher(std::string_view dict) : dict_(dict) {
  const auto* t = reinterpret_cast<const uint8_t*>(dict.data());
  const int32_t n = static_cast<int32_t>(dict.size());
  if (n == 0) return;
  // The suffix array and the slot table are read at random, once per parse
  // position: huge pages spare most of those reads a TLB miss.
  {
    std::vector<int32_t> sa(n);
    divsufsort(t, sa.data(), n);
    sa_.reserve(n);
    AdviseHugePages(sa_.data(), static_cast<size_t>(n) * sizeof(SaEntry));
    for (int32_t s : sa) {
      const int32_t after = s + static_cast<int32_t>(kGram);  // <= n + kGram
      sa_.push_back(SaEntry{
          s, after <= n ? Next4(t + after, static_cast<uint64_t>(n - after)) : 0});
    }
  }
  // Groups: maximal SA intervals whose suffixes share their first kGram
  // bytes (suffixes shorter than kGram belong to none).
  std::vector<Slot> groups;
  uint64_t prev = ~0ull;
  for (int32_t i = 0; i < n; ++i) {
    const int32_t s = sa_[i].pos;
    if (s + static_cast<int32_t>(kGram) > n) continue;
    const uint64_t g = Gram(t + s);
    if (g != prev || groups.empty()) {
      groups.push_back(Slot{g, static_cast<uint32_t>(i),
                            static_cast<uint32_t>(i + 1)});
      prev = g;
    } else {
      groups.back().hi = static_cast<uint32_t>(i + 1);
    }
  }
  const uint64_t num_groups = groups.size();
  // A blocked Bloom filter (two bits in one word) of about 8 bits per group,
  // at most 512 KiB so it stays in L2: most positions of text that is not
  // in the dictionary (hashes, numbers) are rejected without a cache miss.
  unsigned fbits = 12;
  while (fbits < 22 && (1ull << fbits) < num_groups * 8) ++fbits;
  filter_bits_ = fbits;
  filter_.assign((1ull << fbits) / 64, 0);
  unsigned bits = 4;
  while ((1ull << bits) < num_groups + num_groups / 2) ++bits;
  table_bits_ = bits;
  table_.reserve(1ull << bits);
  AdviseHugePages(table_.data(), (1ull << bits) * sizeof(Slot));
  table_.assign(1ull << bits, Slot{0, 0, 0});
  const uint64_t mask = (1ull << bits) - 1;
  for (const Slot& g : groups) {
    const uint64_t h = GramHash(g.gram);
    uint64_t slot = h >> (64 - bits);
    while (table_[slot].hi != 0) slot = (slot + 1) & mask;
    filter_[(h >> (64 - filter_bits_)) >> 6] |= FilterMask(h);
    table_[slot] = g;
  }
}

DictMatcher::~DictMatcher() = default;

uint64_t DictMatcher::memory_bytes() const {
  return dict_.size() + sa_.size() * sizeof(SaEntry) +
         table_.size() * sizeof(Slot) +
         filter_.size() * 8;
}

void DictMatcher::Prefetch(const uint8_t* p) const {
  if (table_.empty()) return;
  const uint64_t h = GramHash(Gram(p));
  __builtin_prefetch(&filter_[(h >> (64 - filter_bits_)) >> 6]);
  __builtin_prefetch(&table_[h >> (64 - table_bits_)]);
}

uint64_t DictMatcher::Find(const uint8_t* p, uint64_t n, uint64_t prefer,
                           uint64_t* offset, Frontier* frontier) const {
  if (frontier != nullptr) frontier->n = 0;
  if (n < kGram || table_.empty()) return 0;
  const auto* t = reinterpret_cast<const uint8_t*>(dict_.data());
  const uint64_t dn = dict_.size();
  // The k-gram table gives the SA interval of suffixes starting with p's
  // first kGram bytes (one cache miss), or says there is none.
  const uint64_t gram = Gram(p);
  const uint64_t h = GramHash(gram);
  const uint64_t mask = table_.size() - 1;
  if ((filter_[(h >> (64 - filter_bits_)) >> 6] & FilterMask(h)) !=
      FilterMask(h)) {
    return 0;
  }
  uint64_t lo = 0, hi = 0;
  for (uint64_t slot = h >> (64 - table_bits_);; slot = (slot + 1) & mask) {
    const Slot& e = table_[slot];
    if (e.hi == 0) return 0;
    if (e.gram != gram) continue;
    lo = e.lo;
    hi = e.hi;
    break;
  }
  // Binary search for p's insertion point among the bucket's suffixes with
  // whole-string comparisons (skipping the prefix both bounds share, as in
  // Manber-Myers); the longest match is next to the insertion point.
  auto lcp_from = [&](uint64_t s, uint64_t from) -> uint64_t {
    const uint64_t max = std::min(n, dn - s);
    uint64_t l = from < max ? from : max;
    while (l + 8 <= max) {  // 8 bytes at a time: matches can be KiB long
      uint64_t x, y;
      std::memcpy(&x, t + s + l, 8);
      std::memcpy(&y, p + l, 8);
      if (x != y) return l + (__builtin_ctzll(x ^ y) >> 3);
      l += 8;
    }
    while (l < max && t[s + l] == p[l]) ++l;
    return l;
  };
  // Common prefix of p and suffix #i, given that it is >= from. The 4
  // bytes after the gram, kept in the entry, decide most comparisons
  // without reading the dictionary (zero padding past either end cannot
  // invert an order: a string that ends is a prefix, and sorts first).
  const uint32_t pnext = Next4(p + kGram, n - kGram);
  auto lcp_at = [&](uint64_t i, uint64_t from) -> uint64_t {
    const SaEntry e = sa_[i];
    const uint64_t s = static_cast<uint64_t>(e.pos);
    const uint64_t cap = std::min(n, dn - s);
    if (e.next != pnext) {
      return std::min<uint64_t>(
          kGram + (static_cast<unsigned>(__builtin_clz(e.next ^ pnext)) >> 3),
          cap);
    }
    return lcp_from(s, std::max<uint64_t>(from, std::min<uint64_t>(kGram + 4, cap)));
  };
  uint64_t a = lo, b = hi, llcp = kGram, rlcp = kGram;
  while (a < b) {
    const uint64_t mid = a + (b - a) / 2;
    const SaEntry e = sa_[mid];
    const uint64_t s = static_cast<uint64_t>(e.pos);
    const uint64_t l = lcp_at(mid, std::min(llcp, rlcp));
    // Suffix >= p: it is larger in the 4 stored bytes, or p is a prefix of
    // it, or it is larger at l.
    const bool ge = e.next != pnext
                        ? e.next > pnext
                        : l == n || (s + l < dn && t[s + l] > p[l]);
    if (ge) { b = mid; rlcp = l; } else { a = mid + 1; llcp = l; }
  }
  uint64_t best_len = 0, best_off = 0, best_dist = ~0ull;
  auto consider = [&](uint64_t i, uint64_t l) {
    const uint64_t s = static_cast<uint64_t>(sa_[i].pos);
    const uint64_t dist = s > prefer ? s - prefer : prefer - s;
    if (l > best_len || (l == best_len && dist < best_dist)) {
      best_len = l;
      best_off = s;
      best_dist = dist;
    }
  };
  // Walk a few neighbours each way while they match as long, to find an
  // occurrence near `prefer` (cheaper delta offsets). With `frontier`, walk
  // further and keep shorter matches at smaller offsets too.
  const uint64_t walk = frontier != nullptr ? kFrontierWalk : 8;
  uint64_t cand_l[2 * kFrontierWalk], cand_s[2 * kFrontierWalk];
  unsigned nc = 0;
  for (uint64_t i = a, k = 0; i < hi && k < walk; ++i, ++k) {
    const uint64_t l = lcp_at(i, kGram);
    if (l < best_len && frontier == nullptr) break;
    consider(i, l);
    if (frontier != nullptr) { cand_l[nc] = l; cand_s[nc++] = static_cast<uint64_t>(sa_[i].pos); }
  }
  for (uint64_t i = a, k = 0; i > lo && k < walk; --i, ++k) {
    const uint64_t l = lcp_at(i - 1, kGram);
    if (l < best_len && frontier == nullptr) break;
    consider(i - 1, l);
    if (frontier != nullptr) { cand_l[nc] = l; cand_s[nc++] = static_cast<uint64_t>(sa_[i - 1].pos); }
  }
  if (best_len < kGram) return 0;
  *offset = best_off;
  if (frontier != nullptr) {
    // Pareto frontier: by length descending, each offset below all longer.
    frontier->n = 0;
    uint64_t min_s = ~0ull;
    for (;;) {
      // Longest remaining candidate with the smallest offset.
      int pick = -1;
      for (unsigned j = 0; j < nc; ++j) {
        if (cand_s[j] >= min_s) continue;
        if (pick < 0 || cand_l[j] > cand_l[pick] ||
            (cand_l[j] == cand_l[pick] && cand_s[j] < cand_s[pick])) {
          pick = static_cast<int>(j);
        }
      }
      if (pick < 0 || frontier->n == Frontier::kMax) break;
      frontier->len[frontier->n] = cand_l[pick];
      frontier->off[frontier->n++] = cand_s[pick];
      min_s = cand_s[pick];
    }
  }
  return best_len;
}

}  // namespace pazip
}  // namespace sctable
