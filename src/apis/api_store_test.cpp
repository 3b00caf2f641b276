#include "apis/api_store.h"

#include <gtest/gtest.h>

#include "apis/api_access.h"
#include "core/db/db_test_util.h"
#include "core/db/migrate.h"

namespace pocketid::apis {
namespace {

using db::testing::StatusText;

class ApiStoreTest : public db::testing::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped()) return;
    PID_ASSERT_OK(db::Migrate(db(), false));
    store_.emplace(db());
  }

  void AddClient(std::string_view id, std::string_view name, bool is_public = false,
                 std::string_view type = "standard") {
    auto r = db().Exec(
        "INSERT INTO oidc_clients (id, created_at, name, callback_urls, is_public, client_type) "
        "VALUES ($1, $2, $3, $4, $5, $6)",
        {id, db::Now(), name, db::Json{"[]"}, is_public, type});
    ASSERT_TRUE(r.ok()) << StatusText(r);
  }

  Api MustCreate(const std::string& name, const std::string& audience,
                 const std::vector<PermissionInput>& permissions = {}) {
    auto out = store_->Create(name, audience);
    EXPECT_TRUE(out.ok()) << StatusText(out);
    if (!out.ok() || !std::holds_alternative<Api>(*out)) return {};
    if (permissions.empty()) return std::get<Api>(*out);
    return Value(store_->ReplacePermissions(std::get<Api>(*out).id, permissions));
  }

  template <typename T>
  static T Value(StatusOr<Outcome<T>> out) {
    EXPECT_TRUE(out.ok()) << StatusText(out);
    if (!out.ok() || !std::holds_alternative<T>(*out)) {
      ADD_FAILURE() << "refused";
      return {};
    }
    return std::get<T>(std::move(*out));
  }

  static std::string IdOf(const Api& api, std::string_view key) {
    for (const auto& p : api.permissions) {
      if (p.key == key) return p.id;
    }
    return "";
  }

  AudienceAccess Access(std::string_view client, std::string_view audience, SubjectType subject) {
    auto lease = db().Acquire();
    EXPECT_TRUE(lease.ok());
    auto out = AccessForAudience(**lease, client, audience, subject);
    EXPECT_TRUE(out.ok()) << StatusText(out);
    return out.ok() ? *out : AudienceAccess{};
  }

  std::optional<ApiStore> store_;
};

TEST_P(ApiStoreTest, CreateRefusesADuplicateAudience) {
  Api api = MustCreate("Orders API", "https://api.orders.test");
  EXPECT_EQ(api.audience, "https://api.orders.test");
  EXPECT_FALSE(api.allow_cimd_clients);
  auto again = store_->Create("Other", "https://api.orders.test");
  ASSERT_TRUE(again.ok()) << StatusText(again);
  ASSERT_TRUE(std::holds_alternative<Refusal>(*again));
  EXPECT_EQ(std::get<Refusal>(*again), Refusal::kResourceTaken);
}

TEST_P(ApiStoreTest, UnknownIdsAreNotFoundOnBothEngines) {
  auto got = store_->Get("not-a-uuid");
  ASSERT_TRUE(got.ok()) << StatusText(got);
  EXPECT_FALSE(*got);
  auto renamed = store_->Rename("00000000-0000-4000-8000-000000000000", "x");
  ASSERT_TRUE(renamed.ok()) << StatusText(renamed);
  EXPECT_EQ(std::get<Refusal>(*renamed), Refusal::kApiNotFound);
}

TEST_P(ApiStoreTest, ReplacingPermissionsKeepsKeptKeysAndTheirGrants) {
  AddClient("immich", "Immich");
  Api api = MustCreate("Orders", "https://api.orders.test",
                       {{"read:orders", "Read", "Lists"}, {"write:orders", "Write", {}}});
  ASSERT_EQ(api.permissions.size(), 2u);
  const std::string read_id = IdOf(api, "read:orders");
  const std::string write_id = IdOf(api, "write:orders");
  Value(store_->SetClientGrant(api.id, "immich", {false, false, {read_id}, {write_id}}));

  Api replaced = Value(
      store_->ReplacePermissions(api.id, {{"read:orders", "Read orders", "All of them"}, {"admin", "Admin", {}}}));
  EXPECT_EQ(IdOf(replaced, "read:orders"), read_id);
  EXPECT_EQ(IdOf(replaced, "write:orders"), "");
  EXPECT_TRUE(replaced.updated_at.has_value());

  auto user = Access("immich", api.audience, SubjectType::kUser);
  EXPECT_TRUE(user.has_access);
  EXPECT_EQ(user.scopes, std::vector<std::string>{"read:orders"});
  // The client held write:orders only as itself: with it gone, so is its client access.
  auto client = Access("immich", api.audience, SubjectType::kClient);
  EXPECT_TRUE(client.api_exists);
  EXPECT_FALSE(client.has_access);
  EXPECT_TRUE(client.scopes.empty());
}

TEST_P(ApiStoreTest, ClientGrantIsNormalised) {
  AddClient("spa", "Public SPA", /*is_public=*/true);
  Api api = MustCreate("Orders", "https://api.orders.test", {{"read:orders", "Read", {}}});
  Api other = MustCreate("Other", "https://other.test", {{"x", "X", {}}});
  const std::string read_id = IdOf(api, "read:orders");
  ClientGrant applied =
      Value(store_->SetClientGrant(api.id, "spa", {false, true, {read_id, IdOf(other, "x")}, {read_id}}));
  EXPECT_TRUE(applied.user_delegated_access);  // implied by the permission
  EXPECT_FALSE(applied.client_access);         // public clients never act as themselves
  EXPECT_EQ(applied.user_delegated_permission_ids, std::vector<std::string>{read_id});  // the foreign id is dropped
  EXPECT_TRUE(applied.client_permission_ids.empty());

  auto unknown = store_->SetClientGrant(api.id, "nobody", {});
  ASSERT_TRUE(unknown.ok());
  EXPECT_EQ(std::get<Refusal>(*unknown), Refusal::kClientNotFound);
}

TEST_P(ApiStoreTest, ListsFromBothSides) {
  AddClient("immich", "Immich");
  AddClient("nextcloud", "Nextcloud");
  Api api = MustCreate("Orders", "https://api.orders.test", {{"read:orders", "Read", {}}});
  Api billing = MustCreate("Billing", "https://billing.test");
  Value(store_->SetClientGrant(api.id, "immich", {true, false, {}, {}}));

  auto clients = Value(store_->ListClients(api.id, "", {}));
  ASSERT_EQ(clients.items.size(), 1u);
  EXPECT_EQ(clients.items[0].client.id, "immich");
  EXPECT_TRUE(clients.items[0].grant.user_delegated_access);
  EXPECT_TRUE(clients.items[0].grant.user_delegated_permission_ids.empty());

  auto assignable = Value(store_->ListAssignableClients(api.id, "", {}));
  ASSERT_EQ(assignable.items.size(), 1u);
  EXPECT_EQ(assignable.items[0].id, "nextcloud");

  auto apis = Value(store_->ListClientApis("immich"));
  ASSERT_EQ(apis.size(), 1u);
  EXPECT_EQ(apis[0].api.id, api.id);
  auto assignable_apis = Value(store_->ListAssignableApis("immich", "", {}));
  ASSERT_EQ(assignable_apis.items.size(), 1u);
  EXPECT_EQ(assignable_apis.items[0].id, billing.id);

  auto searched = store_->List("orders", {});
  ASSERT_TRUE(searched.ok());
  ASSERT_EQ(searched->items.size(), 1u);
  EXPECT_EQ(searched->items[0].permissions.size(), 1u);
  EXPECT_EQ(searched->page.total_items, 1);

  PID_ASSERT_OK(store_->RemoveClientGrant(api.id, "immich").status());
  EXPECT_TRUE(Value(store_->ListClientApis("immich")).empty());
}

TEST_P(ApiStoreTest, CimdOptInReachesOnlyCimdClientsAndOnlyForUsers) {
  AddClient("https://app.example/cimd.json", "CIMD app", /*is_public=*/true, "cimd");
  AddClient("regular", "Regular");
  Api api =
      MustCreate("Orders", "https://api.orders.test", {{"read:orders", "Read", {}}, {"write:orders", "Write", {}}});
  Api opened =
      Value(store_->SetCimdAccess(api.id, true, {IdOf(api, "read:orders"), "00000000-0000-4000-8000-000000000000"}));
  EXPECT_TRUE(opened.allow_cimd_clients);

  auto cimd = Access("https://app.example/cimd.json", api.audience, SubjectType::kUser);
  EXPECT_TRUE(cimd.has_access);
  EXPECT_EQ(cimd.scopes, std::vector<std::string>{"read:orders"});
  EXPECT_FALSE(Access("https://app.example/cimd.json", api.audience, SubjectType::kClient).has_access);
  EXPECT_FALSE(Access("regular", api.audience, SubjectType::kUser).has_access);

  auto lease = db().Acquire();
  ASSERT_TRUE(lease.ok());
  auto scopes = ClientScopesAndAudiences(**lease, "https://app.example/cimd.json", true);
  ASSERT_TRUE(scopes.ok()) << StatusText(scopes);
  EXPECT_EQ(scopes->scopes, std::vector<std::string>{"read:orders"});
  EXPECT_EQ(scopes->audiences, std::vector<std::string>{"https://api.orders.test"});

  auto rows = Value(store_->ListClients(api.id, "", {}));
  ASSERT_EQ(rows.items.size(), 1u);
  EXPECT_TRUE(rows.items[0].cimd.access);
  EXPECT_EQ(rows.items[0].cimd.permission_ids, std::vector<std::string>{IdOf(api, "read:orders")});
}

TEST_P(ApiStoreTest, DescribesPermissionsAndDeletesWithGrants) {
  AddClient("immich", "Immich");
  Api api = MustCreate("Orders", "https://api.orders.test", {{"read:orders", "Read orders", "See them"}});
  Value(store_->SetClientGrant(api.id, "immich", {false, true, {}, {IdOf(api, "read:orders")}}));
  {
    auto lease = db().Acquire();
    ASSERT_TRUE(lease.ok());
    auto described = DescribePermissions(**lease, "https://api.orders.test/", {"read:orders", "unknown"});
    ASSERT_TRUE(described.ok()) << StatusText(described);
    ASSERT_EQ(described->size(), 1u);
    EXPECT_EQ((*described)[0].name, "Read orders");
    auto scopes = ClientScopesAndAudiences(**lease, "immich", false);
    ASSERT_TRUE(scopes.ok());
    EXPECT_EQ(scopes->scopes, std::vector<std::string>{"read:orders"});
  }
  auto deleted = store_->Delete(api.id);
  ASSERT_TRUE(deleted.ok()) << StatusText(deleted);
  EXPECT_FALSE(*deleted);
  auto grants = db().Query("SELECT COUNT(*) FROM oidc_clients_allowed_apis");
  ASSERT_TRUE(grants.ok());
  EXPECT_EQ((*grants)[0].Int(0), 0);
  EXPECT_FALSE(Access("immich", api.audience, SubjectType::kClient).api_exists);
}

PID_INSTANTIATE_ENGINE_TEST_SUITE(ApiStoreTest);

}  // namespace
}  // namespace pocketid::apis
