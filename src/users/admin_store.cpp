#include "users/admin_store.h"

#include <algorithm>
#include <array>
#include <set>

#include <boost/json/parse.hpp>

#include "core/crypto/random.h"

namespace pocketid::users {

namespace {

// The user fields an admin can sort and filter by (the `sortable`/`filterable` tags of Pocket ID's model).
constexpr std::array<http::ListField, 9> kUserListFields{{
    {"createdAt", "created_at", true, false},
    {"username", "username", true, false},
    {"email", "email", true, false},
    {"emailVerified", "email_verified", true, true},
    {"firstName", "first_name", true, false},
    {"lastName", "last_name", true, false},
    {"displayName", "display_name", true, false},
    {"isAdmin", "is_admin", true, true},
    {"disabled", "disabled", true, true},
}};

std::string_view ForUpdate(db::Engine engine) { return engine == db::Engine::kPostgres ? " FOR UPDATE" : ""; }

StatusOr<std::optional<User>> LoadUser(db::Connection& conn, std::string_view id, bool for_update) {
  if (!CanNameUuidRow(conn.engine(), id)) return std::optional<User>();
  std::string sql = "SELECT " + std::string(kUserColumns) + " FROM users WHERE id = $1";
  if (for_update) sql += ForUpdate(conn.engine());
  PID_ASSIGN_OR_RETURN(auto rows, conn.Query(sql, {id}));
  if (rows.empty()) return std::optional<User>();
  return std::optional<User>(ReadUser(rows[0]));
}

// The ids among `ids` that name existing groups (unknown ones are ignored, as in Pocket ID), without repeats.
StatusOr<std::vector<std::string>> ExistingGroupIds(db::Connection& conn, const std::vector<std::string>& ids) {
  std::vector<db::Param> params;
  std::set<std::string> seen;
  for (const auto& id : ids) {
    if (CanNameUuidRow(conn.engine(), id) && seen.insert(id).second) params.emplace_back(id);
  }
  std::vector<std::string> out;
  if (params.empty()) return out;
  PID_ASSIGN_OR_RETURN(auto rows, conn.Query("SELECT id FROM user_groups WHERE id IN (" +
                                                 db::Placeholders(params.size(), 1) + ")",
                                             params));
  for (const auto& r : rows) out.push_back(r.Text(0));
  return out;
}

// Bumps updated_at of groups whose membership changed: the SCIM sync pushes only groups changed since its last run.
Status TouchGroups(db::Connection& conn, const std::vector<std::string>& group_ids) {
  if (group_ids.empty()) return Status::Ok();
  std::vector<db::Param> params{db::Now()};
  for (const auto& id : group_ids) params.emplace_back(id);
  return conn
      .Exec("UPDATE user_groups SET updated_at = $1 WHERE id IN (" + db::Placeholders(group_ids.size(), 2) + ")",
            params)
      .status();
}

Status AddMemberships(db::Connection& conn, std::string_view user_id, const std::vector<std::string>& group_ids) {
  for (const auto& g : group_ids) {
    PID_RETURN_IF_ERROR(
        conn.Exec("INSERT INTO user_groups_users (user_id, user_group_id) VALUES ($1, $2)", {user_id, g}).status());
  }
  return TouchGroups(conn, group_ids);
}

Status AddClaims(db::Connection& conn, std::string_view user_id, const std::vector<CustomClaim>& claims) {
  std::set<std::string> keys;
  db::Timestamp now = db::Now();
  for (const auto& c : claims) {
    if (!keys.insert(c.key).second) continue;  // a key once (the table is unique per user and key)
    PID_RETURN_IF_ERROR(conn.Exec("INSERT INTO custom_claims (id, created_at, key, value, user_id) "
                                  "VALUES ($1, $2, $3, $4, $5)",
                                  {crypto::NewUuidV4(), now, c.key, c.value, user_id})
                            .status());
  }
  return Status::Ok();
}

// Pocket ID's checkDuplicatedFields: another user with the email, then with the username.
StatusOr<std::optional<std::string>> DuplicateField(db::Connection& conn, std::string_view id, const NewUser& f) {
  if (f.email) {
    PID_ASSIGN_OR_RETURN(auto rows, conn.Query("SELECT 1 FROM users WHERE id <> $1 AND email = $2", {id, *f.email}));
    if (!rows.empty()) return std::optional<std::string>("email");
  }
  PID_ASSIGN_OR_RETURN(auto rows, conn.Query("SELECT 1 FROM users WHERE id <> $1 AND username = $2", {id, f.username}));
  if (!rows.empty()) return std::optional<std::string>("username");
  return std::optional<std::string>();
}

}  // namespace

StatusOr<SignupDefaults> ParseSignupDefaults(std::string_view group_ids_json, std::string_view claims_json) {
  SignupDefaults out;
  auto parse_array = [](std::string_view text, std::string_view what) -> StatusOr<boost::json::array> {
    if (text.empty()) return boost::json::array();
    boost::system::error_code ec;
    auto v = boost::json::parse(text, ec);
    if (ec || !v.is_array()) return InvalidArgumentError("invalid " + std::string(what) + " JSON");
    return std::move(v.as_array());
  };
  PID_ASSIGN_OR_RETURN(auto groups, parse_array(group_ids_json, "signupDefaultUserGroupIDs"));
  for (const auto& g : groups) {
    if (!g.is_string()) return InvalidArgumentError("invalid signupDefaultUserGroupIDs JSON");
    out.group_ids.emplace_back(g.as_string());
  }
  PID_ASSIGN_OR_RETURN(auto claims, parse_array(claims_json, "signupDefaultCustomClaims"));
  for (const auto& c : claims) {
    const auto* o = c.if_object();
    const auto* key = o ? o->if_contains("key") : nullptr;
    const auto* value = o ? o->if_contains("value") : nullptr;
    if (!key || !value || !key->is_string() || !value->is_string()) {
      return InvalidArgumentError("invalid signupDefaultCustomClaims JSON");
    }
    out.custom_claims.push_back({std::string(key->as_string()), std::string(value->as_string())});
  }
  return out;
}

StatusOr<UserPage> UserAdminStore::List(std::string_view search, const http::ListRequest& list) {
  std::vector<db::Param> params;
  std::string where = " WHERE 1 = 1";
  if (!search.empty()) {
    where += " AND (email LIKE $1 OR first_name LIKE $1 OR last_name LIKE $1 OR username LIKE $1)";
    params.emplace_back("%" + std::string(search) + "%");
  }
  auto clauses = http::BuildListClauses(list, kUserListFields, static_cast<int>(params.size()) + 1, "id");
  for (const auto& v : clauses.params) params.push_back(http::ToParam(v));
  const std::string from_where = " FROM users" + where + clauses.where;

  PID_ASSIGN_OR_RETURN(auto count, database_.Query("SELECT COUNT(*)" + from_where, params));
  UserPage out;
  out.page = http::ComputePage(list, count.empty() ? 0 : count[0].Int(0));
  PID_ASSIGN_OR_RETURN(auto rows, database_.Query("SELECT " + std::string(kUserColumns) + from_where +
                                                      clauses.order_by + out.page.LimitClause(),
                                                  params));
  for (const auto& r : rows) out.users.push_back(ReadUser(r));
  return out;
}

StatusOr<User> UserAdminStore::Create(const NewUser& user, const std::vector<std::string>& group_ids,
                                      const SignupDefaults& defaults) {
  std::optional<User> created;
  PID_RETURN_IF_ERROR(database_.InTransaction([&](db::Connection& conn) -> Status {
    PID_ASSIGN_OR_RETURN(created, CreateWith(conn, user, group_ids, defaults));
    return Status::Ok();
  }));
  return std::move(*created);
}

StatusOr<User> UserAdminStore::CreateWith(db::Connection& conn, const NewUser& user,
                                          const std::vector<std::string>& group_ids, const SignupDefaults& defaults) {
  PID_ASSIGN_OR_RETURN(User created, UserRepository::CreateWith(conn, user));
  // The requested groups; only when none were asked for, the sign-up default groups.
  PID_ASSIGN_OR_RETURN(auto groups, ExistingGroupIds(conn, group_ids.empty() ? defaults.group_ids : group_ids));
  PID_RETURN_IF_ERROR(AddMemberships(conn, created.id, groups));
  PID_RETURN_IF_ERROR(AddClaims(conn, created.id, defaults.custom_claims));
  return created;
}

StatusOr<std::optional<User>> UserAdminStore::Update(std::string_view id, const NewUser& f, const UpdateRules& rules) {
  std::optional<User> updated;
  PID_RETURN_IF_ERROR(database_.InTransaction([&](db::Connection& conn) -> Status {
    PID_ASSIGN_OR_RETURN(auto current, LoadUser(conn, id, /*for_update=*/true));
    if (!current) return Status::Ok();
    User u = std::move(*current);
    bool ldap_user = u.ldap_id && rules.ldap_enabled;
    db::Timestamp now = db::Now();
    if (ldap_user || (rules.self && !rules.allow_own_account_edit)) {
      // Pocket ID silently changes only the locale then.
      PID_RETURN_IF_ERROR(
          conn.Exec("UPDATE users SET locale = $2, updated_at = $3 WHERE id = $1", {u.id, f.locale, now}).status());
    } else {
      PID_ASSIGN_OR_RETURN(auto duplicate, DuplicateField(conn, u.id, f));
      if (duplicate) return AlreadyExistsError(*duplicate);
      // A new address (also null → value) is as verified as the emailsVerified setting says; clearing it keeps
      // the flag.
      bool email_changed = f.email && f.email != u.email;
      if (email_changed) u.email_verified = rules.emails_verified;
      if (!rules.self) {
        u.is_admin = f.is_admin;
        u.email_verified = f.email_verified;
        u.disabled = f.disabled;
      }
      auto written = conn.Exec(
          "UPDATE users SET username = $2, email = $3, first_name = $4, last_name = $5, display_name = $6, "
          "locale = $7, email_verified = $8, is_admin = $9, disabled = $10, updated_at = $11 WHERE id = $1",
          {u.id, f.username, f.email, f.first_name, f.last_name, f.display_name, f.locale, u.email_verified,
           u.is_admin, u.disabled, now});
      if (!written.ok()) {
        // Lost a race with a concurrent write of the same name.
        if (written.status().code() == StatusCode::kAlreadyExists) {
          bool email = written.status().message().find("email") != std::string::npos;
          return AlreadyExistsError(email ? "email" : "username");
        }
        return written.status();
      }
    }
    PID_ASSIGN_OR_RETURN(updated, LoadUser(conn, u.id, false));
    return Status::Ok();
  }));
  return updated;
}

StatusOr<DeleteOutcome> UserAdminStore::Delete(std::string_view id, bool ldap_enabled) {
  DeleteOutcome outcome = DeleteOutcome::kNotFound;
  PID_RETURN_IF_ERROR(database_.InTransaction([&](db::Connection& conn) -> Status {
    PID_ASSIGN_OR_RETURN(auto user, LoadUser(conn, id, /*for_update=*/true));
    if (!user) return Status::Ok();
    // An active LDAP user would come straight back with the next sync.
    if (ldap_enabled && user->ldap_id && !user->disabled) {
      outcome = DeleteOutcome::kLdapUser;
      return Status::Ok();
    }
    PID_RETURN_IF_ERROR(conn.Exec("DELETE FROM users WHERE id = $1", {user->id}).status());
    outcome = DeleteOutcome::kDeleted;
    return Status::Ok();
  }));
  return outcome;
}

StatusOr<std::optional<std::vector<GroupSummary>>> UserAdminStore::GroupsOfUser(std::string_view id) {
  UserRepository users(database_);
  PID_ASSIGN_OR_RETURN(auto user, users.FindById(id));
  if (!user) return std::optional<std::vector<GroupSummary>>();
  PID_ASSIGN_OR_RETURN(auto groups, users.Groups(user->id));
  return std::optional<std::vector<GroupSummary>>(std::move(groups));
}

StatusOr<std::optional<User>> UserAdminStore::SetGroups(std::string_view id, const std::vector<std::string>& group_ids) {
  std::optional<User> out;
  PID_RETURN_IF_ERROR(database_.InTransaction([&](db::Connection& conn) -> Status {
    PID_ASSIGN_OR_RETURN(auto user, LoadUser(conn, id, /*for_update=*/true));
    if (!user) return Status::Ok();
    PID_ASSIGN_OR_RETURN(auto wanted, ExistingGroupIds(conn, group_ids));
    PID_ASSIGN_OR_RETURN(auto rows,
                         conn.Query("SELECT user_group_id FROM user_groups_users WHERE user_id = $1", {user->id}));
    std::vector<std::string> removed;
    for (const auto& r : rows) {
      std::string g = r.Text(0);
      if (std::find(wanted.begin(), wanted.end(), g) == wanted.end()) removed.push_back(std::move(g));
    }
    PID_RETURN_IF_ERROR(conn.Exec("DELETE FROM user_groups_users WHERE user_id = $1", {user->id}).status());
    // Pocket ID bumps the groups of the new set; groups the user left changed as well.
    PID_RETURN_IF_ERROR(AddMemberships(conn, user->id, wanted));
    PID_RETURN_IF_ERROR(TouchGroups(conn, removed));
    PID_RETURN_IF_ERROR(
        conn.Exec("UPDATE users SET updated_at = $2 WHERE id = $1", {user->id, db::Now()}).status());
    out = std::move(user);
    return Status::Ok();
  }));
  return out;
}

}  // namespace pocketid::users
