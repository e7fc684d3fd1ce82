// ByteCursor: a bounded reader over untrusted bytes, the one way sctable
// decoders consume on-disk data. Every read checks the bytes that remain,
// every length is checked for overflow before it is added to a position, and
// every error names the field that was being read, so a corrupt file reports
// "Corruption: coindex header: label_bytes: truncated (need 812, have 40)"
// instead of crashing.
//
// The cursor borrows [data, data+size); the bytes must outlive it.
// Thread-compatible: one cursor per thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace sctable {

class ByteCursor {
 public:
  ByteCursor(const char* data, size_t size) : begin_(data), size_(size) {}
  explicit ByteCursor(std::string_view bytes)
      : ByteCursor(bytes.data(), bytes.size()) {}

  size_t position() const { return pos_; }
  size_t remaining() const { return size_ - pos_; }
  size_t size() const { return size_; }
  bool empty() const { return pos_ == size_; }
  // The bytes not yet consumed.
  const char* current() const { return begin_ + pos_; }

  Status ReadU8(std::string_view field, uint8_t* out);
  Status ReadFixed16(std::string_view field, uint16_t* out);
  Status ReadFixed32(std::string_view field, uint32_t* out);
  Status ReadFixed64(std::string_view field, uint64_t* out);
  Status ReadVarint32(std::string_view field, uint32_t* out);
  Status ReadVarint64(std::string_view field, uint64_t* out);

  // Consumes `n` bytes and points `out` at them (no copy).
  Status ReadBytes(std::string_view field, uint64_t n, std::string_view* out);
  // A varint length followed by that many bytes.
  Status ReadLengthPrefixed(std::string_view field, std::string_view* out);
  // `count` elements of `elem_size` bytes each; checks count * elem_size for
  // overflow before checking it against what remains.
  Status ReadArray(std::string_view field, uint64_t count, uint64_t elem_size,
                   std::string_view* out);
  Status Skip(std::string_view field, uint64_t n);
  // Skips padding so that position() becomes a multiple of `alignment`
  // (a power of two), relative to the start of the cursor.
  Status Align(std::string_view field, size_t alignment);

  // A Corruption status naming `field`, for checks the caller makes on values
  // it has read ("value out of range").
  static Status Bad(std::string_view field, std::string_view what);

 private:
  Status Truncated(std::string_view field, uint64_t need) const;

  const char* begin_;
  size_t size_;
  size_t pos_ = 0;
};

// a + b, or false if it overflows.
inline bool CheckedAdd(uint64_t a, uint64_t b, uint64_t* out) {
  return !__builtin_add_overflow(a, b, out);
}
// a * b, or false if it overflows.
inline bool CheckedMul(uint64_t a, uint64_t b, uint64_t* out) {
  return !__builtin_mul_overflow(a, b, out);
}

}  // namespace sctable
