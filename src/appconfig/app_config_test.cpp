#include "appconfig/app_config.h"

#include <gtest/gtest.h>

namespace pocketid::appconfig {
namespace {

TEST(SettingsTest, StoredValuesWinOverDefaultsUnlessEmpty) {
  Settings s({{"appName", "Acme ID"}, {"sessionDuration", ""}, {"emailsVerified", "1"}, {"smtpPort", "x"}});
  EXPECT_EQ(s.Get("appName"), "Acme ID");
  EXPECT_EQ(s.Get("sessionDuration"), "60");  // empty means default, as in Pocket ID
  EXPECT_EQ(s.GetInt("sessionDuration", 0), 60);
  EXPECT_EQ(s.GetInt("smtpPort", 25), 25);
  EXPECT_TRUE(s.GetBool("emailsVerified"));
  EXPECT_TRUE(s.GetBool("requireUserEmail"));  // default "true"
  EXPECT_EQ(s.Get("webauthnUserVerification"), "required");
  EXPECT_EQ(s.Get("noSuchKey"), "");
}

}  // namespace
}  // namespace pocketid::appconfig
