#include "auth/user_codes.h"

#include <gtest/gtest.h>

namespace pocketid::auth {
namespace {

TEST(UserCodesTest, UserCodesAreEPlusSevenUnambiguousCharacters) {
  for (int i = 0; i < 200; ++i) {
    std::string code = NewUserCode('E');
    ASSERT_EQ(code.size(), 8u) << code;
    EXPECT_EQ(code[0], 'E');
    EXPECT_EQ(code.find_first_not_of("ABCDEFGHJKMNPQRSTUVWXYZ0123456789"), std::string::npos) << code;
    EXPECT_EQ(NormalizeUserCode(code), code);
  }
  EXPECT_NE(NewUserCode('E'), NewUserCode('E'));
}

TEST(UserCodesTest, DeviceLoginCodesStartWithP) {
  std::string code = NewUserCode('P');
  ASSERT_EQ(code.size(), 8u);
  EXPECT_EQ(code[0], 'P');
}

TEST(UserCodesTest, TypedCodesAreTrimmedUpperCasedAndLookAlikesMapped) {
  EXPECT_EQ(NormalizeUserCode("  eabc1234 \n"), "EABC1234");
  EXPECT_EQ(NormalizeUserCode("EIOio000"), "E1010000");
  EXPECT_EQ(NormalizeUserCode(""), "");
}

}  // namespace
}  // namespace pocketid::auth
