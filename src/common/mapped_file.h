// MappedFile: a read-only memory map of a whole file, the way sctable reads
// its own structures ("in place", no copy). WriteFileAtomically: write a file
// under a temporary name and rename it, so a failed write leaves nothing
// half-written behind.
//
// A MappedFile is immutable after Open and may be read from many threads.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"

namespace sctable {

class MappedFile {
 public:
  // Maps `path` read-only. An empty file maps to an empty view.
  static Status Open(const std::string& path,
                     std::unique_ptr<MappedFile>* result);

  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  const char* data() const { return data_; }
  size_t size() const { return size_; }
  std::string_view view() const { return {data_, size_}; }

 private:
  MappedFile(const char* data, size_t size) : data_(data), size_(size) {}

  const char* data_;
  size_t size_;
};

// Reads a whole file into `out`.
Status ReadFileToString(const std::string& path, std::string* out);

// Writes `contents` to `path` via "<path>.tmp.<pid>" + fsync + rename; on any
// failure the temporary is removed and `path` is untouched.
Status WriteFileAtomically(const std::string& path, std::string_view contents);

}  // namespace sctable
