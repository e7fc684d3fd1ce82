// coindex_compare --keys FILE [--nest N] [--nest-stop N] [--id-sample N]
//                 [--queries N] [--reps N]
//
// Builds the CO-Index and marisa-trie (its default configuration: 3 tries,
// default tail, default node order) over the same keys in the same run and
// prints one JSON object per line per structure, then a ratio line
// (ours / marisa). Keys: one per line, sorted and deduplicated bytewise here.
//
// Both structures are built first; query batches then alternate between
// them (same queries), so a shared machine's load hits both alike.
// find_ns: median over batches of 1000 lookups of uniformly random existing
//   keys (>= 1 M lookups per repetition, >= 3 repetitions).
// seek_ns: the same over absent keys (an existing key with one byte appended
//   or changed). CO-Index: Cursor::Seek (lower bound). marisa has no lower
//   bound, so its figure is an (unsuccessful) exact lookup.
// iterate_ns_per_key: full ordered scan (CO-Index cursor Next; marisa
//   predictive_search("") which enumerates in its label order).
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <marisa.h>

#include "coindex/co_index.h"
#include "coindex/co_index_builder.h"

using namespace sctable::coindex;
using Clock = std::chrono::steady_clock;

namespace {

double Seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

double PeakRssMb() {
  rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss / 1024.0;
}

double Median(std::vector<double> v) {
  std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
  return v[v.size() / 2];
}

// Like MedianNs for two structures, alternating batches between them.
template <class FnA, class FnB>
void MedianNs2(const std::vector<std::string>& queries, int reps, FnA a,
               FnB b, double* a_ns, double* b_ns, uint64_t* sink) {
  std::vector<double> ta, tb;
  const size_t kBatch = 1000;
  for (int r = 0; r < reps; ++r) {
    for (size_t i = 0; i + kBatch <= queries.size(); i += kBatch) {
      auto t0 = Clock::now();
      for (size_t j = i; j < i + kBatch; ++j) *sink += a(queries[j]);
      auto t1 = Clock::now();
      for (size_t j = i; j < i + kBatch; ++j) *sink += b(queries[j]);
      auto t2 = Clock::now();
      ta.push_back(Seconds(t0, t1) * 1e9 / kBatch);
      tb.push_back(Seconds(t1, t2) * 1e9 / kBatch);
    }
  }
  *a_ns = Median(ta);
  *b_ns = Median(tb);
}

struct Result {
  std::string structure;
  uint64_t keys = 0, raw_bytes = 0, bytes = 0;
  double build_s = 0, find_ns = 0, seek_ns = 0, iterate_ns_per_key = 0;
  std::string extra;
  void Print() const {
    printf("{\"structure\":\"%s\",\"keys\":%llu,\"raw_bytes\":%llu,"
           "\"bytes\":%llu,\"bits_per_key\":%.2f,\"build_s\":%.3f,"
           "\"build_mb_s\":%.1f,\"find_ns\":%.1f,\"seek_ns\":%.1f,"
           "\"iterate_ns_per_key\":%.1f%s}\n",
           structure.c_str(), (unsigned long long)keys,
           (unsigned long long)raw_bytes, (unsigned long long)bytes,
           keys ? bytes * 8.0 / keys : 0.0, build_s,
           raw_bytes / 1e6 / build_s, find_ns, seek_ns, iterate_ns_per_key,
           extra.c_str());
  }
};

}  // namespace

int main(int argc, char** argv) {
  std::string path;
  CoIndexOptions options;
  size_t num_queries = 1000000;
  int reps = 3;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--keys" && i + 1 < argc) path = argv[++i];
    else if (a == "--nest" && i + 1 < argc) options.nest_level = atoi(argv[++i]);
    else if (a == "--nest-stop" && i + 1 < argc) options.nest_stop_ratio = atoi(argv[++i]);
    else if (a == "--id-sample" && i + 1 < argc) options.id_sample_every = atoi(argv[++i]);
    else if (a == "--queries" && i + 1 < argc) num_queries = atol(argv[++i]);
    else if (a == "--reps" && i + 1 < argc) reps = atoi(argv[++i]);
    else {
      fprintf(stderr, "usage: %s --keys FILE [--nest N] [--queries N] [--reps N]\n", argv[0]);
      return 2;
    }
  }
  if (path.empty()) {
    fprintf(stderr, "usage: %s --keys FILE\n", argv[0]);
    return 2;
  }
  std::vector<std::string> keys;
  {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      fprintf(stderr, "cannot open %s\n", path.c_str());
      return 1;
    }
    std::string line;
    while (std::getline(in, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      keys.push_back(std::move(line));
    }
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  uint64_t raw = 0;
  for (auto& k : keys) raw += k.size();
  if (keys.empty()) {
    fprintf(stderr, "no keys\n");
    return 1;
  }

  std::mt19937_64 rng(12345);
  std::vector<std::string> present(num_queries), absent;
  for (auto& q : present) q = keys[rng() % keys.size()];
  while (absent.size() < num_queries) {
    std::string q = keys[rng() % keys.size()];
    if (rng() % 2 || q.empty()) q.push_back(static_cast<char>('!' + rng() % 90));
    else q.back() = static_cast<char>(q.back() + 1);
    if (!std::binary_search(keys.begin(), keys.end(), q)) absent.push_back(q);
  }
  uint64_t sink = 0;

  // --- CO-Index ---
  Result ours;
  ours.structure = "coindex";
  ours.keys = keys.size();
  ours.raw_bytes = raw;
  std::string image;
  double rss_before = PeakRssMb();
  {
    auto t0 = Clock::now();
    CoIndexBuilder b(options);
    for (auto& k : keys) {
      auto s = b.Add(k);
      if (!s.ok()) { fprintf(stderr, "%s\n", s.ToString().c_str()); return 1; }
    }
    auto s = b.Finish(&image);
    if (!s.ok()) { fprintf(stderr, "%s\n", s.ToString().c_str()); return 1; }
    ours.build_s = Seconds(t0, Clock::now());
  }
  double rss_after = PeakRssMb();
  image.shrink_to_fit();
  CoIndex idx;
  {
    auto s = idx.Open(image.data(), image.size());
    if (!s.ok()) { fprintf(stderr, "%s\n", s.ToString().c_str()); return 1; }
  }
  ours.bytes = image.size();
  // Sanity: ids are key order.
  for (int i = 0; i < 1000; ++i) {
    uint64_t k = rng() % keys.size(), id = ~0ull;
    if (!idx.Find(keys[k], &id) || id != k) {
      fprintf(stderr, "coindex: wrong id for key #%llu\n", (unsigned long long)k);
      return 1;
    }
  }
  // --- marisa-trie, default configuration, built before any timing ---
  Result m;
  m.structure = "marisa";
  m.keys = keys.size();
  m.raw_bytes = raw;
  marisa::Trie trie;
  {
    auto t0 = Clock::now();
    marisa::Keyset ks;
    for (auto& k : keys) ks.push_back(k.data(), k.size());
    trie.build(ks);
    m.build_s = Seconds(t0, Clock::now());
  }
  m.bytes = trie.io_size();

  // Queries: batches alternate between the two structures so that the load
  // of a shared machine hits both alike (each median is still over its own
  // batches of the same queries).
  CoIndexCursor c(&idx);
  marisa::Agent agent;
  auto ours_find = [&](const std::string& q) {
    uint64_t id = 0;
    return idx.Find(q, &id) ? id : 0;
  };
  auto ours_seek = [&](const std::string& q) {
    c.Seek(q);
    return c.Valid() ? c.id() : 0;
  };
  auto marisa_lookup = [&](const std::string& q) -> uint64_t {
    agent.set_query(q.data(), q.size());
    return trie.lookup(agent) ? agent.key().id() : 0;
  };
  MedianNs2(present, reps, ours_find, marisa_lookup, &ours.find_ns,
            &m.find_ns, &sink);
  MedianNs2(absent, reps, ours_seek, marisa_lookup, &ours.seek_ns,
            &m.seek_ns, &sink);
  std::vector<double> it_ours, it_m;
  for (int r = 0; r < std::max(reps, 1); ++r) {
    auto t0 = Clock::now();
    uint64_t n = 0;
    for (c.SeekToFirst(); c.Valid(); c.Next()) { ++n; sink += c.key().size(); }
    it_ours.push_back(Seconds(t0, Clock::now()) * 1e9 / n);
    if (n != keys.size()) { fprintf(stderr, "coindex: scan saw %llu keys\n", (unsigned long long)n); return 1; }
    t0 = Clock::now();
    n = 0;
    agent.set_query("", 0);
    while (trie.predictive_search(agent)) { ++n; sink += agent.key().length(); }
    it_m.push_back(Seconds(t0, Clock::now()) * 1e9 / n);
  }
  ours.iterate_ns_per_key = Median(it_ours);
  m.iterate_ns_per_key = Median(it_m);

  char buf[256];
  snprintf(buf, sizeof buf, ",\"id_sample_every\":%d,\"nest_level\":%d,\"tries\":%d,\"levels\":%d,\"ids\":\"key_order\",\"build_peak_rss_mb\":%.0f,\"rss_before_build_mb\":%.0f",
           options.id_sample_every, options.nest_level, idx.num_tries(), idx.num_levels(), rss_after, rss_before);
  ours.extra = buf;
  ours.extra += ",\"space\":" + idx.SpaceBreakdownJson();
  ours.Print();
  m.extra = ",\"ids\":\"bfs_order\",\"seek_is\":\"absent_lookup\"";
  m.Print();
  printf("{\"structure\":\"ratio_coindex_over_marisa\",\"bytes\":%.3f,"
         "\"find_ns\":%.3f,\"seek_ns\":%.3f,\"iterate_ns_per_key\":%.3f,"
         "\"build_s\":%.3f}\n",
         double(ours.bytes) / m.bytes, ours.find_ns / m.find_ns,
         ours.seek_ns / m.seek_ns, ours.iterate_ns_per_key / m.iterate_ns_per_key,
         ours.build_s / m.build_s);
  fprintf(stderr, "(sink %llu)\n", (unsigned long long)sink);
  return 0;
}
