// KeyIndex: the table format's view of its key section. It is the single
// place where table_factory meets the key index library, so the table code
// depends only on this interface: build from sorted unique user keys; open
// in place; exact Find; an ordered cursor. Ids are dense, 0..n-1, in key
// order (the value store and version data are laid out in that order).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace sctable {

class KeyIndexBuilder {
 public:
  // REQUIRES: keys strictly increasing bytewise.
  static Status Build(const std::vector<std::string_view>& keys, int nest_level,
                      std::string* image);
};

class KeyIndex {
 public:
  KeyIndex();
  ~KeyIndex();
  KeyIndex(const KeyIndex&) = delete;
  KeyIndex& operator=(const KeyIndex&) = delete;

  // Opens an image in place; `image` must outlive this object.
  Status Open(std::string_view image);
  // Full integrity check of the image (every checksum).
  Status Verify() const;

  uint64_t num_keys() const;
  // Bytes of heap memory used beyond the mapped image.
  size_t memory_usage() const;
  // Exact lookup.
  bool Find(std::string_view key, uint64_t* id) const;

  // Ordered cursor over (key, id). Thread-compatible; many cursors may share
  // one KeyIndex.
  class Cursor {
   public:
    explicit Cursor(const KeyIndex* index);
    ~Cursor();
    bool Valid() const;
    // Not OK if the index bytes turned out to be damaged (then !Valid()).
    Status status() const;
    void SeekToFirst();
    void SeekToLast();
    void Seek(std::string_view target);         // first key >= target
    void SeekForPrev(std::string_view target);  // last key <= target
    void Next();
    void Prev();
    std::string_view key() const;  // valid until the cursor moves
    uint64_t id() const;

   private:
    struct Rep;
    std::unique_ptr<Rep> rep_;
  };

 private:
  struct Rep;
  std::unique_ptr<Rep> rep_;
};

}  // namespace sctable
