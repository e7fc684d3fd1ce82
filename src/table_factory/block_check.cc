#include "table_factory/block_check.h"

#include <string>
#include <vector>

#include "common/coding.h"
#include "common/cursor.h"

namespace sctable {

Status CheckRocksDBBlock(std::string_view block, std::string_view what) {
  const std::string field(what);
  if (block.size() < 4) return ByteCursor::Bad(field, "block too short");
  const uint32_t footer = DecodeFixed32(block.data() + block.size() - 4);
  if (footer & 0x80000000u) {
    return ByteCursor::Bad(field, "unexpected hash index in block footer");
  }
  const uint64_t num_restarts = footer;
  uint64_t trailer = 0;
  if (!CheckedMul(num_restarts + 1, 4, &trailer) || trailer > block.size() ||
      num_restarts == 0) {
    return ByteCursor::Bad(field, "bad restart count");
  }
  const uint64_t data_end = block.size() - trailer;
  const char* restarts = block.data() + data_end;
  uint64_t next_restart_index = 0;
  uint64_t next_restart = DecodeFixed32(restarts);
  if (next_restart != 0) return ByteCursor::Bad(field, "first restart not 0");
  std::string key, prev_key;
  ByteCursor c(block.data(), data_end);
  bool first = true;
  while (!c.empty()) {
    const uint64_t pos = c.position();
    const bool at_restart =
        next_restart_index < num_restarts && pos == next_restart;
    if (at_restart) {
      ++next_restart_index;
      next_restart = next_restart_index < num_restarts
                         ? DecodeFixed32(restarts + 4 * next_restart_index)
                         : UINT64_MAX;
      if (next_restart != UINT64_MAX && next_restart <= pos) {
        return ByteCursor::Bad(field, "restarts not increasing");
      }
    } else if (next_restart_index < num_restarts && pos > next_restart) {
      return ByteCursor::Bad(field, "restart point inside an entry");
    }
    uint32_t shared, non_shared, value_len;
    SCTABLE_RETURN_IF_ERROR(c.ReadVarint32(field, &shared));
    SCTABLE_RETURN_IF_ERROR(c.ReadVarint32(field, &non_shared));
    SCTABLE_RETURN_IF_ERROR(c.ReadVarint32(field, &value_len));
    if (shared > key.size() || (at_restart && shared != 0)) {
      return ByteCursor::Bad(field, "bad shared key length");
    }
    std::string_view delta, value;
    SCTABLE_RETURN_IF_ERROR(c.ReadBytes(field, non_shared, &delta));
    SCTABLE_RETURN_IF_ERROR(c.ReadBytes(field, value_len, &value));
    key.resize(shared);
    key.append(delta);
    if (!first && !(prev_key < key)) {
      return ByteCursor::Bad(field, "keys not increasing");
    }
    prev_key = key;
    first = false;
  }
  if (next_restart_index != num_restarts) {
    return ByteCursor::Bad(field, "restart points beyond the entries");
  }
  return Status::OK();
}

}  // namespace sctable
