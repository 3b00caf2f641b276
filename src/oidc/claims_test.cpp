#include "oidc/claims.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "core/db/db_test_util.h"
#include "core/db/migrate.h"
#include "oidc/consent.h"
#include "oidcclients/client.h"

namespace pocketid::oidc {
namespace {

class ClaimsTest : public db::testing::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped()) return;
    ASSERT_TRUE(db::Migrate(db(), false).ok());
    users::UserRepository users(db());
    auto u = users.Create({.username = "tim", .email = "tim@example.com", .first_name = "Tim", .last_name = "Cook",
                          .display_name = "Timmy", .email_verified = true});
    ASSERT_TRUE(u.ok());
    user_ = *u;
  }
  void AddGroup(std::string_view id, std::string_view name) {
    ASSERT_TRUE(db().Exec("INSERT INTO user_groups (id, created_at, friendly_name, name) VALUES ($1, $2, $3, $4)",
                          {id, db::Now(), std::string(name) + " friendly", name})
                    .ok());
    ASSERT_TRUE(db().Exec("INSERT INTO user_groups_users (user_id, user_group_id) VALUES ($1, $2)", {user_.id, id}).ok());
  }
  void AddClaim(std::string_view id, std::string_view key, std::string_view value, std::optional<std::string> user,
                std::optional<std::string> group) {
    ASSERT_TRUE(db().Exec("INSERT INTO custom_claims (id, created_at, key, value, user_id, user_group_id) "
                          "VALUES ($1, $2, $3, $4, $5, $6)",
                          {id, db::Now(), key, value, user, group})
                    .ok());
  }
  users::User user_;
};

TEST_P(ClaimsTest, OpenidOnlyGivesTheSubject) {
  ClaimsBuilder claims(db(), "http://localhost:1411");
  auto c = claims.UserClaims(user_, {"openid"});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(boost::json::serialize(*c), "{\"sub\":\"" + user_.id + "\"}");
}

TEST_P(ClaimsTest, ProfileEmailAndGroups) {
  AddGroup("11111111-1111-4111-8111-111111111111", "admins");
  AddGroup("22222222-2222-4222-8222-222222222222", "developers");
  AddClaim("a1111111-1111-4111-8111-111111111111", "department", "engineering", user_.id, std::nullopt);
  AddClaim("a2222222-2222-4222-8222-222222222222", "department", "sales", std::nullopt,
           "11111111-1111-4111-8111-111111111111");
  AddClaim("a3333333-3333-4333-8333-333333333333", "level", "42", std::nullopt, "22222222-2222-4222-8222-222222222222");
  AddClaim("a4444444-4444-4444-8444-444444444444", "roles", "[\"a\",\"b\"]", user_.id, std::nullopt);
  AddClaim("a5555555-5555-4555-8555-555555555555", "given_name", "Overridden", user_.id, std::nullopt);
  ClaimsBuilder claims(db(), "http://localhost:1411");
  auto c = claims.UserClaims(user_, {"openid", "profile", "email", "groups"});
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->at("department"), "engineering");  // the user's own claim wins over the group's
  EXPECT_EQ(c->at("level"), 42);                    // JSON-typed
  EXPECT_EQ(c->at("roles"), (boost::json::array{"a", "b"}));
  EXPECT_EQ(c->at("given_name"), "Tim");  // standard claims overwrite custom ones
  EXPECT_EQ(c->at("family_name"), "Cook");
  EXPECT_EQ(c->at("name"), "Tim Cook");
  EXPECT_EQ(c->at("display_name"), "Timmy");
  EXPECT_EQ(c->at("preferred_username"), "tim");
  EXPECT_EQ(c->at("picture"), boost::json::value("http://localhost:1411/api/users/" + user_.id + "/profile-picture.png"));
  EXPECT_EQ(c->at("email"), "tim@example.com");
  EXPECT_EQ(c->at("email_verified"), true);
  EXPECT_EQ(c->at("groups"), (boost::json::array{"admins", "developers"}));
}

TEST_P(ClaimsTest, CustomClaimsOnlyWithProfileAndNoEmailWithoutOne) {
  AddClaim("a1111111-1111-4111-8111-111111111111", "department", "engineering", user_.id, std::nullopt);
  ASSERT_TRUE(db().Exec("UPDATE users SET email = NULL WHERE id = $1", {user_.id}).ok());
  users::UserRepository users(db());
  auto reloaded = users.FindById(user_.id);
  ASSERT_TRUE(reloaded.ok() && *reloaded);
  ClaimsBuilder claims(db(), "http://localhost:1411");
  auto c = claims.UserClaims(**reloaded, {"openid", "email", "groups"});
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE(c->contains("department"));
  EXPECT_FALSE(c->contains("email"));
  EXPECT_FALSE(c->contains("email_verified"));
  EXPECT_EQ(c->at("groups"), boost::json::array{});
}

TEST(FullName, FallsBackToDisplayNameThenUsername) {
  users::User u;
  u.username = "tim";
  u.first_name = " Tim";
  EXPECT_EQ(FullName(u), "Tim");
  u.first_name = "";
  u.display_name = "Timmy";
  EXPECT_EQ(FullName(u), "Timmy");
  u.display_name = "";
  EXPECT_EQ(FullName(u), "tim");
}

TEST(CustomClaimValue, JsonOrString) {
  EXPECT_EQ(CustomClaimValue("true"), true);
  EXPECT_EQ(CustomClaimValue("\"quoted\""), "quoted");
  EXPECT_EQ(CustomClaimValue("hello"), "hello");
  EXPECT_EQ(CustomClaimValue("null"), nullptr);
}

class ConsentTest : public db::testing::EngineTest {};

TEST_P(ConsentTest, RecordsMergesAndReportsPriorAuthorization) {
  ASSERT_TRUE(db::Migrate(db(), false).ok());
  users::UserRepository users(db());
  auto u = users.Create({.username = "tim", .email = "tim@example.com", .first_name = "Tim", .last_name = "Cook",
                          .display_name = "Timmy", .email_verified = true});
  ASSERT_TRUE(u.ok());
  ASSERT_TRUE(db().Exec("INSERT INTO oidc_clients (id, created_at, name) VALUES ('c1', $1, 'App')", {db::Now()}).ok());
  ConsentStore consents(db());
  EXPECT_FALSE(*consents.AlreadyAuthorized(u->id, "c1", {"openid"}));
  EXPECT_FALSE(*consents.Record(u->id, "c1", {"openid", "profile"}));
  EXPECT_TRUE(*consents.AlreadyAuthorized(u->id, "c1", {"profile", "openid"}));
  EXPECT_FALSE(*consents.AlreadyAuthorized(u->id, "c1", {"openid", "email"}));
  EXPECT_FALSE(*consents.Record(u->id, "c1", {"email"}));
  EXPECT_TRUE(*consents.Record(u->id, "c1", {"openid"}));
  auto rows = db().Query("SELECT scope FROM user_authorized_oidc_clients", {});
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(oidcclients::ParseStringList((*rows)[0].Text(0)), (std::vector<std::string>{"openid", "profile", "email"}));
}

PID_INSTANTIATE_ENGINE_TEST_SUITE(ClaimsTest);
PID_INSTANTIATE_ENGINE_TEST_SUITE(ConsentTest);

}  // namespace
}  // namespace pocketid::oidc
