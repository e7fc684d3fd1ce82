// KeyIndex on the CO-Index (src/coindex): the keys of a SearchableTable file.
#include "table_factory/key_index.h"

#include "coindex/co_index.h"
#include "coindex/co_index_builder.h"

namespace sctable {

Status KeyIndexBuilder::Build(const std::vector<std::string_view>& keys,
                              int nest_level, std::string* image) {
  coindex::CoIndexOptions options;
  if (nest_level > 0) options.nest_level = nest_level;
  return coindex::CoIndexBuilder::Build(keys, options, image);
}

struct KeyIndex::Rep {
  coindex::CoIndex index;
};

KeyIndex::KeyIndex() : rep_(new Rep) {}
KeyIndex::~KeyIndex() = default;

Status KeyIndex::Open(std::string_view image) {
  return rep_->index.Open(image.data(), image.size());
}
Status KeyIndex::Verify() const { return rep_->index.Verify(); }
uint64_t KeyIndex::num_keys() const { return rep_->index.num_keys(); }
size_t KeyIndex::memory_usage() const { return sizeof(Rep); }

bool KeyIndex::Find(std::string_view key, uint64_t* id) const {
  return rep_->index.Find(key, id);
}

struct KeyIndex::Cursor::Rep {
  explicit Rep(const coindex::CoIndex* index) : cursor(index) {}
  coindex::CoIndexCursor cursor;
};

KeyIndex::Cursor::Cursor(const KeyIndex* index)
    : rep_(new Rep(&index->rep_->index)) {}
KeyIndex::Cursor::~Cursor() = default;
bool KeyIndex::Cursor::Valid() const { return rep_->cursor.Valid(); }
Status KeyIndex::Cursor::status() const { return rep_->cursor.status(); }
void KeyIndex::Cursor::SeekToFirst() { rep_->cursor.SeekToFirst(); }
void KeyIndex::Cursor::SeekToLast() { rep_->cursor.SeekToLast(); }
void KeyIndex::Cursor::Seek(std::string_view t) { rep_->cursor.Seek(t); }
void KeyIndex::Cursor::SeekForPrev(std::string_view t) {
  rep_->cursor.SeekForPrev(t);
}
void KeyIndex::Cursor::Next() { rep_->cursor.Next(); }
void KeyIndex::Cursor::Prev() { rep_->cursor.Prev(); }
std::string_view KeyIndex::Cursor::key() const { return rep_->cursor.key(); }
uint64_t KeyIndex::Cursor::id() const { return rep_->cursor.id(); }

}  // namespace sctable
