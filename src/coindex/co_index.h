// CoIndex: the read side of a CO-Index image, in place over (ptr, len) of a
// memory-mapped file. Maps each key to a dense id 0..n-1 in KEY ORDER (id i
// is the i-th smallest key), and back; CoIndexCursor walks keys in order.
//
// Open() is O(1) in the image size apart from the per-level table of the top
// trie (one entry per trie depth): it checks the header, the checksum of the
// header+metadata, and that every array the metadata describes lies inside
// the image. The body checksum is checked only by Verify() (O(size)). Queries
// over a corrupt body that passed Open() never read out of bounds and always
// terminate (every walk is bounded by node order, trie depth or the maximum
// key length); they may return wrong answers, or set the cursor's status to
// Corruption, unless Verify() was called.
//
// Thread-safety: a CoIndex is immutable after Open; any number of threads may
// query it and each may own cursors. The image bytes must outlive the CoIndex
// and its cursors.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "coindex/packed_array.h"
#include "coindex/rank_select.h"
#include "coindex/format.h"
#include "common/status.h"

namespace sctable::coindex {

class CoIndexCursor;

class CoIndex {
 public:
  CoIndex() = default;
  CoIndex(const CoIndex&) = delete;
  CoIndex& operator=(const CoIndex&) = delete;

  // Opens the image [data, data+size). On error *this is unusable.
  Status Open(const char* data, size_t size);
  // Checks the XXH3-64 checksum of the whole body.
  Status Verify() const;

  uint64_t num_keys() const { return num_keys_; }
  size_t image_size() const { return size_; }
  uint64_t max_key_length() const { return max_key_len_; }
  int num_tries() const { return static_cast<int>(tries_.size()); }
  // Depth of the top trie (levels of its BFS order).
  int num_levels() const { return static_cast<int>(level_starts_.size()) - 1; }

  // The id of `key`, or false if it is not in the index.
  bool Find(std::string_view key, uint64_t* id) const;
  // The bytes of key #id. NotFound if id >= num_keys(); Corruption on a
  // corrupt body. Cost: O(depth x log(fanout) x levels) rank/selects.
  Status Key(uint64_t id, std::string* key) const;
  // Ids of the keys starting with `prefix` are [*begin, *end) (empty range if
  // none). Enumerate them with a cursor: Seek(prefix), then Next while
  // id() < *end.
  void PrefixRange(std::string_view prefix, uint64_t* begin,
                   uint64_t* end) const;

  std::unique_ptr<CoIndexCursor> NewCursor() const;

  // Where the bytes go, as a JSON object (bench and docs): per trie its node
  // count and the bytes of louds/term/link bit vectors (with directories),
  // labels and link values; the tail pool.
  std::string SpaceBreakdownJson() const;

 private:
  friend class CoIndexCursor;
  struct Trie {
    uint64_t num_nodes = 0;
    BitVectorView louds, term, link;
    const unsigned char* labels = nullptr;
    PackedArrayView links;
  };
  class Sink;

  // Children of top-trie node v are [*first, *first + *degree).
  bool ChildRange(uint64_t v, uint64_t* first, uint64_t* degree) const;
  // Starts loading the link, term and select entries of the top-trie
  // children starting at node `first` (a Find or Seek reads them next).
  void PrefetchChildren(uint64_t first) const;
  // *run = LOUDS position where v's run of child bits starts (one select0).
  bool RunOf(uint64_t v, uint64_t* run) const;
  // ChildRange given v's run (no select).
  bool ChildRangeAt(uint64_t v, uint64_t run, uint64_t* first,
                    uint64_t* degree) const;
  // Feeds the bytes after the label of the edge into top-trie node u to
  // `sink`; false on mismatch (sink said stop) or corruption (*corrupt).
  template <class Fn>
  bool EmitRest(uint64_t u, Fn& sink, bool* corrupt) const;
  template <class Fn>
  bool EmitValue(size_t t, uint64_t value, Fn& sink, bool* corrupt) const;
  // Keys in subtrees of the nodes left of `v` at depth > depth(v), where v
  // is at depth d (see docs/design.md, "Key-order ids").
  uint64_t DeepCount(uint64_t v, size_t d) const;

  const char* data_ = nullptr;
  size_t size_ = 0;
  std::string_view body_;
  uint64_t body_checksum_ = 0;
  uint64_t num_keys_ = 0;
  uint64_t max_key_len_ = 0;
  std::vector<Trie> tries_;
  std::vector<uint32_t> level_starts_;  // top trie: first node of each depth
  std::vector<uint32_t> term_before_;   // top trie: keys ending above depth
  // Top trie, per level: id sample table G (size 0 if the level has none).
  std::vector<PackedArrayView> id_samples_;
  bool has_pool_ = false;
  const unsigned char* pool_ = nullptr;
  uint64_t pool_size_ = 0;
  BitVectorView pool_ends_;
};

// An ordered cursor over a CoIndex. Not thread-safe; cheap to create.
// After any positioning call, status() is OK unless corruption was detected
// (then Valid() is false).
class CoIndexCursor {
 public:
  explicit CoIndexCursor(const CoIndex* index) : index_(index) {}

  bool Valid() const { return valid_; }
  Status status() const { return status_; }
  void SeekToFirst();
  void SeekToLast();
  // First key >= target.
  void Seek(std::string_view target);
  // Last key <= target.
  void SeekForPrev(std::string_view target);
  // Positions on key #id (invalid if id >= num_keys()).
  void SeekToId(uint64_t id);
  // REQUIRES: Valid().
  void Next();
  void Prev();
  std::string_view key() const { return key_; }
  uint64_t id() const { return id_; }

 private:
  struct Frame {
    uint32_t node;
    uint32_t begin, end;  // sibling range of node
    uint32_t key_len;     // key bytes above node's edge
    uint32_t run;         // LOUDS position of node's child bits
  };
  void Reset();
  // `run`: the node's LOUDS run, or kUnknownRun to compute it (select0).
  bool Push(uint32_t node, uint32_t begin, uint32_t end, uint64_t run);
  void Replace(uint32_t node, uint64_t run);
  static constexpr uint64_t kUnknownRun = ~uint64_t{0};
  void DescendLeftmost();
  void DescendRightmost();
  void NextAfterSubtree();
  // Keys before the subtree of the top frame.
  uint64_t RankOfTop() const;
  void Corrupt(const char* what);

  const CoIndex* index_;
  std::vector<Frame> frames_;
  std::string key_;
  uint64_t id_ = 0;
  bool valid_ = false;
  Status status_;
};

}  // namespace sctable::coindex
