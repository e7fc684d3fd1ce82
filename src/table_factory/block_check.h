// CheckRocksDBBlock: validates the structure of a RocksDB block (the
// metaindex and properties blocks of a SearchableTable file) before RocksDB
// parses it. With a foreign magic these blocks carry no checksum, and
// RocksDB's Block constructor and iterators assert (Debian builds keep
// asserts) on some malformed bytes, e.g. a footer announcing a hash index.
//
// Block grammar (RocksDB BlockBuilder, binary-search index):
//   block   := entry* restart:fixed32{n} footer:fixed32
//   entry   := shared:varint32 non_shared:varint32 value_len:varint32
//              key_delta:byte{non_shared} value:byte{value_len}
//   footer  := n (top bit 0: no data-block hash index)
// Checks: every entry in bounds; shared <= previous key length and 0 at
// restart points; restart offsets strictly increasing and at entry starts;
// keys strictly increasing.
#pragma once

#include <string_view>

#include "common/status.h"

namespace sctable {

Status CheckRocksDBBlock(std::string_view block, std::string_view what);

}  // namespace sctable
