// ABI guard: the objects RocksDB internals share with sctable must have the
// layout librocksdb.so was built with. The probe writes a table through
// WritableFileWriter, PropertyBlockBuilder, MetaIndexBuilder and
// FooterBuilder (format_version 1, foreign magic) and reads it back with
// ReadTableProperties. Built with -DNDEBUG on the internal target
// (cmake -DSCTABLE_ROCKSDB_ABI_FLAGS="-DNDEBUG -DSCTABLE_ABI_EXPERIMENT")
// this test fails or crashes; see docs/design.md "The ABI bridge".
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "table_factory/abi_probe.h"

namespace sctable {
namespace {

std::string ProbePath(const char* name) {
  return std::string(SCTABLE_TEST_TMPDIR) + "/" + name + "." +
         std::to_string(::getpid()) + ".sst";
}

TEST(AbiGuardTest, PropertiesRoundTripThroughRocksDBInternals) {
  const std::string path = ProbePath("abi_probe");
  ASSERT_TRUE(WriteAbiProbeTable(path, 12345, "guard").ok());
  AbiProbeResult r;
  Status s = ReadAbiProbeTable(path, &r);
  std::remove(path.c_str());
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(r.num_entries, 12345u);
  EXPECT_EQ(r.raw_key_size, 7u * 12345u);
  EXPECT_EQ(r.raw_value_size, 11u * 12345u);
  EXPECT_EQ(r.data_size, 22u);  // "sctable abi probe data"
  EXPECT_EQ(r.format_version, 1u);
  EXPECT_EQ(r.column_family_name, "default");
  EXPECT_EQ(r.comparator_name, "leveldb.BytewiseComparator");
  ASSERT_EQ(r.user_properties.count("sctable.probe"), 1u);
  EXPECT_EQ(r.user_properties.at("sctable.probe"), "guard");
  EXPECT_EQ(r.meta_blocks,
            (std::vector<std::string>{"rocksdb.properties", kAbiProbeDataBlock}));
  EXPECT_EQ(r.data_section, "sctable abi probe data");
}

TEST(AbiGuardTest, ManyRoundTripsStayConsistent) {
  // Repetition makes heap damage from a layout mismatch surface as a crash
  // or a wrong value rather than pass by luck.
  for (int i = 0; i < 200; ++i) {
    const std::string path = ProbePath("abi_probe_many");
    const std::string note(static_cast<size_t>(i) * 13, char('a' + i % 26));
    ASSERT_TRUE(WriteAbiProbeTable(path, i, note).ok());
    AbiProbeResult r;
    Status s = ReadAbiProbeTable(path, &r);
    std::remove(path.c_str());
    ASSERT_TRUE(s.ok()) << s.ToString();
    ASSERT_EQ(r.num_entries, static_cast<uint64_t>(i));
    ASSERT_EQ(r.user_properties["sctable.probe"], note);
    ASSERT_EQ(r.data_section, "sctable abi probe data");
  }
}

TEST(AbiGuardTest, ForeignFileIsRejectedNotMisread) {
  const std::string path = ProbePath("abi_probe_bad");
  FILE* f = std::fopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  const std::string junk(300, 'z');
  std::fwrite(junk.data(), 1, junk.size(), f);
  std::fclose(f);
  AbiProbeResult r;
  Status s = ReadAbiProbeTable(path, &r);
  std::remove(path.c_str());
  EXPECT_FALSE(s.ok());
}

}  // namespace
}  // namespace sctable
