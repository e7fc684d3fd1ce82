#include "common/mapped_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace sctable {

namespace {
Status ErrnoStatus(const std::string& what, const std::string& path) {
  return Status::IOError(path + ": " + what + ": " + std::strerror(errno));
}
}  // namespace

Status MappedFile::Open(const std::string& path,
                        std::unique_ptr<MappedFile>* result) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus("open", path);
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    Status s = ErrnoStatus("fstat", path);
    ::close(fd);
    return s;
  }
  const size_t size = static_cast<size_t>(st.st_size);
  const char* data = "";
  if (size > 0) {
    void* p = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) {
      Status s = ErrnoStatus("mmap", path);
      ::close(fd);
      return s;
    }
    data = static_cast<const char*>(p);
  }
  ::close(fd);  // the mapping keeps the file referenced
  result->reset(new MappedFile(data, size));
  return Status::OK();
}

MappedFile::~MappedFile() {
  if (size_ > 0) ::munmap(const_cast<char*>(data_), size_);
}

Status ReadFileToString(const std::string& path, std::string* out) {
  std::unique_ptr<MappedFile> f;
  SCTABLE_RETURN_IF_ERROR(MappedFile::Open(path, &f));
  out->assign(f->data(), f->size());
  return Status::OK();
}

Status WriteFileAtomically(const std::string& path,
                           std::string_view contents) {
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return ErrnoStatus("create", tmp);
  const char* p = contents.data();
  size_t left = contents.size();
  Status s;
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      s = ErrnoStatus("write", tmp);
      break;
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  if (s.ok() && ::fsync(fd) != 0) s = ErrnoStatus("fsync", tmp);
  if (::close(fd) != 0 && s.ok()) s = ErrnoStatus("close", tmp);
  if (s.ok() && ::rename(tmp.c_str(), path.c_str()) != 0) {
    s = ErrnoStatus("rename", tmp);
  }
  if (!s.ok()) ::unlink(tmp.c_str());
  return s;
}

}  // namespace sctable
