// CoIndex reader: open/validate, Find, Key, prefix ranges, and the ordered
// cursor (docs/design.md, "CO-Index").
#include "coindex/co_index.h"

#include <algorithm>

#include "common/checksum.h"
#include "common/coding.h"
#include "common/cursor.h"

namespace sctable::coindex {

Status CoIndex::Open(const char* data, size_t size) {
  data_ = data;
  size_ = size;
  tries_.clear();
  ByteCursor head(data, size);
  uint64_t magic, image_size;
  uint32_t version, meta_size;
  SCTABLE_RETURN_IF_ERROR(head.ReadFixed64("coindex magic", &magic));
  if (magic != kCoIndexMagic) {
    return Status::Corruption("coindex: bad magic number");
  }
  SCTABLE_RETURN_IF_ERROR(head.ReadFixed32("coindex version", &version));
  if (version != kCoIndexFormatVersion && version != kCoIndexFormatVersion2) {
    return Status::NotSupported("coindex: unknown format version " +
                                std::to_string(version));
  }
  SCTABLE_RETURN_IF_ERROR(head.ReadFixed32("coindex meta_size", &meta_size));
  SCTABLE_RETURN_IF_ERROR(head.ReadFixed64("coindex image_size", &image_size));
  SCTABLE_RETURN_IF_ERROR(
      head.ReadFixed64("coindex body_checksum", &body_checksum_));
  if (image_size != size) {
    return Status::Corruption("coindex: image_size " +
                              std::to_string(image_size) + " != length " +
                              std::to_string(size));
  }
  std::string_view meta_bytes;
  SCTABLE_RETURN_IF_ERROR(head.ReadBytes("coindex meta", meta_size, &meta_bytes));
  uint64_t meta_checksum;
  SCTABLE_RETURN_IF_ERROR(
      head.ReadFixed64("coindex meta_checksum", &meta_checksum));
#ifndef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION  // see pazip_reader.cc
  if (Checksum64(data, kHeaderSize + meta_size) != meta_checksum) {
    return Status::Corruption("coindex: header/meta checksum mismatch");
  }
#endif
  SCTABLE_RETURN_IF_ERROR(head.Align("coindex body", 8));
  // Which bit vectors may go without a rank directory (kExactSelect): in
  // version 3 those that are never ranked (louds, pool_ends); none before.
  const uint8_t exact_ok =
      version == kCoIndexFormatVersion ? kExactSelect : kSelectNone;
  body_ = std::string_view(head.current(), head.remaining());

  ByteCursor meta(meta_bytes);
  ByteCursor body(body_);
  uint8_t num_tries, has_pool;
  SCTABLE_RETURN_IF_ERROR(meta.ReadVarint64("num_keys", &num_keys_));
  SCTABLE_RETURN_IF_ERROR(meta.ReadVarint64("max_key_len", &max_key_len_));
  SCTABLE_RETURN_IF_ERROR(meta.ReadU8("num_tries", &num_tries));
  SCTABLE_RETURN_IF_ERROR(meta.ReadU8("has_pool", &has_pool));
  if (num_tries < 1 || num_tries > kMaxTries || has_pool > 1) {
    return ByteCursor::Bad("num_tries", "out of range");
  }
  has_pool_ = has_pool;
  tries_.resize(num_tries);
  for (size_t t = 0; t < num_tries; ++t) {
    Trie& tr = tries_[t];
    const bool top = t == 0;
    BitVectorDesc d;
    SCTABLE_RETURN_IF_ERROR(meta.ReadVarint64("num_nodes", &tr.num_nodes));
    if (tr.num_nodes < 1 || tr.num_nodes >= (uint64_t{1} << 31)) {
      return ByteCursor::Bad("num_nodes", "out of range");
    }
    SCTABLE_RETURN_IF_ERROR(GetBitVectorDesc(&meta, "louds", &d));
    if (d.num_bits != 2 * tr.num_nodes - 1 || d.num_ones != tr.num_nodes - 1 ||
        (d.select & ~exact_ok) != (top ? kSelect0 : kSelect1)) {
      return ByteCursor::Bad("louds", "does not match num_nodes");
    }
    SCTABLE_RETURN_IF_ERROR(tr.louds.Open(d, &body, "louds"));
    if (top) {
      SCTABLE_RETURN_IF_ERROR(GetBitVectorDesc(&meta, "term", &d));
      if (d.num_bits != tr.num_nodes || d.num_ones != num_keys_ ||
          d.select != kSelectNone) {
        return ByteCursor::Bad("term", "does not match num_keys");
      }
      SCTABLE_RETURN_IF_ERROR(tr.term.Open(d, &body, "term"));
    }
    SCTABLE_RETURN_IF_ERROR(GetBitVectorDesc(&meta, "link", &d));
    if (d.num_bits != tr.num_nodes || d.select != kSelectNone) {
      return ByteCursor::Bad("link", "does not match num_nodes");
    }
    SCTABLE_RETURN_IF_ERROR(tr.link.Open(d, &body, "link"));
    std::string_view labels;
    SCTABLE_RETURN_IF_ERROR(body.ReadBytes("labels", tr.num_nodes, &labels));
    SCTABLE_RETURN_IF_ERROR(body.Align("labels", 8));
    tr.labels = reinterpret_cast<const unsigned char*>(labels.data());
    uint8_t width;
    SCTABLE_RETURN_IF_ERROR(meta.ReadU8("link_width", &width));
    SCTABLE_RETURN_IF_ERROR(
        tr.links.Open(tr.link.num_ones(), width, &body, "links"));
    if (top) {
      uint64_t levels;
      SCTABLE_RETURN_IF_ERROR(meta.ReadVarint64("num_levels", &levels));
      if (levels < 1 || levels > tr.num_nodes) {
        return ByteCursor::Bad("num_levels", "out of range");
      }
      level_starts_.assign(1, 0);
      term_before_.assign(1, 0);
      std::vector<uint8_t> widths;
      for (uint64_t i = 0; i < levels; ++i) {
        uint64_t dn, dt;
        uint8_t w;
        SCTABLE_RETURN_IF_ERROR(meta.ReadVarint64("level_nodes", &dn));
        SCTABLE_RETURN_IF_ERROR(meta.ReadVarint64("level_terms", &dt));
        SCTABLE_RETURN_IF_ERROR(meta.ReadU8("level_id_width", &w));
        if (w > 32) return ByteCursor::Bad("level_id_width", "> 32");
        widths.push_back(w);
        uint64_t n = level_starts_.back() + dn, k = term_before_.back() + dt;
        if (dn == 0 || n > tr.num_nodes || k > num_keys_ || dt > dn) {
          return ByteCursor::Bad("level table", "out of range");
        }
        level_starts_.push_back(static_cast<uint32_t>(n));
        term_before_.push_back(static_cast<uint32_t>(k));
      }
      if (level_starts_.back() != tr.num_nodes ||
          term_before_.back() != num_keys_) {
        return ByteCursor::Bad("level table", "does not cover the trie");
      }
      id_samples_.assign(levels, PackedArrayView());
      for (uint64_t i = 0; i < levels; ++i) {
        if (widths[i] == 0) continue;
        SCTABLE_RETURN_IF_ERROR(id_samples_[i].Open(
            level_starts_[i + 1] - level_starts_[i], widths[i], &body,
            "id samples"));
      }
    }
  }
  if (has_pool_) {
    SCTABLE_RETURN_IF_ERROR(meta.ReadVarint64("pool_size", &pool_size_));
    std::string_view pool;
    SCTABLE_RETURN_IF_ERROR(body.ReadBytes("pool", pool_size_, &pool));
    SCTABLE_RETURN_IF_ERROR(body.Align("pool", 8));
    pool_ = reinterpret_cast<const unsigned char*>(pool.data());
    BitVectorDesc d;
    SCTABLE_RETURN_IF_ERROR(GetBitVectorDesc(&meta, "pool_ends", &d));
    if (d.num_bits != pool_size_ || (d.select & ~exact_ok) != kSelectNone) {
      return ByteCursor::Bad("pool_ends", "does not match pool_size");
    }
    SCTABLE_RETURN_IF_ERROR(pool_ends_.Open(d, &body, "pool_ends"));
  } else if (tries_.back().link.num_ones() != 0) {
    return ByteCursor::Bad("has_pool", "links of the last trie lead nowhere");
  }
  if (!meta.empty()) return ByteCursor::Bad("meta", "trailing bytes");
  if (!body.empty()) return ByteCursor::Bad("body", "trailing bytes");
  return Status::OK();
}

Status CoIndex::Verify() const {
  if (Checksum64(body_) != body_checksum_) {
    return Status::Corruption("coindex: body checksum mismatch");
  }
  return Status::OK();
}

void CoIndex::PrefetchChildren(uint64_t first) const {
  const Trie& tr = tries_[0];
  tr.link.PrefetchRank(first);
  tr.term.PrefetchRank(first);
  tr.louds.PrefetchSelect(first - 1);
}

bool CoIndex::RunOf(uint64_t v, uint64_t* run) const {
  *run = 0;
  if (v == 0) return true;
  uint64_t z = tries_[0].louds.Select0(v - 1);
  if (z == BitVectorView::kNotFound) return false;
  *run = z + 1;
  return true;
}

bool CoIndex::ChildRange(uint64_t v, uint64_t* first,
                         uint64_t* degree) const {
  uint64_t start;
  return RunOf(v, &start) && ChildRangeAt(v, start, first, degree);
}

// The child bits of v start after v zeros; the run is all ones up to the
// next zero. Every result is checked to lie after v and inside the trie, so
// a corrupt `start` (e.g. derived from a sibling's) cannot send a walk
// backwards or out of bounds.
bool CoIndex::ChildRangeAt(uint64_t v, uint64_t start, uint64_t* first,
                           uint64_t* degree) const {
  const Trie& tr = tries_[0];
  if (start < v || start >= tr.louds.size()) return false;
  *first = start - v + 1;
  *degree = tr.louds.OnesRunFrom(start);
  return (*degree == 0 || *first > v) && *first + *degree <= tr.num_nodes;
}

template <class Fn>
bool CoIndex::EmitValue(size_t t, uint64_t value, Fn& sink,
                        bool* corrupt) const {
  if (t >= tries_.size()) {  // tail pool
    if (!has_pool_ || value >= pool_size_) return !(*corrupt = true);
    for (uint64_t p = value; p < pool_size_; ++p) {
      if (!sink(pool_[p])) return false;
      if (pool_ends_.Get(p)) return true;
    }
    return !(*corrupt = true);
  }
  // Nested trie: the string ends at node `value`; walking up to the root
  // yields it forward (the trie stores it reversed).
  const Trie& tr = tries_[t];
  uint64_t v = value;
  if (v == 0 || v >= tr.num_nodes) return !(*corrupt = true);
  while (v != 0) {
    if (tr.link.Get(v)) {
      uint64_t r = tr.link.Rank1(v);
      if (r >= tr.links.size()) return !(*corrupt = true);
      if (!EmitValue(t + 1, tr.links.Get(r), sink, corrupt)) return false;
    }
    if (!sink(tr.labels[v])) return false;
    uint64_t q = tr.louds.Select1Inline(v - 1);
    if (q == BitVectorView::kNotFound || q < v - 1 || q - (v - 1) >= v) {
      return !(*corrupt = true);
    }
    v = q - (v - 1);
  }
  return true;
}

template <class Fn>
bool CoIndex::EmitRest(uint64_t u, Fn& sink, bool* corrupt) const {
  const Trie& tr = tries_[0];
  if (!tr.link.Get(u)) return true;
  uint64_t r = tr.link.Rank1(u);
  if (r >= tr.links.size()) return !(*corrupt = true);
  return EmitValue(1, tr.links.Get(r), sink, corrupt);
}

uint64_t CoIndex::DeepCount(uint64_t v, size_t d) const {
  const Trie& tr = tries_[0];
  const size_t levels = level_starts_.size() - 1;
  uint64_t x = v, count = 0;
  for (size_t k = d + 1; k < levels; ++k) {
    // First node at depth k whose parent is >= x (x is at depth k-1).
    uint64_t start = 0;
    if (x != 0) {
      uint64_t z = tr.louds.Select0(x - 1);
      if (z == BitVectorView::kNotFound || z + 1 < x) return count;
      start = z + 1;
    }
    x = start - x + 1;
    if (x <= level_starts_[k]) break;
    if (x >= level_starts_[k + 1]) {
      count += num_keys_ - term_before_[k];
      break;
    }
    const PackedArrayView& g = id_samples_[k];
    if (g.size() != 0) {  // sampled level: the rest of the walk, precomputed
      count += g.Get(x - level_starts_[k]);
      break;
    }
    count += tr.term.Rank1(x) - term_before_[k];
  }
  return count;
}

bool CoIndex::Find(std::string_view key, uint64_t* id) const {
  const Trie& tr = tries_[0];
  const auto* k = reinterpret_cast<const unsigned char*>(key.data());
  const size_t n = key.size();
  const size_t levels = level_starts_.size() - 1;
  uint64_t v = 0, rank = 0;
  size_t pos = 0;
  for (size_t depth = 0; depth < levels; ++depth) {
    rank += tr.term.Rank1(v) - term_before_[depth];
    const bool term = tr.term.Get(v);
    if (pos == n) {
      if (!term) return false;
      *id = rank + DeepCount(v, depth);
      return *id < num_keys_;
    }
    rank += term;
    uint64_t first, degree;
    if (!ChildRange(v, &first, &degree) || degree == 0) return false;
    // The child's link bit and rank, its term bit and rank, and the select
    // entry of its own children are all near `first`: ask for them now, so
    // they load with the labels instead of one after another.
    PrefetchChildren(first);
    const unsigned char c = k[pos];
    const unsigned char* lab = tr.labels + first;
    uint64_t lo = 0, hi = degree;
    while (hi - lo > 8) {
      uint64_t mid = (lo + hi) / 2;
      if (lab[mid] <= c) lo = mid; else hi = mid;
    }
    while (lo < hi && lab[lo] < c) ++lo;
    if (lo == hi || lab[lo] != c) return false;
    const uint64_t u = first + lo;
    ++pos;
    bool corrupt = false;
    auto match = [&](unsigned char b) { return pos < n && k[pos++] == b; };
    if (!EmitRest(u, match, &corrupt)) return false;
    v = u;
  }
  return false;
}

Status CoIndex::Key(uint64_t id, std::string* key) const {
  if (id >= num_keys_) return Status::NotFound("coindex: id out of range");
  CoIndexCursor c(this);
  c.SeekToId(id);
  if (!c.status().ok()) return c.status();
  if (!c.Valid()) return Status::Corruption("coindex: id not reachable");
  key->assign(c.key().data(), c.key().size());
  return Status::OK();
}

void CoIndex::PrefixRange(std::string_view prefix, uint64_t* begin,
                          uint64_t* end) const {
  CoIndexCursor c(this);
  c.Seek(prefix);
  *begin = c.Valid() ? c.id() : num_keys_;
  std::string succ(prefix);
  while (!succ.empty() && static_cast<unsigned char>(succ.back()) == 0xff) {
    succ.pop_back();
  }
  if (succ.empty()) {
    *end = num_keys_;
  } else {
    succ.back() = static_cast<char>(static_cast<unsigned char>(succ.back()) + 1);
    c.Seek(succ);
    *end = c.Valid() ? c.id() : num_keys_;
  }
  if (*end < *begin) *end = *begin;
}

std::string CoIndex::SpaceBreakdownJson() const {
  std::string j = "{\"tries\":[";
  for (size_t t = 0; t < tries_.size(); ++t) {
    const Trie& tr = tries_[t];
    if (t) j += ",";
    j += "{\"nodes\":" + std::to_string(tr.num_nodes) +
         ",\"links\":" + std::to_string(tr.links.size()) +
         ",\"link_width\":" + std::to_string(tr.links.width()) +
         ",\"louds\":" + std::to_string(tr.louds.SpaceBytes()) +
         ",\"term\":" + std::to_string(tr.term.SpaceBytes()) +
         ",\"link_bits\":" + std::to_string(tr.link.SpaceBytes()) +
         ",\"labels\":" + std::to_string(tr.num_nodes) +
         ",\"link_values\":" + std::to_string(tr.links.SpaceBytes()) + "}";
  }
  j += "],\"level_nodes\":[";
  for (size_t i = 0; i + 1 < level_starts_.size(); ++i) {
    j += (i ? "," : "") + std::to_string(level_starts_[i + 1] - level_starts_[i]);
  }
  j += "],\"pool\":" + std::to_string(pool_size_) +
       ",\"pool_ends\":" + std::to_string(pool_ends_.SpaceBytes()) + "}";
  return j;
}

std::unique_ptr<CoIndexCursor> CoIndex::NewCursor() const {
  return std::make_unique<CoIndexCursor>(this);
}

// --- CoIndexCursor ----------------------------------------------------------

void CoIndexCursor::Corrupt(const char* what) {
  valid_ = false;
  status_ = Status::Corruption(std::string("coindex cursor: ") + what);
}

void CoIndexCursor::Reset() {
  frames_.clear();
  frames_.push_back({0, 0, 1, 0, 0});
  key_.clear();
  valid_ = false;
  status_ = Status::OK();
}

// Appends the frame of top-trie node `node` and its edge bytes.
bool CoIndexCursor::Push(uint32_t node, uint32_t begin, uint32_t end,
                         uint64_t run) {
  if (run == kUnknownRun && !index_->RunOf(node, &run)) {
    Corrupt("louds");
    return false;
  }
  // One frame per depth: a trie of L levels has frames at depths 0..L-1.
  // A damaged LOUDS can describe a deeper path (node ids still increase, so
  // it ends), and RankOfTop indexes the level table by depth.
  if (frames_.size() >= index_->level_starts_.size() - 1) {
    Corrupt("deeper than the level table");
    return false;
  }
  frames_.push_back({node, begin, end, static_cast<uint32_t>(key_.size()),
                     static_cast<uint32_t>(run)});
  key_.push_back(static_cast<char>(index_->tries_[0].labels[node]));
  bool corrupt = false;
  const uint64_t limit = index_->max_key_len_;
  auto append = [&](unsigned char b) {
    if (key_.size() >= limit) return !(corrupt = true);
    key_.push_back(static_cast<char>(b));
    return true;
  };
  if (!index_->EmitRest(node, append, &corrupt) || corrupt ||
      key_.size() > limit) {
    Corrupt("edge label");
    return false;
  }
  return true;
}

void CoIndexCursor::Replace(uint32_t node, uint64_t run) {
  Frame f = frames_.back();
  frames_.pop_back();
  key_.resize(f.key_len);
  Push(node, f.begin, f.end, run);
}

void CoIndexCursor::DescendLeftmost() {
  const auto& tr = index_->tries_[0];
  while (status_.ok()) {
    uint32_t v = frames_.back().node;
    if (tr.term.Get(v)) {
      valid_ = true;
      return;
    }
    uint64_t first, degree;
    if (!index_->ChildRangeAt(v, frames_.back().run, &first, &degree) ||
        degree == 0) {
      return Corrupt("non-terminal leaf");
    }
    Push(static_cast<uint32_t>(first), static_cast<uint32_t>(first),
         static_cast<uint32_t>(first + degree), kUnknownRun);
  }
}

void CoIndexCursor::DescendRightmost() {
  const auto& tr = index_->tries_[0];
  while (status_.ok()) {
    uint32_t v = frames_.back().node;
    uint64_t first, degree;
    if (!index_->ChildRangeAt(v, frames_.back().run, &first, &degree)) {
      return Corrupt("louds");
    }
    if (degree == 0) {
      if (!tr.term.Get(v)) return Corrupt("non-terminal leaf");
      valid_ = true;
      return;
    }
    Push(static_cast<uint32_t>(first + degree - 1),
         static_cast<uint32_t>(first), static_cast<uint32_t>(first + degree),
         kUnknownRun);
  }
}

// Moves to the first key after the subtree of the top frame.
void CoIndexCursor::NextAfterSubtree() {
  valid_ = false;
  while (frames_.size() > 1 && status_.ok()) {
    const Frame& f = frames_.back();
    if (f.node + 1 < f.end) {
      // The sibling's child bits follow f.node's run and its zero.
      const auto& louds = index_->tries_[0].louds;
      Replace(f.node + 1, f.run + louds.OnesRunFrom(f.run) + 1);
      return DescendLeftmost();
    }
    key_.resize(f.key_len);
    frames_.pop_back();
  }
}

uint64_t CoIndexCursor::RankOfTop() const {
  const auto& tr = index_->tries_[0];
  uint64_t rank = 0;
  for (size_t d = 0; d < frames_.size(); ++d) {
    uint32_t v = frames_[d].node;
    rank += tr.term.Rank1(v) - index_->term_before_[d];
    if (d + 1 < frames_.size()) rank += tr.term.Get(v);
  }
  return rank + index_->DeepCount(frames_.back().node, frames_.size() - 1);
}

void CoIndexCursor::SeekToFirst() {
  Reset();
  if (index_->num_keys_ == 0) return;
  DescendLeftmost();
  id_ = 0;
}

void CoIndexCursor::SeekToLast() {
  Reset();
  if (index_->num_keys_ == 0) return;
  DescendRightmost();
  id_ = index_->num_keys_ - 1;
}

void CoIndexCursor::Seek(std::string_view target) {
  Reset();
  if (index_->num_keys_ == 0) return;
  const auto& tr = index_->tries_[0];
  const auto* k = reinterpret_cast<const unsigned char*>(target.data());
  size_t pos = 0;
  for (;;) {
    uint32_t v = frames_.back().node;
    if (pos == target.size()) {
      DescendLeftmost();
      break;
    }
    uint64_t first, degree;
    if (!index_->ChildRangeAt(v, frames_.back().run, &first, &degree)) {
      return Corrupt("louds");
    }
    index_->PrefetchChildren(first);
    const unsigned char c = k[pos];
    uint64_t i = 0;
    while (i < degree && tr.labels[first + i] < c) ++i;
    if (i == degree) {
      NextAfterSubtree();
      break;
    }
    if (!Push(static_cast<uint32_t>(first + i), static_cast<uint32_t>(first),
              static_cast<uint32_t>(first + degree), kUnknownRun)) {
      return;
    }
    if (tr.labels[first + i] > c) {
      DescendLeftmost();
      break;
    }
    std::string_view edge = std::string_view(key_).substr(frames_.back().key_len);
    std::string_view rest = target.substr(pos);
    size_t m = 0;
    while (m < edge.size() && m < rest.size() && edge[m] == rest[m]) ++m;
    if (m == edge.size()) {
      pos += m;
      continue;
    }
    if (m == rest.size() ||
        static_cast<unsigned char>(edge[m]) > static_cast<unsigned char>(rest[m])) {
      DescendLeftmost();
    } else {
      NextAfterSubtree();
    }
    break;
  }
  if (valid_) {
    id_ = RankOfTop();
    if (id_ >= index_->num_keys_) Corrupt("rank beyond the last key");
  }
}

void CoIndexCursor::SeekForPrev(std::string_view target) {
  Seek(target);
  if (!status_.ok()) return;
  if (!valid_) {
    SeekToLast();
  } else if (key_ != target) {
    Prev();
  }
}

void CoIndexCursor::SeekToId(uint64_t id) {
  Reset();
  if (id >= index_->num_keys_) return;
  const auto& tr = index_->tries_[0];
  for (;;) {
    uint32_t v = frames_.back().node;
    uint64_t base = RankOfTop();
    if (tr.term.Get(v) && base == id) {
      valid_ = true;
      id_ = id;
      return;
    }
    uint64_t first, degree;
    if (!index_->ChildRangeAt(v, frames_.back().run, &first, &degree) ||
        degree == 0) {
      return Corrupt("id walk");
    }
    // Last child whose first key rank is <= id.
    uint64_t lo = 0, hi = degree;  // invariant: answer in [lo, hi)
    const uint32_t key_len = static_cast<uint32_t>(key_.size());
    while (hi - lo > 1) {
      uint64_t mid = (lo + hi) / 2;
      frames_.push_back({static_cast<uint32_t>(first + mid), 0, 0, key_len, 0});
      uint64_t r = RankOfTop();
      frames_.pop_back();
      if (r <= id) lo = mid; else hi = mid;
    }
    if (!Push(static_cast<uint32_t>(first + lo), static_cast<uint32_t>(first),
              static_cast<uint32_t>(first + degree), kUnknownRun)) {
      return;
    }
  }
}

void CoIndexCursor::Next() {
  if (!valid_) return;
  uint64_t first, degree;
  if (!index_->ChildRangeAt(frames_.back().node, frames_.back().run, &first,
                            &degree)) {
    return Corrupt("louds");
  }
  if (degree > 0) {
    Push(static_cast<uint32_t>(first), static_cast<uint32_t>(first),
         static_cast<uint32_t>(first + degree), kUnknownRun);
    DescendLeftmost();
  } else {
    NextAfterSubtree();
  }
  ++id_;
  if (id_ >= index_->num_keys_) valid_ = false;
}

void CoIndexCursor::Prev() {
  if (!valid_) return;
  const auto& tr = index_->tries_[0];
  valid_ = false;
  while (frames_.size() > 1 && status_.ok()) {
    const Frame f = frames_.back();
    if (f.node > f.begin) {
      Replace(f.node - 1, kUnknownRun);
      DescendRightmost();
      break;
    }
    key_.resize(f.key_len);
    frames_.pop_back();
    if (tr.term.Get(frames_.back().node)) {
      valid_ = true;
      break;
    }
  }
  if (valid_) {
    if (id_ == 0) return Corrupt("before the first key");
    --id_;
  }
}

}  // namespace sctable::coindex
