#include "common/status.h"

#include <gtest/gtest.h>

namespace sctable {
namespace {

TEST(StatusTest, DefaultIsOk) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.ToString(), "OK");
}

TEST(StatusTest, CodesAreDistinguishable) {
  EXPECT_TRUE(Status::Corruption("x").IsCorruption());
  EXPECT_FALSE(Status::Corruption("x").ok());
  EXPECT_TRUE(Status::InvalidArgument("x").IsInvalidArgument());
  EXPECT_TRUE(Status::NotSupported("x").IsNotSupported());
  EXPECT_TRUE(Status::IOError("x").IsIOError());
  EXPECT_TRUE(Status::NotFound("x").IsNotFound());
  EXPECT_FALSE(Status::IOError("x").IsCorruption());
}

TEST(StatusTest, ToStringNamesCodeAndMessage) {
  EXPECT_EQ(Status::Corruption("bad label").ToString(),
            "Corruption: bad label");
  EXPECT_EQ(Status::InvalidArgument("nest_level").ToString(),
            "Invalid argument: nest_level");
}

TEST(StatusTest, WithContextPrefixesMessageAndKeepsCode) {
  Status s = Status::Corruption("truncated").WithContext("offsets");
  EXPECT_TRUE(s.IsCorruption());
  EXPECT_EQ(s.message(), "offsets: truncated");
  EXPECT_TRUE(Status::OK().WithContext("anything").ok());
}

Status FailsAtSecond(int* steps) {
  SCTABLE_RETURN_IF_ERROR(Status::OK());
  ++*steps;
  SCTABLE_RETURN_IF_ERROR(Status::IOError("disk"));
  ++*steps;
  return Status::OK();
}

TEST(StatusTest, ReturnIfErrorStopsAtFirstFailure) {
  int steps = 0;
  Status s = FailsAtSecond(&steps);
  EXPECT_TRUE(s.IsIOError());
  EXPECT_EQ(steps, 1);
}

}  // namespace
}  // namespace sctable
