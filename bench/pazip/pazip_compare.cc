// pazip_compare --records FILE --format lines|stanzas|tsv-values
//               [--reads N] [--reps N] [--methods a,b,...]
//               [--dict-fraction F]   (PA-Zip dictionary size / input)
//               [--threads T]         (PA-Zip parse threads; default 2)
//               [--fast-parse 0|1]    (PA-Zip's fast parse, as SearchableTable
//                                      builds its values; default 0)
//
// Builds a PA-Zip store over the records of FILE and, in the same run, the
// anchors: zstd per record with a ZDICT-trained dictionary of the same size
// as PA-Zip's (levels 3 and 19), LZ4 per record with a dictionary (its last
// 64 KiB: LZ4 cannot address more), and zstd -3 over 4 KiB and 16 KiB blocks.
// Prints one JSON object per method, then ratio lines against the anchors.
//
// bytes_total counts payload + dictionary + offsets + headers. Per-record
// anchors are given PA-Zip's own bit-packed offset array, magicless zstd
// frames without dictionary id or checksum, so they pay no more per record
// than PA-Zip does. Block anchors store each record as varint length + bytes
// inside the block, plus 12 bytes per block (offset + first record id).
// get_ns: mean over `reads` uniformly random ids (same ids for every
// method), median over `reps` repetitions. seq_mb_s: all records in id order.
// With --format tsv-values, `--methods ...,pazip_keyed` also builds a keyed
// PA-Zip store (each value coded with its TSV key, as SearchableTable does;
// reads pass the key), with the same options as `pazip`.
#define ZSTD_STATIC_LINKING_ONLY
#define LZ4_STATIC_LINKING_ONLY
#include <lz4.h>
#include <zdict.h>
#include <zstd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "common/coding.h"
#include "common/mapped_file.h"
#include "pazip/pazip_builder.h"
#include "pazip/pazip_reader.h"

namespace {

using Clock = std::chrono::steady_clock;
double Seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

std::vector<std::string_view> SplitRecords(const std::string& data,
                                           const std::string& format,
                                           std::vector<std::string_view>* keys) {
  std::vector<std::string_view> out;
  std::string_view all(data);
  if (format == "stanzas") {
    size_t pos = 0;
    while (pos < all.size()) {
      while (pos < all.size() && all[pos] == '\n') ++pos;  // blank lines
      if (pos >= all.size()) break;
      size_t end = all.find("\n\n", pos);
      end = end == std::string_view::npos ? all.size() : end + 1;
      out.push_back(all.substr(pos, end - pos));
      pos = end;
    }
    return out;
  }
  size_t pos = 0;
  while (pos < all.size()) {
    size_t end = all.find('\n', pos);
    if (end == std::string_view::npos) end = all.size();
    std::string_view line = all.substr(pos, end - pos);
    pos = end + 1;
    if (format == "tsv-values") {
      const size_t tab = line.find('\t');
      if (tab == std::string_view::npos) continue;
      keys->push_back(line.substr(0, tab));
      line = line.substr(tab + 1);
    }
    out.push_back(line);
  }
  return out;
}

// One method under test.
struct Method {
  std::string name;
  std::function<void()> build;
  std::function<size_t(uint64_t id, char* buf)> get;  // returns length
  std::function<uint64_t()> seq;                       // decodes all, bytes
  std::function<uint64_t()> bytes_total;
};

uint64_t OffsetsBytes(const std::vector<uint64_t>& offs) {
  return sctable::pazip::EncodeOffsets(offs).size();
}

}  // namespace

int main(int argc, char** argv) {
  std::string path, format = "lines", methods_arg;
  uint64_t reads = 200000, reps = 3;
  double dict_fraction = -1;
  int threads = 0;
  bool fast_parse = false;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--records") path = argv[i + 1];
    else if (a == "--format") format = argv[i + 1];
    else if (a == "--reads") reads = std::stoull(argv[i + 1]);
    else if (a == "--reps") reps = std::stoull(argv[i + 1]);
    else if (a == "--methods") methods_arg = argv[i + 1];
    else if (a == "--dict-fraction") dict_fraction = std::stod(argv[i + 1]);
    else if (a == "--threads") threads = std::stoi(argv[i + 1]);
    else if (a == "--fast-parse") fast_parse = std::stoi(argv[i + 1]) != 0;
    else { fprintf(stderr, "unknown flag %s\n", a.c_str()); return 2; }
  }
  if (path.empty() || (format != "lines" && format != "stanzas" &&
                       format != "tsv-values")) {
    fprintf(stderr,
            "usage: pazip_compare --records FILE --format "
            "lines|stanzas|tsv-values [--reads N] [--reps N] [--methods a,b]\n"
            "       [--dict-fraction F] [--threads T] [--fast-parse 0|1]\n");
    return 2;
  }
  std::string data;
  sctable::Status s = sctable::ReadFileToString(path, &data);
  if (!s.ok()) { fprintf(stderr, "%s\n", s.ToString().c_str()); return 1; }
  std::vector<std::string_view> keys;  // tsv-values only
  const std::vector<std::string_view> records = SplitRecords(data, format, &keys);
  const uint64_t n = records.size();
  uint64_t raw = 0, max_len = 0;
  for (auto r : records) raw += r.size(), max_len = std::max<uint64_t>(max_len, r.size());
  if (n == 0) { fprintf(stderr, "no records\n"); return 1; }
  fprintf(stderr, "%lu records, %lu bytes, max %lu\n", (unsigned long)n,
          (unsigned long)raw, (unsigned long)max_len);
  std::vector<char> buf(max_len + 64);

  std::vector<Method> methods;

  // --- PA-Zip, and keyed PA-Zip (opt-in: --methods ...,pazip_keyed) -------
  // `with_keys`: build a keyed store over the TSV's keys, and read with them.
  auto pazip_method = [&](const char* name,
                          const std::vector<std::string_view>* with_keys,
                          std::string* store,
                          std::unique_ptr<sctable::pazip::PazipReader>* reader,
                          sctable::pazip::BuildStats* stats) {
    auto get = [&, with_keys, reader](uint64_t id, char* out) {
      size_t len;
      const sctable::Status st =
          with_keys ? (*reader)->Get(id, (*with_keys)[id], out, buf.size(), &len)
                    : (*reader)->Get(id, out, buf.size(), &len);
      if (!st.ok()) abort();
      return len;
    };
    return Method{
        name,
        [&, with_keys, store, reader, stats] {
          sctable::pazip::BuilderOptions opt;
          if (dict_fraction >= 0) opt.dictionary.fraction = dict_fraction;
          if (threads > 0) opt.threads = threads;
          opt.fast_parse = fast_parse;
          const std::vector<std::string_view> no_keys;
          if (!sctable::pazip::PazipBuilder::Build(records, with_keys ? *with_keys : no_keys,
                                                   opt, store, stats).ok()) abort();
          if (!sctable::pazip::PazipReader::Open(store->data(), store->size(), reader).ok()) abort();
        },
        get,
        [&, get] {
          uint64_t total = 0;
          for (uint64_t id = 0; id < n; ++id) total += get(id, buf.data());
          return total;
        },
        [store] { return (uint64_t)store->size(); }};
  };
  std::string pz_store, pzk_store;
  std::unique_ptr<sctable::pazip::PazipReader> pz, pzk;
  sctable::pazip::BuildStats pz_stats, pzk_stats;
  methods.push_back(pazip_method("pazip", nullptr, &pz_store, &pz, &pz_stats));
  if (!keys.empty() &&
      ("," + methods_arg + ",").find(",pazip_keyed,") != std::string::npos) {
    methods.push_back(pazip_method("pazip_keyed", &keys, &pzk_store, &pzk, &pzk_stats));
  }

  // --- zstd per record with a trained dictionary ---------------------------
  std::string zdict;
  auto train = [&] {
    if (!zdict.empty()) return;
    uint64_t want = std::max<uint64_t>(pz_stats.dict_bytes, 1024);
    // Samples: every record up to 128 MiB in total (spread evenly).
    std::string samples;
    std::vector<size_t> sizes;
    const uint64_t stride = std::max<uint64_t>(1, raw / (128ull << 20) + 1);
    for (uint64_t i = 0; i < n; i += stride) {
      samples.append(records[i]);
      sizes.push_back(records[i].size());
    }
    zdict.resize(want);
    size_t got = ZDICT_trainFromBuffer(zdict.data(), want, samples.data(),
                                       sizes.data(), (unsigned)sizes.size());
    if (ZDICT_isError(got)) {
      fprintf(stderr, "ZDICT: %s; using raw samples\n", ZDICT_getErrorName(got));
      got = std::min<uint64_t>(want, samples.size());
      std::memcpy(zdict.data(), samples.data(), got);
    }
    zdict.resize(got);
  };
  struct PerRecord {
    std::string payload;
    std::vector<uint64_t> offs;
    double train_s = 0;
  };
  auto zstd_method = [&](int level) {
    auto st = std::make_shared<PerRecord>();
    auto dd = std::make_shared<ZSTD_DDict*>(nullptr);
    auto dctx = std::make_shared<ZSTD_DCtx*>(ZSTD_createDCtx());
    ZSTD_DCtx_setParameter(*dctx, ZSTD_d_format, ZSTD_f_zstd1_magicless);
    Method m;
    m.name = "zstd" + std::to_string(level) + "_dict";
    m.build = [&, st, dd, dctx, level] {
      train();
      ZSTD_CCtx* cctx = ZSTD_createCCtx();
      ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, level);
      ZSTD_CCtx_setParameter(cctx, ZSTD_c_format, ZSTD_f_zstd1_magicless);
      ZSTD_CCtx_setParameter(cctx, ZSTD_c_dictIDFlag, 0);
      ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 0);
      ZSTD_CDict* cd = ZSTD_createCDict(zdict.data(), zdict.size(), level);
      ZSTD_CCtx_refCDict(cctx, cd);
      std::vector<char> out(ZSTD_compressBound(max_len) + 64);
      for (auto r : records) {
        st->offs.push_back(st->payload.size());
        size_t c = ZSTD_compress2(cctx, out.data(), out.size(), r.data(), r.size());
        if (ZSTD_isError(c)) abort();
        st->payload.append(out.data(), c);
      }
      st->offs.push_back(st->payload.size());
      ZSTD_freeCDict(cd);
      ZSTD_freeCCtx(cctx);
      *dd = ZSTD_createDDict(zdict.data(), zdict.size());
      ZSTD_DCtx_refDDict(*dctx, *dd);
    };
    m.get = [&, st, dctx](uint64_t id, char* out) {
      const uint64_t b = st->offs[id], e = st->offs[id + 1];
      size_t d = ZSTD_decompressDCtx(*dctx, out, buf.size(), st->payload.data() + b, e - b);
      if (ZSTD_isError(d)) abort();
      return d;
    };
    m.seq = [&, st, dctx] {
      uint64_t total = 0;
      for (uint64_t id = 0; id < n; ++id) {
        const uint64_t b = st->offs[id], e = st->offs[id + 1];
        size_t d = ZSTD_decompressDCtx(*dctx, buf.data(), buf.size(), st->payload.data() + b, e - b);
        if (ZSTD_isError(d)) abort();
        total += d;
      }
      return total;
    };
    m.bytes_total = [&, st] {
      return st->payload.size() + zdict.size() + OffsetsBytes(st->offs);
    };
    return m;
  };
  methods.push_back(zstd_method(3));
  methods.push_back(zstd_method(19));

  // --- LZ4 per record with a dictionary ------------------------------------
  {
    auto st = std::make_shared<PerRecord>();
    auto ldict = std::make_shared<std::string>();
    Method m;
    m.name = "lz4_dict";
    m.build = [&, st, ldict] {
      train();
      *ldict = zdict.size() > 65536 ? zdict.substr(zdict.size() - 65536) : zdict;
      LZ4_stream_t* base = LZ4_createStream();
      LZ4_loadDict(base, ldict->data(), (int)ldict->size());
      LZ4_stream_t* work = LZ4_createStream();
      std::vector<char> out(LZ4_compressBound((int)max_len) + 16);
      for (auto r : records) {
        st->offs.push_back(st->payload.size());
        std::memcpy(work, base, sizeof(LZ4_stream_t));  // dictionary state
        int c = LZ4_compress_fast_continue(work, r.data(), out.data(), (int)r.size(), (int)out.size(), 1);
        if (c <= 0 && !r.empty()) abort();
        sctable::PutVarint64(&st->payload, r.size());
        st->payload.append(out.data(), c);
      }
      st->offs.push_back(st->payload.size());
      LZ4_freeStream(work);
      LZ4_freeStream(base);
    };
    auto get = [&, st, ldict](uint64_t id, char* out) -> size_t {
      const char* p = st->payload.data() + st->offs[id];
      const char* e = st->payload.data() + st->offs[id + 1];
      uint64_t len = 0;
      p = sctable::GetVarint64Ptr(p, e, &len);
      int d = LZ4_decompress_safe_usingDict(p, out, (int)(e - p), (int)len, ldict->data(), (int)ldict->size());
      if (d < 0 || (uint64_t)d != len) abort();
      return len;
    };
    m.get = get;
    m.seq = [&, get] {
      uint64_t total = 0;
      for (uint64_t id = 0; id < n; ++id) total += get(id, buf.data());
      return total;
    };
    m.bytes_total = [&, st, ldict] {
      return st->payload.size() + ldict->size() + OffsetsBytes(st->offs);
    };
    methods.push_back(m);
  }

  // --- zstd -3 over blocks -------------------------------------------------
  auto block_method = [&](uint64_t block_size) {
    struct Blocks {
      std::string payload;
      std::vector<uint64_t> offs;       // block offsets (+ end)
      std::vector<uint64_t> first_id;   // first record of each block
      std::vector<uint64_t> raw_size;
      std::vector<char> scratch;
      uint64_t last_block = ~0ull;
    };
    auto st = std::make_shared<Blocks>();
    auto dctx = std::make_shared<ZSTD_DCtx*>(ZSTD_createDCtx());
    Method m;
    m.name = "zstd3_block" + std::to_string(block_size >> 10) + "k";
    m.build = [&, st, block_size] {
      ZSTD_CCtx* cctx = ZSTD_createCCtx();
      std::string block;
      std::vector<char> out;
      uint64_t max_raw = 0;
      auto flush = [&] {
        out.resize(ZSTD_compressBound(block.size()));
        size_t c = ZSTD_compressCCtx(cctx, out.data(), out.size(), block.data(), block.size(), 3);
        if (ZSTD_isError(c)) abort();
        st->offs.push_back(st->payload.size());
        st->payload.append(out.data(), c);
        st->raw_size.push_back(block.size());
        max_raw = std::max<uint64_t>(max_raw, block.size());
        block.clear();
      };
      for (uint64_t id = 0; id < n; ++id) {
        if (block.empty()) st->first_id.push_back(id);
        sctable::PutVarint64(&block, records[id].size());
        block.append(records[id]);
        if (block.size() >= block_size) flush();
      }
      if (!block.empty()) flush();
      st->offs.push_back(st->payload.size());
      st->scratch.resize(max_raw + 16);
      ZSTD_freeCCtx(cctx);
    };
    // Decompresses block b and copies record `id` out of it.
    auto from_block = [&, st, dctx](uint64_t b, uint64_t id, char* out) -> size_t {
      size_t d = ZSTD_decompressDCtx(*dctx, st->scratch.data(), st->scratch.size(),
                                     st->payload.data() + st->offs[b], st->offs[b + 1] - st->offs[b]);
      if (ZSTD_isError(d)) abort();
      const char* p = st->scratch.data();
      const char* e = p + d;
      for (uint64_t k = st->first_id[b];; ++k) {
        uint64_t len = 0;
        p = sctable::GetVarint64Ptr(p, e, &len);
        if (k == id) { std::memcpy(out, p, len); return len; }
        p += len;
      }
    };
    m.get = [&, st, from_block](uint64_t id, char* out) {
      const uint64_t b = std::upper_bound(st->first_id.begin(), st->first_id.end(), id) - st->first_id.begin() - 1;
      return from_block(b, id, out);
    };
    m.seq = [&, st, dctx] {
      uint64_t total = 0;
      for (uint64_t b = 0; b + 1 < st->offs.size(); ++b) {
        size_t d = ZSTD_decompressDCtx(*dctx, st->scratch.data(), st->scratch.size(),
                                       st->payload.data() + st->offs[b], st->offs[b + 1] - st->offs[b]);
        if (ZSTD_isError(d)) abort();
        const char* p = st->scratch.data();
        const char* e = p + d;
        while (p < e) {  // hand each record out, as a scan would
          uint64_t len = 0;
          p = sctable::GetVarint64Ptr(p, e, &len);
          std::memcpy(buf.data(), p, len);
          p += len;
          total += len;
        }
      }
      return total;
    };
    m.bytes_total = [&, st] { return st->payload.size() + 12 * st->first_id.size(); };
    return m;
  };
  methods.push_back(block_method(4096));
  methods.push_back(block_method(16384));

  // --- run -------------------------------------------------------------------
  std::mt19937_64 rng(12345);
  std::vector<uint64_t> ids(reads);
  for (auto& id : ids) id = rng() % n;
  struct Result { std::string name; double ratio, get_ns; };
  std::vector<Result> results;
  for (Method& m : methods) {
    if (!methods_arg.empty() && ("," + methods_arg + ",").find("," + m.name + ",") == std::string::npos) {
      if (m.name != "pazip") continue;  // pazip is always built (dict size)
    }
    auto t0 = Clock::now();
    m.build();
    auto t1 = Clock::now();
    const double build_s = Seconds(t0, t1);
    // Verify every record once (also warms the mapping).
    for (uint64_t id = 0; id < n; ++id) {
      size_t len = m.get(id, buf.data());
      if (len != records[id].size() || std::memcmp(buf.data(), records[id].data(), len) != 0) {
        fprintf(stderr, "%s: record %lu mismatch\n", m.name.c_str(), (unsigned long)id);
        return 1;
      }
    }
    std::vector<double> per;
    uint64_t sink = 0;
    for (uint64_t rep = 0; rep < reps; ++rep) {
      auto a = Clock::now();
      for (uint64_t id : ids) sink += m.get(id, buf.data());
      auto b = Clock::now();
      per.push_back(Seconds(a, b) * 1e9 / reads);
    }
    std::sort(per.begin(), per.end());
    const double get_ns = per[per.size() / 2];
    std::vector<double> seq;
    for (uint64_t rep = 0; rep < reps; ++rep) {
      auto a = Clock::now();
      sink += m.seq();
      auto b = Clock::now();
      seq.push_back(raw / Seconds(a, b) / 1e6);
    }
    std::sort(seq.begin(), seq.end());
    const uint64_t total = m.bytes_total();
    const double ratio = (double)raw / total;
    printf("{\"method\":\"%s\",\"records\":%lu,\"raw_bytes\":%lu,\"bytes_total\":%lu,"
           "\"ratio\":%.3f,\"build_mb_s\":%.1f,\"get_ns\":%.1f,\"seq_mb_s\":%.1f",
           m.name.c_str(), (unsigned long)n, (unsigned long)raw, (unsigned long)total, ratio,
           raw / build_s / 1e6, get_ns, seq[seq.size() / 2]);
    if (m.name == "pazip") {
      printf(",\"kind\":%d,\"dict_bytes\":%lu,\"payload_bytes\":%lu,\"offsets_bytes\":%lu,"
             "\"token_bytes\":%lu,\"literals\":%lu,\"literal_bytes_coded\":%lu,\"raw_records\":%lu,"
             "\"sequences\":%lu,\"dict_matches\":%lu,\"local_matches\":%lu,\"repeat_matches\":%lu,"
             "\"ll_bytes\":%lu,\"ml_bytes\":%lu,\"of_bytes\":%lu",
             (int)pz_stats.kind, (unsigned long)pz_stats.dict_bytes,
             (unsigned long)pz_stats.payload_bytes, (unsigned long)pz_stats.offsets_bytes,
             (unsigned long)pz_stats.token_bytes, (unsigned long)pz_stats.literal_count,
             (unsigned long)(pz_stats.literal_bits / 8), (unsigned long)pz_stats.raw_records,
             (unsigned long)pz_stats.sequences, (unsigned long)pz_stats.dict_matches,
             (unsigned long)pz_stats.local_matches, (unsigned long)pz_stats.repeat_matches,
             (unsigned long)(pz_stats.ll_bits / 8), (unsigned long)(pz_stats.ml_bits / 8),
             (unsigned long)(pz_stats.of_bits / 8));
    }
    printf(",\"get_ns_reps\":[");
    for (size_t k = 0; k < per.size(); ++k) printf("%s%.1f", k ? "," : "", per[k]);
    printf("]}\n");
    fflush(stdout);
    if (sink == 42) fprintf(stderr, " ");
    results.push_back({m.name, ratio, get_ns});
  }
  const Result& p = results[0];
  for (size_t k = 1; k < results.size(); ++k) {
    printf("# pazip vs %-14s ratio %.3f / %.3f = %.2fx   get_ns %.0f / %.0f = %.2f\n",
           results[k].name.c_str(), p.ratio, results[k].ratio, p.ratio / results[k].ratio,
           p.get_ns, results[k].get_ns, p.get_ns / results[k].get_ns);
  }
  return 0;
}
