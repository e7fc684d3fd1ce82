// Per-key version data of a SearchableTable file: for each user key (by its
// index id), the (sequence number, value type) of each of its entries, in
// internal-key order (newest first). Entry e's value is record e of the value
// store. Byte grammar (docs/format.md §Versions section):
//
//   versions := kind:u8 num_keys:varint num_entries:varint body
//   kind 0 (every key: one entry, seq 0, kTypeValue)  body := (empty)
//   kind 1 (every key: one entry)                     body := codes entries
//   kind 2 (some key has several entries)             body := codes starts entries
//   codes   := min_seq:varint seq_bits:u8 type_bits:u8 num_types:u8 type:u8{num_types}
//   starts  := width:u8 packed(num_keys + 1 values)     first entry of each key
//   entries := packed(num_entries values of seq_bits+type_bits bits):
//              ((seq - min_seq) << type_bits) | type_index
//
// The bottommost case (one zero-seqno Put per key) costs a kind byte and two
// varint counts for the whole file.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace sctable {

// Accumulates version data as the builder sees entries.
// Call order: (StartKey AddEntry+)* Finish.
class VersionDataBuilder {
 public:
  void StartKey() { starts_.push_back(packed_.size()); }
  // REQUIRES: StartKey was called; entries of a key arrive newest first.
  void AddEntry(uint64_t seq, uint8_t type) {
    packed_.push_back((seq << 8) | type);
  }
  uint64_t num_keys() const { return starts_.size(); }
  uint64_t num_entries() const { return packed_.size(); }
  // Entries of key #k. REQUIRES: k < num_keys().
  uint64_t num_entries_of(uint64_t k) const {
    return (k + 1 < starts_.size() ? starts_[k + 1] : packed_.size()) -
           starts_[k];
  }
  // Bytes of memory held (for the builder's memory accounting).
  uint64_t memory_bytes() const { return (starts_.size() + packed_.size()) * 8; }

  void Finish(std::string* out) const;

 private:
  std::vector<uint64_t> starts_;  // first entry index of each key
  std::vector<uint64_t> packed_;  // (seq << 8) | type per entry
};

// Reads a versions section in place. Validates sizes and the type table on
// Open (O(1) in the number of keys); per-key invariants (monotone starts) are
// checked on access.
class VersionDataReader {
 public:
  Status Open(std::string_view image);

  uint64_t num_keys() const { return num_keys_; }
  uint64_t num_entries() const { return num_entries_; }
  bool all_zero_puts() const { return kind_ == 0; }

  // Entries of key `id` are [*begin, *end). Corruption if the stored starts
  // are not monotone or exceed the entry count. REQUIRES: id < num_keys().
  Status EntryRange(uint64_t id, uint64_t* begin, uint64_t* end) const;
  // The seqno and type of entry e; false if the stored code is invalid
  // (corrupt). REQUIRES: e < num_entries().
  bool Entry(uint64_t e, uint64_t* seq, uint8_t* type) const;

 private:
  uint8_t kind_ = 0;
  uint64_t num_keys_ = 0;
  uint64_t num_entries_ = 0;
  uint64_t min_seq_ = 0;
  int seq_bits_ = 0;
  int type_bits_ = 0;
  uint8_t types_[256] = {};
  int start_bits_ = 0;
  const char* starts_ = nullptr;
  const char* entries_ = nullptr;
};

}  // namespace sctable
