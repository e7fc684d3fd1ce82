// libFuzzer target: the PA-Zip store reader on arbitrary bytes.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "pazip/pazip_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::unique_ptr<sctable::pazip::PazipReader> reader;
  if (!sctable::pazip::PazipReader::Open(reinterpret_cast<const char*>(data),
                                         size, &reader)
           .ok()) {
    return 0;
  }
  (void)reader->VerifyChecksums();
  std::string value;
  char buf[256];
  const uint64_t n = reader->num_records();
  for (uint64_t i = 0; i < n && i < 64; ++i) {
    (void)reader->Get(i, &value);
    size_t len = 0;
    (void)reader->Get(i, buf, sizeof buf, &len);
    uint64_t l = 0;
    (void)reader->GetLength(i, &l);
    // A keyed store's records may copy from their key: any key bytes.
    const std::string_view key(reinterpret_cast<const char*>(data),
                               size < i % 48 ? size : i % 48);
    (void)reader->Get(i, key, &value);
    (void)reader->Get(i, key, buf, sizeof buf, &len);
  }
  (void)reader->Get(n, &value);  // out of range must be an error
  std::vector<uint64_t> ends;
  (void)reader->GetRun(0, n < 16 ? n : 16, &value, &ends);
  return 0;
}
