#include "apis/resource_indicator.h"

#include <gtest/gtest.h>

namespace pocketid::apis {
namespace {

TEST(ResourceIndicator, AcceptsAbsoluteUrisWithoutFragment) {
  EXPECT_TRUE(IsValidResourceIndicator("https://api.orders.test"));
  EXPECT_TRUE(IsValidResourceIndicator("https://api.example.com/v1/?x=1"));
  EXPECT_TRUE(IsValidResourceIndicator("urn:example:orders"));
  EXPECT_TRUE(IsValidResourceIndicator("api://PocketID"));
}

TEST(ResourceIndicator, RefusesRelativeFragmentSpaceAndMalformed) {
  EXPECT_FALSE(IsValidResourceIndicator(""));
  EXPECT_FALSE(IsValidResourceIndicator("orders"));
  EXPECT_FALSE(IsValidResourceIndicator("/orders"));
  EXPECT_FALSE(IsValidResourceIndicator("//api.example.com"));
  EXPECT_FALSE(IsValidResourceIndicator("https://api.example.com/#x"));
  EXPECT_FALSE(IsValidResourceIndicator("https://api.example.com/a b"));
  EXPECT_FALSE(IsValidResourceIndicator("https://api.example.com/\xC2\xA0"));  // U+00A0
  EXPECT_FALSE(IsValidResourceIndicator("https://api.example.com/%zz"));
  EXPECT_FALSE(IsValidResourceIndicator("1https://api.example.com"));
  EXPECT_FALSE(IsValidResourceIndicator(":foo"));
  EXPECT_FALSE(IsValidResourceIndicator(std::string("https://x/\x01", 11)));
  EXPECT_FALSE(IsValidResourceIndicator("https://api.example.com:x/"));
  EXPECT_FALSE(IsValidResourceIndicator("http://[::1"));
  EXPECT_TRUE(IsValidResourceIndicator("http://[::1]:8080/v1"));
  EXPECT_TRUE(IsValidResourceIndicator("https://user@api.example.com:8443"));
}

TEST(ResourceIndicator, AdminRefusesActiveContentSchemes) {
  EXPECT_TRUE(IsAcceptableApiResource("https://api.example.com"));
  EXPECT_FALSE(IsAcceptableApiResource("javascript:alert(1)"));
  EXPECT_FALSE(IsAcceptableApiResource("DATA:text/html,x"));
}

TEST(ResourceIndicator, CanonicalFormDropsTrailingSlashes) {
  EXPECT_EQ(CanonicalResource("https://api.example.com//"), "https://api.example.com");
  EXPECT_EQ(CanonicalResource("https://api.example.com/v1"), "https://api.example.com/v1");
  EXPECT_EQ(CanonicalResource("///"), "");
}

TEST(ScopeToken, Rfc6749Characters) {
  EXPECT_TRUE(IsValidScopeToken("read:orders"));
  EXPECT_TRUE(IsValidScopeToken("!#[]~"));
  EXPECT_FALSE(IsValidScopeToken(""));
  EXPECT_FALSE(IsValidScopeToken("read orders"));
  EXPECT_FALSE(IsValidScopeToken("say\"hi\""));
  EXPECT_FALSE(IsValidScopeToken("back\\slash"));
  EXPECT_FALSE(IsValidScopeToken("caf\xC3\xA9"));
  EXPECT_FALSE(IsValidScopeToken("unit\x1fsep"));
}

TEST(PermissionKey, ReservedInAnyCase) {
  for (const char* k : {"openid", "Profile", "EMAIL", "email_verified", "groups", "offline_access"}) {
    EXPECT_TRUE(IsReservedPermissionKey(k)) << k;
  }
  EXPECT_FALSE(IsReservedPermissionKey("read:orders"));
  EXPECT_FALSE(IsReservedPermissionKey("emails"));
}

}  // namespace
}  // namespace pocketid::apis
