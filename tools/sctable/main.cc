// sctable: offline tools for SearchableTable files.
//
//   sctable compress -o OUT.sst [--from tsv|lines|stanzas|db] [--key F,...] [INPUT|-]
//   sctable extract FILE.sst (--key K... | --prefix P | --range FROM TO | --all) [--count] [--values-only] [--missing-ok]
//   sctable info FILE.sst [--json]
//   sctable verify FILE.sst
//
// Exit status: 0 success, 1 runtime error, 2 usage error. Every error is one
// line on stderr naming the file, line or option at fault.
#include <rocksdb/db.h>
#include <rocksdb/env.h>
#include <rocksdb/options.h>
#include <rocksdb/sst_file_reader.h>
#include <rocksdb/sst_file_writer.h>
#include <rocksdb/table.h>
#include <rocksdb/table_properties.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <sstream>

#include "records.h"
#include "sctable/searchable_table.h"

namespace sctable {
namespace tool {
namespace {

constexpr uint64_t kSctableMagic = 0x2b9926a3340ae36bull;

[[noreturn]] void Fail(const std::string& msg) {
  std::fprintf(stderr, "sctable: %s\n", msg.c_str());
  std::exit(1);
}

rocksdb::Options TableOptions(int value_effort = 0) {
  rocksdb::Options o;
  SearchableTableOptions so;
  so.value_effort = value_effort;
  o.table_factory.reset(NewSearchableTableFactory(so));
  return o;
}

uint64_t FileSize(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
}

// A progress line on a terminal, refreshed at most 10 times a second.
class Progress {
 public:
  explicit Progress(bool enabled) : enabled_(enabled && ::isatty(2)) {}
  void Update(const char* phase, uint64_t records, uint64_t bytes) {
    if (!enabled_) return;
    auto now = std::chrono::steady_clock::now();
    if (now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    std::fprintf(stderr, "\r%-8s %12llu records %10.1f MB", phase,
                 (unsigned long long)records, bytes / 1e6);
  }
  void Done() {
    if (enabled_) std::fprintf(stderr, "\r%60s\r", "");
  }

 private:
  bool enabled_;
  std::chrono::steady_clock::time_point last_{};
};

int Compress(const std::string& out, const std::string& from,
             const std::string& input, const std::string& keys,
             const std::string& on_duplicate, uint64_t sort_memory, bool quiet,
             bool best) {
  auto t0 = std::chrono::steady_clock::now();
  std::vector<std::string> key_fields;
  std::stringstream ss(keys);
  for (std::string f; std::getline(ss, f, ',');) {
    if (!f.empty()) key_fields.push_back(f);
  }
  std::string dir = ".";
  const size_t slash = out.rfind('/');
  if (slash != std::string::npos) dir = out.substr(0, slash);
  ExternalSorter sorter(dir, sort_memory, on_duplicate == "error");
  Progress progress(!quiet);
  uint64_t raw = 0;
  auto sink = [&](std::string k, std::string v, const std::string& where) {
    raw += k.size() + v.size();
    progress.Update("reading", sorter.records_in() + 1, raw);
    return sorter.Add(std::move(k), std::move(v), where);
  };
  Status s = from == "db" ? ReadDbInput(input, sink)
                          : ReadTextInput(input, from, key_fields, sink);
  if (!s.ok()) Fail(s.message());

  // Written under a temporary name, renamed only when complete.
  const std::string tmp = out + ".tmp." + std::to_string(::getpid());
  rocksdb::SstFileWriter writer(rocksdb::EnvOptions(), TableOptions(best ? 1 : 0));
  rocksdb::Status rs = writer.Open(tmp);
  if (!rs.ok()) Fail(out + ": " + rs.ToString());
  uint64_t records = 0, unique_raw = 0, key_bytes = 0;
  s = sorter.Finish([&](const std::string& k, const std::string& v) {
    rocksdb::Status ps = writer.Put(k, v);
    if (!ps.ok()) return Status::IOError(out + ": " + ps.ToString());
    ++records;
    unique_raw += k.size() + v.size();
    key_bytes += k.size();
    progress.Update("writing", records, unique_raw);
    return Status::OK();
  });
  if (s.ok() && records == 0) {
    s = Status::InvalidArgument((input == "-" ? "<stdin>" : input) +
                                ": no records");
  }
  if (s.ok()) {
    rs = writer.Finish();
    if (!rs.ok()) s = Status::IOError(out + ": " + rs.ToString());
  }
  progress.Done();
  if (!s.ok()) {
    std::remove(tmp.c_str());
    Fail(s.message());
  }
  if (std::rename(tmp.c_str(), out.c_str()) != 0) {
    std::remove(tmp.c_str());
    Fail(out + ": rename failed");
  }
  const uint64_t bytes = FileSize(out);
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  uint64_t index_bytes = 0;
  {
    rocksdb::SstFileReader reader(TableOptions());
    if (reader.Open(out).ok()) {
      auto props = reader.GetTableProperties();
      index_bytes = props->index_size;
    }
  }
  if (!quiet) {
    std::printf("%s: %llu records (%llu duplicates dropped), %.2f MB raw -> %.2f MB, "
                "ratio %.2f, index %.1f bits/key, %.1f s\n",
                out.c_str(), (unsigned long long)records,
                (unsigned long long)sorter.duplicates(), unique_raw / 1e6,
                bytes / 1e6, bytes ? double(unique_raw) / bytes : 0.0,
                records ? 8.0 * index_bytes / records : 0.0, secs);
  }
  return 0;
}

std::unique_ptr<rocksdb::SstFileReader> OpenSst(const std::string& path) {
  if (::access(path.c_str(), R_OK) != 0) Fail(path + ": cannot read");
  std::unique_ptr<rocksdb::SstFileReader> reader(
      new rocksdb::SstFileReader(TableOptions()));
  rocksdb::Status s = reader->Open(path);
  if (!s.ok()) Fail(path + ": " + s.ToString());
  return reader;
}

int Extract(const std::string& path, const std::vector<std::string>& keys,
            const std::string& prefix, const std::vector<std::string>& range,
            bool all, bool count, bool values_only, bool missing_ok) {
  auto reader = OpenSst(path);
  std::unique_ptr<rocksdb::Iterator> it(reader->NewIterator(rocksdb::ReadOptions()));
  uint64_t n = 0;
  auto emit = [&](const rocksdb::Slice& k, const rocksdb::Slice& v) {
    ++n;
    if (count) return;
    if (values_only) {
      std::fwrite(v.data(), 1, v.size(), stdout);
    } else {
      std::string line = EscapeTsv(k.ToString()) + "\t" + EscapeTsv(v.ToString()) + "\n";
      std::fwrite(line.data(), 1, line.size(), stdout);
    }
  };
  if (!keys.empty()) {
    for (const std::string& k : keys) {
      it->Seek(k);
      if (it->Valid() && it->key() == rocksdb::Slice(k)) {
        emit(it->key(), it->value());
      } else if (it->status().ok() && !missing_ok) {
        Fail(path + ": key not found: " + EscapeTsv(k));
      }
    }
  } else if (!prefix.empty() || !range.empty() || all) {
    const std::string from = !range.empty() ? range[0] : prefix;
    for (it->Seek(from); it->Valid(); it->Next()) {
      const rocksdb::Slice k = it->key();
      if (!prefix.empty() && !k.starts_with(prefix)) break;
      if (!range.empty() && k.compare(range[1]) >= 0) break;
      emit(k, it->value());
    }
  }
  if (!it->status().ok()) Fail(path + ": " + it->status().ToString());
  if (count) std::printf("%llu\n", (unsigned long long)n);
  return 0;
}

int Info(const std::string& path, bool json) {
  auto reader = OpenSst(path);
  auto p = reader->GetTableProperties();
  const uint64_t size = FileSize(path);
  std::FILE* f = std::fopen(path.c_str(), "rb");
  uint64_t magic = 0;
  if (f != nullptr && size >= 8 && std::fseek(f, -8, SEEK_END) == 0) {
    unsigned char b[8];
    if (std::fread(b, 1, 8, f) == 8) {
      for (int i = 7; i >= 0; --i) magic = (magic << 8) | b[i];
    }
  }
  if (f != nullptr) std::fclose(f);
  std::map<std::string, std::string> fields;
  auto user = p->user_collected_properties;
  auto get = [&](const char* k) {
    auto it = user.find(k);
    return it == user.end() ? std::string("0") : it->second;
  };
  const uint64_t raw = p->raw_key_size + p->raw_value_size;
  const uint64_t keys = std::stoull(get("sctable.user_keys"));
  std::vector<std::pair<std::string, std::string>> rows = {
      {"file", path},
      {"format", magic == kSctableMagic ? "SearchableTable" : "other"},
      {"format_version", std::to_string(p->format_version)},
      {"file_bytes", std::to_string(size)},
      {"entries", std::to_string(p->num_entries)},
      {"user_keys", std::to_string(keys)},
      {"raw_key_bytes", std::to_string(p->raw_key_size)},
      {"raw_value_bytes", std::to_string(p->raw_value_size)},
      {"index_bytes", get("sctable.index.bytes")},
      {"value_store_bytes", get("sctable.values.bytes")},
      {"dict_bytes", get("sctable.values.dict_bytes")},
      {"version_bytes", get("sctable.versions.bytes")},
      {"compression_ratio", std::to_string(size ? double(raw) / size : 0.0)},
      {"index_bits_per_key",
       std::to_string(keys ? 8.0 * std::stod(get("sctable.index.bytes")) / keys : 0.0)},
  };
  for (auto& kv : p->readable_properties) rows.push_back({"property." + kv.first, kv.second});
  rows.push_back({"property.rocksdb.column.family.name", p->column_family_name});
  rows.push_back({"property.rocksdb.comparator", p->comparator_name});
  rows.push_back({"property.rocksdb.num.range-deletions", std::to_string(p->num_range_deletions)});
  rows.push_back({"property.rocksdb.creation.time", std::to_string(p->creation_time)});
  if (json) {
    std::printf("{");
    for (size_t i = 0; i < rows.size(); ++i) {
      std::string v;
      for (char c : rows[i].second) {
        if (c == '"' || c == '\\') v.push_back('\\');
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          v += buf;
          continue;
        }
        v.push_back(c);
      }
      std::printf("%s\"%s\":\"%s\"", i ? "," : "", rows[i].first.c_str(), v.c_str());
    }
    std::printf("}\n");
  } else {
    for (auto& [k, v] : rows) std::printf("%-40s %s\n", k.c_str(), EscapeTsv(v).c_str());
  }
  return 0;
}

int Verify(const std::string& path) {
  auto reader = OpenSst(path);
  rocksdb::Status s = reader->VerifyChecksum();
  if (!s.ok()) Fail(path + ": " + s.ToString());
  std::unique_ptr<rocksdb::Iterator> it(reader->NewIterator(rocksdb::ReadOptions()));
  uint64_t n = 0;
  for (it->SeekToFirst(); it->Valid(); it->Next()) ++n;
  if (!it->status().ok()) Fail(path + ": " + it->status().ToString());
  std::printf("%s: OK (%llu records, every checksum and a full decode)\n",
              path.c_str(), (unsigned long long)n);
  return 0;
}

}  // namespace
}  // namespace tool
}  // namespace sctable

int main(int argc, char** argv) {
  using namespace sctable::tool;
  CLI::App app{"sctable: build and query searchable compressed RocksDB tables"};
  app.require_subcommand(1);

  auto* compress = app.add_subcommand("compress", "build one SearchableTable SST from a dump");
  std::string out, from = "tsv", input = "-", keys, on_dup = "last";
  uint64_t sort_memory = 512ull << 20;
  bool quiet = false;
  compress->add_option("-o,--output", out, "output .sst")->required();
  compress->add_option("--from", from, "input format")
      ->check(CLI::IsMember({"tsv", "lines", "stanzas", "db"}));
  compress->add_option("--key", keys, "stanza fields forming the key, comma-separated");
  compress->add_option("--on-duplicate", on_dup, "last (keep the last) or error")
      ->check(CLI::IsMember({"last", "error"}));
  compress->add_option("--sort-memory", sort_memory,
                       "bytes of records sorted in memory before spilling sorted runs");
  compress->add_flag("-q,--quiet", quiet, "no progress, no summary");
  bool best = false;
  compress->add_flag("--best", best,
                     "best value compression (slower build; value_effort=1)");
  compress->add_option("INPUT", input, "input file, '-' for stdin, or a DB directory with --from db");

  auto* extract = app.add_subcommand("extract", "print records of an SST");
  std::string file, prefix;
  std::vector<std::string> ekeys, range;
  bool all = false, count = false, values_only = false, missing_ok = false;
  extract->add_option("FILE", file, "the .sst")->required();
  extract->add_option("--key", ekeys, "a key (repeatable)");
  extract->add_option("--prefix", prefix, "keys with this prefix");
  extract->add_option("--range", range, "keys in [FROM, TO)")->expected(2);
  extract->add_flag("--all", all, "every record");
  extract->add_flag("--count", count, "print only the number of matches");
  extract->add_flag("--values-only", values_only, "raw values, no keys, no escaping");
  extract->add_flag("--missing-ok", missing_ok, "a missing --key is not an error");

  auto* info = app.add_subcommand("info", "sections, sizes, ratio and properties of an SST");
  bool json = false;
  info->add_option("FILE", file, "the .sst")->required();
  info->add_flag("--json", json, "one JSON object");

  auto* verify = app.add_subcommand("verify", "check every checksum and decode everything");
  verify->add_option("FILE", file, "the .sst")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "sctable: %s (see --help)\n", e.what());
    return 2;
  }
  if (*extract) {
    const int modes = !ekeys.empty() + !prefix.empty() + !range.empty() + all;
    if (modes != 1) {
      std::fprintf(stderr, "sctable: extract needs exactly one of --key, --prefix, --range, --all\n");
      return 2;
    }
  }
  if (*compress) {
    if (from == "stanzas" && keys.empty()) {
      std::fprintf(stderr, "sctable: --from stanzas needs --key FIELD[,FIELD...]\n");
      return 2;
    }
    if (from == "db" && input == "-") {
      std::fprintf(stderr, "sctable: --from db needs a database directory\n");
      return 2;
    }
    return Compress(out, from, input, keys, on_dup, sort_memory, quiet, best);
  }
  if (*extract) return Extract(file, ekeys, prefix, range, all, count, values_only, missing_ok);
  if (*info) return Info(file, json);
  if (*verify) return Verify(file);
  return 2;
}
