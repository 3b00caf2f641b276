#include "users/admin_store.h"

#include <gtest/gtest.h>

#include "core/crypto/random.h"
#include "core/db/db_test_util.h"
#include "core/db/migrate.h"

namespace pocketid::users {
namespace {

using db::testing::StatusText;

class UserAdminStoreTest : public db::testing::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped()) return;
    PID_ASSERT_OK(db::Migrate(db(), false));
    store_.emplace(db());
    users_.emplace(db());
  }

  User MustCreate(NewUser n, std::vector<std::string> groups = {}, SignupDefaults defaults = {}) {
    auto u = store_->Create(n, groups, defaults);
    EXPECT_TRUE(u.ok()) << StatusText(u);
    return u.ok() ? *u : User{};
  }

  static NewUser Named(std::string username, std::optional<std::string> email = std::nullopt) {
    NewUser n;
    n.username = std::move(username);
    n.email = std::move(email);
    n.first_name = "F";
    n.last_name = "L";
    n.display_name = "F L";
    return n;
  }

  std::string AddGroup(std::string_view name) {
    std::string id = crypto::NewUuidV4();
    auto r = db().Exec("INSERT INTO user_groups (id, created_at, updated_at, friendly_name, name) "
                       "VALUES ($1, $2, $2, $3, $3)",
                       {id, db::Timestamp{1000}, name});
    EXPECT_TRUE(r.ok()) << StatusText(r);
    return id;
  }

  int64_t GroupUpdatedAt(const std::string& id) {
    auto rows = db().Query("SELECT updated_at FROM user_groups WHERE id = $1", {id});
    EXPECT_TRUE(rows.ok());
    return rows.ok() && !rows->empty() ? (*rows)[0].Time(0).unix_seconds : -1;
  }

  std::vector<std::string> GroupNames(const std::string& user_id) {
    auto groups = users_->Groups(user_id);
    EXPECT_TRUE(groups.ok());
    std::vector<std::string> out;
    if (groups.ok()) {
      for (const auto& g : *groups) out.push_back(g.name);
    }
    return out;
  }

  std::optional<UserAdminStore> store_;
  std::optional<UserRepository> users_;
};

TEST_P(UserAdminStoreTest, CreateAppliesGroupsOrDefaultsAndDefaultClaims) {
  std::string staff = AddGroup("staff");
  std::string family = AddGroup("family");
  SignupDefaults defaults{{family, "not-a-group", crypto::NewUuidV4()}, {{"tier", "gold"}, {"tier", "dup"}, {"a", "1"}}};

  // Asked-for groups win over the defaults; unknown ids are ignored; the default claims always apply.
  User a = MustCreate(Named("alice", "alice@example.com"), {staff, staff, crypto::NewUuidV4(), "junk"}, defaults);
  EXPECT_EQ(GroupNames(a.id), std::vector<std::string>{"staff"});
  auto claims = users_->CustomClaims(a.id);
  ASSERT_TRUE(claims.ok());
  ASSERT_EQ(claims->size(), 2u);
  EXPECT_EQ((*claims)[0].key, "a");
  EXPECT_EQ((*claims)[1].value, "gold");
  EXPECT_GT(GroupUpdatedAt(staff), 1000);
  EXPECT_EQ(GroupUpdatedAt(family), 1000);

  User b = MustCreate(Named("bob"), {}, defaults);
  EXPECT_EQ(GroupNames(b.id), std::vector<std::string>{"family"});
  EXPECT_GT(GroupUpdatedAt(family), 1000);
}

TEST_P(UserAdminStoreTest, CreateHonoursIdAndDisabledAndReportsDuplicates) {
  NewUser n = Named("carol", "carol@example.com");
  n.id = "0b5e5a4e-9c1f-4f6b-8d59-5f1f6c1e2a3b";
  n.disabled = true;
  n.is_admin = true;
  User c = MustCreate(n);
  EXPECT_EQ(c.id, "0b5e5a4e-9c1f-4f6b-8d59-5f1f6c1e2a3b");
  EXPECT_TRUE(c.disabled);
  EXPECT_TRUE(c.is_admin);

  // Email is checked before the username; the username compares case-insensitively.
  auto dup = store_->Create(Named("CAROL", "carol@example.com"), {}, {});
  EXPECT_EQ(dup.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(dup.status().message(), "email");
  dup = store_->Create(Named("CAROL", "other@example.com"), {}, {});
  EXPECT_EQ(dup.status().message(), "username");
  NewUser same_id = Named("dave");
  same_id.id = c.id;
  EXPECT_EQ(store_->Create(same_id, {}, {}).status().message(), "id");
  // Nothing of the failed attempts stayed behind.
  auto count = db().Query("SELECT COUNT(*) FROM users");
  ASSERT_TRUE(count.ok());
  EXPECT_EQ((*count)[0].Int(0), 1);
}

TEST_P(UserAdminStoreTest, ListSearchesSortsFiltersAndPages) {
  for (auto [name, email] : {std::pair{"anna", "anna@a.test"}, {"bert", "bert@b.test"}, {"Cleo", "cleo@a.test"}}) {
    MustCreate(Named(name, std::string(email)));
  }
  NewUser admin = Named("zed", "zed@z.test");
  admin.is_admin = true;
  MustCreate(admin);

  http::ListRequest list;
  list.sort_column = "username";
  list.sort_direction = "desc";
  auto page = store_->List("", list);
  ASSERT_TRUE(page.ok()) << StatusText(page);
  ASSERT_EQ(page->users.size(), 4u);
  EXPECT_EQ(page->users[0].username, "zed");
  EXPECT_EQ(page->page.total_items, 4);

  auto found = store_->List("@a.test", {});
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->users.size(), 2u);

  http::ListRequest admins;
  admins.filters["isAdmin"] = {http::FilterValue(true)};
  auto only_admins = store_->List("", admins);
  ASSERT_TRUE(only_admins.ok()) << StatusText(only_admins);
  ASSERT_EQ(only_admins->users.size(), 1u);
  EXPECT_EQ(only_admins->users[0].username, "zed");

  http::ListRequest paged;
  paged.limit = 3;
  paged.page = 2;
  paged.sort_column = "email";
  auto second = store_->List("", paged);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->page.total_pages, 2);
  ASSERT_EQ(second->users.size(), 1u);
  EXPECT_EQ(second->users[0].username, "zed");

  // DTOs of a page: claims and groups in two queries, empty arrays when there are none.
  auto dtos = users_->Dtos(page->users);
  ASSERT_TRUE(dtos.ok());
  EXPECT_TRUE((*dtos)[0].as_object().at("userGroups").as_array().empty());
}

TEST_P(UserAdminStoreTest, UpdateFollowsPocketIdRules) {
  User u = MustCreate(Named("erin", "erin@example.com"));
  MustCreate(Named("frank", "frank@example.com"));

  NewUser f = Named("erin2", "new@example.com");
  f.locale = "de";
  f.is_admin = true;
  f.disabled = true;
  f.email_verified = false;
  // Self update: the email change takes emailsVerified; admin-only fields stay.
  auto self = store_->Update(u.id, f, {.self = true, .allow_own_account_edit = true, .emails_verified = true});
  ASSERT_TRUE(self.ok()) << StatusText(self);
  ASSERT_TRUE(*self);
  EXPECT_EQ((*self)->username, "erin2");
  EXPECT_TRUE((*self)->email_verified);
  EXPECT_FALSE((*self)->is_admin);
  EXPECT_FALSE((*self)->disabled);

  // Admin update: the body's isAdmin, emailVerified and disabled.
  auto admin = store_->Update(u.id, f, {.emails_verified = true});
  ASSERT_TRUE(admin.ok() && *admin);
  EXPECT_TRUE((*admin)->is_admin);
  EXPECT_TRUE((*admin)->disabled);
  EXPECT_FALSE((*admin)->email_verified);

  // Self edits switched off: only the locale changes.
  NewUser g = Named("renamed", "x@example.com");
  g.locale = "fr";
  auto locked = store_->Update(u.id, g, {.self = true, .allow_own_account_edit = false});
  ASSERT_TRUE(locked.ok() && *locked);
  EXPECT_EQ((*locked)->username, "erin2");
  EXPECT_EQ((*locked)->locale, "fr");

  // An LDAP user while LDAP is on: the same, for admins too.
  ASSERT_TRUE(db().Exec("UPDATE users SET ldap_id = 'ldap-1' WHERE id = $1", {u.id}).ok());
  auto ldap = store_->Update(u.id, Named("renamed"), {.ldap_enabled = true});
  ASSERT_TRUE(ldap.ok() && *ldap);
  EXPECT_EQ((*ldap)->username, "erin2");
  EXPECT_EQ((*ldap)->locale, std::nullopt);

  // Duplicates name the column; an unknown id is nullopt.
  EXPECT_EQ(store_->Update(u.id, Named("other", "frank@example.com"), {}).status().message(), "email");
  EXPECT_EQ(store_->Update(u.id, Named("FRANK", "erin@example.com"), {}).status().message(), "username");
  auto missing = store_->Update(crypto::NewUuidV4(), Named("x"), {});
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(*missing);
  auto not_uuid = store_->Update("not-a-uuid", Named("x"), {});
  ASSERT_TRUE(not_uuid.ok()) << StatusText(not_uuid);
  EXPECT_FALSE(*not_uuid);
}

TEST_P(UserAdminStoreTest, DeleteCascadesAndProtectsActiveLdapUsers) {
  std::string staff = AddGroup("staff");
  User u = MustCreate(Named("gina"), {staff}, {{}, {{"k", "v"}}});
  ASSERT_TRUE(db().Exec("UPDATE users SET ldap_id = 'ldap-2' WHERE id = $1", {u.id}).ok());
  auto refused = store_->Delete(u.id, /*ldap_enabled=*/true);
  ASSERT_TRUE(refused.ok());
  EXPECT_EQ(*refused, DeleteOutcome::kLdapUser);
  auto deleted = store_->Delete(u.id, /*ldap_enabled=*/false);
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(*deleted, DeleteOutcome::kDeleted);
  auto again = store_->Delete(u.id, false);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, DeleteOutcome::kNotFound);
  auto left = db().Query("SELECT (SELECT COUNT(*) FROM user_groups_users) + (SELECT COUNT(*) FROM custom_claims)");
  ASSERT_TRUE(left.ok());
  EXPECT_EQ((*left)[0].Int(0), 0);
}

TEST_P(UserAdminStoreTest, SetGroupsReplacesMembershipAndTouchesChangedGroups) {
  std::string staff = AddGroup("staff");
  std::string family = AddGroup("family");
  std::string other = AddGroup("other");
  User u = MustCreate(Named("hank"), {staff});
  ASSERT_TRUE(db().Exec("UPDATE user_groups SET updated_at = $1", {db::Timestamp{1000}}).ok());

  auto set = store_->SetGroups(u.id, {family, "junk", family});
  ASSERT_TRUE(set.ok()) << StatusText(set);
  ASSERT_TRUE(*set);
  EXPECT_EQ(GroupNames(u.id), std::vector<std::string>{"family"});
  EXPECT_GT(GroupUpdatedAt(family), 1000);
  EXPECT_GT(GroupUpdatedAt(staff), 1000);  // the group the user left changed too
  EXPECT_EQ(GroupUpdatedAt(other), 1000);

  auto cleared = store_->SetGroups(u.id, {});
  ASSERT_TRUE(cleared.ok() && *cleared);
  EXPECT_TRUE(GroupNames(u.id).empty());

  auto missing = store_->SetGroups(crypto::NewUuidV4(), {family});
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(*missing);
  auto groups = store_->GroupsOfUser(crypto::NewUuidV4());
  ASSERT_TRUE(groups.ok());
  EXPECT_FALSE(*groups);
}

TEST(SignupDefaultsTest, ParsesTheAppConfigJson) {
  auto d = ParseSignupDefaults(R"(["a","b"])", R"([{"key":"k","value":"v"}])");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->group_ids, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(d->custom_claims[0].key, "k");
  EXPECT_TRUE(ParseSignupDefaults("", "[]").ok());
  EXPECT_FALSE(ParseSignupDefaults("{}", "[]").ok());
  EXPECT_FALSE(ParseSignupDefaults("[]", R"([{"key":"k"}])").ok());
}

PID_INSTANTIATE_ENGINE_TEST_SUITE(UserAdminStoreTest);

}  // namespace
}  // namespace pocketid::users
