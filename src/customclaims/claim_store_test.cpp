#include "customclaims/claim_store.h"

#include <gtest/gtest.h>

#include "core/crypto/random.h"
#include "core/db/db_test_util.h"
#include "core/db/migrate.h"

namespace pocketid::customclaims {
namespace {

using db::testing::StatusText;

TEST(ClaimRulesTest, ReservedKeys) {
  for (std::string_view k : {"given_name", "family_name", "name", "email", "email_verified", "preferred_username",
                             "display_name", "groups", "type", "sub", "iss", "aud", "exp", "iat", "auth_time", "nonce",
                             "acr", "amr", "azp", "client_id", "nbf", "jti"}) {
    EXPECT_TRUE(IsReservedKey(k)) << k;
  }
  for (std::string_view k : {"picture", "Email", "department", "", "groups "}) EXPECT_FALSE(IsReservedKey(k)) << k;
}

TEST(ClaimRulesTest, DuplicatesAreFoundBeforeReservedKeys) {
  std::vector<Claim> claims{{"email", "x"}, {"team", "a"}, {"team", "b"}};
  auto invalid = FindInvalidClaim(claims);
  ASSERT_TRUE(invalid);
  EXPECT_EQ(invalid->reason, InvalidClaim::Reason::kDuplicate);
  EXPECT_EQ(invalid->key, "team");
  EXPECT_EQ(Describe(*invalid), "Claim team is already defined");

  claims.pop_back();
  invalid = FindInvalidClaim(claims);
  ASSERT_TRUE(invalid);
  EXPECT_EQ(invalid->reason, InvalidClaim::Reason::kReserved);
  EXPECT_EQ(invalid->key, "email");
  EXPECT_EQ(Describe(*invalid), "Claim email is reserved and can't be used");

  EXPECT_FALSE(FindInvalidClaim(std::vector<Claim>{{"team", "a"}, {"Team", "b"}}));
  EXPECT_FALSE(FindInvalidClaim(std::vector<Claim>{}));
}

class ClaimStoreTest : public db::testing::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped()) return;
    PID_ASSERT_OK(db::Migrate(db(), false));
    user_ = crypto::NewUuidV4();
    PID_ASSERT_OK(db().Exec("INSERT INTO users (id, created_at, username, first_name, last_name, display_name, "
                            "is_admin, disabled, email_verified) VALUES ($1, $2, 'u', 'F', 'L', 'F L', $3, $3, $3)",
                            {user_, db::Now(), false}));
    group_ = crypto::NewUuidV4();
    PID_ASSERT_OK(db().Exec("INSERT INTO user_groups (id, created_at, friendly_name, name) VALUES ($1, $2, 'G', 'g')",
                            {group_, db::Now()}));
  }

  Status ReplaceUser(const std::vector<Claim>& claims) {
    return db().InTransaction([&](db::Connection& c) { return ReplaceForUserWith(c, user_, claims); });
  }

  std::vector<Claim> UserClaims() {
    auto lease = db().Acquire();
    EXPECT_TRUE(lease.ok());
    auto claims = ForUserWith(**lease, user_);
    EXPECT_TRUE(claims.ok()) << StatusText(claims);
    return claims.ok() ? *claims : std::vector<Claim>{};
  }

  std::string IdOf(std::string_view owner_column, std::string_view owner, std::string_view key) {
    auto rows = db().Query("SELECT id FROM custom_claims WHERE " + std::string(owner_column) + " = $1 AND key = $2",
                           {owner, key});
    EXPECT_TRUE(rows.ok());
    return rows.ok() && !rows->empty() ? (*rows)[0].Text(0) : "";
  }

  std::string user_;
  std::string group_;
};

TEST_P(ClaimStoreTest, ReplacesTheWholeSetKeepingRowsOfKeptKeys) {
  PID_ASSERT_OK(ReplaceUser({{"team", "blue"}, {"level", "3"}}));
  std::string team_id = IdOf("user_id", user_, "team");
  ASSERT_FALSE(team_id.empty());

  PID_ASSERT_OK(ReplaceUser({{"team", "red"}, {"floor", "2"}}));
  auto claims = UserClaims();
  ASSERT_EQ(claims.size(), 2u);
  EXPECT_EQ(claims[0].key, "floor");
  EXPECT_EQ(claims[0].value, "2");
  EXPECT_EQ(claims[1].key, "team");
  EXPECT_EQ(claims[1].value, "red");
  EXPECT_EQ(IdOf("user_id", user_, "team"), team_id);  // updated in place
  EXPECT_TRUE(IdOf("user_id", user_, "level").empty());

  PID_ASSERT_OK(ReplaceUser({}));
  EXPECT_TRUE(UserClaims().empty());
}

TEST_P(ClaimStoreTest, InvalidSetsWriteNothing) {
  PID_ASSERT_OK(ReplaceUser({{"team", "blue"}}));
  Status s = ReplaceUser({{"floor", "1"}, {"sub", "x"}});
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "Claim sub is reserved and can't be used");
  s = ReplaceUser({{"a", "1"}, {"a", "2"}});
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  auto claims = UserClaims();
  ASSERT_EQ(claims.size(), 1u);
  EXPECT_EQ(claims[0].key, "team");
}

TEST_P(ClaimStoreTest, UserAndGroupSetsAreSeparate) {
  PID_ASSERT_OK(ReplaceUser({{"team", "user"}}));
  PID_ASSERT_OK(db().InTransaction([&](db::Connection& c) {
    return ReplaceForGroupWith(c, group_, std::vector<Claim>{{"team", "group"}, {"org", "acme"}});
  }));
  auto lease = db().Acquire();
  ASSERT_TRUE(lease.ok());
  auto group_claims = ForGroupWith(**lease, group_);
  ASSERT_TRUE(group_claims.ok());
  ASSERT_EQ(group_claims->size(), 2u);
  EXPECT_EQ((*group_claims)[1].value, "group");
  auto user_claims = ForUserWith(**lease, user_);
  ASSERT_TRUE(user_claims.ok());
  ASSERT_EQ(user_claims->size(), 1u);
  EXPECT_EQ((*user_claims)[0].value, "user");

  EXPECT_TRUE(*UserExistsWith(**lease, user_));
  EXPECT_FALSE(*UserExistsWith(**lease, crypto::NewUuidV4()));
  EXPECT_FALSE(*UserExistsWith(**lease, "not-a-uuid"));
  EXPECT_TRUE(*GroupExistsWith(**lease, group_));
  EXPECT_FALSE(*GroupExistsWith(**lease, "not-a-uuid"));
  auto none = ForGroupWith(**lease, "not-a-uuid");
  ASSERT_TRUE(none.ok()) << StatusText(none);
  EXPECT_TRUE(none->empty());
}

TEST_P(ClaimStoreTest, SuggestionsAreOrderedByUse) {
  PID_ASSERT_OK(ReplaceUser({{"team", "user"}, {"zone", "1"}}));
  PID_ASSERT_OK(db().InTransaction([&](db::Connection& c) {
    return ReplaceForGroupWith(c, group_, std::vector<Claim>{{"team", "group"}, {"org", "acme"}});
  }));
  auto keys = Suggestions(db());
  ASSERT_TRUE(keys.ok()) << StatusText(keys);
  EXPECT_EQ(*keys, (std::vector<std::string>{"team", "org", "zone"}));
}

PID_INSTANTIATE_ENGINE_TEST_SUITE(ClaimStoreTest);

}  // namespace
}  // namespace pocketid::customclaims
