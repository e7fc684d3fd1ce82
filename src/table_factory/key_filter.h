// KeyFilter: a cache-line-blocked Bloom filter over the user keys of a
// SearchableTable file (the sctable.filter section, docs/format.md §Filter).
//
// Why a table with an exact key index keeps a filter: RocksDB asks every file
// whose key range covers a Get, and in an LSM most of those files do not hold
// the key. The CO-Index rejects an absent key exactly, but only after walking
// as much of the trie as the key shares with its neighbours; the filter
// rejects most absent keys with one hash and one cache line. Present keys pay
// the same hash and line before the trie walk.
//
// Layout (little-endian):
//   filter := num_lines:varint64 num_probes:u8 line{num_lines}
//   line   := 64 bytes = 512 bits; bit b is bit (b % 8) of byte b / 8
// A key with 64-bit hash h = XXH3-64(key) lives in line
// ((h >> 32) * num_lines) >> 32 and sets num_probes bits there: with
// g = uint32(h), probe i is bit g_i >> 23, g_0 = g, g_{i+1} = g_i * 0x9e3779b9
// (mod 2^32). The multiplicative probe sequence is the design of RocksDB's
// FastLocalBloom (Dillinger), re-derived here.
//
// A damaged filter could hide keys that are present, so the reader verifies
// the section's checksum on every open, whatever the checksum level.
//
// Thread-safety: a KeyFilter is immutable after Open; it borrows the bytes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace sctable {

class KeyFilterBuilder {
 public:
  // `bits_per_key` in [1, 32].
  explicit KeyFilterBuilder(int bits_per_key) : bits_per_key_(bits_per_key) {}
  void AddKey(std::string_view key);
  // Appends the section bytes for the keys added so far.
  void Finish(std::string* out) const;

 private:
  int bits_per_key_;
  std::vector<uint64_t> hashes_;
};

class KeyFilter {
 public:
  // Opens the section in place; `bytes` must outlive this object.
  Status Open(std::string_view bytes);
  // False: `key` is certainly not in the file. True: it may be.
  bool MayContain(std::string_view key) const;
  uint64_t num_lines() const { return num_lines_; }

 private:
  const unsigned char* lines_ = nullptr;
  uint64_t num_lines_ = 0;
  int num_probes_ = 0;
};

}  // namespace sctable
