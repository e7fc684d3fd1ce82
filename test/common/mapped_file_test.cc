#include "common/mapped_file.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include "common/checksum.h"

namespace sctable {
namespace {

std::string TmpPath(const std::string& name) {
  return std::string(SCTABLE_TEST_TMPDIR) + "/" + name + "." +
         std::to_string(::getpid());
}

TEST(MappedFileTest, WriteAtomicallyThenMapReadsSameBytes) {
  const std::string path = TmpPath("mapped");
  std::string contents(100000, '\0');
  for (size_t i = 0; i < contents.size(); ++i) contents[i] = char(i * 31);
  ASSERT_TRUE(WriteFileAtomically(path, contents).ok());
  std::unique_ptr<MappedFile> f;
  ASSERT_TRUE(MappedFile::Open(path, &f).ok());
  EXPECT_EQ(f->view(), contents);
  ::unlink(path.c_str());
}

TEST(MappedFileTest, EmptyFileMapsToEmptyView) {
  const std::string path = TmpPath("empty");
  ASSERT_TRUE(WriteFileAtomically(path, "").ok());
  std::unique_ptr<MappedFile> f;
  ASSERT_TRUE(MappedFile::Open(path, &f).ok());
  EXPECT_EQ(f->size(), 0u);
  ::unlink(path.c_str());
}

TEST(MappedFileTest, MissingFileIsIOErrorNamingPath) {
  std::unique_ptr<MappedFile> f;
  Status s = MappedFile::Open("/nonexistent/sctable/file", &f);
  EXPECT_TRUE(s.IsIOError());
  EXPECT_NE(s.message().find("/nonexistent/sctable/file"), std::string::npos);
}

TEST(MappedFileTest, FailedAtomicWriteLeavesNothing) {
  Status s = WriteFileAtomically("/nonexistent-dir/x", "data");
  EXPECT_TRUE(s.IsIOError());
}

TEST(ChecksumTest, DetectsSingleBitFlips) {
  std::string data(4096, 'a');
  const uint64_t base = Checksum64(data);
  EXPECT_EQ(base, Checksum64(std::string(4096, 'a')));
  for (size_t i = 0; i < data.size(); i += 97) {
    std::string d = data;
    d[i] ^= 1;
    EXPECT_NE(Checksum64(d), base) << i;
    EXPECT_NE(Checksum32(d), static_cast<uint32_t>(base)) << i;
  }
}

}  // namespace
}  // namespace sctable
