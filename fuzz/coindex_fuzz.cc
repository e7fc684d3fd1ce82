// libFuzzer target: the CO-Index image reader on arbitrary bytes. Open, then
// exercise every read path; ASan/UBSan report any out-of-bounds read, and
// libFuzzer any hang (the reader must bound every loop).
#include <cstddef>
#include <cstdint>
#include <string>

#include "coindex/co_index.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  sctable::coindex::CoIndex index;
  if (!index.Open(reinterpret_cast<const char*>(data), size).ok()) return 0;
  (void)index.Verify();
  const std::string probe(reinterpret_cast<const char*>(data),
                          size < 24 ? size : 24);
  uint64_t id = 0;
  (void)index.Find(probe, &id);
  (void)index.Find("", &id);
  std::string key;
  for (uint64_t i = 0; i < index.num_keys() && i < 16; ++i) {
    (void)index.Key(i, &key);
  }
  uint64_t begin = 0, end = 0;
  index.PrefixRange(probe.substr(0, 2), &begin, &end);
  sctable::coindex::CoIndexCursor c(&index);
  int steps = 0;
  for (c.SeekToFirst(); c.Valid() && steps < 512; c.Next()) ++steps;
  steps = 0;
  for (c.SeekToLast(); c.Valid() && steps < 512; c.Prev()) ++steps;
  c.Seek(probe);
  if (c.Valid()) c.Next();
  c.SeekForPrev(probe);
  if (c.Valid()) c.Prev();
  if (index.num_keys() > 0) c.SeekToId(index.num_keys() / 2);
  return 0;
}
