#include "table_factory/value_spool.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace sctable {

ValueSpool::ValueSpool(std::string temp_path, uint64_t memory_limit)
    : temp_path_(std::move(temp_path)), memory_limit_(memory_limit) {}

ValueSpool::~ValueSpool() {
  mapped_.reset();
  if (fd_ >= 0) ::close(fd_);
  if (fd_ >= 0 || spilled_once_) ::unlink(temp_path_.c_str());
}

Status ValueSpool::Add(std::string_view value) {
  buffer_.append(value.data(), value.size());
  total_ += value.size();
  ends_.push_back(total_);
  if (buffer_.size() >= memory_limit_) return FlushBuffer();
  return Status::OK();
}

Status ValueSpool::FlushBuffer() {
  if (fd_ < 0) {
    fd_ = ::open(temp_path_.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC,
                 0600);
    if (fd_ < 0) {
      last_errno_ = errno;
      return Status::IOError("value spool " + temp_path_ + ": " +
                             std::strerror(errno));
    }
    spilled_once_ = true;
  }
  const char* p = buffer_.data();
  size_t left = buffer_.size();
  while (left > 0) {
    ssize_t n = ::write(fd_, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      last_errno_ = errno;
      return Status::IOError("value spool " + temp_path_ + ": write: " +
                             std::strerror(errno));
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  buffer_.clear();
  return Status::OK();
}

Status ValueSpool::Finish(std::vector<std::string_view>* records) {
  const char* base = buffer_.data();
  if (fd_ >= 0) {
    SCTABLE_RETURN_IF_ERROR(FlushBuffer());
    ::close(fd_);
    fd_ = -1;
    SCTABLE_RETURN_IF_ERROR(MappedFile::Open(temp_path_, &mapped_));
    if (mapped_->size() != total_) {
      return Status::IOError("value spool " + temp_path_ + ": size mismatch");
    }
    base = mapped_->data();
  }
  records->clear();
  records->reserve(ends_.size());
  uint64_t start = 0;
  for (uint64_t end : ends_) {
    records->emplace_back(base + start, end - start);
    start = end;
  }
  return Status::OK();
}

}  // namespace sctable
