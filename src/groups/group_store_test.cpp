#include "groups/group_store.h"

#include <gtest/gtest.h>

#include "core/crypto/random.h"
#include "core/db/db_test_util.h"
#include "core/db/migrate.h"

namespace pocketid::groups {
namespace {

using db::testing::StatusText;

class GroupStoreTest : public db::testing::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped()) return;
    PID_ASSERT_OK(db::Migrate(db(), false));
    store_.emplace(db());
  }

  std::string AddUser(std::string_view username) {
    std::string id = crypto::NewUuidV4();
    auto r = db().Exec("INSERT INTO users (id, created_at, username, first_name, last_name, display_name, is_admin, "
                       "disabled, email_verified) VALUES ($1, $2, $3, 'F', 'L', 'F L', $4, $4, $4)",
                       {id, db::Now(), username, false});
    EXPECT_TRUE(r.ok()) << StatusText(r);
    return id;
  }

  std::string AddClient(std::string_view id, std::string_view name) {
    auto r = db().Exec("INSERT INTO oidc_clients (id, created_at, name, callback_urls) VALUES ($1, $2, $3, $4)",
                       {id, db::Now(), name, db::Json{"[]"}});
    EXPECT_TRUE(r.ok()) << StatusText(r);
    return std::string(id);
  }

  GroupDetails MustCreate(std::string friendly, std::string name) {
    auto out = store_->Create({std::move(friendly), std::move(name)});
    EXPECT_TRUE(out.ok()) << StatusText(out);
    if (!out.ok() || !std::holds_alternative<GroupDetails>(*out)) {
      ADD_FAILURE() << "create refused";
      return {};
    }
    return std::get<GroupDetails>(*out);
  }

  static std::optional<Refusal> RefusalOf(const StatusOr<Outcome<GroupDetails>>& out) {
    EXPECT_TRUE(out.ok()) << StatusText(out);
    if (!out.ok() || !std::holds_alternative<Refusal>(*out)) return std::nullopt;
    return std::get<Refusal>(*out);
  }

  std::optional<db::Timestamp> UpdatedAt(const std::string& id) {
    auto rows = db().Query("SELECT updated_at FROM user_groups WHERE id = $1", {id});
    EXPECT_TRUE(rows.ok());
    return rows.ok() && !rows->empty() ? (*rows)[0].OptionalTime(0) : std::nullopt;
  }

  int64_t Count(std::string_view sql, std::initializer_list<db::Param> params) {
    auto rows = db().Query(sql, params);
    EXPECT_TRUE(rows.ok()) << StatusText(rows);
    return rows.ok() ? (*rows)[0].Int(0) : -1;
  }

  std::optional<GroupStore> store_;
};

TEST_P(GroupStoreTest, CreateUpdateDelete) {
  auto g = MustCreate("Dashy admins", "admins");
  EXPECT_EQ(g.group.friendly_name, "Dashy admins");
  EXPECT_EQ(g.group.name, "admins");
  EXPECT_FALSE(g.group.ldap_id);
  EXPECT_GT(g.group.created_at.unix_seconds, 0);
  EXPECT_FALSE(UpdatedAt(g.group.id));
  EXPECT_TRUE(g.members.empty());

  EXPECT_EQ(RefusalOf(store_->Create({"Other", "admins"})), Refusal::kNameTaken);
  auto other = MustCreate("Other", "others");
  EXPECT_EQ(RefusalOf(store_->Update(other.group.id, {"Other", "admins"}, false)), Refusal::kNameTaken);
  EXPECT_EQ(RefusalOf(store_->Update(crypto::NewUuidV4(), {"X", "xx"}, false)), Refusal::kNotFound);
  EXPECT_EQ(RefusalOf(store_->Update("not-a-uuid", {"X", "xx"}, false)), Refusal::kNotFound);

  auto updated = store_->Update(g.group.id, {"Admins!", "admins"}, false);  // keeping its own name is fine
  ASSERT_TRUE(updated.ok() && std::holds_alternative<GroupDetails>(*updated));
  EXPECT_EQ(std::get<GroupDetails>(*updated).group.friendly_name, "Admins!");
  EXPECT_TRUE(UpdatedAt(g.group.id));

  auto del = store_->Delete(other.group.id, false);
  ASSERT_TRUE(del.ok());
  EXPECT_FALSE(*del);
  del = store_->Delete(other.group.id, false);
  ASSERT_TRUE(del.ok());
  EXPECT_EQ(*del, Refusal::kNotFound);
  auto gone = store_->Get(other.group.id);
  ASSERT_TRUE(gone.ok());
  EXPECT_FALSE(*gone);
}

TEST_P(GroupStoreTest, LdapGroupsAreReadOnlyWhileLdapIsEnabled) {
  auto g = MustCreate("LDAP", "ldap");
  PID_ASSERT_OK(db().Exec("UPDATE user_groups SET ldap_id = 'cn=ldap' WHERE id = $1", {g.group.id}));
  EXPECT_EQ(RefusalOf(store_->Update(g.group.id, {"LDAP 2", "ldap"}, true)), Refusal::kLdapGroup);
  auto del = store_->Delete(g.group.id, true);
  ASSERT_TRUE(del.ok());
  EXPECT_EQ(*del, Refusal::kLdapGroup);
  auto updated = store_->Update(g.group.id, {"LDAP 2", "ldap"}, false);
  ASSERT_TRUE(updated.ok() && std::holds_alternative<GroupDetails>(*updated));
  EXPECT_EQ(std::get<GroupDetails>(*updated).group.ldap_id, "cn=ldap");
}

TEST_P(GroupStoreTest, MembersAndClientsAreReplaced) {
  auto g = MustCreate("Team", "team");
  std::string ann = AddUser("ann"), bob = AddUser("bob"), cid = AddUser("cid");
  auto out = store_->SetMembers(g.group.id, {bob, ann, ann, crypto::NewUuidV4(), "junk"});
  ASSERT_TRUE(out.ok()) << StatusText(out);
  auto& d = std::get<GroupDetails>(*out);
  ASSERT_EQ(d.members.size(), 2u);
  EXPECT_EQ(d.members[0].username, "ann");
  EXPECT_EQ(d.members[1].username, "bob");
  EXPECT_TRUE(UpdatedAt(g.group.id));

  out = store_->SetMembers(g.group.id, {cid});
  ASSERT_TRUE(out.ok());
  ASSERT_EQ(std::get<GroupDetails>(*out).members.size(), 1u);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM user_groups_users WHERE user_group_id = $1", {g.group.id}), 1);

  AddClient("client-b", "Bravo");
  AddClient("client-a", "Alpha");
  out = store_->SetAllowedClients(g.group.id, {"client-b", "client-a", "nope"});
  ASSERT_TRUE(out.ok()) << StatusText(out);
  auto& clients = std::get<GroupDetails>(*out).allowed_clients;
  ASSERT_EQ(clients.size(), 2u);
  EXPECT_EQ(clients[0].name, "Alpha");
  out = store_->SetAllowedClients(g.group.id, {});
  ASSERT_TRUE(out.ok());
  EXPECT_TRUE(std::get<GroupDetails>(*out).allowed_clients.empty());
  EXPECT_EQ(RefusalOf(store_->SetMembers(crypto::NewUuidV4(), {ann})), Refusal::kNotFound);
  EXPECT_EQ(RefusalOf(store_->SetAllowedClients("x", {"client-a"})), Refusal::kNotFound);

  // Deleting the group takes its memberships, claims and client links with it.
  PID_ASSERT_OK(store_->SetAllowedClients(g.group.id, {"client-a"}).status());
  PID_ASSERT_OK(db().InTransaction([&](db::Connection& c) {
    return customclaims::ReplaceForGroupWith(c, g.group.id, std::vector<customclaims::Claim>{{"k", "v"}});
  }));
  auto del = store_->Delete(g.group.id, false);
  ASSERT_TRUE(del.ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM user_groups_users", {}), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM custom_claims", {}), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM oidc_clients_allowed_user_groups", {}), 0);
}

TEST_P(GroupStoreTest, ListSearchesSortsAndPages) {
  std::string ann = AddUser("ann"), bob = AddUser("bob");
  auto a = MustCreate("Alpha", "alpha");
  auto b = MustCreate("Bravo", "bravo");
  auto c = MustCreate("Charlie", "charlie-team");
  PID_ASSERT_OK(store_->SetMembers(b.group.id, {ann, bob}).status());
  PID_ASSERT_OK(store_->SetMembers(c.group.id, {ann}).status());
  PID_ASSERT_OK(db().InTransaction([&](db::Connection& conn) {
    return customclaims::ReplaceForGroupWith(conn, c.group.id, std::vector<customclaims::Claim>{{"z", "1"}, {"a", "2"}});
  }));

  http::ListRequest list;
  list.sort_column = "userCount";
  list.sort_direction = "desc";
  auto page = store_->List("", list);
  ASSERT_TRUE(page.ok()) << StatusText(page);
  ASSERT_EQ(page->items.size(), 3u);
  EXPECT_EQ(page->items[0].group.name, "bravo");
  EXPECT_EQ(page->items[0].user_count, 2);
  EXPECT_EQ(page->items[1].group.name, "charlie-team");
  ASSERT_EQ(page->items[1].claims.size(), 2u);
  EXPECT_EQ(page->items[1].claims[0].key, "a");
  EXPECT_EQ(page->items[2].user_count, 0);

  list.sort_direction = "asc";
  page = store_->List("", list);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->items[0].group.name, "alpha");

  list.sort_column = "friendlyName";
  list.sort_direction = "desc";
  list.limit = 2;
  list.page = 2;
  page = store_->List("", list);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->page.total_items, 3);
  EXPECT_EQ(page->page.total_pages, 2);
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].group.name, "alpha");

  page = store_->List("team", http::ListRequest{});
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].group.id, c.group.id);
  page = store_->List("nothing", http::ListRequest{});
  ASSERT_TRUE(page.ok());
  EXPECT_TRUE(page->items.empty());
  EXPECT_EQ(page->page.total_pages, 1);
}

PID_INSTANTIATE_ENGINE_TEST_SUITE(GroupStoreTest);

}  // namespace
}  // namespace pocketid::groups
