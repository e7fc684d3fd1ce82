// ValueSpool: the builder's buffer of values. The first `memory_limit` bytes
// stay in memory; beyond that everything is appended to a temporary file,
// which Finish maps back, so records() are views of either. The temporary
// file is removed by the destructor, whatever happened.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/mapped_file.h"
#include "common/status.h"

namespace sctable {

class ValueSpool {
 public:
  // `temp_path` is used only if the values exceed `memory_limit`.
  ValueSpool(std::string temp_path, uint64_t memory_limit);
  ~ValueSpool();
  ValueSpool(const ValueSpool&) = delete;
  ValueSpool& operator=(const ValueSpool&) = delete;

  Status Add(std::string_view value);
  uint64_t num_records() const { return ends_.size(); }
  uint64_t bytes() const { return total_; }
  bool spilled() const { return fd_ >= 0 || mapped_ != nullptr; }
  // errno of the last failed file operation (0 if none).
  int last_errno() const { return last_errno_; }

  // Makes all records readable as views; valid until destruction.
  Status Finish(std::vector<std::string_view>* records);

 private:
  Status FlushBuffer();

  const std::string temp_path_;
  const uint64_t memory_limit_;
  int fd_ = -1;
  bool spilled_once_ = false;
  int last_errno_ = 0;
  std::string buffer_;
  uint64_t total_ = 0;
  std::vector<uint64_t> ends_;  // end offset of each record
  std::unique_ptr<MappedFile> mapped_;
};

}  // namespace sctable
