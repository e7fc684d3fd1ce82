// crash_writer DB START: writes keys START, START+1, ... into a
// SearchableTable DB with a synced WAL, printing each key's number on stdout
// once its Put has returned OK (the acknowledgement), flushing and compacting
// as it goes. It runs until killed; crash_recovery_test kills it.
#include <rocksdb/db.h>
#include <rocksdb/table.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "sctable/searchable_table.h"

int main(int argc, char** argv) {
  if (argc != 3) return 2;
  rocksdb::Options o;
  o.create_if_missing = true;
  o.table_factory.reset(sctable::NewSearchableTableFactory());
  o.write_buffer_size = 64 << 10;
  o.target_file_size_base = 64 << 10;
  o.level0_file_num_compaction_trigger = 2;
  rocksdb::DB* db = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(o, argv[1], &db);
  if (!s.ok()) {
    std::fprintf(stderr, "crash_writer: %s\n", s.ToString().c_str());
    return 1;
  }
  rocksdb::WriteOptions wo;
  wo.sync = true;
  for (unsigned long i = std::strtoul(argv[2], nullptr, 10);; ++i) {
    const std::string k = "k" + std::to_string(i);
    s = db->Put(wo, k, k + std::string(i % 300, 'v'));
    if (!s.ok()) {
      std::fprintf(stderr, "crash_writer: %s\n", s.ToString().c_str());
      return 1;
    }
    std::printf("%lu\n", i);
    std::fflush(stdout);
    if (i % 500 == 0) db->Flush(rocksdb::FlushOptions());
    if (i % 1700 == 0) db->CompactRange(rocksdb::CompactRangeOptions(), nullptr, nullptr);
  }
}
