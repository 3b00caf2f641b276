#include "app/cleanup.h"

#include <gtest/gtest.h>

#include "core/db/db_test_util.h"
#include "core/db/migrate.h"
#include "onetimeaccess/login_codes.h"
#include "users/user.h"

namespace pocketid::app {
namespace {

class CleanupTest : public db::testing::EngineTest {};

TEST_P(CleanupTest, RemovesOnlyExpiredRows) {
  ASSERT_TRUE(db::Migrate(db(), false).ok());
  users::UserRepository users(db());
  auto user = users.Create({.username = "tim", .email = "tim@example.com", .first_name = "Tim", .last_name = "Cook",
                            .display_name = "Tim Cook"});
  ASSERT_TRUE(user.ok());
  onetimeaccess::LoginCodes codes(db());
  ASSERT_TRUE(codes.Create(user->id, std::chrono::minutes(15)).ok());
  int64_t now = db::Now().unix_seconds;
  ASSERT_TRUE(db().Exec("INSERT INTO login_codes (token_hash, user_id, expires_at, created_at) VALUES ('old', $1, $2, $2)",
                        {user->id, db::Timestamp{now - 10}})
                  .ok());
  ASSERT_TRUE(db().Exec("INSERT INTO audit_logs (id, created_at, event, user_agent, data, user_id) VALUES "
                        "('0b0c6f0e-6a39-4c53-9d1e-2f0f3f1e8a01', $1, 'SIGN_IN', '', $2, $3), "
                        "('0b0c6f0e-6a39-4c53-9d1e-2f0f3f1e8a02', $4, 'SIGN_IN', '', $2, $3)",
                        {db::Timestamp{now - 91 * 86400}, db::Json{"{}"}, user->id, db::Timestamp{now - 89 * 86400}})
                  .ok());
  auto removed = RunCleanup(db(), 90);
  ASSERT_TRUE(removed.ok()) << removed.status().message();
  EXPECT_EQ(*removed, 2);
  EXPECT_EQ((*db().Query("SELECT COUNT(*) FROM login_codes", {}))[0].Int(0), 1);
  EXPECT_EQ((*db().Query("SELECT COUNT(*) FROM audit_logs", {}))[0].Int(0), 1);
}

PID_INSTANTIATE_ENGINE_TEST_SUITE(CleanupTest);

}  // namespace
}  // namespace pocketid::app
