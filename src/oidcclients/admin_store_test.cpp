#include "oidcclients/admin_store.h"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "core/crypto/random.h"
#include "core/db/db_test_util.h"
#include "core/db/migrate.h"
#include "oidcclients/client_dto.h"
#include "users/user.h"

namespace pocketid::oidcclients {
namespace {

using db::testing::StatusText;

class AdminStoreTest : public db::testing::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped()) return;
    PID_ASSERT_OK(db::Migrate(db(), false));
    store_.emplace(db());
    clients_.emplace(db());
  }

  std::string AddUser(std::string_view username) {
    std::string id = crypto::NewUuidV4();
    auto r = db().Exec("INSERT INTO users (id, created_at, username, first_name, last_name, display_name, is_admin, "
                       "disabled, email_verified) VALUES ($1, $2, $3, 'F', 'L', 'F L', $4, $4, $4)",
                       {id, db::Now(), username, false});
    EXPECT_TRUE(r.ok()) << StatusText(r);
    return id;
  }

  std::string AddGroup(std::string_view name, const std::vector<std::string>& members = {}) {
    std::string id = crypto::NewUuidV4();
    auto r = db().Exec("INSERT INTO user_groups (id, created_at, friendly_name, name) VALUES ($1, $2, $3, $3)",
                       {id, db::Now(), name});
    EXPECT_TRUE(r.ok()) << StatusText(r);
    for (const auto& m : members) {
      auto r2 = db().Exec("INSERT INTO user_groups_users (user_id, user_group_id) VALUES ($1, $2)", {m, id});
      EXPECT_TRUE(r2.ok()) << StatusText(r2);
    }
    return id;
  }

  Client MustCreate(ClientInput in) {
    auto c = store_->Create(in, std::nullopt);
    EXPECT_TRUE(c.ok()) << StatusText(c);
    return c.ok() ? *c : Client{};
  }

  static ClientInput Named(std::string name, std::optional<std::string> id = std::nullopt) {
    ClientInput in;
    in.name = std::move(name);
    in.id = std::move(id);
    return in;
  }

  void AddConsent(std::string_view user, std::string_view client, int64_t last_used, std::string scope = "[\"openid\"]") {
    auto r = db().Exec("INSERT INTO user_authorized_oidc_clients (scope, user_id, client_id, last_used_at) "
                       "VALUES ($1, $2, $3, $4)",
                       {db::Json{std::move(scope)}, user, client, db::Timestamp{last_used}});
    EXPECT_TRUE(r.ok()) << StatusText(r);
  }

  void AddSession(std::string_view kind, std::string_view client, std::string_view subject, std::string request_id) {
    std::string data = R"({"id":")" + request_id + R"(","client_id":")" + std::string(client) +
                       R"(","session":{"subject":")" + std::string(subject) + R"("}})";
    auto r = db().Exec("INSERT INTO oauth2_sessions (id, created_at, kind, key, request_id, client_id, active, "
                       "request_data) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                       {crypto::NewUuidV4(), db::Now(), kind, crypto::NewUuidV4(), request_id, client, true,
                        db::Json{data}});
    EXPECT_TRUE(r.ok()) << StatusText(r);
  }

  int64_t CountSessions(std::string_view kind, bool active) {
    auto rows = db().Query("SELECT COUNT(*) FROM oauth2_sessions WHERE kind = $1 AND active = $2", {kind, active});
    EXPECT_TRUE(rows.ok());
    return rows.ok() ? (*rows)[0].Int(0) : -1;
  }

  static http::ListRequest Query(std::string q) {
    http::Request req;
    req.query = std::move(q);
    return http::ParseListRequest(req);
  }

  std::optional<AdminStore> store_;
  std::optional<ClientStore> clients_;
};

TEST_P(AdminStoreTest, CreatesClientsAsPocketIdDoes) {
  std::string admin = AddUser("admin");
  ClientInput in = Named("Nextcloud", "nextcloud");
  in.description = "Files";
  in.callback_urls = {"https://cloud.example.com/callback", "https://*.example.com/cb"};
  in.logout_callback_urls = {"https://cloud.example.com/logout"};
  in.is_public = true;  // forces PKCE
  in.launch_url = "https://cloud.example.com";
  in.federated_identities = {{"https://idp.example.com", "", "", "", true}};
  auto created = store_->Create(in, admin);
  ASSERT_TRUE(created.ok()) << StatusText(created);
  EXPECT_EQ(created->id, "nextcloud");
  EXPECT_EQ(created->name, "Nextcloud");
  EXPECT_EQ(created->description, "Files");
  EXPECT_EQ(created->callback_urls, in.callback_urls);
  EXPECT_EQ(created->logout_callback_urls, in.logout_callback_urls);
  EXPECT_TRUE(created->is_public);
  EXPECT_TRUE(created->pkce_enabled);
  EXPECT_EQ(created->launch_url, "https://cloud.example.com");
  EXPECT_EQ(created->client_type, "standard");
  EXPECT_EQ(created->access_token_duration_minutes, 60);
  EXPECT_EQ(created->refresh_token_duration_minutes, 43200);
  EXPECT_EQ(created->created_by_id, admin);
  ASSERT_EQ(created->credentials.federated_identities.size(), 1u);
  EXPECT_TRUE(created->credentials.federated_identities[0].replay_protection);
  EXPECT_TRUE(created->credentials.secrets.empty());  // no secret is made on create

  auto generated = store_->Create(Named("Other"), std::nullopt);
  ASSERT_TRUE(generated.ok());
  EXPECT_TRUE(users::LooksLikeUuid(generated->id)) << generated->id;
  EXPECT_FALSE(generated->created_by_id.has_value());

  auto dup = store_->Create(Named("Again", "nextcloud"), std::nullopt);
  EXPECT_EQ(dup.status().code(), StatusCode::kAlreadyExists);
}

TEST_P(AdminStoreTest, UpdatesRegistrationAndLocalFields) {
  ClientInput in = Named("App", "app");
  in.pkce_enabled = true;
  in.is_group_restricted = true;
  MustCreate(in);
  PID_ASSERT_OK(db().Exec("UPDATE oidc_clients SET pkce_supported = $1 WHERE id = 'app'", {true}));
  ClientSecret secret{"s1", "sha256", HashSecret("secret-value-1234"), "secr", db::Now(), std::nullopt};
  ASSERT_EQ(*store_->AddSecret("app", secret), SecretOutcome::kAdded);
  std::string g = AddGroup("devs");
  ASSERT_TRUE(*store_->SetAllowedGroups("app", {g}));

  ClientInput up = Named("Renamed");
  up.callback_urls = {"https://app.example.com/cb"};
  up.pkce_enabled = false;
  up.is_group_restricted = true;
  up.access_token_duration_minutes = 5;
  up.federated_identities = {{"https://issuer.example.com", "sub", "aud", "https://issuer.example.com/jwks", false}};
  auto updated = store_->Update("app", up);
  ASSERT_TRUE(updated.ok()) << StatusText(updated);
  ASSERT_TRUE(updated->has_value());
  const Client& c = **updated;
  EXPECT_EQ(c.name, "Renamed");
  EXPECT_EQ(c.callback_urls, up.callback_urls);
  EXPECT_FALSE(c.pkce_enabled);
  EXPECT_FALSE(c.pkce_supported);  // the PKCE hint is reset when PKCE stays off
  EXPECT_EQ(c.access_token_duration_minutes, 5);
  EXPECT_EQ(c.refresh_token_duration_minutes, 43200);
  ASSERT_EQ(c.credentials.secrets.size(), 1u);  // secrets survive an update
  EXPECT_EQ(c.credentials.secrets[0].id, "s1");
  ASSERT_EQ(c.credentials.federated_identities.size(), 1u);
  EXPECT_EQ(c.credentials.federated_identities[0].jwks, "https://issuer.example.com/jwks");
  EXPECT_EQ(store_->AllowedGroups("app")->size(), 1u);

  up.is_group_restricted = false;  // lifting the restriction forgets the groups
  ASSERT_TRUE(store_->Update("app", up).ok());
  EXPECT_TRUE(store_->AllowedGroups("app")->empty());

  auto missing = store_->Update("nope", up);
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
}

TEST_P(AdminStoreTest, MetadataDocumentClientsKeepTheirRegistration) {
  MustCreate(Named("Doc", "cimd-x"));
  PID_ASSERT_OK(db().Exec("UPDATE oidc_clients SET client_type = 'cimd', callback_urls = $1 WHERE id = 'cimd-x'",
                          {db::Json{"[\"https://doc.example.com/cb\"]"}}));
  ClientInput up = Named("Hacked");
  up.description = "local note";
  up.callback_urls = {"https://evil.example.com"};
  up.skip_consent = true;
  auto updated = store_->Update("cimd-x", up);
  ASSERT_TRUE(updated.ok() && updated->has_value()) << StatusText(updated);
  EXPECT_EQ((*updated)->name, "Doc");
  EXPECT_EQ((*updated)->callback_urls, std::vector<std::string>{"https://doc.example.com/cb"});
  EXPECT_EQ((*updated)->description, "local note");
  EXPECT_TRUE((*updated)->skip_consent);
}

TEST_P(AdminStoreTest, DeletesClients) {
  MustCreate(Named("Gone", "gone"));
  PID_ASSERT_OK(db().Exec("UPDATE oidc_clients SET image_type = 'png' WHERE id = 'gone'"));
  auto deleted = store_->Delete("gone");
  ASSERT_TRUE(deleted.ok() && deleted->has_value());
  EXPECT_EQ((*deleted)->image_type, "png");
  EXPECT_FALSE(clients_->FindById("gone")->has_value());
  auto again = store_->Delete("gone");
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->has_value());
}

TEST_P(AdminStoreTest, ListsWithSearchSortFiltersAndPages) {
  for (const char* name : {"Charlie", "alpha", "Bravo", "Alpine"}) MustCreate(Named(name));
  ClientInput pkce = Named("Delta");
  pkce.pkce_enabled = true;
  std::string delta = MustCreate(pkce).id;
  std::string g1 = AddGroup("g1"), g2 = AddGroup("g2");
  ASSERT_TRUE(*store_->SetAllowedGroups(delta, {g1, g2}));

  auto all = store_->List("", Query("sort[column]=name&sort[direction]=desc"));
  ASSERT_TRUE(all.ok()) << StatusText(all);
  std::vector<std::string> names;
  for (const auto& i : all->items) names.push_back(i.client.name);
  EXPECT_EQ(names, (std::vector<std::string>{"alpha", "Delta", "Charlie", "Bravo", "Alpine"}));
  EXPECT_EQ(all->page.total_items, 5);

  auto search = store_->List("lp", Query(""));
  ASSERT_TRUE(search.ok());
  EXPECT_EQ(search->page.total_items, 2);  // "alpha", "Alpine"

  auto filtered = store_->List("", Query("filters[pkceEnabled]=true"));
  ASSERT_TRUE(filtered.ok()) << StatusText(filtered);
  ASSERT_EQ(filtered->items.size(), 1u);
  EXPECT_EQ(filtered->items[0].client.id, delta);
  EXPECT_EQ(filtered->items[0].allowed_user_groups_count, 2);

  auto by_count = store_->List("", Query("sort[column]=allowedUserGroupsCount&sort[direction]=desc"));
  ASSERT_TRUE(by_count.ok()) << StatusText(by_count);
  EXPECT_EQ(by_count->items[0].client.id, delta);

  auto page = store_->List("", Query("sort[column]=name&pagination[limit]=2&pagination[page]=9"));
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->page.current_page, 3);
  EXPECT_EQ(page->page.total_pages, 3);
  ASSERT_EQ(page->items.size(), 1u);
}

TEST_P(AdminStoreTest, SecretsAreCappedAndRefusedForPublicClients) {
  MustCreate(Named("Conf", "conf"));
  ClientInput pub = Named("Pub", "pub");
  pub.is_public = true;
  MustCreate(pub);
  ClientSecret s{"id-0", "sha256", HashSecret("x"), "", db::Now(), std::nullopt};
  EXPECT_EQ(*store_->AddSecret("pub", s), SecretOutcome::kPublicClient);
  EXPECT_EQ(*store_->AddSecret("none", s), SecretOutcome::kClientNotFound);
  for (size_t i = 0; i < kMaxSecrets; ++i) {
    s.id = "id-" + std::to_string(i);
    ASSERT_EQ(*store_->AddSecret("conf", s), SecretOutcome::kAdded);
  }
  s.id = "one-too-many";
  EXPECT_EQ(*store_->AddSecret("conf", s), SecretOutcome::kTooManySecrets);
  EXPECT_EQ((*clients_->FindById("conf"))->credentials.secrets.size(), kMaxSecrets);

  EXPECT_EQ(*store_->DeleteSecret("conf", "id-3"), std::optional<bool>(true));
  EXPECT_EQ(*store_->DeleteSecret("conf", "id-3"), std::optional<bool>(false));
  EXPECT_EQ(*store_->DeleteSecret("none", "id-3"), std::nullopt);
  auto left = (*clients_->FindById("conf"))->credentials.secrets;
  EXPECT_EQ(left.size(), kMaxSecrets - 1);
  // A secret that was added authenticates the client.
  EXPECT_TRUE(SecretMatches(**clients_->FindById("conf"), "x", db::Now()));
}

TEST_P(AdminStoreTest, AllowedGroupsSkipUnknownIds) {
  MustCreate(Named("App", "app"));
  std::string u1 = AddUser("u1"), u2 = AddUser("u2");
  std::string g = AddGroup("Team", {u1, u2});
  PID_ASSERT_OK(db().Exec("INSERT INTO custom_claims (id, created_at, key, value, user_group_id) VALUES ($1, $2, "
                          "'dept', 'it', $3)",
                          {crypto::NewUuidV4(), db::Now(), g}));
  auto set = store_->SetAllowedGroups("app", {g, g, crypto::NewUuidV4(), "not-a-uuid"});
  ASSERT_TRUE(set.ok()) << StatusText(set);
  EXPECT_TRUE(*set);
  auto groups = store_->AllowedGroups("app");
  ASSERT_TRUE(groups.ok());
  ASSERT_EQ(groups->size(), 1u);
  EXPECT_EQ((*groups)[0].id, g);
  EXPECT_EQ((*groups)[0].user_count, 2);
  ASSERT_EQ((*groups)[0].custom_claims.size(), 1u);
  EXPECT_EQ((*groups)[0].custom_claims[0].first, "dept");
  EXPECT_FALSE(*store_->SetAllowedGroups("missing", {g}));
  ASSERT_TRUE(*store_->SetAllowedGroups("app", {}));
  EXPECT_TRUE(store_->AllowedGroups("app")->empty());
}

TEST_P(AdminStoreTest, LogoTypesReturnThePreviousValue) {
  MustCreate(Named("App", "app"));
  auto first = store_->SetLogoType("app", true, "png");
  ASSERT_TRUE(first.ok() && first->has_value());
  EXPECT_FALSE(first->value().has_value());
  auto second = store_->SetLogoType("app", true, "svg");
  EXPECT_EQ(second->value(), std::optional<std::string>("png"));
  ASSERT_TRUE(store_->SetLogoType("app", false, "webp").ok());
  auto c = *clients_->FindById("app");
  EXPECT_EQ(c->image_type, "svg");
  EXPECT_EQ(c->dark_image_type, "webp");
  auto cleared = store_->SetLogoType("app", false, std::nullopt);
  EXPECT_EQ(cleared->value(), "webp");
  EXPECT_FALSE((*clients_->FindById("app"))->dark_image_type.has_value());
  EXPECT_FALSE(store_->SetLogoType("missing", true, "png")->has_value());
}

TEST_P(AdminStoreTest, ConsentsListAndRevokeWithTokens) {
  std::string alice = AddUser("alice"), bob = AddUser("bob");
  ClientInput launch = Named("Launchable", "launch");
  launch.launch_url = "https://launch.example.com";
  MustCreate(launch);
  MustCreate(Named("Plain", "plain"));
  AddConsent(alice, "launch", 1000, R"(["openid","profile"])");
  AddConsent(alice, "plain", 2000);
  AddConsent(bob, "plain", 3000);
  AddSession("refresh_token", "plain", alice, "r1");
  AddSession("access_token", "plain", alice, "r1");
  AddSession("refresh_token", "plain", bob, "r2");
  AddSession("access_token", "plain", bob, "r2");

  auto list = store_->ListAuthorized(alice, Query("sort[column]=lastUsedAt&sort[direction]=desc"));
  ASSERT_TRUE(list.ok()) << StatusText(list);
  ASSERT_EQ(list->items.size(), 2u);
  EXPECT_EQ(list->items[0].client.id, "plain");
  EXPECT_EQ(list->items[1].scope, (std::vector<std::string>{"openid", "profile"}));
  EXPECT_EQ(list->items[1].last_used_at.unix_seconds, 1000);
  EXPECT_NE(boost::json::serialize(AuthorizedClientDto(list->items[1])).find(R"("scope":"openid profile")"),
            std::string::npos);

  auto launchable = store_->ListAuthorized(alice, Query("filters[hasLaunchURL]=true"));
  ASSERT_EQ(launchable->items.size(), 1u);
  EXPECT_EQ(launchable->items[0].client.id, "launch");
  EXPECT_EQ(store_->ListAuthorized(alice, Query("filters[hasLaunchURL]=false"))->items[0].client.id, "plain");

  auto revoked = store_->RevokeAuthorized(alice, "plain");
  ASSERT_TRUE(revoked.ok()) << StatusText(revoked);
  EXPECT_TRUE(*revoked);
  EXPECT_FALSE(*store_->RevokeAuthorized(alice, "plain"));
  EXPECT_EQ(store_->ListAuthorized(alice, Query(""))->page.total_items, 1);
  // Alice's tokens for the client are gone; Bob's are untouched.
  EXPECT_EQ(CountSessions("refresh_token", false), 1);
  EXPECT_EQ(CountSessions("refresh_token", true), 1);
  EXPECT_EQ(CountSessions("access_token", true), 1);
}

TEST_P(AdminStoreTest, AccessibleClientsFollowGroupRestrictions) {
  std::string alice = AddUser("alice");
  std::string team = AddGroup("team", {alice});
  std::string other = AddGroup("other");
  MustCreate(Named("Open", "open"));
  ClientInput restricted = Named("Team app", "team-app");
  restricted.is_group_restricted = true;
  restricted.launch_url = "https://team.example.com";
  MustCreate(restricted);
  restricted.id = "other-app";
  restricted.name = "Other app";
  MustCreate(restricted);
  ASSERT_TRUE(*store_->SetAllowedGroups("team-app", {team}));
  ASSERT_TRUE(*store_->SetAllowedGroups("other-app", {other}));
  AddConsent(alice, "team-app", 5000);

  auto list = store_->ListAccessible(alice, Query("sort[column]=lastUsedAt&sort[direction]=asc"));
  ASSERT_TRUE(list.ok()) << StatusText(list);
  ASSERT_EQ(list->items.size(), 2u);
  EXPECT_EQ(list->items[0].client.id, "team-app");  // used ones first, never-used last
  EXPECT_EQ(list->items[0].last_used_at->unix_seconds, 5000);
  EXPECT_EQ(list->items[1].client.id, "open");
  EXPECT_FALSE(list->items[1].last_used_at.has_value());

  auto launchable = store_->ListAccessible(alice, Query("filters[hasLaunchURL]=true"));
  ASSERT_EQ(launchable->items.size(), 1u);
  EXPECT_EQ(launchable->items[0].client.id, "team-app");
  auto by_name = store_->ListAccessible(alice, Query("sort[column]=name&sort[direction]=desc"));
  EXPECT_EQ(by_name->items[0].client.id, "team-app");
}

PID_INSTANTIATE_ENGINE_TEST_SUITE(AdminStoreTest);

}  // namespace
}  // namespace pocketid::oidcclients
