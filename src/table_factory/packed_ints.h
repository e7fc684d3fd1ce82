// Fixed-width bit-packed unsigned integers: value i occupies bits
// [i*w, (i+1)*w) of a little-endian bit stream (LSB-first within each byte).
// The byte image is ceil(n*w/8) bytes followed by 8 zero bytes of padding, so
// every read is two unaligned 8-byte loads at most and never leaves the image.
// Width 0 encodes n zeros in 8 bytes.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/coding.h"

namespace sctable {

constexpr size_t kPackedPadding = 8;

// Bits needed for `v` (0 for 0).
inline int BitsFor(uint64_t v) { return v == 0 ? 0 : 64 - __builtin_clzll(v); }

// Bytes of the image of n values of width w (including padding); false on
// overflow.
inline bool PackedBytes(uint64_t n, int w, uint64_t* bytes) {
  uint64_t bits;
  if (__builtin_mul_overflow(n, static_cast<uint64_t>(w), &bits)) return false;
  *bytes = (bits + 7) / 8 + kPackedPadding;
  return true;
}

// Appends the image of `values` at width `w` (each value must fit) to `dst`.
template <typename Vec>
void AppendPacked(const Vec& values, int w, std::string* dst) {
  uint64_t bytes = 0;
  PackedBytes(values.size(), w, &bytes);
  const size_t base = dst->size();
  dst->resize(base + bytes, '\0');
  auto* out = reinterpret_cast<unsigned char*>(&(*dst)[base]);
  if (w == 0) return;
  uint64_t bit = 0;
  for (uint64_t v : values) {
    for (int b = 0; b < w;) {  // write up to 8 bits per step
      const uint64_t byte = bit >> 3;
      const int off = static_cast<int>(bit & 7);
      const int take = std::min(8 - off, w - b);
      out[byte] |= static_cast<unsigned char>(((v >> b) & ((1u << take) - 1))
                                              << off);
      b += take;
      bit += take;
    }
  }
}

// Reads value i of width w from an image that has been checked to hold at
// least n values (REQUIRES: i < n, w <= 64).
inline uint64_t ReadPacked(const char* image, uint64_t i, int w) {
  if (w == 0) return 0;
  const uint64_t bit = i * static_cast<uint64_t>(w);
  const char* p = image + (bit >> 3);
  const int off = static_cast<int>(bit & 7);
  uint64_t lo = DecodeFixed64(p) >> off;
  if (off + w > 64) lo |= DecodeFixed64(p + 8) << (64 - off);
  return w == 64 ? lo : lo & ((uint64_t{1} << w) - 1);
}

}  // namespace sctable
