// make_seeds DIR: writes seed corpora for the fuzzers into DIR/coindex,
// DIR/pazip and DIR/table: valid images of small key sets, record sets and
// SearchableTable files, which the fuzzers then mutate.
#include <rocksdb/options.h>
#include <rocksdb/sst_file_writer.h>
#include <rocksdb/table.h>
#include <sys/stat.h>

#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "coindex/co_index_builder.h"
#include "common/mapped_file.h"
#include "pazip/pazip_builder.h"
#include "sctable/searchable_table.h"

namespace {

std::vector<std::string> KeySet(int which) {
  std::mt19937 rng(which);
  std::vector<std::string> keys;
  const int n = which == 0 ? 0 : which == 1 ? 1 : 8 << which;
  for (int i = 0; i < n; ++i) {
    std::string k = "k" + std::to_string(rng() % 1000);
    if (which % 2) k += std::string(rng() % 10, static_cast<char>('a' + rng() % 3));
    if (which == 5) k.push_back(static_cast<char>(rng()));
    keys.push_back(k);
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  const std::string dir = argv[1];
  for (const char* sub : {"", "/coindex", "/pazip", "/table"}) {
    ::mkdir((dir + sub).c_str(), 0755);
  }
  for (int which = 0; which < 7; ++which) {
    std::vector<std::string> keys = KeySet(which);
    std::vector<std::string_view> views(keys.begin(), keys.end());
    // CO-Index images at two nest levels.
    for (int nest : {0, 2}) {
      sctable::coindex::CoIndexOptions o;
      o.nest_level = nest;
      std::string image;
      if (sctable::coindex::CoIndexBuilder::Build(views, o, &image).ok()) {
        (void)sctable::WriteFileAtomically(
            dir + "/coindex/seed" + std::to_string(which) + "n" + std::to_string(nest),
            image);
      }
    }
    // PA-Zip stores: the keys as records, with and without record checksums.
    for (int cs = 0; cs < 2; ++cs) {
      sctable::pazip::BuilderOptions o;
      o.record_checksum = cs ? sctable::pazip::RecordChecksum::kXxh32
                             : sctable::pazip::RecordChecksum::kNone;
      sctable::pazip::PazipBuilder b(o);
      for (const auto& k : keys) b.Add(k + " value of " + k + " value of " + k);
      std::string store;
      if (b.Finish(&store).ok()) {
        (void)sctable::WriteFileAtomically(
            dir + "/pazip/seed" + std::to_string(which) + "c" + std::to_string(cs),
            store);
      }
      // Keyed: each record coded with its key, which it repeats. The
      // fuzzer reads record i with the first i % 48 input bytes as key.
      std::vector<std::string> recs;
      for (const auto& k : keys) recs.push_back("name " + k + " value " + k);
      std::vector<std::string_view> rv(recs.begin(), recs.end()), kv(keys.begin(), keys.end());
      if (sctable::pazip::PazipBuilder::Build(rv, kv, o, &store).ok()) {
        (void)sctable::WriteFileAtomically(
            dir + "/pazip/seed" + std::to_string(which) + "k" + std::to_string(cs),
            store);
      }
    }
    // SearchableTable files.
    if (keys.empty()) continue;
    rocksdb::Options o;
    sctable::SearchableTableOptions so;
    so.checksum_level = which % 3;
    o.table_factory.reset(sctable::NewSearchableTableFactory(so));
    rocksdb::SstFileWriter w(rocksdb::EnvOptions(), o);
    const std::string path = dir + "/table/seed" + std::to_string(which);
    if (!w.Open(path).ok()) return 1;
    for (const auto& k : keys) (void)w.Put(k, "value " + k);
    if (keys.size() > 2) (void)w.DeleteRange(keys[0], keys[1]);
    if (!w.Finish().ok()) return 1;
  }
  std::printf("seeds written to %s\n", dir.c_str());
  return 0;
}
