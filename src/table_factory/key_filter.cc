// See key_filter.h for the layout and why the table has a filter.
#include "table_factory/key_filter.h"

#include <algorithm>
#include <cmath>

#include "common/checksum.h"
#include "common/coding.h"
#include "common/cursor.h"

namespace sctable {
namespace {

constexpr uint64_t kLineBytes = 64;
constexpr int kMaxProbes = 16;

inline uint64_t LineOf(uint64_t h, uint64_t num_lines) {
  return ((h >> 32) * num_lines) >> 32;
}

}  // namespace

void KeyFilterBuilder::AddKey(std::string_view key) {
  hashes_.push_back(Checksum64(key));
}

void KeyFilterBuilder::Finish(std::string* out) const {
  const uint64_t bits = static_cast<uint64_t>(hashes_.size()) * bits_per_key_;
  // num_lines < 2^32 keeps LineOf exact; files never come near it.
  const uint64_t num_lines =
      std::min<uint64_t>(std::max<uint64_t>(1, (bits + 511) / 512),
                         uint64_t{1} << 31);
  // k = ln 2 * bits/key minimises the false positive rate of a plain Bloom
  // filter; blocking into lines moves the optimum little.
  const int probes = std::clamp(
      static_cast<int>(std::lround(bits_per_key_ * 0.69)), 1, kMaxProbes);
  PutVarint64(out, num_lines);
  out->push_back(static_cast<char>(probes));
  const size_t base = out->size();
  out->append(num_lines * kLineBytes, '\0');
  auto* lines = reinterpret_cast<unsigned char*>(&(*out)[base]);
  for (uint64_t h : hashes_) {
    unsigned char* line = lines + LineOf(h, num_lines) * kLineBytes;
    uint32_t g = static_cast<uint32_t>(h);
    for (int i = 0; i < probes; ++i) {
      const uint32_t b = g >> 23;
      line[b >> 3] |= static_cast<unsigned char>(1u << (b & 7));
      g *= 0x9e3779b9u;
    }
  }
}

Status KeyFilter::Open(std::string_view bytes) {
  ByteCursor c(bytes);
  uint64_t num_lines;
  uint8_t probes;
  SCTABLE_RETURN_IF_ERROR(c.ReadVarint64("filter num_lines", &num_lines));
  SCTABLE_RETURN_IF_ERROR(c.ReadU8("filter num_probes", &probes));
  if (num_lines < 1 || num_lines > (uint64_t{1} << 31)) {
    return ByteCursor::Bad("filter num_lines", "out of range");
  }
  if (probes < 1 || probes > kMaxProbes) {
    return ByteCursor::Bad("filter num_probes", "out of range");
  }
  std::string_view lines;
  SCTABLE_RETURN_IF_ERROR(
      c.ReadBytes("filter lines", num_lines * kLineBytes, &lines));
  if (!c.empty()) return ByteCursor::Bad("filter", "trailing bytes");
  lines_ = reinterpret_cast<const unsigned char*>(lines.data());
  num_lines_ = num_lines;
  num_probes_ = probes;
  return Status::OK();
}

bool KeyFilter::MayContain(std::string_view key) const {
  const uint64_t h = Checksum64(key);
  const unsigned char* line = lines_ + LineOf(h, num_lines_) * kLineBytes;
  uint32_t g = static_cast<uint32_t>(h);
  for (int i = 0; i < num_probes_; ++i) {
    const uint32_t b = g >> 23;
    if (!(line[b >> 3] & (1u << (b & 7)))) return false;
    g *= 0x9e3779b9u;
  }
  return true;
}

}  // namespace sctable
