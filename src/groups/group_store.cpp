#include "groups/group_store.h"

#include <algorithm>
#include <array>
#include <functional>
#include <map>

#include "core/crypto/random.h"

namespace pocketid::groups {

namespace {

constexpr std::string_view kGroupColumns = "g.id, g.friendly_name, g.name, g.ldap_id, g.created_at, g.updated_at";

// The sortable fields of Pocket ID's UserGroup model; userCount is handled separately (it is not a column).
constexpr std::array<http::ListField, 3> kListFields{{
    {"createdAt", "g.created_at", true, false},
    {"friendlyName", "g.friendly_name", true, false},
    {"name", "g.name", true, false},
}};

constexpr std::string_view kUserCount = "(SELECT COUNT(*) FROM user_groups_users m WHERE m.user_group_id = g.id)";

Group ReadGroup(const db::Row& r) {
  return Group{r.Text("id"),           r.Text("friendly_name"),          r.Text("name"),
               r.OptionalText("ldap_id"), r.OptionalTime("created_at").value_or(db::Timestamp{}),
               r.OptionalTime("updated_at")};
}

users::User ReadUser(const db::Row& r) {
  users::User u;
  u.id = r.Text("id");
  u.username = r.Text("username");
  u.email = r.OptionalText("email");
  u.email_verified = r.Bool("email_verified");
  u.first_name = r.OptionalText("first_name").value_or("");  // nullable on PostgreSQL
  u.last_name = r.OptionalText("last_name").value_or("");
  u.display_name = r.Text("display_name");
  u.is_admin = r.Bool("is_admin");
  u.locale = r.OptionalText("locale");
  u.ldap_id = r.OptionalText("ldap_id");
  u.disabled = r.Bool("disabled");
  u.created_at = r.OptionalTime("created_at").value_or(db::Timestamp{});
  return u;
}

StatusOr<std::optional<Group>> LoadGroupWith(db::Connection& conn, std::string_view id, bool for_update) {
  if (!users::CanNameUuidRow(conn.engine(), id)) return std::optional<Group>();
  std::string sql = "SELECT " + std::string(kGroupColumns) + " FROM user_groups g WHERE g.id = $1";
  if (for_update && conn.engine() == db::Engine::kPostgres) sql += " FOR UPDATE";
  PID_ASSIGN_OR_RETURN(auto rows, conn.Query(sql, {id}));
  if (rows.empty()) return std::optional<Group>();
  return std::optional<Group>(ReadGroup(rows[0]));
}

StatusOr<bool> NameTakenWith(db::Connection& conn, std::string_view name, std::string_view except_id) {
  PID_ASSIGN_OR_RETURN(auto rows, conn.Query("SELECT id FROM user_groups WHERE name = $1", {name}));
  for (const auto& row : rows) {
    if (row.Text(0) != except_id) return true;
  }
  return false;
}

// The distinct ids of `ids` that can name a row of a uuid-keyed table on this engine.
std::vector<std::string> DistinctIds(const std::vector<std::string>& ids, bool uuid_keyed, db::Engine engine) {
  std::vector<std::string> out;
  for (const auto& id : ids) {
    if (uuid_keyed && !users::CanNameUuidRow(engine, id)) continue;
    if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
  }
  return out;
}

// What a mutation of an existing group does inside the transaction; a Refusal stops it before any write.
using Change = std::function<StatusOr<std::optional<Refusal>>(db::Connection&, const Group&)>;

// Loads and locks the group, applies `change` and reads the result back, all in one transaction.
StatusOr<Outcome<GroupDetails>> MutateGroup(db::Database& database, std::string_view id, const Change& change) {
  std::optional<Refusal> refusal;
  std::optional<GroupDetails> details;
  Status s = database.InTransaction([&](db::Connection& conn) -> Status {
    PID_ASSIGN_OR_RETURN(auto group, LoadGroupWith(conn, id, /*for_update=*/true));
    if (!group) {
      refusal = Refusal::kNotFound;
      return Status::Ok();
    }
    PID_ASSIGN_OR_RETURN(refusal, change(conn, *group));
    if (refusal) return Status::Ok();
    PID_ASSIGN_OR_RETURN(details, GroupStore::DetailsWith(conn, id));
    if (!details) return InternalError("group " + std::string(id) + " vanished in its own transaction");
    return Status::Ok();
  });
  // Lost a race with another write of the same name (the unique index caught it).
  if (s.code() == StatusCode::kAlreadyExists) return Outcome<GroupDetails>(Refusal::kNameTaken);
  PID_RETURN_IF_ERROR(s);
  if (refusal) return Outcome<GroupDetails>(*refusal);
  return Outcome<GroupDetails>(std::move(*details));
}

}  // namespace

StatusOr<std::optional<GroupDetails>> GroupStore::DetailsWith(db::Connection& conn, std::string_view id) {
  PID_ASSIGN_OR_RETURN(auto group, LoadGroupWith(conn, id, /*for_update=*/false));
  if (!group) return std::optional<GroupDetails>();
  GroupDetails d{std::move(*group), {}, {}, {}};
  PID_ASSIGN_OR_RETURN(d.claims, customclaims::ForGroupWith(conn, id));
  PID_ASSIGN_OR_RETURN(auto members,
                       conn.Query("SELECT u.id, u.username, u.email, u.email_verified, u.first_name, u.last_name, "
                                  "u.display_name, u.is_admin, u.locale, u.ldap_id, u.disabled, u.created_at "
                                  "FROM users u JOIN user_groups_users m ON m.user_id = u.id "
                                  "WHERE m.user_group_id = $1 ORDER BY u.username, u.id",
                                  {id}));
  for (const auto& row : members) d.members.push_back(ReadUser(row));
  PID_ASSIGN_OR_RETURN(auto clients, conn.Query("SELECT " + std::string(oidcclients::kClientColumns) +
                                                    " FROM oidc_clients WHERE id IN (SELECT a.oidc_client_id FROM "
                                                    "oidc_clients_allowed_user_groups a WHERE a.user_group_id = $1) "
                                                    "ORDER BY name, id",
                                                {id}));
  for (const auto& row : clients) {
    PID_ASSIGN_OR_RETURN(auto client, oidcclients::ClientFromRow(row));
    d.allowed_clients.push_back(std::move(client));
  }
  return std::optional<GroupDetails>(std::move(d));
}

StatusOr<GroupPage> GroupStore::List(std::string_view search, const http::ListRequest& list) {
  std::vector<db::Param> params;
  std::string where = " WHERE 1 = 1";
  if (!search.empty()) {
    where += " AND g.name LIKE $1";  // plain LIKE, as Pocket ID: no escaping of % and _
    params.emplace_back("%" + std::string(search) + "%");
  }
  auto clauses = http::BuildListClauses(list, kListFields, static_cast<int>(params.size()) + 1, "g.id");
  std::string order_by = clauses.order_by;
  if (list.sort_column == "userCount" && list.HasValidSortDirection()) {
    order_by = " ORDER BY user_count " + std::string(list.NormalizedSortDirection() == "desc" ? "DESC" : "ASC") +
               ", g.id";
  }
  for (const auto& v : clauses.params) params.push_back(http::ToParam(v));
  const std::string from_where = " FROM user_groups g" + where + clauses.where;

  PID_ASSIGN_OR_RETURN(auto lease, database_.Acquire());
  PID_ASSIGN_OR_RETURN(auto counted, lease->Query("SELECT COUNT(*)" + from_where, params));
  GroupPage out;
  out.page = http::ComputePage(list, counted.empty() ? 0 : counted[0].Int(0));
  PID_ASSIGN_OR_RETURN(auto rows, lease->Query("SELECT " + std::string(kGroupColumns) + ", " +
                                                   std::string(kUserCount) + " AS user_count" + from_where +
                                                   order_by + out.page.LimitClause(),
                                               params));
  if (rows.empty()) return out;

  std::map<std::string, size_t> index;
  std::string placeholders;
  std::vector<db::Param> ids;
  for (const auto& row : rows) {
    out.items.push_back({ReadGroup(row), row.Int("user_count"), {}});
    index[out.items.back().group.id] = out.items.size() - 1;
    placeholders += (placeholders.empty() ? "$" : ", $") + std::to_string(ids.size() + 1);
    ids.emplace_back(out.items.back().group.id);
  }
  PID_ASSIGN_OR_RETURN(auto claims, lease->Query("SELECT user_group_id, key, value FROM custom_claims "
                                                 "WHERE user_group_id IN (" +
                                                     placeholders + ") ORDER BY key",
                                                 ids));
  for (const auto& row : claims) {
    auto it = index.find(row.Text(0));
    if (it != index.end()) out.items[it->second].claims.push_back({row.Text(1), row.Text(2)});
  }
  return out;
}

StatusOr<std::optional<GroupDetails>> GroupStore::Get(std::string_view id) {
  PID_ASSIGN_OR_RETURN(auto lease, database_.Acquire());
  return DetailsWith(*lease, id);
}

StatusOr<Outcome<GroupDetails>> GroupStore::Create(const GroupInput& input) {
  const std::string id = crypto::NewUuidV4();
  bool taken = false;
  std::optional<GroupDetails> details;
  Status s = database_.InTransaction([&](db::Connection& conn) -> Status {
    PID_ASSIGN_OR_RETURN(taken, NameTakenWith(conn, input.name, ""));
    if (taken) return Status::Ok();
    PID_RETURN_IF_ERROR(conn.Exec("INSERT INTO user_groups (id, created_at, friendly_name, name) "
                                  "VALUES ($1, $2, $3, $4)",
                                  {id, db::Now(), input.friendly_name, input.name})
                            .status());
    PID_ASSIGN_OR_RETURN(details, DetailsWith(conn, id));
    if (!details) return InternalError("created group " + id + " is gone");
    return Status::Ok();
  });
  if (taken || s.code() == StatusCode::kAlreadyExists) return Outcome<GroupDetails>(Refusal::kNameTaken);
  PID_RETURN_IF_ERROR(s);
  return Outcome<GroupDetails>(std::move(*details));
}

StatusOr<Outcome<GroupDetails>> GroupStore::Update(std::string_view id, const GroupInput& input, bool ldap_enabled) {
  return MutateGroup(database_, id, [&](db::Connection& conn, const Group& group) -> StatusOr<std::optional<Refusal>> {
    if (group.ldap_id && ldap_enabled) return std::optional<Refusal>(Refusal::kLdapGroup);
    PID_ASSIGN_OR_RETURN(bool taken, NameTakenWith(conn, input.name, group.id));
    if (taken) return std::optional<Refusal>(Refusal::kNameTaken);
    PID_RETURN_IF_ERROR(conn.Exec("UPDATE user_groups SET friendly_name = $1, name = $2, updated_at = $3 "
                                  "WHERE id = $4",
                                  {input.friendly_name, input.name, db::Now(), group.id})
                            .status());
    return std::optional<Refusal>();
  });
}

StatusOr<std::optional<Refusal>> GroupStore::Delete(std::string_view id, bool ldap_enabled) {
  std::optional<Refusal> refusal;
  PID_RETURN_IF_ERROR(database_.InTransaction([&](db::Connection& conn) -> Status {
    PID_ASSIGN_OR_RETURN(auto group, LoadGroupWith(conn, id, /*for_update=*/true));
    if (!group) {
      refusal = Refusal::kNotFound;
    } else if (group->ldap_id && ldap_enabled) {
      refusal = Refusal::kLdapGroup;
    } else {
      PID_RETURN_IF_ERROR(conn.Exec("DELETE FROM user_groups WHERE id = $1", {group->id}).status());
    }
    return Status::Ok();
  }));
  return refusal;
}

StatusOr<Outcome<GroupDetails>> GroupStore::SetMembers(std::string_view id, const std::vector<std::string>& user_ids) {
  return MutateGroup(database_, id, [&](db::Connection& conn, const Group& group) -> StatusOr<std::optional<Refusal>> {
    PID_RETURN_IF_ERROR(conn.Exec("DELETE FROM user_groups_users WHERE user_group_id = $1", {group.id}).status());
    for (const auto& user_id : DistinctIds(user_ids, /*uuid_keyed=*/true, conn.engine())) {
      // Both ids come from their tables, so they carry the column types (PostgreSQL infers nothing else here).
      PID_RETURN_IF_ERROR(conn.Exec("INSERT INTO user_groups_users (user_id, user_group_id) "
                                    "SELECT u.id, g.id FROM users u, user_groups g WHERE u.id = $1 AND g.id = $2",
                                    {user_id, group.id})
                              .status());
    }
    // Membership lives in the join table: the group row's timestamp says it changed (SCIM relies on it).
    PID_RETURN_IF_ERROR(
        conn.Exec("UPDATE user_groups SET updated_at = $1 WHERE id = $2", {db::Now(), group.id}).status());
    return std::optional<Refusal>();
  });
}

StatusOr<Outcome<GroupDetails>> GroupStore::SetAllowedClients(std::string_view id,
                                                              const std::vector<std::string>& client_ids) {
  return MutateGroup(database_, id, [&](db::Connection& conn, const Group& group) -> StatusOr<std::optional<Refusal>> {
    PID_RETURN_IF_ERROR(
        conn.Exec("DELETE FROM oidc_clients_allowed_user_groups WHERE user_group_id = $1", {group.id}).status());
    for (const auto& client_id : DistinctIds(client_ids, /*uuid_keyed=*/false, conn.engine())) {
      PID_RETURN_IF_ERROR(conn.Exec("INSERT INTO oidc_clients_allowed_user_groups (user_group_id, oidc_client_id) "
                                    "SELECT g.id, c.id FROM user_groups g, oidc_clients c WHERE g.id = $1 AND c.id = $2",
                                    {group.id, client_id})
                              .status());
    }
    return std::optional<Refusal>();
  });
}

}  // namespace pocketid::groups
