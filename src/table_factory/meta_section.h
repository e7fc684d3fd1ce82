// The sctable.meta section: layout version, checksum level and the list of
// sctable sections with their XXH3-64 checksums (docs/format.md §Meta).
//
//   meta := version:varint checksum_level:u8 count:varint section{count}
//           checksum:fixed64                  XXH3-64 of every byte before it
//   section := name_len:varint name offset:varint size:varint xxh3:fixed64
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace sctable {

struct MetaSection {
  struct Section {
    std::string name;
    uint64_t offset = 0;
    uint64_t size = 0;
    uint64_t checksum = 0;
  };
  uint32_t version = 0;
  uint8_t checksum_level = 0;
  std::vector<Section> sections;

  void EncodeTo(std::string* out) const;
  // Parses and checks the meta section's own checksum; NotSupported for a
  // layout version newer than this code.
  Status DecodeFrom(std::string_view in);
  const Section* Find(std::string_view name) const;
};

}  // namespace sctable
