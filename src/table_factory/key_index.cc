// STAND-IN until the CO-Index lands: a sorted array of keys with fixed64
// offsets. Same interface; replaced by the CO-Index wrapper at merge.
#include "table_factory/key_index.h"

#include "common/coding.h"
#include "common/cursor.h"

namespace sctable {

Status KeyIndexBuilder::Build(const std::vector<std::string_view>& keys,
                              int nest_level, std::string* image) {
  image->clear();
  PutVarint64(image, keys.size());
  uint64_t off = 0;
  for (size_t i = 0; i < keys.size(); ++i) {
    if (i > 0 && !(keys[i - 1] < keys[i])) {
      return Status::InvalidArgument("keys not increasing at " +
                                     std::to_string(i));
    }
    PutFixed64(image, off);
    off += keys[i].size();
  }
  PutFixed64(image, off);
  for (auto k : keys) image->append(k);
  return Status::OK();
}

struct KeyIndex::Rep {
  uint64_t n = 0;
  const char* offsets = nullptr;
  const char* bytes = nullptr;
  uint64_t bytes_len = 0;
  std::string_view Key(uint64_t i) const {
    const uint64_t a = DecodeFixed64(offsets + 8 * i);
    const uint64_t b = DecodeFixed64(offsets + 8 * (i + 1));
    if (a > b || b > bytes_len) return {};
    return {bytes + a, b - a};
  }
  uint64_t LowerBound(std::string_view t) const {
    uint64_t lo = 0, hi = n;
    while (lo < hi) {
      uint64_t mid = (lo + hi) / 2;
      if (Key(mid) < t) lo = mid + 1; else hi = mid;
    }
    return lo;
  }
};

KeyIndex::KeyIndex() : rep_(new Rep) {}
KeyIndex::~KeyIndex() = default;

Status KeyIndex::Open(std::string_view image) {
  ByteCursor c(image);
  SCTABLE_RETURN_IF_ERROR(c.ReadVarint64("keys n", &rep_->n));
  std::string_view offs;
  if (rep_->n >= (uint64_t{1} << 56)) return ByteCursor::Bad("keys n", "huge");
  SCTABLE_RETURN_IF_ERROR(c.ReadArray("keys offsets", rep_->n + 1, 8, &offs));
  rep_->offsets = offs.data();
  rep_->bytes = c.current();
  rep_->bytes_len = c.remaining();
  if (DecodeFixed64(rep_->offsets + 8 * rep_->n) != rep_->bytes_len) {
    return ByteCursor::Bad("keys bytes", "length mismatch");
  }
  return Status::OK();
}

Status KeyIndex::Verify() const { return Status::OK(); }
uint64_t KeyIndex::num_keys() const { return rep_->n; }
size_t KeyIndex::memory_usage() const { return sizeof(Rep); }

bool KeyIndex::Find(std::string_view key, uint64_t* id) const {
  uint64_t i = rep_->LowerBound(key);
  if (i < rep_->n && rep_->Key(i) == key) {
    *id = i;
    return true;
  }
  return false;
}

struct KeyIndex::Cursor::Rep {
  const KeyIndex::Rep* index;
  uint64_t pos;  // == n means invalid
};

KeyIndex::Cursor::Cursor(const KeyIndex* index)
    : rep_(new Rep{index->rep_.get(), index->rep_->n}) {}
KeyIndex::Cursor::~Cursor() = default;
bool KeyIndex::Cursor::Valid() const { return rep_->pos < rep_->index->n; }
void KeyIndex::Cursor::SeekToFirst() { rep_->pos = 0; }
void KeyIndex::Cursor::SeekToLast() {
  rep_->pos = rep_->index->n == 0 ? 0 : rep_->index->n - 1;
}
void KeyIndex::Cursor::Seek(std::string_view t) {
  rep_->pos = rep_->index->LowerBound(t);
}
void KeyIndex::Cursor::SeekForPrev(std::string_view t) {
  uint64_t i = rep_->index->LowerBound(t);
  if (i < rep_->index->n && rep_->index->Key(i) == t) {
    rep_->pos = i;
  } else {
    rep_->pos = i == 0 ? rep_->index->n : i - 1;
  }
}
void KeyIndex::Cursor::Next() { ++rep_->pos; }
void KeyIndex::Cursor::Prev() {
  rep_->pos = rep_->pos == 0 ? rep_->index->n : rep_->pos - 1;
}
std::string_view KeyIndex::Cursor::key() const {
  return rep_->index->Key(rep_->pos);
}
uint64_t KeyIndex::Cursor::id() const { return rep_->pos; }

}  // namespace sctable
