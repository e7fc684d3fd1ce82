#include "common/checksum.h"

#include <xxhash.h>

namespace sctable {

uint64_t Checksum64(const void* data, size_t n) {
  return XXH3_64bits(data, n);
}

}  // namespace sctable
