#include "oidc/grant_store.h"

#include <gtest/gtest.h>

#include "core/db/db_test_util.h"
#include "core/db/migrate.h"

namespace pocketid::oidc {
namespace {

using db::testing::StatusText;

class GrantStoreTest : public db::testing::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped()) return;
    PID_ASSERT_OK(db::Migrate(db(), false));
    PID_ASSERT_OK(db().Exec("INSERT INTO oidc_clients (id, created_at, name) VALUES ('c1', $1, 'App')", {db::Now()}));
  }

  static StoredRequest Family(std::string id) {
    StoredRequest r;
    r.id = std::move(id);
    r.client_id = "c1";
    r.granted_scope = {"openid"};
    r.session.subject = "user-1";
    return r;
  }

  // The family's access-token keys, sorted.
  std::vector<std::string> AccessTokenKeys(std::string_view request_id) {
    auto rows = db().Query("SELECT key FROM oauth2_sessions WHERE kind = $1 AND request_id = $2 ORDER BY key",
                           {kKindAccessToken, request_id});
    EXPECT_TRUE(rows.ok()) << StatusText(rows);
    std::vector<std::string> keys;
    if (rows.ok()) {
      for (size_t i = 0; i < rows->size(); ++i) keys.push_back((*rows)[i].Text(0));
    }
    return keys;
  }

  Status Replace(std::string_view key, const StoredRequest& r, int64_t expires_at) {
    auto lease = db().Acquire();
    if (!lease.ok()) return lease.status();
    return grants::ReplaceAccessToken(**lease, key, r, expires_at);
  }

  Status Insert(std::string_view key, const StoredRequest& r) {
    auto lease = db().Acquire();
    if (!lease.ok()) return lease.status();
    return grants::Insert(**lease, kKindAccessToken, key, r, db::Now().unix_seconds + 60);
  }

  StatusOr<std::optional<GrantRow>> Find(std::string_view key) {
    PID_ASSIGN_OR_RETURN(auto lease, db().Acquire());
    return grants::Find(*lease, kKindAccessToken, key);
  }
};

TEST_P(GrantStoreTest, ReplaceAccessTokenRewritesTheFamilysTokenAndLeavesOthersAlone) {
  StoredRequest mine = Family("family-1");
  StoredRequest other = Family("family-2");
  PID_ASSERT_OK(Insert("old", mine));
  PID_ASSERT_OK(Insert("theirs", other));
  // Deactivated by another implementation: the rewritten row is active again.
  PID_ASSERT_OK(db().Exec("UPDATE oauth2_sessions SET active = $1 WHERE key = 'old'", {false}));

  StoredRequest refreshed = mine;
  refreshed.session.id_token_jti.clear();
  refreshed.granted_scope = {"openid", "email"};
  const int64_t expires = db::Now().unix_seconds + 3600;
  PID_ASSERT_OK(Replace("new", refreshed, expires));

  EXPECT_EQ(AccessTokenKeys("family-1"), std::vector<std::string>{"new"});
  EXPECT_EQ(AccessTokenKeys("family-2"), std::vector<std::string>{"theirs"});
  auto old_row = Find("old");
  ASSERT_TRUE(old_row.ok()) << StatusText(old_row);
  EXPECT_FALSE(old_row->has_value());
  auto new_row = Find("new");
  ASSERT_TRUE(new_row.ok()) << StatusText(new_row);
  ASSERT_TRUE(new_row->has_value());
  EXPECT_TRUE((*new_row)->active);
  EXPECT_EQ((*new_row)->expires_at, expires);
  EXPECT_EQ((*new_row)->request.granted_scope, (std::vector<std::string>{"openid", "email"}));
}

TEST_P(GrantStoreTest, ReplaceAccessTokenInsertsWhenTheFamilyHasNoneAndDropsExtras) {
  StoredRequest mine = Family("family-1");
  // Revoked or expired and cleaned up: nothing to rewrite, the new token is added.
  PID_ASSERT_OK(Replace("first", mine, db::Now().unix_seconds + 60));
  EXPECT_EQ(AccessTokenKeys("family-1"), std::vector<std::string>{"first"});

  // Several rows for one family (written by another implementation): one remains, the new one.
  PID_ASSERT_OK(Insert("second", mine));
  PID_ASSERT_OK(Insert("third", mine));
  PID_ASSERT_OK(Replace("fourth", mine, db::Now().unix_seconds + 60));
  EXPECT_EQ(AccessTokenKeys("family-1"), std::vector<std::string>{"fourth"});
}

PID_INSTANTIATE_ENGINE_TEST_SUITE(GrantStoreTest);

}  // namespace
}  // namespace pocketid::oidc
