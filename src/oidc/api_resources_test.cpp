#include "oidc/api_resources.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "apis/api_store.h"
#include "core/db/db_test_util.h"
#include "core/db/migrate.h"

namespace pocketid::oidc {
namespace {

using db::testing::StatusText;

TEST(ConsentKeysForGrant, QualifiesApiScopesAndTheAudience) {
  EXPECT_EQ(ConsentKeysForGrant("client-1", "", {"openid", "email"}), (std::vector<std::string>{"openid", "email"}));
  EXPECT_EQ(ConsentKeysForGrant("https://api.test", "https://api.test", {"openid", "read"}),
            (std::vector<std::string>{"openid", "https://api.test\x1fread", "https://api.test\x1f"}));
}

TEST(RefreshResource, AtMostOneApiAudience) {
  auto plain = RefreshResource({"client-1", "http://issuer"}, "client-1", "http://issuer");
  EXPECT_EQ(std::get<std::string>(plain), "");
  auto api = RefreshResource({"https://api.test", "http://issuer"}, "client-1", "http://issuer");
  EXPECT_EQ(std::get<std::string>(api), "https://api.test");
  auto two = RefreshResource({"https://a.test", "https://b.test"}, "client-1", "http://issuer");
  ASSERT_TRUE(std::holds_alternative<OAuthError>(two));
  EXPECT_EQ(std::get<OAuthError>(two).error, "invalid_target");
}

TEST(ResourceParameter, OnlyOne) {
  Form form;
  EXPECT_EQ(std::get<std::string>(ResourceParameter(form)), "");
  form.Add("resource", "https://a.test");
  EXPECT_EQ(std::get<std::string>(ResourceParameter(form)), "https://a.test");
  form.Add("resource", "https://b.test");
  EXPECT_EQ(std::get<OAuthError>(ResourceParameter(form)).hint, "Only a single 'resource' parameter is supported.");
}

class ResolveResourceTest : public db::testing::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped()) return;
    PID_ASSERT_OK(db::Migrate(db(), false));
    client_.id = "immich";
    auto r = db().Exec("INSERT INTO oidc_clients (id, created_at, name, callback_urls) VALUES ($1, $2, 'Immich', $3)",
                       {client_.id, db::Now(), db::Json{"[]"}});
    ASSERT_TRUE(r.ok()) << StatusText(r);
    apis::ApiStore store(db());
    auto created = store.Create("Orders", "https://api.orders.test");
    ASSERT_TRUE(created.ok()) << StatusText(created);
    const std::string api_id = std::get<apis::Api>(*created).id;
    auto replaced =
        store.ReplacePermissions(api_id, {{"read:orders", "Read orders", "See them"}, {"write:orders", "Write", {}}});
    ASSERT_TRUE(replaced.ok()) << StatusText(replaced);
    const auto& permissions = std::get<apis::Api>(*replaced).permissions;
    auto id_of = [&](std::string_view key) {
      for (const auto& p : permissions) {
        if (p.key == key) return p.id;
      }
      return std::string();
    };
    // read:orders on behalf of users, write:orders as the client itself.
    auto granted =
        store.SetClientGrant(api_id, client_.id, {false, false, {id_of("read:orders")}, {id_of("write:orders")}});
    ASSERT_TRUE(granted.ok()) << StatusText(granted);
  }

  std::variant<ResourceGrant, OAuthError> Resolve(std::string_view resource, std::vector<std::string> scopes,
                                                  apis::SubjectType subject = apis::SubjectType::kUser) {
    auto out = ResolveResource(db(), client_, resource, scopes, subject);
    EXPECT_TRUE(out.ok()) << StatusText(out);
    return out.ok() ? *out : std::variant<ResourceGrant, OAuthError>(errors::ServerError());
  }

  static std::string Hint(const std::variant<ResourceGrant, OAuthError>& r) {
    const auto* e = std::get_if<OAuthError>(&r);
    return e ? e->error + ": " + e->hint : "granted";
  }

  oidcclients::Client client_;
};

TEST_P(ResolveResourceTest, RequestableScopesDropWhatTheClientDoesNotHold) {
  auto scopes = RequestableScopes(db(), client_, {"openid", "read:orders", "unknown", "write:orders", "openid"});
  ASSERT_TRUE(scopes.ok()) << StatusText(scopes);
  EXPECT_EQ(*scopes, (std::vector<std::string>{"openid", "read:orders", "write:orders"}));
}

TEST_P(ResolveResourceTest, WithoutResourceOnlyStandardScopes) {
  auto plain = Resolve("", {"openid", "email"});
  ASSERT_TRUE(std::holds_alternative<ResourceGrant>(plain)) << Hint(plain);
  EXPECT_EQ(std::get<ResourceGrant>(plain).audience, "immich");
  EXPECT_EQ(Hint(Resolve("", {"openid", "read:orders"})),
            "invalid_scope: The scope 'read:orders' is not available for the requested resource.");
}

TEST_P(ResolveResourceTest, ResourceGrantsHeldPermissionsPerSubject) {
  auto user = Resolve("https://api.orders.test/", {"openid", "read:orders", "read:orders"});
  ASSERT_TRUE(std::holds_alternative<ResourceGrant>(user)) << Hint(user);
  EXPECT_EQ(std::get<ResourceGrant>(user).audience, "https://api.orders.test");
  EXPECT_EQ(std::get<ResourceGrant>(user).resource, "https://api.orders.test");
  EXPECT_EQ(std::get<ResourceGrant>(user).scopes, (std::vector<std::string>{"openid", "read:orders"}));
  EXPECT_EQ(Hint(Resolve("https://api.orders.test", {"write:orders"})),
            "invalid_scope: The scope 'write:orders' is not available for the requested resource.");

  // client_credentials without scopes: everything the client holds for the API as itself.
  auto machine = Resolve("https://api.orders.test", {}, apis::SubjectType::kClient);
  ASSERT_TRUE(std::holds_alternative<ResourceGrant>(machine)) << Hint(machine);
  EXPECT_EQ(std::get<ResourceGrant>(machine).scopes, std::vector<std::string>{"write:orders"});
}

TEST_P(ResolveResourceTest, UnknownMalformedAndUnreachableResources) {
  EXPECT_EQ(
      Hint(Resolve("https://nowhere.test", {})),
      "invalid_target: The requested resource 'https://nowhere.test' is invalid, missing, unknown, or malformed.");
  EXPECT_EQ(Hint(Resolve("not a uri", {})),
            "invalid_target: The requested resource 'not a uri' is invalid, missing, unknown, or malformed.");
  auto r = db().Exec("DELETE FROM oidc_clients_allowed_apis WHERE subject_type = 'client'");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Hint(Resolve("https://api.orders.test", {}, apis::SubjectType::kClient)),
            "access_denied: The OAuth 2.0 Client is not allowed to access resource 'https://api.orders.test'.");
}

TEST_P(ResolveResourceTest, ScopeInfoNamesTheApiScopes) {
  auto info = ScopeInfo(db(), "https://api.orders.test", {"openid", "read:orders", "nope"});
  ASSERT_TRUE(info.ok()) << StatusText(info);
  EXPECT_EQ(boost::json::serialize(*info), R"([{"key":"read:orders","name":"Read orders","description":"See them"}])");
  auto none = ScopeInfo(db(), "", {"read:orders"});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

PID_INSTANTIATE_ENGINE_TEST_SUITE(ResolveResourceTest);

}  // namespace
}  // namespace pocketid::oidc
