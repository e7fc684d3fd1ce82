// Fixed-width unsigned integers packed LSB-first into little-endian uint64_t
// words, read in place. Used for link values (references from one trie level
// into the next, or into the tail pool).
//
// Layout (docs/format.md, "Packed array"): ceil(count*width/64) + 1 words;
// the extra zero word lets Get() read two words without a bounds test.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/bits.h"
#include "common/coding.h"
#include "common/cursor.h"

namespace sctable::coindex {

inline int BitWidth(uint64_t max_value) {
  return max_value == 0 ? 0 : 64 - __builtin_clzll(max_value);
}

inline uint64_t PackedArrayWords(uint64_t count, int width) {
  return (count * static_cast<uint64_t>(width) + 63) / 64 + 1;
}

// Appends `values` packed at `width` bits (REQUIRES: every value fits).
inline void AppendPackedArray(const std::vector<uint64_t>& values, int width,
                              std::string* body) {
  while (body->size() % 8 != 0) body->push_back('\0');
  std::vector<uint64_t> words(PackedArrayWords(values.size(), width), 0);
  for (uint64_t i = 0; i < values.size() && width > 0; ++i) {
    uint64_t bit = i * width;
    words[bit >> 6] |= values[i] << (bit & 63);
    if ((bit & 63) + width > 64) {
      words[(bit >> 6) + 1] |= values[i] >> (64 - (bit & 63));
    }
  }
  for (uint64_t w : words) PutFixed64(body, w);
}

class PackedArrayView {
 public:
  Status Open(uint64_t count, int width, ByteCursor* body,
              std::string_view field) {
    if (width > 64) return ByteCursor::Bad(field, "width > 64");
    count_ = count;
    width_ = width;
    mask_ = width == 64 ? ~uint64_t{0} : (uint64_t{1} << width) - 1;
    std::string_view a;
    uint64_t bits;
    if (!CheckedMul(count, 64, &bits)) return ByteCursor::Bad(field, "count");
    SCTABLE_RETURN_IF_ERROR(
        body->ReadArray(field, PackedArrayWords(count, width), 8, &a));
    words_ = a.data();
    return Status::OK();
  }
  uint64_t size() const { return count_; }
  int width() const { return width_; }
  uint64_t SpaceBytes() const { return PackedArrayWords(count_, width_) * 8; }
  // REQUIRES: i < size().
  uint64_t Get(uint64_t i) const {
    if (width_ == 0) return 0;
    uint64_t bit = i * width_;
    uint64_t w = bit >> 6, s = bit & 63;
    uint64_t v = LoadWord64(words_ + 8 * w) >> s;
    if (s + width_ > 64) v |= LoadWord64(words_ + 8 * (w + 1)) << (64 - s);
    return v & mask_;
  }

 private:
  const char* words_ = nullptr;
  uint64_t count_ = 0;
  uint64_t mask_ = 0;
  int width_ = 0;
};

}  // namespace sctable::coindex
