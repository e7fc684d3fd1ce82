// STAND-IN until PA-Zip lands: raw records with fixed64 offsets. Same
// interface; replaced by the PA-Zip wrapper at merge.
#include "table_factory/value_store.h"

#include "common/coding.h"
#include "common/cursor.h"

namespace sctable {

Status ValueStoreBuilder::Build(const std::vector<std::string_view>& records,
                                const ValueStoreOptions& options,
                                std::string* image) {
  image->clear();
  PutVarint64(image, records.size());
  uint64_t off = 0;
  for (auto r : records) {
    PutFixed64(image, off);
    off += r.size();
  }
  PutFixed64(image, off);
  for (auto r : records) image->append(r);
  return Status::OK();
}

struct ValueStore::Rep {
  uint64_t n = 0;
  const char* offsets = nullptr;
  const char* bytes = nullptr;
  uint64_t bytes_len = 0;
};

ValueStore::ValueStore() : rep_(new Rep) {}
ValueStore::~ValueStore() = default;

Status ValueStore::Open(std::string_view image) {
  ByteCursor c(image);
  SCTABLE_RETURN_IF_ERROR(c.ReadVarint64("values n", &rep_->n));
  if (rep_->n >= (uint64_t{1} << 56)) return ByteCursor::Bad("values n", "huge");
  std::string_view offs;
  SCTABLE_RETURN_IF_ERROR(c.ReadArray("values offsets", rep_->n + 1, 8, &offs));
  rep_->offsets = offs.data();
  rep_->bytes = c.current();
  rep_->bytes_len = c.remaining();
  if (DecodeFixed64(rep_->offsets + 8 * rep_->n) != rep_->bytes_len) {
    return ByteCursor::Bad("values bytes", "length mismatch");
  }
  return Status::OK();
}

Status ValueStore::Verify() const { return Status::OK(); }
uint64_t ValueStore::num_records() const { return rep_->n; }
size_t ValueStore::memory_usage() const { return sizeof(Rep); }

Status ValueStore::Get(uint64_t id, std::string* out) const {
  if (id >= rep_->n) return Status::Corruption("values: id out of range");
  const uint64_t a = DecodeFixed64(rep_->offsets + 8 * id);
  const uint64_t b = DecodeFixed64(rep_->offsets + 8 * (id + 1));
  if (a > b || b > rep_->bytes_len) return Status::Corruption("values: offsets");
  out->assign(rep_->bytes + a, b - a);
  return Status::OK();
}

}  // namespace sctable
