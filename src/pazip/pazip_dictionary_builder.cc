#include "pazip/pazip_dictionary_builder.h"

#include <divsufsort.h>

#include <algorithm>
#include <cstring>
#include <unordered_set>

#include "common/checksum.h"

namespace sctable {
namespace pazip {
namespace {

constexpr unsigned kFilterBits = 23;

inline uint64_t SplitMix(uint64_t* s) {
  uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

// The filter keys on kFilterGram bytes: positions whose first kFilterGram
// bytes occur nowhere in the dictionary skip the suffix-array search.
constexpr unsigned kFilterGram = 6;
inline uint32_t Hash4(const uint8_t* p) {
  uint64_t v = 0;
  std::memcpy(&v, p, kFilterGram);
  return static_cast<uint32_t>((v * 0x9E3779B97F4A7C15ull) >> (64 - kFilterBits));
}

}  // namespace

std::string BuildDictionary(const std::vector<std::string_view>& records,
                            uint64_t total_bytes,
                            const DictionaryOptions& options) {
  uint64_t target = static_cast<uint64_t>(options.fraction *
                                          static_cast<double>(total_bytes));
  target = std::max(target, options.min_bytes);
  target = std::min({target, options.max_bytes, total_bytes});
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
  }
  return dict;
}

DictMatcher::DictMatcher(std::string_view dict)
    : dict_(dict),
      bucket_lo_(1u << 16, 0),
      bucket_hi_(1u << 16, 0),
      filter_((1ull << kFilterBits) / 64, 0) {
  const auto* t = reinterpret_cast<const uint8_t*>(dict.data());
  const int32_t n = static_cast<int32_t>(dict.size());
  if (n == 0) return;
  sa_.resize(n);
  divsufsort(t, sa_.data(), n);
  for (int32_t i = 0; i < n; ++i) {
    const int32_t s = sa_[i];
    if (s + 1 >= n) continue;  // the 1-byte suffix belongs to no bucket
    const unsigned key = (t[s] << 8) | t[s + 1];
    if (bucket_hi_[key] == 0) bucket_lo_[key] = i;
    bucket_hi_[key] = i + 1;
  }
  for (int32_t i = 0; i + static_cast<int32_t>(kFilterGram) <= n; ++i) {
    const uint32_t h = Hash4(t + i);
    filter_[h >> 6] |= 1ull << (h & 63);
  }
}

DictMatcher::~DictMatcher() = default;

uint64_t DictMatcher::memory_bytes() const {
  return dict_.size() + sa_.size() * 4 + bucket_lo_.size() * 8 +
         filter_.size() * 8;
}

bool DictMatcher::MayContain4(const uint8_t* p) const {
  const uint32_t h = Hash4(p);
  return (filter_[h >> 6] >> (h & 63)) & 1;
}

uint64_t DictMatcher::Find(const uint8_t* p, uint64_t n, uint64_t prefer,
                           uint64_t* offset) const {
  if (n < kFilterGram || sa_.empty() || !MayContain4(p)) return 0;
  const auto* t = reinterpret_cast<const uint8_t*>(dict_.data());
  const uint64_t dn = dict_.size();
  const unsigned key = (p[0] << 8) | p[1];
  uint64_t lo = bucket_lo_[key], hi = bucket_hi_[key];
  if (lo >= hi) return 0;
  // Binary search for p's insertion point among the bucket's suffixes with
  // whole-string comparisons (skipping the prefix both bounds share, as in
  // Manber-Myers); the longest match is next to the insertion point.
  auto lcp_from = [&](uint64_t i, uint64_t from) -> uint64_t {
    const uint64_t s = static_cast<uint64_t>(sa_[i]);
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
  uint64_t a = lo, b = hi, llcp = 2, rlcp = 2;
  while (a < b) {
    const uint64_t mid = a + (b - a) / 2;
    const uint64_t l = lcp_from(mid, std::min(llcp, rlcp));
    const uint64_t s = static_cast<uint64_t>(sa_[mid]);
    // Suffix >= p when p is a prefix of it or it is larger at l.
    const bool ge = l == n || (s + l < dn && t[s + l] > p[l]);
    if (ge) { b = mid; rlcp = l; } else { a = mid + 1; llcp = l; }
  }
  uint64_t best_len = 0, best_off = 0, best_dist = ~0ull;
  auto consider = [&](uint64_t i, uint64_t l) {
    const uint64_t s = static_cast<uint64_t>(sa_[i]);
    const uint64_t dist = s > prefer ? s - prefer : prefer - s;
    if (l > best_len || (l == best_len && dist < best_dist)) {
      best_len = l;
      best_off = s;
      best_dist = dist;
    }
  };
  // Walk a few neighbours each way while they match as long, to find an
  // occurrence near `prefer` (cheaper delta offsets).
  for (uint64_t i = a, k = 0; i < hi && k < 8; ++i, ++k) {
    const uint64_t l = lcp_from(i, 2);
    if (l < best_len) break;
    consider(i, l);
  }
  for (uint64_t i = a, k = 0; i > lo && k < 8; --i, ++k) {
    const uint64_t l = lcp_from(i - 1, 2);
    if (l < best_len) break;
    consider(i - 1, l);
  }
  if (best_len < kFilterGram) return 0;
  *offset = best_off;
  return best_len;
}

}  // namespace pazip
}  // namespace sctable
