// Input records for `sctable compress`: parsers for the input formats and an
// external sort that turns any input into sorted, de-duplicated key/value
// pairs with bounded memory.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"

namespace sctable {
namespace tool {

// TSV escapes: \t \n \\ (and \r); any other byte is itself.
std::string EscapeTsv(const std::string& s);
// Decodes EscapeTsv's output; false on a dangling or unknown escape.
bool UnescapeTsv(const std::string& s, std::string* out);

// Called once per record in input order; `where` names the place in the
// input (file:line) for error messages. Return non-OK to stop.
using RecordSink = std::function<Status(std::string key, std::string value,
                                        const std::string& where)>;

// Reads `path` ("-" = stdin) as `format` (tsv, lines, stanzas) and calls
// `sink` per record. `key_fields` names the stanza fields forming the key.
Status ReadTextInput(const std::string& path, const std::string& format,
                     const std::vector<std::string>& key_fields,
                     const RecordSink& sink);
// Reads the latest values of the RocksDB database in `dir` (read-only; any
// table format this build can read).
Status ReadDbInput(const std::string& dir, const RecordSink& sink);

// Sorts records by key with at most `memory_limit` bytes of records in
// memory, spilling sorted runs to `temp_dir`; duplicates resolve to the last
// one added, or fail if `error_on_duplicate`. Output in key order.
class ExternalSorter {
 public:
  ExternalSorter(std::string temp_dir, uint64_t memory_limit,
                 bool error_on_duplicate);
  ~ExternalSorter();  // removes the run files
  Status Add(std::string key, std::string value, const std::string& where);
  // Calls `out` for each unique key in order.
  Status Finish(const std::function<Status(const std::string&,
                                           const std::string&)>& out);
  uint64_t records_in() const { return seq_; }
  uint64_t duplicates() const { return duplicates_; }

 private:
  struct Item {
    std::string key, value;
    uint64_t seq;  // input order
    std::string where;
  };
  Status SpillRun();

  const std::string temp_dir_;
  const uint64_t memory_limit_;
  const bool error_on_duplicate_;
  std::vector<Item> buffer_;
  uint64_t buffer_bytes_ = 0;
  uint64_t seq_ = 0;
  uint64_t duplicates_ = 0;
  std::vector<std::string> runs_;
};

}  // namespace tool
}  // namespace sctable
