#include "apis/api_store.h"

#include <algorithm>
#include <array>
#include <functional>
#include <map>
#include <set>
#include <span>

#include "apis/api_access.h"
#include "core/crypto/random.h"
#include "core/db/param.h"
#include "users/user.h"

namespace pocketid::apis {

namespace {

constexpr std::string_view kApiColumns = "a.id, a.name, a.audience, a.created_at, a.updated_at, a.allow_cimd_clients";

constexpr std::array<http::ListField, 4> kApiListFields{{
    {"name", "a.name", true, false},
    {"resource", "a.audience", true, false},
    {"audience", "a.audience", true, false},
    {"createdAt", "a.created_at", true, false},
}};

constexpr std::array<http::ListField, 2> kClientListFields{{
    {"name", "c.name", true, false},
    {"createdAt", "c.created_at", true, false},
}};

Api ReadApi(const db::Row& r) {
  Api a;
  a.id = r.Text("id");
  a.name = r.Text("name");
  a.audience = r.Text("audience");
  a.created_at = r.OptionalTime("created_at").value_or(db::Timestamp{});
  a.updated_at = r.OptionalTime("updated_at");
  a.allow_cimd_clients = r.Bool("allow_cimd_clients");
  return a;
}

// Fills the permissions of `apis` with one query.
Status LoadPermissionsWith(db::Connection& conn, std::vector<Api>& apis) {
  if (apis.empty()) return Status::Ok();
  std::map<std::string, Api*> by_id;
  std::vector<db::Param> ids;
  for (auto& a : apis) {
    by_id[a.id] = &a;
    ids.emplace_back(a.id);
  }
  PID_ASSIGN_OR_RETURN(auto rows, conn.Query("SELECT api_id, id, key, name, description, allowed_for_cimd_clients "
                                             "FROM api_permissions WHERE api_id IN (" +
                                                 db::Placeholders(ids.size()) + ") ORDER BY key, id",
                                             ids));
  for (const auto& row : rows) {
    auto it = by_id.find(row.Text(0));
    if (it == by_id.end()) continue;
    it->second->permissions.push_back({row.Text(1), row.Text(2), row.Text(3), row.OptionalText(4), row.Bool(5)});
  }
  return Status::Ok();
}

StatusOr<std::optional<Api>> LoadApiWith(db::Connection& conn, std::string_view id, bool for_update) {
  if (!users::CanNameUuidRow(conn.engine(), id)) return std::optional<Api>();
  std::string sql = "SELECT " + std::string(kApiColumns) + " FROM apis a WHERE a.id = $1";
  if (for_update && conn.engine() == db::Engine::kPostgres) sql += " FOR UPDATE";
  PID_ASSIGN_OR_RETURN(auto rows, conn.Query(sql, {id}));
  if (rows.empty()) return std::optional<Api>();
  std::vector<Api> one{ReadApi(rows[0])};
  PID_RETURN_IF_ERROR(LoadPermissionsWith(conn, one));
  return std::optional<Api>(std::move(one[0]));
}

StatusOr<std::optional<oidcclients::Client>> LoadClientWith(db::Connection& conn, std::string_view id) {
  PID_ASSIGN_OR_RETURN(
      auto rows,
      conn.Query("SELECT " + std::string(oidcclients::kClientColumns) + " FROM oidc_clients WHERE id = $1", {id}));
  if (rows.empty()) return std::optional<oidcclients::Client>();
  PID_ASSIGN_OR_RETURN(auto client, oidcclients::ClientFromRow(rows[0]));
  return std::optional<oidcclients::Client>(std::move(client));
}

std::vector<std::string> PermissionIds(const Api& api) {
  std::vector<std::string> ids;
  for (const auto& p : api.permissions) ids.push_back(p.id);
  return ids;
}

// The ids of `available` (in its order) that `requested` names.
std::vector<std::string> Intersect(const std::vector<std::string>& available,
                                   const std::vector<std::string>& requested) {
  std::vector<std::string> out;
  for (const auto& id : available) {
    if (std::find(requested.begin(), requested.end(), id) != requested.end()) out.push_back(id);
  }
  return out;
}

void AddGrantRow(ClientGrant& g, std::string_view subject, bool is_permission, std::string permission_id = {}) {
  const bool client = subject == SubjectTypeName(SubjectType::kClient);
  if (!is_permission) {
    (client ? g.client_access : g.user_delegated_access) = true;
  } else {
    (client ? g.client_permission_ids : g.user_delegated_permission_ids).push_back(std::move(permission_id));
  }
}

// Grant rows keyed by the other side: every client's grants on one API (by client id), or one client's grants on
// every API (by API id).
enum class GrantsOf { kApi, kClient };
StatusOr<std::map<std::string, ClientGrant>> GrantsWith(db::Connection& conn, GrantsOf of, std::string_view id) {
  const bool of_api = of == GrantsOf::kApi;
  std::map<std::string, ClientGrant> out;
  PID_ASSIGN_OR_RETURN(auto access, conn.Query(of_api ? "SELECT oidc_client_id, subject_type FROM "
                                                        "oidc_clients_allowed_apis WHERE api_id = $1"
                                                      : "SELECT api_id, subject_type FROM oidc_clients_allowed_apis "
                                                        "WHERE oidc_client_id = $1",
                                               {id}));
  for (const auto& row : access) AddGrantRow(out[row.Text(0)], row.Text(1), false);
  PID_ASSIGN_OR_RETURN(
      auto permissions,
      conn.Query(std::string("SELECT ") + (of_api ? "g.oidc_client_id" : "p.api_id") +
                     ", g.subject_type, g.api_permission_id FROM oidc_clients_allowed_api_permissions g "
                     "JOIN api_permissions p ON p.id = g.api_permission_id WHERE " +
                     (of_api ? "p.api_id" : "g.oidc_client_id") + " = $1 ORDER BY p.key",
                 {id}));
  for (const auto& row : permissions) AddGrantRow(out[row.Text(0)], row.Text(1), true, row.Text(2));
  return out;
}

StatusOr<std::vector<std::string>> CimdPermissionIdsWith(db::Connection& conn, std::string_view api_id) {
  PID_ASSIGN_OR_RETURN(auto rows, conn.Query("SELECT id FROM api_permissions WHERE api_id = $1 AND "
                                             "allowed_for_cimd_clients = TRUE ORDER BY key",
                                             {api_id}));
  std::vector<std::string> ids;
  for (const auto& row : rows) ids.push_back(row.Text(0));
  return ids;
}

// What a requested grant amounts to: permission ids of other APIs dropped, no client access for a public client (it
// can never use client_credentials), and any permission implying access for its subject type.
ClientGrant ApplicableGrant(const Api& api, const oidcclients::Client& client, const ClientGrant& requested) {
  ClientGrant applied;
  const auto ids = PermissionIds(api);
  applied.user_delegated_permission_ids = Intersect(ids, requested.user_delegated_permission_ids);
  applied.client_permission_ids =
      client.is_public ? std::vector<std::string>{} : Intersect(ids, requested.client_permission_ids);
  applied.user_delegated_access = requested.user_delegated_access || !applied.user_delegated_permission_ids.empty();
  applied.client_access = !client.is_public && (requested.client_access || !applied.client_permission_ids.empty());
  return applied;
}

Status DeleteClientGrantsWith(db::Connection& conn, std::string_view api_id, std::string_view client_id) {
  PID_RETURN_IF_ERROR(
      conn.Exec("DELETE FROM oidc_clients_allowed_apis WHERE oidc_client_id = $1 AND api_id = $2", {client_id, api_id})
          .status());
  return conn
      .Exec(
          "DELETE FROM oidc_clients_allowed_api_permissions WHERE oidc_client_id = $1 AND api_permission_id IN "
          "(SELECT id FROM api_permissions WHERE api_id = $2)",
          {client_id, api_id})
      .status();
}

Status InsertGrantRowsWith(db::Connection& conn, std::string_view api_id, std::string_view client_id,
                           const ClientGrant& g) {
  auto access = [&](SubjectType s) {
    return conn
        .Exec("INSERT INTO oidc_clients_allowed_apis (oidc_client_id, api_id, subject_type) VALUES ($1, $2, $3)",
              {client_id, api_id, SubjectTypeName(s)})
        .status();
  };
  auto permission = [&](const std::string& id, SubjectType s) {
    return conn
        .Exec(
            "INSERT INTO oidc_clients_allowed_api_permissions (oidc_client_id, api_permission_id, subject_type) "
            "VALUES ($1, $2, $3)",
            {client_id, id, SubjectTypeName(s)})
        .status();
  };
  if (g.user_delegated_access) PID_RETURN_IF_ERROR(access(SubjectType::kUser));
  if (g.client_access) PID_RETURN_IF_ERROR(access(SubjectType::kClient));
  for (const auto& id : g.user_delegated_permission_ids) PID_RETURN_IF_ERROR(permission(id, SubjectType::kUser));
  for (const auto& id : g.client_permission_ids) PID_RETURN_IF_ERROR(permission(id, SubjectType::kClient));
  return Status::Ok();
}

// Deletes permissions; a client whose last permission of the API for a subject type is among them loses that
// access too (access granted without any permission is untouched: such a client held none of them).
Status DeletePermissionsWith(db::Connection& conn, std::string_view api_id, const std::vector<std::string>& ids) {
  if (ids.empty()) return Status::Ok();
  std::vector<db::Param> params;
  for (const auto& id : ids) params.emplace_back(id);
  const std::string in = "(" + db::Placeholders(ids.size()) + ")";
  PID_ASSIGN_OR_RETURN(auto affected, conn.Query("SELECT DISTINCT oidc_client_id, subject_type FROM "
                                                 "oidc_clients_allowed_api_permissions WHERE api_permission_id IN " +
                                                     in,
                                                 params));
  PID_RETURN_IF_ERROR(
      conn.Exec("DELETE FROM oidc_clients_allowed_api_permissions WHERE api_permission_id IN " + in, params).status());
  PID_RETURN_IF_ERROR(conn.Exec("DELETE FROM api_permissions WHERE id IN " + in, params).status());
  for (const auto& row : affected) {
    const std::string client_id = row.Text(0);
    const std::string subject = row.Text(1);
    PID_ASSIGN_OR_RETURN(auto remaining,
                         conn.Query("SELECT 1 FROM oidc_clients_allowed_api_permissions g JOIN api_permissions p "
                                    "ON p.id = g.api_permission_id WHERE g.oidc_client_id = $1 AND p.api_id = $2 "
                                    "AND g.subject_type = $3",
                                    {client_id, api_id, subject}));
    if (!remaining.empty()) continue;
    PID_RETURN_IF_ERROR(conn.Exec("DELETE FROM oidc_clients_allowed_apis WHERE oidc_client_id = $1 AND api_id = $2 "
                                  "AND subject_type = $3",
                                  {client_id, api_id, subject})
                            .status());
  }
  return Status::Ok();
}

Status TouchWith(db::Connection& conn, std::string_view api_id) {
  return conn.Exec("UPDATE apis SET updated_at = $1 WHERE id = $2", {db::Now(), api_id}).status();
}

// Runs `change` on the locked API inside one transaction and reads the API back.
using ApiChange = std::function<Status(db::Connection&, const Api&)>;
StatusOr<Outcome<Api>> MutateApi(db::Database& database, std::string_view id, const ApiChange& change) {
  bool missing = false;
  std::optional<Api> result;
  PID_RETURN_IF_ERROR(database.InTransaction([&](db::Connection& conn) -> Status {
    PID_ASSIGN_OR_RETURN(auto api, LoadApiWith(conn, id, /*for_update=*/true));
    if (!api) {
      missing = true;
      return Status::Ok();
    }
    PID_RETURN_IF_ERROR(change(conn, *api));
    PID_RETURN_IF_ERROR(TouchWith(conn, api->id));
    PID_ASSIGN_OR_RETURN(result, LoadApiWith(conn, id, false));
    return Status::Ok();
  }));
  if (missing || !result) return Outcome<Api>(Refusal::kApiNotFound);
  return Outcome<Api>(std::move(*result));
}

// SELECT ... with a LIKE search on the given columns, counted and paged.
struct PagedQuery {
  std::string from_where;  // " FROM ... WHERE ..."
  std::vector<db::Param> params;
};

void AddSearch(PagedQuery& q, std::string_view search, std::initializer_list<std::string_view> columns) {
  if (search.empty()) return;
  // Plain LIKE, as Pocket ID: % and _ in the search text are not escaped.
  const std::string placeholder = "$" + std::to_string(q.params.size() + 1);
  q.params.emplace_back("%" + std::string(search) + "%");
  std::string clause;
  for (auto c : columns) clause += (clause.empty() ? "" : " OR ") + std::string(c) + " LIKE " + placeholder;
  q.from_where += " AND (" + clause + ")";
}

// The rows of one page of `q` (selecting `columns`), after counting them all; sort and filters from `list`.
struct PagedRows {
  db::ResultSet rows;
  http::Page page;
};
StatusOr<PagedRows> SelectPage(db::Connection& conn, PagedQuery q, const http::ListRequest& list,
                               std::span<const http::ListField> fields, std::string_view tie_breaker,
                               std::string_view columns) {
  auto clauses = http::BuildListClauses(list, fields, static_cast<int>(q.params.size()) + 1, tie_breaker);
  for (const auto& v : clauses.params) q.params.push_back(http::ToParam(v));
  q.from_where += clauses.where;
  PID_ASSIGN_OR_RETURN(auto counted, conn.Query("SELECT COUNT(*)" + q.from_where, q.params));
  PagedRows out;
  out.page = http::ComputePage(list, counted.empty() ? 0 : counted[0].Int(0));
  PID_ASSIGN_OR_RETURN(out.rows, conn.Query("SELECT " + std::string(columns) + q.from_where + clauses.order_by +
                                                out.page.LimitClause(),
                                            q.params));
  return out;
}

StatusOr<ApiPage> PagedApisWith(db::Connection& conn, PagedQuery q, const http::ListRequest& list) {
  PID_ASSIGN_OR_RETURN(auto paged, SelectPage(conn, std::move(q), list, kApiListFields, "a.id", kApiColumns));
  ApiPage out;
  out.page = paged.page;
  for (const auto& row : paged.rows) out.items.push_back(ReadApi(row));
  PID_RETURN_IF_ERROR(LoadPermissionsWith(conn, out.items));
  return out;
}

// The FROM clause names only oidc_clients (as c), so its columns need no qualification.
StatusOr<ClientPage> PagedClientsWith(db::Connection& conn, PagedQuery q, http::ListRequest list) {
  if (list.sort_column.empty()) {  // a stable order when the caller asks for none
    list.sort_column = "name";
    list.sort_direction = "asc";
  }
  PID_ASSIGN_OR_RETURN(auto paged,
                       SelectPage(conn, std::move(q), list, kClientListFields, "c.id", oidcclients::kClientColumns));
  ClientPage out;
  out.page = paged.page;
  for (const auto& row : paged.rows) {
    PID_ASSIGN_OR_RETURN(auto client, oidcclients::ClientFromRow(row));
    out.items.push_back(std::move(client));
  }
  return out;
}

}  // namespace

StatusOr<ApiPage> ApiStore::List(std::string_view search, const http::ListRequest& list) {
  PagedQuery q{" FROM apis a WHERE 1 = 1", {}};
  AddSearch(q, search, {"a.name", "a.audience"});
  PID_ASSIGN_OR_RETURN(auto lease, database_.Acquire());
  return PagedApisWith(*lease, std::move(q), list);
}

StatusOr<std::optional<Api>> ApiStore::Get(std::string_view id) {
  PID_ASSIGN_OR_RETURN(auto lease, database_.Acquire());
  return LoadApiWith(*lease, id, false);
}

StatusOr<Outcome<Api>> ApiStore::Create(const std::string& name, const std::string& audience) {
  const std::string id = crypto::NewUuidV4();
  bool taken = false;
  std::optional<Api> created;
  Status s = database_.InTransaction([&](db::Connection& conn) -> Status {
    PID_ASSIGN_OR_RETURN(auto existing, conn.Query("SELECT 1 FROM apis WHERE audience = $1", {audience}));
    if (!existing.empty()) {
      taken = true;
      return Status::Ok();
    }
    PID_RETURN_IF_ERROR(conn.Exec("INSERT INTO apis (id, created_at, name, audience, allow_cimd_clients) "
                                  "VALUES ($1, $2, $3, $4, $5)",
                                  {id, db::Now(), name, audience, false})
                            .status());
    PID_ASSIGN_OR_RETURN(created, LoadApiWith(conn, id, false));
    return Status::Ok();
  });
  if (taken || s.code() == StatusCode::kAlreadyExists) return Outcome<Api>(Refusal::kResourceTaken);
  PID_RETURN_IF_ERROR(s);
  if (!created) return InternalError("created API " + id + " is gone");
  return Outcome<Api>(std::move(*created));
}

StatusOr<Outcome<Api>> ApiStore::Rename(std::string_view id, const std::string& name) {
  return MutateApi(database_, id, [&](db::Connection& conn, const Api& api) {
    return conn.Exec("UPDATE apis SET name = $1 WHERE id = $2", {name, api.id}).status();
  });
}

StatusOr<std::optional<Refusal>> ApiStore::Delete(std::string_view id) {
  bool missing = false;
  PID_RETURN_IF_ERROR(database_.InTransaction([&](db::Connection& conn) -> Status {
    PID_ASSIGN_OR_RETURN(auto api, LoadApiWith(conn, id, /*for_update=*/true));
    if (!api) {
      missing = true;
      return Status::Ok();
    }
    PID_RETURN_IF_ERROR(DeletePermissionsWith(conn, api->id, PermissionIds(*api)));
    PID_RETURN_IF_ERROR(conn.Exec("DELETE FROM oidc_clients_allowed_apis WHERE api_id = $1", {api->id}).status());
    return conn.Exec("DELETE FROM apis WHERE id = $1", {api->id}).status();
  }));
  if (missing) return std::optional<Refusal>(Refusal::kApiNotFound);
  return std::optional<Refusal>();
}

StatusOr<Outcome<Api>> ApiStore::ReplacePermissions(std::string_view id, const std::vector<PermissionInput>& wanted) {
  return MutateApi(database_, id, [&](db::Connection& conn, const Api& api) -> Status {
    std::vector<std::string> removed;
    for (const auto& p : api.permissions) {
      bool kept = std::any_of(wanted.begin(), wanted.end(), [&](const PermissionInput& w) { return w.key == p.key; });
      if (!kept) removed.push_back(p.id);
    }
    PID_RETURN_IF_ERROR(DeletePermissionsWith(conn, api.id, removed));
    for (const auto& w : wanted) {
      auto existing = std::find_if(api.permissions.begin(), api.permissions.end(),
                                   [&](const Permission& p) { return p.key == w.key; });
      db::Param description = w.description ? db::Param(*w.description) : db::Param(nullptr);
      if (existing != api.permissions.end()) {
        PID_RETURN_IF_ERROR(conn.Exec("UPDATE api_permissions SET name = $1, description = $2 WHERE id = $3",
                                      {w.name, description, existing->id})
                                .status());
        continue;
      }
      PID_RETURN_IF_ERROR(conn.Exec("INSERT INTO api_permissions (id, created_at, api_id, key, name, description, "
                                    "allowed_for_cimd_clients) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                                    {crypto::NewUuidV4(), db::Now(), api.id, w.key, w.name, description, false})
                              .status());
    }
    return Status::Ok();
  });
}

StatusOr<Outcome<Api>> ApiStore::SetCimdAccess(std::string_view id, bool enabled,
                                               const std::vector<std::string>& permission_ids) {
  return MutateApi(database_, id, [&](db::Connection& conn, const Api& api) -> Status {
    PID_RETURN_IF_ERROR(
        conn.Exec("UPDATE api_permissions SET allowed_for_cimd_clients = $1 WHERE api_id = $2", {false, api.id})
            .status());
    for (const auto& pid : Intersect(PermissionIds(api), permission_ids)) {
      PID_RETURN_IF_ERROR(
          conn.Exec("UPDATE api_permissions SET allowed_for_cimd_clients = $1 WHERE id = $2", {true, pid}).status());
    }
    return conn.Exec("UPDATE apis SET allow_cimd_clients = $1 WHERE id = $2", {enabled, api.id}).status();
  });
}

StatusOr<Outcome<ApiClientPage>> ApiStore::ListClients(std::string_view api_id, std::string_view search,
                                                       const http::ListRequest& list) {
  PID_ASSIGN_OR_RETURN(auto lease, database_.Acquire());
  db::Connection& conn = *lease;
  PID_ASSIGN_OR_RETURN(auto api, LoadApiWith(conn, api_id, false));
  if (!api) return Outcome<ApiClientPage>(Refusal::kApiNotFound);
  PID_ASSIGN_OR_RETURN(auto grants, GrantsWith(conn, GrantsOf::kApi, api->id));
  std::vector<std::string> cimd_permissions;
  if (api->allow_cimd_clients) {
    PID_ASSIGN_OR_RETURN(cimd_permissions, CimdPermissionIdsWith(conn, api->id));
  }

  PagedQuery q{" FROM oidc_clients c WHERE ", {}};
  std::string granted;
  for (const auto& [client_id, grant] : grants) {
    q.params.emplace_back(client_id);
    granted += (granted.empty() ? "$" : ", $") + std::to_string(q.params.size());
  }
  std::string who = granted.empty() ? "1 = 0" : "c.id IN (" + granted + ")";
  if (api->allow_cimd_clients) who = "(" + who + " OR c.client_type = 'cimd')";
  q.from_where += who;
  AddSearch(q, search, {"c.name"});
  PID_ASSIGN_OR_RETURN(auto clients, PagedClientsWith(conn, std::move(q), list));

  ApiClientPage out;
  out.page = clients.page;
  for (auto& client : clients.items) {
    ApiClientAccess row;
    if (auto it = grants.find(client.id); it != grants.end()) row.grant = it->second;
    if (api->allow_cimd_clients && client.client_type == "cimd") row.cimd = {true, cimd_permissions};
    row.client = std::move(client);
    out.items.push_back(std::move(row));
  }
  return Outcome<ApiClientPage>(std::move(out));
}

StatusOr<Outcome<ClientPage>> ApiStore::ListAssignableClients(std::string_view api_id, std::string_view search,
                                                              const http::ListRequest& list) {
  PID_ASSIGN_OR_RETURN(auto lease, database_.Acquire());
  PID_ASSIGN_OR_RETURN(auto api, LoadApiWith(*lease, api_id, false));
  if (!api) return Outcome<ClientPage>(Refusal::kApiNotFound);
  PagedQuery q{
      " FROM oidc_clients c WHERE c.id NOT IN (SELECT oidc_client_id FROM oidc_clients_allowed_apis "
      "WHERE api_id = $1)",
      {api->id}};
  if (api->allow_cimd_clients) q.from_where += " AND c.client_type <> 'cimd'";
  AddSearch(q, search, {"c.name"});
  PID_ASSIGN_OR_RETURN(auto page, PagedClientsWith(*lease, std::move(q), list));
  return Outcome<ClientPage>(std::move(page));
}

StatusOr<Outcome<ClientGrant>> ApiStore::SetClientGrant(std::string_view api_id, std::string_view client_id,
                                                        const ClientGrant& requested) {
  ClientGrant applied;
  PID_ASSIGN_OR_RETURN(auto refusal,
                       ChangeClientGrant(api_id, client_id,
                                         [&](db::Connection& conn, const Api& api, const oidcclients::Client& client) {
                                           applied = ApplicableGrant(api, client, requested);
                                           PID_RETURN_IF_ERROR(DeleteClientGrantsWith(conn, api.id, client.id));
                                           return InsertGrantRowsWith(conn, api.id, client.id, applied);
                                         }));
  if (refusal) return Outcome<ClientGrant>(*refusal);
  return Outcome<ClientGrant>(std::move(applied));
}

StatusOr<std::optional<Refusal>> ApiStore::RemoveClientGrant(std::string_view api_id, std::string_view client_id) {
  // An unknown client is refused rather than "succeeding" at deleting nothing.
  return ChangeClientGrant(api_id, client_id,
                           [](db::Connection& conn, const Api& api, const oidcclients::Client& client) {
                             return DeleteClientGrantsWith(conn, api.id, client.id);
                           });
}

StatusOr<std::optional<Refusal>> ApiStore::ChangeClientGrant(std::string_view api_id, std::string_view client_id,
                                                             const GrantChange& change) {
  std::optional<Refusal> refusal;
  PID_RETURN_IF_ERROR(database_.InTransaction([&](db::Connection& conn) -> Status {
    PID_ASSIGN_OR_RETURN(auto api, LoadApiWith(conn, api_id, /*for_update=*/true));
    if (!api) {
      refusal = Refusal::kApiNotFound;
      return Status::Ok();
    }
    PID_ASSIGN_OR_RETURN(auto client, LoadClientWith(conn, client_id));
    if (!client) {
      refusal = Refusal::kClientNotFound;
      return Status::Ok();
    }
    return change(conn, *api, *client);
  }));
  return refusal;
}

StatusOr<Outcome<std::vector<ClientApiAccess>>> ApiStore::ListClientApis(std::string_view client_id) {
  PID_ASSIGN_OR_RETURN(auto lease, database_.Acquire());
  db::Connection& conn = *lease;
  PID_ASSIGN_OR_RETURN(auto client, LoadClientWith(conn, client_id));
  if (!client) return Outcome<std::vector<ClientApiAccess>>(Refusal::kClientNotFound);
  PID_ASSIGN_OR_RETURN(auto grants, GrantsWith(conn, GrantsOf::kClient, client->id));
  std::set<std::string> cimd_apis;
  if (client->client_type == "cimd") {
    PID_ASSIGN_OR_RETURN(auto rows, conn.Query("SELECT id FROM apis WHERE allow_cimd_clients = TRUE"));
    for (const auto& row : rows) cimd_apis.insert(row.Text(0));
  }
  std::vector<db::Param> ids;
  for (const auto& [api_id, grant] : grants) ids.emplace_back(api_id);
  for (const auto& api_id : cimd_apis) {
    if (!grants.count(api_id)) ids.emplace_back(api_id);
  }
  std::vector<ClientApiAccess> out;
  if (ids.empty()) return Outcome<std::vector<ClientApiAccess>>(std::move(out));
  PID_ASSIGN_OR_RETURN(auto rows, conn.Query("SELECT " + std::string(kApiColumns) + " FROM apis a WHERE a.id IN (" +
                                                 db::Placeholders(ids.size()) + ") ORDER BY a.name, a.id",
                                             ids));
  std::vector<Api> apis;
  for (const auto& row : rows) apis.push_back(ReadApi(row));
  PID_RETURN_IF_ERROR(LoadPermissionsWith(conn, apis));
  for (auto& api : apis) {
    ClientApiAccess row;
    if (auto it = grants.find(api.id); it != grants.end()) row.grant = it->second;
    if (cimd_apis.count(api.id)) {
      row.cimd.access = true;
      for (const auto& p : api.permissions) {
        if (p.allowed_for_cimd_clients) row.cimd.permission_ids.push_back(p.id);
      }
    }
    row.api = std::move(api);
    out.push_back(std::move(row));
  }
  return Outcome<std::vector<ClientApiAccess>>(std::move(out));
}

StatusOr<Outcome<ApiPage>> ApiStore::ListAssignableApis(std::string_view client_id, std::string_view search,
                                                        const http::ListRequest& list) {
  PID_ASSIGN_OR_RETURN(auto lease, database_.Acquire());
  PID_ASSIGN_OR_RETURN(auto client, LoadClientWith(*lease, client_id));
  if (!client) return Outcome<ApiPage>(Refusal::kClientNotFound);
  PagedQuery q{
      " FROM apis a WHERE a.id NOT IN (SELECT api_id FROM oidc_clients_allowed_apis WHERE "
      "oidc_client_id = $1)",
      {client->id}};
  // APIs reached through the CIMD opt-in are already listed for the client.
  if (client->client_type == "cimd") q.from_where += " AND a.allow_cimd_clients = FALSE";
  AddSearch(q, search, {"a.name", "a.audience"});
  PID_ASSIGN_OR_RETURN(auto page, PagedApisWith(*lease, std::move(q), list));
  return Outcome<ApiPage>(std::move(page));
}

}  // namespace pocketid::apis
