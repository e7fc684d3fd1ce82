#include "pazip/pazip_dictionary_builder.h"

#include <divsufsort.h>

#include <algorithm>
#include <cstring>
#include <unordered_set>

#include "common/checksum.h"

namespace sctable {
namespace pazip {
namespace {

constexpr unsigned kFilterBits = 25;

inline uint64_t SplitMix(uint64_t* s) {
  uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

inline uint32_t Hash4(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return (v * 2654435761u) >> (32 - kFilterBits);
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
  for (int32_t i = 0; i + 4 <= n; ++i) {
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
  if (n < 4 || sa_.empty() || !MayContain4(p)) return 0;
  const auto* t = reinterpret_cast<const uint8_t*>(dict_.data());
  const uint64_t dn = dict_.size();
  const unsigned key = (p[0] << 8) | p[1];
  uint64_t lo = bucket_lo_[key], hi = bucket_hi_[key];
  if (lo >= hi) return 0;
  uint64_t depth = 2;
  // Narrow [lo, hi) one byte at a time while it is large; suffixes that end
  // at `depth` sort first (they compare as -1).
  auto at = [&](uint64_t i) -> int {
    const uint64_t s = static_cast<uint64_t>(sa_[i]) + depth;
    return s < dn ? t[s] : -1;
  };
  while (hi - lo > 8 && depth < n) {
    const int c = p[depth];
    uint64_t a = lo, b = hi;
    while (a < b) {  // first with at >= c
      const uint64_t mid = (a + b) / 2;
      if (at(mid) < c) a = mid + 1; else b = mid;
    }
    uint64_t e = a, f = hi;
    while (e < f) {  // first with at > c
      const uint64_t mid = (e + f) / 2;
      if (at(mid) <= c) e = mid + 1; else f = mid;
    }
    if (a == e) break;  // no suffix continues with c: all match `depth`
    lo = a;
    hi = e;
    ++depth;
  }
  // Few candidates left (or the match ended): compare each directly and
  // keep the longest, the nearest to `prefer` among equals. When many
  // candidates tie at `depth`, look at a bounded number of them.
  uint64_t best_len = 0, best_off = 0, best_dist = ~0ull;
  const uint64_t limit = std::min<uint64_t>(hi, lo + 32);
  for (uint64_t i = lo; i < limit; ++i) {
    const uint64_t s = static_cast<uint64_t>(sa_[i]);
    const uint64_t max = std::min(n, dn - s);
    uint64_t l = depth < max ? depth : max;
    while (l < max && t[s + l] == p[l]) ++l;
    const uint64_t dist = s > prefer ? s - prefer : prefer - s;
    if (l > best_len || (l == best_len && dist < best_dist)) {
      best_len = l;
      best_off = s;
      best_dist = dist;
    }
  }
  if (best_len < 4) return 0;
  *offset = best_off;
  return best_len;
}

}  // namespace pazip
}  // namespace sctable
