#include "table_factory/version_data.h"

#include <algorithm>

#include "common/coding.h"
#include "common/cursor.h"
#include "table_factory/packed_ints.h"

namespace sctable {

namespace {
constexpr uint8_t kKindZeroPuts = 0;
constexpr uint8_t kKindSingle = 1;
constexpr uint8_t kKindMulti = 2;
constexpr uint8_t kTypeValue = 0x1;
// Types that may appear in a table's point entries (RocksDB 7.8 dbformat.h).
bool IsStorableType(uint8_t t) {
  return t == 0x0 || t == 0x1 || t == 0x2 || t == 0x7 || t == 0x11 ||
         t == 0x14 || t == 0x16;
}
}  // namespace

void VersionDataBuilder::Finish(std::string* out) const {
  const uint64_t n = starts_.size();
  const uint64_t e = packed_.size();
  const bool single = (e == n);
  bool zero_puts = single;
  uint64_t min_seq = UINT64_MAX, max_seq = 0;
  bool seen[256] = {};
  for (uint64_t p : packed_) {
    const uint64_t seq = p >> 8;
    const uint8_t type = static_cast<uint8_t>(p);
    if (seq != 0 || type != kTypeValue) zero_puts = false;
    min_seq = std::min(min_seq, seq);
    max_seq = std::max(max_seq, seq);
    seen[type] = true;
  }
  const uint8_t kind = zero_puts ? kKindZeroPuts
                       : single  ? kKindSingle
                                 : kKindMulti;
  out->push_back(static_cast<char>(kind));
  PutVarint64(out, n);
  PutVarint64(out, e);
  if (kind == kKindZeroPuts) return;

  if (e == 0) min_seq = max_seq = 0;
  uint8_t type_index[256] = {};
  std::string types;
  for (int t = 0; t < 256; ++t) {
    if (seen[t]) {
      type_index[t] = static_cast<uint8_t>(types.size());
      types.push_back(static_cast<char>(t));
    }
  }
  const int seq_bits = BitsFor(max_seq - min_seq);
  const int type_bits = types.size() <= 1 ? 0 : BitsFor(types.size() - 1);
  PutVarint64(out, min_seq);
  out->push_back(static_cast<char>(seq_bits));
  out->push_back(static_cast<char>(type_bits));
  out->push_back(static_cast<char>(types.size()));
  out->append(types);
  if (kind == kKindMulti) {
    std::vector<uint64_t> starts(starts_);
    starts.push_back(e);
    const int w = BitsFor(e);
    out->push_back(static_cast<char>(w));
    AppendPacked(starts, w, out);
  }
  std::vector<uint64_t> codes;
  codes.reserve(e);
  for (uint64_t p : packed_) {
    codes.push_back((((p >> 8) - min_seq) << type_bits) |
                    type_index[static_cast<uint8_t>(p)]);
  }
  AppendPacked(codes, seq_bits + type_bits, out);
}

Status VersionDataReader::Open(std::string_view image) {
  ByteCursor c(image);
  SCTABLE_RETURN_IF_ERROR(c.ReadU8("versions kind", &kind_));
  SCTABLE_RETURN_IF_ERROR(c.ReadVarint64("versions num_keys", &num_keys_));
  SCTABLE_RETURN_IF_ERROR(c.ReadVarint64("versions num_entries", &num_entries_));
  if (kind_ > kKindMulti) return ByteCursor::Bad("versions kind", "unknown");
  if (kind_ != kKindMulti && num_entries_ != num_keys_) {
    return ByteCursor::Bad("versions num_entries", "differs from num_keys");
  }
  if (num_entries_ < num_keys_) {
    return ByteCursor::Bad("versions num_entries", "fewer than keys");
  }
  if (kind_ == kKindZeroPuts) {
    if (!c.empty()) return ByteCursor::Bad("versions", "trailing bytes");
    return Status::OK();
  }
  uint8_t seq_bits, type_bits, num_types;
  SCTABLE_RETURN_IF_ERROR(c.ReadVarint64("versions min_seq", &min_seq_));
  SCTABLE_RETURN_IF_ERROR(c.ReadU8("versions seq_bits", &seq_bits));
  SCTABLE_RETURN_IF_ERROR(c.ReadU8("versions type_bits", &type_bits));
  SCTABLE_RETURN_IF_ERROR(c.ReadU8("versions num_types", &num_types));
  if (seq_bits > 56 || type_bits > 3 || seq_bits + type_bits > 64) {
    return ByteCursor::Bad("versions widths", "out of range");
  }
  if (num_types == 0 && num_entries_ > 0) {
    return ByteCursor::Bad("versions num_types", "zero");
  }
  if (num_types > (1u << type_bits)) {
    return ByteCursor::Bad("versions num_types", "exceeds type_bits");
  }
  if (min_seq_ >= (uint64_t{1} << 56)) {
    return ByteCursor::Bad("versions min_seq", "out of range");
  }
  std::string_view types;
  SCTABLE_RETURN_IF_ERROR(c.ReadBytes("versions types", num_types, &types));
  for (size_t i = 0; i < 256; ++i) types_[i] = 0xff;  // invalid marker
  for (size_t i = 0; i < types.size(); ++i) {
    const uint8_t t = static_cast<uint8_t>(types[i]);
    if (!IsStorableType(t)) return ByteCursor::Bad("versions types", "bad type");
    types_[i] = t;
  }
  seq_bits_ = seq_bits;
  type_bits_ = type_bits;
  uint64_t bytes = 0;
  if (kind_ == kKindMulti) {
    uint8_t w;
    SCTABLE_RETURN_IF_ERROR(c.ReadU8("versions start width", &w));
    if (w > 64) return ByteCursor::Bad("versions start width", "over 64");
    start_bits_ = w;
    if (!PackedBytes(num_keys_ + 1, w, &bytes)) {
      return ByteCursor::Bad("versions starts", "size overflows");
    }
    std::string_view starts;
    SCTABLE_RETURN_IF_ERROR(c.ReadBytes("versions starts", bytes, &starts));
    starts_ = starts.data();
    if (ReadPacked(starts_, num_keys_, start_bits_) != num_entries_) {
      return ByteCursor::Bad("versions starts", "last start is not num_entries");
    }
  }
  if (!PackedBytes(num_entries_, seq_bits_ + type_bits_, &bytes)) {
    return ByteCursor::Bad("versions entries", "size overflows");
  }
  std::string_view entries;
  SCTABLE_RETURN_IF_ERROR(c.ReadBytes("versions entries", bytes, &entries));
  entries_ = entries.data();
  if (!c.empty()) return ByteCursor::Bad("versions", "trailing bytes");
  return Status::OK();
}

Status VersionDataReader::EntryRange(uint64_t id, uint64_t* begin,
                                     uint64_t* end) const {
  if (kind_ != kKindMulti) {
    *begin = id;
    *end = id + 1;
    return Status::OK();
  }
  *begin = ReadPacked(starts_, id, start_bits_);
  *end = ReadPacked(starts_, id + 1, start_bits_);
  if (*begin >= *end || *end > num_entries_) {
    return Status::Corruption("versions starts: not increasing at key " +
                              std::to_string(id));
  }
  return Status::OK();
}

bool VersionDataReader::Entry(uint64_t e, uint64_t* seq, uint8_t* type) const {
  if (kind_ == kKindZeroPuts) {
    *seq = 0;
    *type = kTypeValue;
    return true;
  }
  const uint64_t code = ReadPacked(entries_, e, seq_bits_ + type_bits_);
  *seq = min_seq_ + (code >> type_bits_);
  // A type index past num_types reads the 0xff marker.
  *type = types_[code & ((1u << type_bits_) - 1)];
  return *type != 0xff && *seq < (uint64_t{1} << 56);
}

}  // namespace sctable
