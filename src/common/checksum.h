// Checksums of on-disk sections and records. sctable uses XXH3 (libxxhash,
// Debian's libxxhash-dev): 64-bit, ~30 GB/s on one core, so a section checksum
// costs little even when verified on every open. 32-bit fields store the low
// half of XXH3-64.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace sctable {

uint64_t Checksum64(const void* data, size_t n);
inline uint64_t Checksum64(std::string_view s) {
  return Checksum64(s.data(), s.size());
}
inline uint32_t Checksum32(const void* data, size_t n) {
  return static_cast<uint32_t>(Checksum64(data, n));
}
inline uint32_t Checksum32(std::string_view s) {
  return Checksum32(s.data(), s.size());
}

}  // namespace sctable
