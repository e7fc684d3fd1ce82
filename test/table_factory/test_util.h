// Helpers for DB-level tests of SearchableTable.
#pragma once

#include <rocksdb/db.h>
#include <rocksdb/merge_operator.h>
#include <rocksdb/options.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

namespace sctable {
namespace test {

// A fresh directory under the test tmpdir, removed by the destructor.
class TempDir {
 public:
  explicit TempDir(const std::string& name) {
    static int counter = 0;
    path_ = std::string(SCTABLE_TEST_TMPDIR) + "/" + name + "." +
            std::to_string(::getpid()) + "." + std::to_string(counter++);
    Remove();
  }
  ~TempDir() { Remove(); }
  const std::string& path() const { return path_; }

 private:
  void Remove() { (void)!std::system(("rm -rf '" + path_ + "'").c_str()); }
  std::string path_;
};

// Appends operands with ',' (associative, so partial merges happen too).
class AppendOperator : public rocksdb::AssociativeMergeOperator {
 public:
  bool Merge(const rocksdb::Slice&, const rocksdb::Slice* existing,
             const rocksdb::Slice& value, std::string* new_value,
             rocksdb::Logger*) const override {
    new_value->clear();
    if (existing != nullptr) {
      new_value->assign(existing->data(), existing->size());
      new_value->push_back(',');
    }
    new_value->append(value.data(), value.size());
    return true;
  }
  const char* Name() const override { return "AppendOperator"; }
};

// The 8-byte table magic at the end of an SST file.
inline uint64_t FileMagic(const std::string& path) {
  std::ifstream f(path, std::ios::binary | std::ios::ate);
  const auto size = static_cast<std::streamoff>(f.tellg());
  if (size < 8) return 0;
  f.seekg(size - 8);
  unsigned char b[8] = {};
  f.read(reinterpret_cast<char*>(b), 8);
  uint64_t m = 0;
  for (int i = 7; i >= 0; --i) m = (m << 8) | b[i];
  return m;
}

}  // namespace test
}  // namespace sctable
