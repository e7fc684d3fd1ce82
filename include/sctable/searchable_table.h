// sctable public API: the SearchableTable format for RocksDB 7.8.
//
//   #include <sctable/searchable_table.h>
//   options.table_factory.reset(sctable::NewSearchableTableFactory());
//
// or, in an options string / OPTIONS file (libsctable.so registers the name
// when it is loaded; RegisterSearchableTable() does it explicitly):
//
//   table_factory={id=SearchableTable;checksum_level=2}
//
// Keys are kept in a CO-Index (nested succinct trie) and values in a PA-Zip
// store (one global dictionary per file); files are read through mmap with
// no block cache. Files of other formats (BlockBasedTable, PlainTable) in the
// same column family are read through a fallback factory, so an existing DB
// can be switched and converted by compaction.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace rocksdb {
class ObjectLibrary;
class TableFactory;
}  // namespace rocksdb

namespace sctable {

// The name under which the factory is registered and written to OPTIONS.
constexpr const char* kSearchableTableName = "SearchableTable";

struct SearchableTableOptions {
  // Directory for the builder's temporary files (values spooled beyond
  // spool_memory_bytes). Empty: the directory of the SST being written.
  std::string temp_dir;

  // Maximum nesting depth of the key index: path labels of the trie are
  // stored in a next-level trie up to this depth. 0 = the index's default.
  // Option string name: index_nest_level. Range [0, 8].
  int index_nest_level = 0;

  // Size of the global value dictionary as a fraction of the value bytes of
  // the file, in per mille (0 = the default, 20, chosen by measurement:
  // docs/design.md "Keyed stores"). Range [0, 500].
  int dict_per_mille = 0;

  // Effort of value compression. 0: a fast parse (several times faster to
  // build, 2-3% larger values), the default, for flushes and compactions.
  // 1: the best ratio PA-Zip can reach, for bulk or offline builds.
  int value_effort = 0;

  // 0: no checksums verified on open (VerifyChecksum still checks all).
  // 1: every section has a checksum; small sections are verified on open.
  // 2: as 1, plus a checksum per value, verified on every read.
  int checksum_level = 1;
  // Bits per user key of the file's Bloom filter (one cache line per
  // probe), checked by Get before the key index: an absent key is then
  // rejected with one hash and one cache line. 0: no filter. Range [0, 32].
  int filter_bits_per_key = 10;

  // Files written to levels below this one use the BlockBasedTable fallback
  // (fast to build, for short-lived upper-level files): with level-style
  // compaction only, and never for a bottommost file. 0 = SearchableTable
  // everywhere. Flushes are level 0. The default, 1, writes flushes as
  // BlockBasedTable: L0 files live until the next L0->L1 compaction, and
  // building PA-Zip for them halved db_bench fillrandom throughput
  // (docs/design.md, "Choosing fallback_below_level").
  int fallback_below_level = 1;

  // Bytes of values the builder keeps in memory before spooling them to a
  // temporary file. Range [1 MiB, 4 GiB].
  uint64_t spool_memory_bytes = 64ull << 20;
};

// A new factory with `options`. Invalid option values are reported as
// InvalidArgument, naming the option, when a DB opens with the factory
// (TableFactory::ValidateOptions) or when an options string is parsed.
rocksdb::TableFactory* NewSearchableTableFactory(
    const SearchableTableOptions& options = SearchableTableOptions());

// Registers "SearchableTable" in `library` (default: the process-wide
// ObjectLibrary). Loading libsctable.so does this once already; calling it
// again is harmless.
void RegisterSearchableTable(rocksdb::ObjectLibrary* library = nullptr);

}  // namespace sctable
