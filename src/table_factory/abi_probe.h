// ABI probe: writes a tiny table through RocksDB's own internal builders
// (WritableFileWriter, PropertyBlockBuilder, MetaIndexBuilder, FooterBuilder)
// with a foreign magic number, then reads its properties back with
// ReadTableProperties. This exercises exactly the objects whose layout depends
// on how RocksDB internals were compiled (notes: rocksdb-7.8.3-plugin.md §2),
// so it fails or crashes if sctable::rocksdb_internal's flags drift from
// Debian's. `make demo` runs it until the table format lands; the ABI guard
// test runs it in CI.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/status.h"

namespace sctable {

// Magic number of probe files (not a real format; the real format's magic is
// in docs/format.md).
constexpr uint64_t kAbiProbeMagic = 0x5343544142494f31ull;  // "SCTABIO1"
// Metaindex name of the probe's own data section.
constexpr const char* kAbiProbeDataBlock = "sctable.probe.data";

struct AbiProbeResult {
  uint64_t file_size = 0;
  uint64_t num_entries = 0;
  uint64_t raw_key_size = 0;
  uint64_t raw_value_size = 0;
  uint64_t data_size = 0;
  uint64_t format_version = 0;
  std::string column_family_name;
  std::string comparator_name;
  std::map<std::string, std::string> user_properties;
  std::vector<std::string> meta_blocks;  // metaindex entry names, in order
  std::string data_section;              // found through the metaindex
};

// Writes the probe table to `path`, with `num_entries` as the recorded entry
// count and one user property "sctable.probe" = `note`.
Status WriteAbiProbeTable(const std::string& path, uint64_t num_entries,
                          const std::string& note);

// Reads the properties of a probe table back through ReadTableProperties.
Status ReadAbiProbeTable(const std::string& path, AbiProbeResult* result);

}  // namespace sctable
