#include "pazip/pazip_record_encoder.h"

#include <cstring>

#include "common/coding.h"
#include "pazip/pazip_format.h"

namespace sctable {
namespace pazip {
namespace {

constexpr unsigned kHashBits = 15;
constexpr int kMaxChain = 8;

inline uint32_t HashLocal(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return (v * 2654435761u) >> (32 - kHashBits);
}

inline unsigned VarLen(uint64_t v) {
  return static_cast<unsigned>(VarintLength(v));
}

}  // namespace

void RecordEncoder::Insert(const uint8_t* base, uint64_t pos) {
  const uint32_t h = HashLocal(base + pos);
  chain_[pos] = head_[h];
  head_[h] = static_cast<int32_t>(pos + 1);
}

RecordEncoder::Match RecordEncoder::Best(const uint8_t* base, uint64_t pos,
                                         uint64_t n, uint64_t prev_dict_end) {
  Match best;
  const uint64_t rest = n - pos;
  if (rest < kLocalMinMatch) return best;
  if (matcher_ != nullptr && rest >= kDictMinMatch) {
    uint64_t off = 0;
    const uint64_t len = matcher_->Find(base + pos, rest, prev_dict_end, &off);
    if (len >= kDictMinMatch) {
      const uint64_t zz = ZigZagEncode(static_cast<int64_t>(off - prev_dict_end));
      double cost = 8.0 * (1 + VarLen(zz));
      if (len > kDictLenInlineMax) cost += 8.0 * VarLen(len - kDictLenInlineMax - 1);
      const double gain = len * literal_bits_ - cost;
      if (gain > 0) best = {len, off, true, gain};
    }
    // The dictionary bytes right after the previous match (delta 0, the
    // cheapest operand) often match almost as far: a sampled record that
    // resembles this one continues there.
    const std::string_view d = matcher_->dict();
    if (prev_dict_end < d.size()) {
      const uint64_t max = std::min<uint64_t>(rest, d.size() - prev_dict_end);
      const char* q = d.data() + prev_dict_end;
      uint64_t l = 0;
      while (l < max && static_cast<uint8_t>(q[l]) == base[pos + l]) ++l;
      if (l >= kDictMinMatch) {
        double cost = 8.0 * 1;
        if (l > kDictLenInlineMax) cost += 8.0 * VarLen(l - kDictLenInlineMax - 1);
        cost += 8.0;  // operand zigzag(0)
        const double gain = l * literal_bits_ - cost;
        if (gain > best.gain) best = {l, prev_dict_end, true, gain};
      }
    }
  }
  if (rest >= 4) {
    int32_t cand = head_[HashLocal(base + pos)];
    for (int k = 0; k < kMaxChain && cand > 0; ++k, cand = chain_[cand - 1]) {
      const uint64_t c = static_cast<uint64_t>(cand - 1);
      uint64_t l = 0;
      while (l < rest && base[c + l] == base[pos + l]) ++l;
      if (l < kLocalMinMatch) continue;
      const uint64_t dist = pos - c;
      double cost = 8.0 * (1 + VarLen(dist - 1));
      if (l > kLocalLenInlineMax) cost += 8.0 * VarLen(l - kLocalLenInlineMax - 1);
      const double gain = l * literal_bits_ - cost;
      if (gain > best.gain) best = {l, dist, false, gain};
    }
  }
  return best;
}

void RecordEncoder::EmitToken(uint64_t lit, const Match* m,
                              uint64_t prev_dict_end, std::string* tokens) {
  unsigned code = 0;
  uint64_t len_ext = 0;
  bool has_len_ext = false;
  if (m != nullptr) {
    if (m->dict) {
      if (m->len > kDictLenInlineMax) {
        code = kDictCodeMax;
        len_ext = m->len - kDictLenInlineMax - 1;
        has_len_ext = true;
      } else {
        code = static_cast<unsigned>(m->len - kDictMinMatch + 1);
      }
    } else {
      if (m->len > kLocalLenInlineMax) {
        code = kLocalCodeMax;
        len_ext = m->len - kLocalLenInlineMax - 1;
        has_len_ext = true;
      } else {
        code = static_cast<unsigned>(m->len - kLocalMinMatch + kLocalCodeBase);
      }
    }
  }
  const unsigned lit_field = lit >= kLitInline ? kLitInline : static_cast<unsigned>(lit);
  tokens->push_back(static_cast<char>(lit_field | (code << 3)));
  if (lit >= kLitInline) PutVarint64(tokens, lit - kLitInline);
  if (has_len_ext) PutVarint64(tokens, len_ext);
  if (m != nullptr) {
    if (m->dict) {
      PutVarint64(tokens, ZigZagEncode(static_cast<int64_t>(m->off - prev_dict_end)));
    } else {
      PutVarint64(tokens, m->off - 1);
    }
  }
}

void RecordEncoder::Parse(std::string_view record, std::string* tokens,
                          std::string* literals) {
  const auto* base = reinterpret_cast<const uint8_t*>(record.data());
  const uint64_t n = record.size();
  if (head_.empty()) head_.assign(1u << kHashBits, 0);
  if (chain_.size() < n) chain_.resize(n);
  uint64_t pos = 0, lit_start = 0, prev_dict_end = 0;
  Match cur = Best(base, 0, n, prev_dict_end);
  while (pos < n) {
    if (cur.len == 0) {
      if (pos + 4 <= n) Insert(base, pos);
      ++pos;
      cur = Best(base, pos, n, prev_dict_end);
      continue;
    }
    // Lazy step: a better match one byte later wins over this one.
    if (pos + 4 <= n) Insert(base, pos);
    Match next = Best(base, pos + 1, n, prev_dict_end);
    if (next.gain > cur.gain + literal_bits_) {
      ++pos;
      cur = next;
      continue;
    }
    literals->append(record.data() + lit_start, pos - lit_start);
    EmitToken(pos - lit_start, &cur, prev_dict_end, tokens);
    if (cur.dict) prev_dict_end = cur.off + cur.len;
    const uint64_t end = pos + cur.len;
    // Index the matched bytes for later local matches; cap the work on very
    // long matches.
    const uint64_t index_end = std::min<uint64_t>(end, pos + 64);
    for (uint64_t k = pos + 1; k < index_end && k + 4 <= n; ++k) Insert(base, k);
    pos = end;
    lit_start = pos;
    cur = Best(base, pos, n, prev_dict_end);
  }
  if (lit_start < n) {
    literals->append(record.data() + lit_start, n - lit_start);
    EmitToken(n - lit_start, nullptr, prev_dict_end, tokens);
  }
  // Reset only the hash slots this record touched.
  for (uint64_t k = 0; k + 4 <= n; ++k) head_[HashLocal(base + k)] = 0;
}

}  // namespace pazip
}  // namespace sctable
