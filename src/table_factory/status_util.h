// The one conversion point from sctable::Status to rocksdb::Status.
#pragma once

#include "table_factory/abi_check.h"  // before any RocksDB internal header

#include <string>

#include "common/status.h"
#include "rocksdb/status.h"

namespace sctable {

inline rocksdb::Status ToRocksStatus(const Status& s,
                                     const std::string& context) {
  if (s.ok()) return rocksdb::Status::OK();
  const std::string msg = "SearchableTable: " + context + ": " + s.message();
  switch (s.code()) {
    case Status::Code::kCorruption:
      return rocksdb::Status::Corruption(msg);
    case Status::Code::kInvalidArgument:
      return rocksdb::Status::InvalidArgument(msg);
    case Status::Code::kNotSupported:
      return rocksdb::Status::NotSupported(msg);
    case Status::Code::kNotFound:
      return rocksdb::Status::NotFound(msg);
    case Status::Code::kIOError:
    default:
      return rocksdb::Status::IOError(msg);
  }
}

}  // namespace sctable
