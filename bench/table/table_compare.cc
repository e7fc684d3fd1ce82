// table_compare: loads the same records, in the same run, into fresh RocksDB
// databases using SearchableTable, BlockBasedTable (zstd-3, 16 KiB blocks,
// 10-bit bloom filter) and BlockBasedTable with a 64 KiB zstd dictionary,
// through the same write path (batched writes, flush, full compaction), and
// prints one JSON object per line per format, then ratios against
// BlockBasedTable. Each format runs in its own child process, so its
// peak_rss_bytes is its own. Then one more child reads SearchableTable's and
// BlockBasedTable's DBs in alternating batches (RunInterleaved) and prints
// the in-memory read ratios measured side by side.
//
//   table_compare --tsv FILE | --stanzas FILE [--key-fields F1,F2,...]
//                 [--gets N] [--seeks N] [--dir DIR]
//                 [--budget-fractions F1,F2,...] [--budget-gets N]
//
// Memory budgets: for each fraction F (of SearchableTable's file size, which
// is measured first), BlockBasedTable reopens with a block cache of that
// many bytes and direct reads (no page cache), and prints a line
// {"format":...,"budget_bytes":...,"fits":...,"get_ops_s":...}; fits: the
// budget holds everything (the block cache keeps uncompressed blocks, so
// for BlockBasedTable that is about the raw size). SearchableTable reads
// through mmap with no cache of its own: its line is printed only for budgets
// that hold its whole file (fits:true); a smaller page-cache budget would
// need a memory cgroup, which this tool does not set up.
#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/table.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "records.h"
#include "sctable/searchable_table.h"

namespace {

using Clock = std::chrono::steady_clock;
double Seconds(Clock::time_point a) {
  return std::chrono::duration<double>(Clock::now() - a).count();
}

// Reads the records with the same parsers as `sctable compress` (escapes,
// stanza keys), last duplicate winning.
bool LoadRecords(const std::string& path, const std::string& format,
                 const std::vector<std::string>& fields,
                 std::map<std::string, std::string>* kv, std::string* err) {
  sctable::Status s = sctable::tool::ReadTextInput(
      path, format, fields,
      [kv](std::string k, std::string v, const std::string&) {
        (*kv)[std::move(k)] = std::move(v);
        return sctable::Status::OK();
      });
  if (!s.ok()) *err = s.message();
  return s.ok();
}

uint64_t DirBytes(rocksdb::DB* db) {
  std::vector<rocksdb::LiveFileMetaData> files;
  db->GetLiveFilesMetaData(&files);
  uint64_t total = 0;
  for (auto& f : files) total += f.size;
  return total;
}

struct Format {
  std::string name;
  rocksdb::Options Make(uint64_t cache_bytes, bool direct) const {
    rocksdb::Options o;
    o.create_if_missing = true;
    o.write_buffer_size = 64 << 20;
    o.target_file_size_base = 64 << 20;
    o.max_open_files = -1;
    o.use_direct_reads = direct;
    if (name == "SearchableTable") {
      o.table_factory.reset(sctable::NewSearchableTableFactory());
    } else {
      rocksdb::BlockBasedTableOptions t;
      t.block_size = 16 << 10;
      t.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
      t.block_cache = rocksdb::NewLRUCache(cache_bytes);
      o.table_factory.reset(rocksdb::NewBlockBasedTableFactory(t));
      o.compression = rocksdb::kZSTD;
      o.bottommost_compression = rocksdb::kZSTD;
      o.compression_opts.level = 3;
      o.bottommost_compression_opts.level = 3;
      o.bottommost_compression_opts.enabled = true;
      if (name == "BlockBasedTable+dict") {
        for (auto* c : {&o.compression_opts, &o.bottommost_compression_opts}) {
          c->max_dict_bytes = 64 << 10;
          c->zstd_max_train_bytes = 64 << 10 << 7;  // 8 MiB of samples
        }
      }
    }
    return o;
  }
};

long PeakRss() {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss * 1024L;
}

// Runs one format end to end; prints its JSON line.
int RunFormat(const Format& fmt, const std::map<std::string, std::string>& kv,
              const std::string& dir, uint64_t gets, uint64_t seeks,
              const std::vector<double>& fractions, uint64_t budget_gets) {
  std::vector<const std::string*> keys;
  uint64_t raw = 0;
  for (auto& [k, v] : kv) {
    keys.push_back(&k);
    raw += k.size() + v.size();
  }
  const std::string path = dir + "/" + fmt.name;
  rocksdb::DestroyDB(path, rocksdb::Options());

  // Load: batched writes, flush, full compaction.
  rocksdb::DB* raw_db = nullptr;
  auto t0 = Clock::now();
  rocksdb::Status s = rocksdb::DB::Open(fmt.Make(raw * 2 + (64 << 20), false),
                                        path, &raw_db);
  if (!s.ok()) return std::fprintf(stderr, "%s\n", s.ToString().c_str()), 1;
  std::unique_ptr<rocksdb::DB> db(raw_db);
  rocksdb::WriteOptions wo;
  wo.disableWAL = true;
  rocksdb::WriteBatch batch;
  std::vector<size_t> order(keys.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), std::mt19937_64(42));
  for (size_t i = 0; i < order.size(); ++i) {
    batch.Put(*keys[order[i]], kv.at(*keys[order[i]]));
    if (batch.Count() == 1000 || i + 1 == order.size()) {
      s = db->Write(wo, &batch);
      if (!s.ok()) return std::fprintf(stderr, "%s\n", s.ToString().c_str()), 1;
      batch.Clear();
    }
  }
  // Phases of load_s (where a slow load spends its time).
  const double write_s = Seconds(t0);
  s = db->Flush(rocksdb::FlushOptions());
  const double flush_s = Seconds(t0) - write_s;
  rocksdb::CompactRangeOptions c;
  c.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
  if (s.ok()) s = db->CompactRange(c, nullptr, nullptr);
  if (!s.ok()) return std::fprintf(stderr, "%s\n", s.ToString().c_str()), 1;
  const double load_s = Seconds(t0);
  const double compact_s = load_s - write_s - flush_s;
  const uint64_t sst_bytes = DirBytes(db.get());

  std::mt19937_64 rng(7);
  auto time_gets = [&](rocksdb::DB* d, bool present, uint64_t n) {
    std::string v, k;
    uint64_t found = 0;
    auto t = Clock::now();
    for (uint64_t i = 0; i < n; ++i) {
      k = *keys[rng() % keys.size()];
      if (!present) k += "\x01" "absent";
      if (d->Get(rocksdb::ReadOptions(), k, &v).ok()) ++found;
    }
    const double secs = Seconds(t);
    if (found != (present ? n : 0)) {
      std::fprintf(stderr, "%s: wrong Get results (%llu of %llu)\n",
                   fmt.name.c_str(), (unsigned long long)found,
                   (unsigned long long)n);
      std::exit(1);
    }
    return n / secs;
  };
  // Warm, everything in memory.
  time_gets(db.get(), true, std::min<uint64_t>(gets, keys.size()));
  const double get_present = time_gets(db.get(), true, gets);
  const double get_absent = time_gets(db.get(), false, gets);

  double seek_next = 0;
  {
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions()));
    auto t = Clock::now();
    for (uint64_t i = 0; i < seeks; ++i) {
      it->Seek(*keys[rng() % keys.size()]);
      for (int j = 0; j < 10 && it->Valid(); ++j) it->Next();
    }
    seek_next = seeks / Seconds(t);
  }
  double scan_mb_s = 0;
  {
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions()));
    uint64_t bytes = 0;
    auto t = Clock::now();
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      bytes += it->key().size() + it->value().size();
    }
    scan_mb_s = bytes / 1e6 / Seconds(t);
  }
  const long rss = PeakRss();

  // Memory budget = SearchableTable's file size (passed in by the parent via
  // env), as block cache with direct reads for BlockBasedTable; SearchableTable
  // reads its mmap.
  db.reset();
  double get_budget = 0;
  {
    const char* b = std::getenv("SCTABLE_BUDGET_BYTES");
    const uint64_t budget = b != nullptr ? std::strtoull(b, nullptr, 10) : sst_bytes;
    const bool direct = fmt.name != "SearchableTable";
    s = rocksdb::DB::Open(fmt.Make(budget, direct), path, &raw_db);
    if (!s.ok()) return std::fprintf(stderr, "%s\n", s.ToString().c_str()), 1;
    db.reset(raw_db);
    time_gets(db.get(), true, std::min<uint64_t>(gets, keys.size()));
    get_budget = time_gets(db.get(), true, gets);
  }
  // Further budgets, as fractions of SearchableTable's file size.
  std::string budget_lines;
  for (double f : fractions) {
    const char* b = std::getenv("SCTABLE_BUDGET_BYTES");
    const uint64_t base = b != nullptr ? std::strtoull(b, nullptr, 10) : sst_bytes;
    const uint64_t budget = static_cast<uint64_t>(base * f);
    const bool searchable = fmt.name == "SearchableTable";
    if (searchable && budget < sst_bytes) continue;  // needs a memory cgroup
    // What the budget must hold for every Get to be served from memory: the
    // mapped file, or (block cache) the uncompressed blocks, about raw size.
    const uint64_t holds_all = searchable ? sst_bytes : raw;
    db.reset();
    s = rocksdb::DB::Open(fmt.Make(std::max<uint64_t>(budget, 1), !searchable), path, &raw_db);
    if (!s.ok()) return std::fprintf(stderr, "%s\n", s.ToString().c_str()), 1;
    db.reset(raw_db);
    time_gets(db.get(), true, budget_gets);
    const double ops = time_gets(db.get(), true, budget_gets);
    char line[512];
    std::snprintf(line, sizeof line,
                  "{\"format\":\"%s\",\"budget_fraction\":%.3f,\"budget_bytes\":%llu,"
                  "\"sst_bytes\":%llu,\"fits\":%s,\"memory\":\"%s\",\"get_ops_s\":%.0f}\n",
                  fmt.name.c_str(), f, (unsigned long long)budget,
                  (unsigned long long)sst_bytes, budget >= holds_all ? "true" : "false",
                  searchable ? "mmap" : "block cache, direct reads", ops);
    budget_lines += line;
  }
  std::printf(
      "{\"format\":\"%s\",\"records\":%zu,\"raw_bytes\":%llu,\"sst_bytes\":%llu,"
      "\"load_s\":%.3f,\"get_present_ops_s\":%.0f,\"get_absent_ops_s\":%.0f,"
      "\"get_budget_ops_s\":%.0f,\"seek_next_ops_s\":%.0f,\"scan_mb_s\":%.1f,"
      "\"peak_rss_bytes\":%ld,\"load_write_s\":%.3f,\"load_flush_s\":%.3f,"
      "\"load_compact_s\":%.3f}\n",
      fmt.name.c_str(), keys.size(), (unsigned long long)raw,
      (unsigned long long)sst_bytes, load_s, get_present, get_absent,
      get_budget, seek_next, scan_mb_s, rss, write_s, flush_s, compact_s);
  std::fputs(budget_lines.c_str(), stdout);
  std::fflush(stdout);
  db.reset();  // the parent destroys it after the interleaved phase
  return 0;
}

// The in-memory reads of SearchableTable and BlockBasedTable again, in one
// process, alternating batches of kBatch operations between the two DBs
// (kept by RunFormat), so machine load that changes during the run falls on
// both alike: the per-format figures above come from runs one after the
// other and their ratios drift with the machine. Prints one line with both
// formats' rates and their ratios.
int RunInterleaved(const std::map<std::string, std::string>& kv,
                   const std::string& dir, uint64_t gets, uint64_t seeks) {
  constexpr uint64_t kBatch = 10000;
  std::vector<const std::string*> keys;
  uint64_t raw = 0;
  for (auto& [k, v] : kv) {
    keys.push_back(&k);
    raw += k.size() + v.size();
  }
  const char* names[2] = {"SearchableTable", "BlockBasedTable"};
  std::unique_ptr<rocksdb::DB> dbs[2];
  for (int f = 0; f < 2; ++f) {
    rocksdb::DB* raw_db = nullptr;
    rocksdb::Status s = rocksdb::DB::Open(Format{names[f]}.Make(raw * 2 + (64 << 20), false),
                                          dir + "/" + names[f], &raw_db);
    if (!s.ok()) return std::fprintf(stderr, "%s\n", s.ToString().c_str()), 1;
    dbs[f].reset(raw_db);
  }
  // The same query sequence for both formats.
  std::vector<uint64_t> ids(std::max(gets, seeks));
  std::mt19937_64 rng(11);
  for (auto& id : ids) id = rng() % keys.size();
  enum { kPresent, kAbsent, kSeek, kOps };
  double secs[2][kOps] = {};
  uint64_t done[kOps] = {};
  auto batch = [&](int f, int op, uint64_t from, uint64_t n) {
    rocksdb::DB* d = dbs[f].get();
    std::string v, k;
    uint64_t found = 0;
    auto t = Clock::now();
    if (op == kSeek) {
      std::unique_ptr<rocksdb::Iterator> it(d->NewIterator(rocksdb::ReadOptions()));
      for (uint64_t i = from; i < from + n; ++i) {
        it->Seek(*keys[ids[i]]);
        for (int j = 0; j < 10 && it->Valid(); ++j) it->Next();
      }
      found = n;
    } else {
      for (uint64_t i = from; i < from + n; ++i) {
        k = *keys[ids[i]];
        if (op == kAbsent) k += "\x01" "absent";
        if (d->Get(rocksdb::ReadOptions(), k, &v).ok()) ++found;
      }
      if (op == kAbsent) found = found == 0 ? n : 0;
    }
    secs[f][op] += Seconds(t);
    if (found != n) {
      std::fprintf(stderr, "%s: wrong results in the interleaved phase\n", names[f]);
      std::exit(1);
    }
  };
  // Warm both, then alternate; the first format of each pair alternates
  // too, so neither always runs on caches the other left.
  for (int f = 0; f < 2; ++f) batch(f, kPresent, 0, std::min<uint64_t>(gets, keys.size()));
  const uint64_t total[kOps] = {gets, gets, seeks};
  for (int op = 0; op < kOps; ++op) {
    for (uint64_t from = 0, b = 0; from < total[op]; from += kBatch, ++b) {
      const uint64_t n = std::min(kBatch, total[op] - from);
      batch(static_cast<int>(b & 1), op, from, n);
      batch(static_cast<int>((b & 1) ^ 1), op, from, n);
      done[op] += n;
    }
  }
  const char* fields[kOps] = {"get_present_ops_s", "get_absent_ops_s", "seek_next_ops_s"};
  std::printf("{\"interleaved\":\"SearchableTable,BlockBasedTable\",\"batch\":%llu",
              (unsigned long long)kBatch);
  for (int f = 0; f < 2; ++f) {
    for (int op = 0; op < kOps; ++op) {
      std::printf(",\"%s_%s\":%.0f", names[f], fields[op], done[op] / secs[f][op]);
    }
  }
  std::printf("}\n{\"ratio\":\"SearchableTable/BlockBasedTable interleaved\"");
  for (int op = 0; op < kOps; ++op) {
    std::printf(",\"%s\":%.3f", fields[op], secs[1][op] / secs[0][op]);
  }
  std::printf("}\n");
  std::fflush(stdout);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Compare SearchableTable with BlockBasedTable on one data set"};
  std::string tsv, stanzas, dir = "/tmp/sctable-table-compare";
  std::string key_fields = "Package,Version,Architecture";
  uint64_t gets = 200000, seeks = 50000;
  app.add_option("--tsv", tsv, "key<TAB>value lines (\\t \\n \\\\ escapes)");
  app.add_option("--stanzas", stanzas, "blank-line-separated records");
  app.add_option("--key-fields", key_fields, "stanza fields forming the key");
  app.add_option("--gets", gets, "random Gets per measurement");
  app.add_option("--seeks", seeks, "Seek+10 Next operations");
  app.add_option("--dir", dir, "working directory");
  std::string fractions_arg;
  uint64_t budget_gets = 20000;
  app.add_option("--budget-fractions", fractions_arg,
                 "comma-separated memory budgets, as fractions of "
                 "SearchableTable's file size (e.g. 0.25,0.5,1,2)");
  app.add_option("--budget-gets", budget_gets, "random Gets per budget");
  std::string only;
  app.add_option("--formats", only,
                 "comma-separated subset of SearchableTable,BlockBasedTable,"
                 "BlockBasedTable+dict (ratios need the first two)");
  CLI11_PARSE(app, argc, argv);
  if (tsv.empty() == stanzas.empty()) {
    std::fprintf(stderr, "table_compare: give exactly one of --tsv, --stanzas\n");
    return 2;
  }
  std::vector<double> fractions;
  {
    std::stringstream fs(fractions_arg);
    for (std::string f; std::getline(fs, f, ',');) {
      char* end = nullptr;
      const double v = std::strtod(f.c_str(), &end);
      if (f.empty() || *end != '\0' || !(v > 0)) {
        std::fprintf(stderr, "table_compare: --budget-fractions: bad value '%s'\n", f.c_str());
        return 2;
      }
      fractions.push_back(v);
    }
  }
  std::map<std::string, std::string> kv;
  std::string err;
  std::vector<std::string> fields;
  std::stringstream ss(key_fields);
  for (std::string f; std::getline(ss, f, ',');) fields.push_back(f);
  if (!(tsv.empty() ? LoadRecords(stanzas, "stanzas", fields, &kv, &err)
                    : LoadRecords(tsv, "tsv", {}, &kv, &err))) {
    std::fprintf(stderr, "table_compare: %s\n", err.c_str());
    return 1;
  }
  (void)!std::system(("mkdir -p '" + dir + "'").c_str());

  const char* names[] = {"SearchableTable", "BlockBasedTable",
                         "BlockBasedTable+dict"};
  std::map<std::string, std::string> lines;
  uint64_t budget = 0;
  for (const char* name : names) {
    if (!only.empty() && ("," + only + ",").find(std::string(",") + name + ",") ==
                             std::string::npos) {
      continue;
    }
    int fds[2];
    if (pipe(fds) != 0) return 1;
    pid_t pid = fork();
    if (pid == 0) {
      close(fds[0]);
      dup2(fds[1], 1);
      if (budget > 0) setenv("SCTABLE_BUDGET_BYTES", std::to_string(budget).c_str(), 1);
      std::_Exit(RunFormat(Format{name}, kv, dir, gets, seeks, fractions, budget_gets));
    }
    close(fds[1]);
    std::string out;
    char buf[4096];
    for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;) out.append(buf, n);
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      std::fprintf(stderr, "table_compare: %s failed\n", name);
      return 1;
    }
    std::fputs(out.c_str(), stdout);
    std::fflush(stdout);
    lines[name] = out;
    if (budget == 0) {  // SearchableTable runs first: its size is the budget
      const size_t p = out.find("\"sst_bytes\":");
      budget = std::strtoull(out.c_str() + p + 12, nullptr, 10);
    }
  }
  if (lines.count("SearchableTable") == 0 || lines.count("BlockBasedTable") == 0) {
    for (const char* name : names) rocksdb::DestroyDB(dir + "/" + name, rocksdb::Options());
    return 0;
  }
  // Ratios against BlockBasedTable.
  auto field = [&](const std::string& fmt, const char* f) {
    const std::string& l = lines[fmt];
    const size_t p = l.find(std::string("\"") + f + "\":");
    return std::strtod(l.c_str() + p + std::strlen(f) + 3, nullptr);
  };
  const char* fs[] = {"sst_bytes", "load_s", "get_present_ops_s", "get_absent_ops_s",
                      "get_budget_ops_s", "seek_next_ops_s", "scan_mb_s", "peak_rss_bytes"};
  std::printf("{\"ratio\":\"SearchableTable/BlockBasedTable\"");
  for (const char* f : fs) {
    std::printf(",\"%s\":%.3f", f, field("SearchableTable", f) / field("BlockBasedTable", f));
  }
  std::printf("}\n");
  std::fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) std::_Exit(RunInterleaved(kv, dir, gets, seeks));
  int status = 0;
  waitpid(pid, &status, 0);
  for (const char* name : names) rocksdb::DestroyDB(dir + "/" + name, rocksdb::Options());
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::fprintf(stderr, "table_compare: interleaved phase failed\n");
    return 1;
  }
  return 0;
}
