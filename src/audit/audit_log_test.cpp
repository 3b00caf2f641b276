#include "audit/audit_log.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "core/db/db_test_util.h"
#include "core/db/migrate.h"

namespace pocketid::audit {
namespace {

using db::testing::StatusText;

std::string CityTestDatabase() {
  std::filesystem::path dir;
  if (const char* env = std::getenv("PID_FIXTURES_DIR"); env && *env) {
    dir = env;
  } else if (const char* src = std::getenv("PID_SOURCE_DIR"); src && *src) {
    dir = std::filesystem::path(src) / ".." / "shared" / "fixtures";
  }
  return (dir / "geoip" / "GeoLite2-City-Test.mmdb").string();
}

class AuditLogTest : public db::testing::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped()) return;
    PID_ASSERT_OK(db::Migrate(db(), false));
    user_id_ = "4f9c1a57-6a47-4d55-9f55-3f0b8e7a1c01";
    PID_ASSERT_OK(db().Exec("INSERT INTO users (id, created_at, username, first_name, last_name, display_name, "
                            "is_admin, disabled, email_verified) VALUES ($1, $2, 'tim', 'T', 'C', 'T C', $3, $3, $3)",
                            {user_id_, db::Now(), false}));
  }

  std::vector<std::string> Row(std::string_view event) {
    auto rows = db().Query("SELECT country, city, ip_address, user_agent, data FROM audit_logs WHERE event = $1",
                           {event});
    EXPECT_TRUE(rows.ok()) << StatusText(rows);
    if (!rows.ok() || rows->size() != 1) return {};
    const auto r = (*rows)[0];
    return {r.Text(0), r.Text(1), r.OptionalText(2).value_or("<null>"), r.Text(3), r.Text(4)};
  }

  std::string user_id_;
};

TEST_P(AuditLogTest, WriteFillsTheLocationFromTheLocator) {
  geoip::Locator locator({.db_path = CityTestDatabase()});
  ASSERT_TRUE(locator.HasDatabase()) << CityTestDatabase();
  AuditLog log(db(), &locator);
  log.Write({"SIGN_IN", user_id_, "81.2.69.142", "curl/8", {}});
  log.Write({"TOKEN_SIGN_IN", user_id_, "10.1.2.3", "curl/8", {}});
  log.Write({"PASSKEY_ADDED", user_id_, "100.64.0.7", "curl/8", {{"passkeyName", "Key"}}});
  log.Write({"REMOTE_SIGN_IN", user_id_, "", "", {}});
  EXPECT_EQ(Row("SIGN_IN"), (std::vector<std::string>{"United Kingdom", "London", "81.2.69.142", "curl/8", "{}"}));
  EXPECT_EQ(Row("TOKEN_SIGN_IN"), (std::vector<std::string>{"Internal Network", "LAN", "10.1.2.3", "curl/8", "{}"}));
  auto added = Row("PASSKEY_ADDED");
  ASSERT_EQ(added.size(), 5u);
  EXPECT_EQ(added[0], "Internal Network");
  EXPECT_EQ(added[1], "Tailscale");
  EXPECT_NE(added[4].find("\"passkeyName\""), std::string::npos);
  EXPECT_EQ(Row("REMOTE_SIGN_IN"), (std::vector<std::string>{"", "", "<null>", "", "{}"}));
}

TEST_P(AuditLogTest, WithoutALocatorOnlyInternalLabels) {
  AuditLog log(db());
  log.Write({"SIGN_IN", user_id_, "81.2.69.142", "ua", {}});
  log.Write({"TOKEN_SIGN_IN", user_id_, "127.0.0.1", "ua", {}});
  EXPECT_EQ(Row("SIGN_IN")[0], "");
  EXPECT_EQ(Row("TOKEN_SIGN_IN")[0], "Internal Network");
  EXPECT_EQ(Row("TOKEN_SIGN_IN")[1], "LAN");
}

TEST_P(AuditLogTest, WriteWithInATransactionUsesTheGivenLocation) {
  geoip::Locator locator({.db_path = CityTestDatabase()});
  AuditLog log(db(), &locator);
  Location where = log.Locate("89.160.20.112");
  EXPECT_EQ(where, (Location{"Sweden", "Linköping"}));
  PID_ASSERT_OK(db().InTransaction([&](db::Connection& conn) {
    return AuditLog::WriteWith(conn, {"CLIENT_AUTHORIZATION", user_id_, "89.160.20.112", "ua", {{"clientName", "Nextcloud"}}},
                               where);
  }));
  auto row = Row("CLIENT_AUTHORIZATION");
  ASSERT_EQ(row.size(), 5u);
  EXPECT_EQ(row[0], "Sweden");
  EXPECT_EQ(row[1], "Linköping");
}

PID_INSTANTIATE_ENGINE_TEST_SUITE(AuditLogTest);

}  // namespace
}  // namespace pocketid::audit
