#include "common/cursor.h"

#include "common/coding.h"

namespace sctable {

Status ByteCursor::Bad(std::string_view field, std::string_view what) {
  std::string msg(field);
  msg += ": ";
  msg += what;
  return Status::Corruption(msg);
}

Status ByteCursor::Truncated(std::string_view field, uint64_t need) const {
  return Bad(field, "truncated (need " + std::to_string(need) + ", have " +
                        std::to_string(remaining()) + ")");
}

Status ByteCursor::ReadU8(std::string_view field, uint8_t* out) {
  if (remaining() < 1) return Truncated(field, 1);
  *out = static_cast<uint8_t>(begin_[pos_]);
  pos_ += 1;
  return Status::OK();
}

Status ByteCursor::ReadFixed16(std::string_view field, uint16_t* out) {
  if (remaining() < 2) return Truncated(field, 2);
  *out = DecodeFixed16(begin_ + pos_);
  pos_ += 2;
  return Status::OK();
}

Status ByteCursor::ReadFixed32(std::string_view field, uint32_t* out) {
  if (remaining() < 4) return Truncated(field, 4);
  *out = DecodeFixed32(begin_ + pos_);
  pos_ += 4;
  return Status::OK();
}

Status ByteCursor::ReadFixed64(std::string_view field, uint64_t* out) {
  if (remaining() < 8) return Truncated(field, 8);
  *out = DecodeFixed64(begin_ + pos_);
  pos_ += 8;
  return Status::OK();
}

Status ByteCursor::ReadVarint64(std::string_view field, uint64_t* out) {
  const char* limit = begin_ + size_;
  const char* next = GetVarint64Ptr(begin_ + pos_, limit, out);
  if (next == nullptr) {
    // Distinguish running out of bytes from an over-long encoding.
    const char* p = begin_ + pos_;
    int n = 0;
    while (p < limit && n < kMaxVarint64Bytes &&
           (static_cast<unsigned char>(*p) & 0x80)) {
      ++p;
      ++n;
    }
    if (p == limit) return Bad(field, "truncated varint");
    return Bad(field, "varint overflows 64 bits");
  }
  pos_ = static_cast<size_t>(next - begin_);
  return Status::OK();
}

Status ByteCursor::ReadVarint32(std::string_view field, uint32_t* out) {
  uint64_t v = 0;
  SCTABLE_RETURN_IF_ERROR(ReadVarint64(field, &v));
  if (v > UINT32_MAX) return Bad(field, "varint overflows 32 bits");
  *out = static_cast<uint32_t>(v);
  return Status::OK();
}

Status ByteCursor::ReadBytes(std::string_view field, uint64_t n,
                             std::string_view* out) {
  if (n > remaining()) return Truncated(field, n);
  *out = std::string_view(begin_ + pos_, static_cast<size_t>(n));
  pos_ += static_cast<size_t>(n);
  return Status::OK();
}

Status ByteCursor::ReadLengthPrefixed(std::string_view field,
                                      std::string_view* out) {
  uint64_t n = 0;
  SCTABLE_RETURN_IF_ERROR(ReadVarint64(field, &n));
  return ReadBytes(field, n, out);
}

Status ByteCursor::ReadArray(std::string_view field, uint64_t count,
                             uint64_t elem_size, std::string_view* out) {
  uint64_t bytes = 0;
  if (!CheckedMul(count, elem_size, &bytes)) {
    return Bad(field, "array size overflows (" + std::to_string(count) +
                          " x " + std::to_string(elem_size) + ")");
  }
  return ReadBytes(field, bytes, out);
}

Status ByteCursor::Skip(std::string_view field, uint64_t n) {
  if (n > remaining()) return Truncated(field, n);
  pos_ += static_cast<size_t>(n);
  return Status::OK();
}

Status ByteCursor::Align(std::string_view field, size_t alignment) {
  const size_t mis = pos_ & (alignment - 1);
  if (mis == 0) return Status::OK();
  return Skip(field, alignment - mis);
}

}  // namespace sctable
