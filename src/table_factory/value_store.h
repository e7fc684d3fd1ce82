// ValueStore: the table format's view of its value section, the single place
// where table_factory meets the value store library. Records are numbered in
// the order they were added (entry order of the table).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace sctable {

struct ValueStoreOptions {
  int dict_per_mille = 0;  // 0 = the store's default
  int checksum_level = 1;  // 2 = per-record checksums
  bool fast_parse = true;  // see pazip::BuilderOptions::fast_parse
};

class ValueStoreBuilder {
 public:
  // Builds the store image from all records (views into memory the caller
  // keeps alive, e.g. a mapped spool file). keys[i] (same lifetime; empty
  // vector: none) is record i's key: the table passes each entry's user key,
  // which values often repeat (a package name inside its stanza, a name in
  // its repository URL), and hands it back to Get.
  // *dict_bytes (optional) receives the size of the store's dictionary.
  static Status Build(const std::vector<std::string_view>& records,
                      const std::vector<std::string_view>& keys,
                      const ValueStoreOptions& options, std::string* image,
                      uint64_t* dict_bytes = nullptr);
};

class ValueStore {
 public:
  ValueStore();
  ~ValueStore();
  ValueStore(const ValueStore&) = delete;
  ValueStore& operator=(const ValueStore&) = delete;

  // Opens an image in place; `image` must outlive this object.
  Status Open(std::string_view image);
  Status Verify() const;
  uint64_t num_records() const;
  size_t memory_usage() const;
  // Decodes record `id`, whose key is `key` (the one given to Build),
  // into *out (replacing its contents). Thread-safe.
  Status Get(uint64_t id, std::string_view key, std::string* out) const;

 private:
  struct Rep;
  std::unique_ptr<Rep> rep_;
};

}  // namespace sctable
