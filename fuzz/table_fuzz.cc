// libFuzzer target: the SearchableTable reader (through RocksDB's
// SstFileReader and our factory) on arbitrary file bytes: open, then
// VerifyChecksum, iterate both ways and seek.
#include <rocksdb/options.h>
#include <rocksdb/sst_file_reader.h>
#include <rocksdb/table.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <string>

#include "sctable/searchable_table.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string path =
      "/tmp/sctable-table-fuzz." + std::to_string(::getpid()) + ".sst";
  FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return 0;
  std::fwrite(data, 1, size, f);
  std::fclose(f);
  static rocksdb::Options options = [] {
    rocksdb::Options o;
    o.table_factory.reset(sctable::NewSearchableTableFactory());
    return o;
  }();
  rocksdb::SstFileReader reader(options);
  if (!reader.Open(path).ok()) return 0;
  (void)reader.VerifyChecksum();
  std::unique_ptr<rocksdb::Iterator> it(reader.NewIterator(rocksdb::ReadOptions()));
  int steps = 0;
  for (it->SeekToFirst(); it->Valid() && steps < 256; it->Next()) ++steps;
  steps = 0;
  for (it->SeekToLast(); it->Valid() && steps < 256; it->Prev()) ++steps;
  it->Seek("key");
  it->SeekForPrev("key");
  return 0;
}
