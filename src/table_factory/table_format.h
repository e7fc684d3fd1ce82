// Constants of the SearchableTable file (docs/format.md §SearchableTable
// file). All sctable metaindex and property names live here.
#pragma once

#include <cstdint>

namespace sctable {

// First 8 bytes of SHA-1("sctable SearchableTable"), read big-endian:
// arbitrary, and unlikely to collide with any other RocksDB table magic.
constexpr uint64_t kSearchableTableMagic = 0x2b9926a3340ae36bull;
// RocksDB footer format_version (must be >= 1 with a custom magic).
constexpr uint32_t kFooterFormatVersion = 1;
// Version of the sctable layout (sctable.meta), independent of the footer's.
// 2 added the optional sctable.filter section; 1 files are still read.
constexpr uint32_t kSearchableTableFormatVersion = 2;

// Metaindex names of the sections.
constexpr const char* kMetaSectionName = "sctable.meta";
constexpr const char* kKeysSectionName = "sctable.keys";
constexpr const char* kValuesSectionName = "sctable.values";
constexpr const char* kVersionsSectionName = "sctable.versions";
constexpr const char* kRangeDelSectionName = "sctable.range_del";
constexpr const char* kFilterSectionName = "sctable.filter";  // optional

// User-collected property names written by the builder.
constexpr const char* kPropIndexBytes = "sctable.index.bytes";
constexpr const char* kPropValueBytes = "sctable.values.bytes";
constexpr const char* kPropVersionBytes = "sctable.versions.bytes";
constexpr const char* kPropUserKeys = "sctable.user_keys";
constexpr const char* kPropDictBytes = "sctable.values.dict_bytes";
constexpr const char* kPropFilterBytes = "sctable.filter.bytes";

}  // namespace sctable
