// Status: the result of an operation that can fail, used by every library
// below table_factory/. It is deliberately tiny (cf. leveldb's Status): a code
// and, on failure, a message. table_factory/ converts it to rocksdb::Status in
// exactly one place.
//
// Thread-safety: a Status is a value; distinct objects may be used from
// distinct threads without synchronisation.
#pragma once

#include <string>
#include <string_view>
#include <utility>

namespace sctable {

class [[nodiscard]] Status {
 public:
  enum class Code : unsigned char {
    kOk = 0,
    kCorruption = 1,
    kInvalidArgument = 2,
    kNotSupported = 3,
    kIOError = 4,
    kNotFound = 5,
  };

  Status() = default;  // OK

  static Status OK() { return Status(); }
  static Status Corruption(std::string_view msg) {
    return Status(Code::kCorruption, msg);
  }
  static Status InvalidArgument(std::string_view msg) {
    return Status(Code::kInvalidArgument, msg);
  }
  static Status NotSupported(std::string_view msg) {
    return Status(Code::kNotSupported, msg);
  }
  static Status IOError(std::string_view msg) {
    return Status(Code::kIOError, msg);
  }
  static Status NotFound(std::string_view msg) {
    return Status(Code::kNotFound, msg);
  }

  bool ok() const { return code_ == Code::kOk; }
  bool IsCorruption() const { return code_ == Code::kCorruption; }
  bool IsInvalidArgument() const { return code_ == Code::kInvalidArgument; }
  bool IsNotSupported() const { return code_ == Code::kNotSupported; }
  bool IsIOError() const { return code_ == Code::kIOError; }
  bool IsNotFound() const { return code_ == Code::kNotFound; }

  Code code() const { return code_; }
  const std::string& message() const { return msg_; }

  // "OK", or "<Code name>: <message>".
  std::string ToString() const;

  // Returns a copy whose message is prefixed with `context` and ": ", so a
  // caller can say where a callee failed ("pazip: offsets: truncated").
  Status WithContext(std::string_view context) const;

 private:
  Status(Code code, std::string_view msg) : code_(code), msg_(msg) {}

  Code code_ = Code::kOk;
  std::string msg_;
};

}  // namespace sctable

// Evaluates `expr` (a Status) and returns it from the enclosing function if it
// is not OK.
#define SCTABLE_RETURN_IF_ERROR(expr)            \
  do {                                           \
    ::sctable::Status _sctable_s = (expr);       \
    if (!_sctable_s.ok()) return _sctable_s;     \
  } while (0)
