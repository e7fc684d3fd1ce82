#include "table_factory/meta_section.h"

#include "common/checksum.h"
#include "common/coding.h"
#include "common/cursor.h"
#include "table_factory/table_format.h"

namespace sctable {

void MetaSection::EncodeTo(std::string* out) const {
  const size_t begin = out->size();
  PutVarint32(out, kSearchableTableFormatVersion);
  out->push_back(static_cast<char>(checksum_level));
  PutVarint64(out, sections.size());
  for (const Section& s : sections) {
    PutVarint64(out, s.name.size());
    out->append(s.name);
    PutVarint64(out, s.offset);
    PutVarint64(out, s.size);
    PutFixed64(out, s.checksum);
  }
  PutFixed64(out, Checksum64(out->data() + begin, out->size() - begin));
}

Status MetaSection::DecodeFrom(std::string_view in) {
  if (in.size() < 8) return Status::Corruption("sctable.meta: truncated");
  const uint64_t stored = DecodeFixed64(in.data() + in.size() - 8);
  if (Checksum64(in.data(), in.size() - 8) != stored) {
    return Status::Corruption("sctable.meta: checksum mismatch");
  }
  ByteCursor c(in.data(), in.size() - 8);
  SCTABLE_RETURN_IF_ERROR(c.ReadVarint32("sctable.meta version", &version));
  if (version > kSearchableTableFormatVersion || version == 0) {
    return Status::NotSupported("sctable.meta: layout version " +
                                std::to_string(version) + " (this build reads 1 to " +
                                std::to_string(kSearchableTableFormatVersion) + ")");
  }
  SCTABLE_RETURN_IF_ERROR(c.ReadU8("sctable.meta checksum_level", &checksum_level));
  uint64_t count = 0;
  SCTABLE_RETURN_IF_ERROR(c.ReadVarint64("sctable.meta count", &count));
  if (count > 64) return ByteCursor::Bad("sctable.meta count", "too many sections");
  sections.clear();
  for (uint64_t i = 0; i < count; ++i) {
    Section s;
    std::string_view name;
    SCTABLE_RETURN_IF_ERROR(c.ReadLengthPrefixed("sctable.meta name", &name));
    s.name.assign(name);
    SCTABLE_RETURN_IF_ERROR(c.ReadVarint64("sctable.meta offset", &s.offset));
    SCTABLE_RETURN_IF_ERROR(c.ReadVarint64("sctable.meta size", &s.size));
    SCTABLE_RETURN_IF_ERROR(c.ReadFixed64("sctable.meta checksum", &s.checksum));
    sections.push_back(std::move(s));
  }
  if (!c.empty()) return ByteCursor::Bad("sctable.meta", "trailing bytes");
  return Status::OK();
}

const MetaSection::Section* MetaSection::Find(std::string_view name) const {
  for (const Section& s : sections) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

}  // namespace sctable
