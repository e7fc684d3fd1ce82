#include "records.h"

#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <rocksdb/table.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <queue>

#include "common/coding.h"
#include "sctable/searchable_table.h"

namespace sctable {
namespace tool {

std::string EscapeTsv(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\\': out += "\\\\"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

bool UnescapeTsv(const std::string& s, std::string* out) {
  out->clear();
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\') {
      out->push_back(s[i]);
      continue;
    }
    if (++i == s.size()) return false;
    switch (s[i]) {
      case 't': out->push_back('\t'); break;
      case 'n': out->push_back('\n'); break;
      case 'r': out->push_back('\r'); break;
      case '\\': out->push_back('\\'); break;
      default: return false;
    }
  }
  return true;
}

Status ReadTextInput(const std::string& path, const std::string& format,
                     const std::vector<std::string>& key_fields,
                     const RecordSink& sink) {
  std::ifstream file;
  std::istream* in = &std::cin;
  const std::string name = path == "-" ? "<stdin>" : path;
  if (path != "-") {
    file.open(path, std::ios::binary);
    if (!file) return Status::IOError(name + ": cannot open");
    in = &file;
  }
  std::string line;
  uint64_t lineno = 0;
  if (format == "tsv" || format == "lines") {
    while (std::getline(*in, line)) {
      ++lineno;
      const std::string where = name + ":" + std::to_string(lineno);
      if (format == "lines") {
        SCTABLE_RETURN_IF_ERROR(sink(line, std::string(), where));
        continue;
      }
      const size_t tab = line.find('\t');
      if (tab == std::string::npos) {
        return Status::InvalidArgument(where + ": no TAB between key and value");
      }
      std::string k, v;
      if (!UnescapeTsv(line.substr(0, tab), &k) ||
          !UnescapeTsv(line.substr(tab + 1), &v)) {
        return Status::InvalidArgument(where + ": bad escape (use \\t \\n \\r \\\\)");
      }
      SCTABLE_RETURN_IF_ERROR(sink(std::move(k), std::move(v), where));
    }
  } else if (format == "stanzas") {
    if (key_fields.empty()) {
      return Status::InvalidArgument("--from stanzas needs --key FIELD[,FIELD...]");
    }
    std::string stanza;
    std::map<std::string, std::string> fields;
    uint64_t start = 0;
    auto finish = [&]() -> Status {
      if (stanza.empty()) return Status::OK();
      const std::string where = name + ":" + std::to_string(start);
      std::string key;
      for (size_t i = 0; i < key_fields.size(); ++i) {
        auto it = fields.find(key_fields[i]);
        if (it == fields.end()) {
          return Status::InvalidArgument(where + ": stanza has no field " +
                                         key_fields[i]);
        }
        if (i > 0) key.push_back(' ');
        key += it->second;
      }
      Status s = sink(std::move(key), std::move(stanza), where);
      stanza.clear();
      fields.clear();
      return s;
    };
    while (std::getline(*in, line)) {
      ++lineno;
      if (line.empty()) {
        SCTABLE_RETURN_IF_ERROR(finish());
        continue;
      }
      if (stanza.empty()) start = lineno;
      stanza += line;
      stanza.push_back('\n');
      const size_t colon = line.find(':');
      if (line[0] != ' ' && line[0] != '\t' && colon != std::string::npos) {
        size_t v = colon + 1;
        while (v < line.size() && line[v] == ' ') ++v;
        fields[line.substr(0, colon)] = line.substr(v);
      }
    }
    SCTABLE_RETURN_IF_ERROR(finish());
  } else {
    return Status::InvalidArgument("unknown --from format " + format);
  }
  if (in->bad()) return Status::IOError(name + ": read error");
  return Status::OK();
}

Status ReadDbInput(const std::string& dir, const RecordSink& sink) {
  rocksdb::Options o;
  o.table_factory.reset(NewSearchableTableFactory());  // reads BBT too
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = rocksdb::DB::OpenForReadOnly(o, dir, &raw);
  if (!s.ok()) return Status::IOError(dir + ": " + s.ToString());
  std::unique_ptr<rocksdb::DB> db(raw);
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions()));
  uint64_t n = 0;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    SCTABLE_RETURN_IF_ERROR(sink(it->key().ToString(), it->value().ToString(),
                                 dir + ": record " + std::to_string(++n)));
  }
  if (!it->status().ok()) return Status::IOError(dir + ": " + it->status().ToString());
  return Status::OK();
}

ExternalSorter::ExternalSorter(std::string temp_dir, uint64_t memory_limit,
                               bool error_on_duplicate)
    : temp_dir_(std::move(temp_dir)),
      memory_limit_(memory_limit),
      error_on_duplicate_(error_on_duplicate) {}

ExternalSorter::~ExternalSorter() {
  for (const auto& r : runs_) std::remove(r.c_str());
}

Status ExternalSorter::Add(std::string key, std::string value,
                           const std::string& where) {
  buffer_bytes_ += key.size() + value.size() + where.size() + 64;
  buffer_.push_back({std::move(key), std::move(value), seq_++, where});
  if (buffer_bytes_ >= memory_limit_) return SpillRun();
  return Status::OK();
}

namespace {
bool ItemLess(const std::string& ak, uint64_t aseq, const std::string& bk,
              uint64_t bseq) {
  int c = ak.compare(bk);  // bytewise: std::string compares as unsigned char
  return c < 0 || (c == 0 && aseq < bseq);
}
void PutString(std::string* dst, const std::string& s) {
  PutVarint64(dst, s.size());
  dst->append(s);
}
}  // namespace

Status ExternalSorter::SpillRun() {
  std::sort(buffer_.begin(), buffer_.end(), [](const Item& a, const Item& b) {
    return ItemLess(a.key, a.seq, b.key, b.seq);
  });
  const std::string path = temp_dir_ + "/.sctable-sort." +
                           std::to_string(::getpid()) + "." +
                           std::to_string(runs_.size());
  runs_.push_back(path);
  FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return Status::IOError(path + ": cannot create sort run");
  std::string rec;
  bool ok = true;
  for (const Item& it : buffer_) {
    rec.clear();
    PutString(&rec, it.key);
    PutString(&rec, it.value);
    PutVarint64(&rec, it.seq);
    PutString(&rec, it.where);
    ok = ok && std::fwrite(rec.data(), 1, rec.size(), f) == rec.size();
  }
  ok = (std::fclose(f) == 0) && ok;
  buffer_.clear();
  buffer_bytes_ = 0;
  if (!ok) return Status::IOError(path + ": write failed (disk full?)");
  return Status::OK();
}

namespace {
// Reads one spilled run back sequentially.
class RunReader {
 public:
  explicit RunReader(const std::string& path) : f_(std::fopen(path.c_str(), "rb")) {}
  ~RunReader() {
    if (f_ != nullptr) std::fclose(f_);
  }
  bool ok() const { return f_ != nullptr; }
  bool Next(std::string* key, std::string* value, uint64_t* seq,
            std::string* where) {
    return ReadString(key) && ReadString(value) && ReadVarint(seq) &&
           ReadString(where);
  }

 private:
  bool ReadVarint(uint64_t* v) {
    *v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int c = std::fgetc(f_);
      if (c == EOF) return false;
      *v |= uint64_t(c & 0x7f) << shift;
      if ((c & 0x80) == 0) return true;
    }
    return false;
  }
  bool ReadString(std::string* s) {
    uint64_t n;
    if (!ReadVarint(&n)) return false;
    s->resize(n);
    return n == 0 || std::fread(&(*s)[0], 1, n, f_) == n;
  }
  FILE* f_;
};
}  // namespace

Status ExternalSorter::Finish(
    const std::function<Status(const std::string&, const std::string&)>& out) {
  // Emits the last of each run of equal keys.
  std::string pend_key, pend_value, pend_where;
  uint64_t pend_seq = 0;
  bool pending = false;
  auto push = [&](std::string& k, std::string& v, uint64_t seq,
                  std::string& where) -> Status {
    if (pending && k == pend_key) {
      ++duplicates_;
      if (error_on_duplicate_) {
        const std::string& first = pend_seq < seq ? pend_where : where;
        const std::string& second = pend_seq < seq ? where : pend_where;
        return Status::InvalidArgument(second + ": duplicate key (first at " +
                                       first + ")");
      }
      if (seq > pend_seq) {
        pend_value.swap(v);
        pend_seq = seq;
        pend_where.swap(where);
      }
      return Status::OK();
    }
    if (pending) SCTABLE_RETURN_IF_ERROR(out(pend_key, pend_value));
    pend_key.swap(k);
    pend_value.swap(v);
    pend_where.swap(where);
    pend_seq = seq;
    pending = true;
    return Status::OK();
  };

  if (runs_.empty()) {
    std::sort(buffer_.begin(), buffer_.end(), [](const Item& a, const Item& b) {
      return ItemLess(a.key, a.seq, b.key, b.seq);
    });
    for (Item& it : buffer_) {
      SCTABLE_RETURN_IF_ERROR(push(it.key, it.value, it.seq, it.where));
    }
    buffer_.clear();
  } else {
    if (!buffer_.empty()) SCTABLE_RETURN_IF_ERROR(SpillRun());
    std::vector<std::unique_ptr<RunReader>> readers;
    struct Head {
      std::string key, value, where;
      uint64_t seq;
      size_t run;
    };
    auto greater = [](const Head* a, const Head* b) {
      return ItemLess(b->key, b->seq, a->key, a->seq);
    };
    std::vector<std::unique_ptr<Head>> heads;
    std::priority_queue<Head*, std::vector<Head*>, decltype(greater)> pq(greater);
    for (size_t r = 0; r < runs_.size(); ++r) {
      readers.emplace_back(new RunReader(runs_[r]));
      if (!readers.back()->ok()) return Status::IOError(runs_[r] + ": cannot reopen");
      heads.emplace_back(new Head);
      heads.back()->run = r;
      if (readers[r]->Next(&heads[r]->key, &heads[r]->value, &heads[r]->seq,
                           &heads[r]->where)) {
        pq.push(heads[r].get());
      }
    }
    while (!pq.empty()) {
      Head* h = pq.top();
      pq.pop();
      std::string k = std::move(h->key), v = std::move(h->value),
                  w = std::move(h->where);
      SCTABLE_RETURN_IF_ERROR(push(k, v, h->seq, w));
      if (readers[h->run]->Next(&h->key, &h->value, &h->seq, &h->where)) {
        pq.push(h);
      }
    }
  }
  if (pending) SCTABLE_RETURN_IF_ERROR(out(pend_key, pend_value));
  return Status::OK();
}

}  // namespace tool
}  // namespace sctable
