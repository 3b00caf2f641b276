#include "oidcclients/admin_store.h"

#include <algorithm>
#include <array>

#include "core/crypto/random.h"
#include "users/user.h"

namespace pocketid::oidcclients {

namespace {

// kClientColumns, each prefixed with "c." for queries that join other tables.
const std::string& QualifiedClientColumns() {
  static const std::string columns = [] {
    std::string out;
    std::string_view rest = kClientColumns;
    while (!rest.empty()) {
      auto comma = rest.find(',');
      std::string_view col = rest.substr(0, comma);
      while (!col.empty() && col.front() == ' ') col.remove_prefix(1);
      if (!out.empty()) out += ", ";
      out += "c." + std::string(col);
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
    return out;
  }();
  return columns;
}

std::string_view ForUpdate(db::Engine engine) { return engine == db::Engine::kPostgres ? " FOR UPDATE" : ""; }

std::string_view SubjectExpression(db::Engine engine) {
  return engine == db::Engine::kSqlite ? "json_extract(CAST(request_data AS TEXT), '$.session.subject')"
                                       : "request_data #>> '{session,subject}'";
}

// The client fields an admin can sort and filter by (the `sortable`/`filterable` tags of Pocket ID's model).
constexpr std::array<http::ListField, 9> kClientListFields{{
    {"name", "c.name", true, false},
    {"createdAt", "c.created_at", true, false},
    {"pkceEnabled", "c.pkce_enabled", true, true},
    {"requiresReauthentication", "c.requires_reauthentication", true, true},
    {"requiresPushedAuthorizationRequests", "c.requires_pushed_authorization_requests", true, true},
    {"skipConsent", "c.skip_consent", true, true},
    {"isGroupRestricted", "c.is_group_restricted", true, true},
    {"pkceSupported", "c.pkce_supported", true, true},
    {"clientType", "c.client_type", true, true},
}};

constexpr std::array<http::ListField, 1> kAuthorizedListFields{{
    {"lastUsedAt", "a.last_used_at", true, false},
}};

std::string LaunchUrlFilter(const http::ListRequest& list) {
  auto has = list.BoolFilter("hasLaunchURL");
  if (!has) return {};
  return *has ? " AND (c.launch_url IS NOT NULL AND c.launch_url <> '')"
              : " AND (c.launch_url IS NULL OR c.launch_url = '')";
}

StatusOr<std::optional<Client>> LoadForUpdate(db::Connection& conn, std::string_view id) {
  std::string sql =
      "SELECT " + std::string(kClientColumns) + " FROM oidc_clients WHERE id = $1" + std::string(ForUpdate(conn.engine()));
  PID_ASSIGN_OR_RETURN(auto rows, conn.Query(sql, {id}));
  if (rows.empty()) return std::optional<Client>();
  PID_ASSIGN_OR_RETURN(auto client, ClientFromRow(rows[0]));
  return std::optional<Client>(std::move(client));
}

// Pocket ID's updateOIDCClientModelFromDto: local fields for every client, registration fields only for clients
// that are not backed by a metadata document.
void ApplyInput(Client& c, const ClientInput& in) {
  c.description = in.description;
  c.requires_reauthentication = in.requires_reauthentication;
  c.requires_pushed_authorization_requests = in.requires_pushed_authorization_requests;
  c.skip_consent = in.skip_consent;
  c.launch_url = in.launch_url;
  c.is_group_restricted = in.is_group_restricted;
  c.access_token_duration_minutes = in.AccessTokenMinutesOrDefault();
  c.refresh_token_duration_minutes = in.RefreshTokenMinutesOrDefault();
  if (c.client_type == "cimd") return;
  c.name = in.name;
  c.callback_urls = in.callback_urls;
  c.logout_callback_urls = in.logout_callback_urls;
  c.is_public = in.is_public;
  c.pkce_enabled = in.is_public || in.pkce_enabled;  // public clients cannot keep a secret: PKCE is required
  if (!in.pkce_enabled) c.pkce_supported = false;    // the "supports PKCE" hint is answered
  c.credentials.federated_identities = in.federated_identities;
}

Status WriteUpdate(db::Connection& conn, const Client& c) {
  if (c.client_type == "cimd") {
    return conn
        .Exec("UPDATE oidc_clients SET description = $1, requires_reauthentication = $2, "
              "requires_pushed_authorization_requests = $3, skip_consent = $4, launch_url = $5, "
              "is_group_restricted = $6, access_token_duration_minutes = $7, refresh_token_duration_minutes = $8 "
              "WHERE id = $9",
              {c.description, c.requires_reauthentication, c.requires_pushed_authorization_requests, c.skip_consent,
               c.launch_url, c.is_group_restricted, c.access_token_duration_minutes, c.refresh_token_duration_minutes,
               c.id})
        .status();
  }
  return conn
      .Exec("UPDATE oidc_clients SET name = $1, description = $2, callback_urls = $3, logout_callback_urls = $4, "
            "is_public = $5, pkce_enabled = $6, requires_reauthentication = $7, "
            "requires_pushed_authorization_requests = $8, skip_consent = $9, credentials = $10, launch_url = $11, "
            "is_group_restricted = $12, pkce_supported = $13, access_token_duration_minutes = $14, "
            "refresh_token_duration_minutes = $15 WHERE id = $16",
            {c.name, c.description, db::Json{StringListJson(c.callback_urls)},
             db::Json{StringListJson(c.logout_callback_urls)}, c.is_public, c.pkce_enabled,
             c.requires_reauthentication, c.requires_pushed_authorization_requests, c.skip_consent,
             db::Json{c.credentials.ToJson()}, c.launch_url, c.is_group_restricted, c.pkce_supported,
             c.access_token_duration_minutes, c.refresh_token_duration_minutes, c.id})
      .status();
}

Status WriteCredentials(db::Connection& conn, const Client& c) {
  return conn
      .Exec("UPDATE oidc_clients SET credentials = $1 WHERE id = $2", {db::Json{c.credentials.ToJson()}, c.id})
      .status();
}

// The parameters of a list query: the fixed ones first, then the filter values.
std::vector<db::Param> ListParams(std::vector<db::Param> fixed, const http::ListClauses& clauses) {
  for (const auto& v : clauses.params) fixed.push_back(http::ToParam(v));
  return fixed;
}

StatusOr<int64_t> Count(db::Database& database, const std::string& from_where, const std::vector<db::Param>& params) {
  PID_ASSIGN_OR_RETURN(auto rows, database.Query("SELECT COUNT(*) AS n " + from_where, params));
  return rows.empty() ? 0 : rows[0].Int(0);
}

}  // namespace

StatusOr<Client> AdminStore::Create(const ClientInput& input, std::optional<std::string_view> created_by_id) {
  Client c;
  c.id = input.id.value_or(crypto::NewUuidV4());
  c.created_at = db::Now();
  ApplyInput(c, input);
  PID_RETURN_IF_ERROR(
      database_
          .Exec("INSERT INTO oidc_clients (id, created_at, name, description, callback_urls, logout_callback_urls, "
                "is_public, pkce_enabled, requires_reauthentication, requires_pushed_authorization_requests, "
                "skip_consent, credentials, launch_url, is_group_restricted, pkce_supported, client_type, "
                "access_token_duration_minutes, refresh_token_duration_minutes, created_by_id) "
                "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)",
                {c.id, c.created_at, c.name, c.description, db::Json{StringListJson(c.callback_urls)},
                 db::Json{StringListJson(c.logout_callback_urls)}, c.is_public, c.pkce_enabled,
                 c.requires_reauthentication, c.requires_pushed_authorization_requests, c.skip_consent,
                 db::Json{c.credentials.ToJson()}, c.launch_url, c.is_group_restricted, false, "standard",
                 c.access_token_duration_minutes, c.refresh_token_duration_minutes,
                 created_by_id ? db::Param(*created_by_id) : db::Param(nullptr)})
          .status());
  ClientStore store(database_);
  PID_ASSIGN_OR_RETURN(auto saved, store.FindById(c.id));
  if (!saved) return InternalError("created client " + c.id + " is gone");
  return std::move(*saved);
}

StatusOr<std::optional<Client>> AdminStore::Update(std::string_view id, const ClientInput& input) {
  bool found = false;
  PID_RETURN_IF_ERROR(database_.InTransaction([&](db::Connection& conn) -> Status {
    PID_ASSIGN_OR_RETURN(auto client, LoadForUpdate(conn, id));
    if (!client) return Status::Ok();
    found = true;
    ApplyInput(*client, input);
    if (!input.is_group_restricted) {
      PID_RETURN_IF_ERROR(
          conn.Exec("DELETE FROM oidc_clients_allowed_user_groups WHERE oidc_client_id = $1", {id}).status());
    }
    return WriteUpdate(conn, *client);
  }));
  if (!found) return std::optional<Client>();
  ClientStore store(database_);
  return store.FindById(id);
}

StatusOr<std::optional<Client>> AdminStore::Delete(std::string_view id) {
  std::optional<Client> deleted;
  PID_RETURN_IF_ERROR(database_.InTransaction([&](db::Connection& conn) -> Status {
    PID_ASSIGN_OR_RETURN(deleted, LoadForUpdate(conn, id));
    if (!deleted) return Status::Ok();
    return conn.Exec("DELETE FROM oidc_clients WHERE id = $1", {id}).status();
  }));
  return deleted;
}

StatusOr<ListPage<ClientListItem>> AdminStore::List(std::string_view search, const http::ListRequest& list) {
  std::vector<db::Param> fixed;
  std::string where = " WHERE 1 = 1";
  if (!search.empty()) {
    where += " AND c.name LIKE $1";
    fixed.emplace_back("%" + std::string(search) + "%");
  }
  auto clauses = http::BuildListClauses(list, kClientListFields, static_cast<int>(fixed.size()) + 1, "c.id");
  const std::string count_expr =
      "(SELECT COUNT(*) FROM oidc_clients_allowed_user_groups g WHERE g.oidc_client_id = c.id)";
  std::string order_by = clauses.order_by;
  // Not a column: Pocket ID sorts by the number of allowed groups only for a valid direction.
  if (list.sort_column == "allowedUserGroupsCount" && list.HasValidSortDirection()) {
    order_by = " ORDER BY " + count_expr + " " + std::string(list.NormalizedSortDirection()) + ", c.id";
  }
  const std::string from_where = "FROM oidc_clients c" + where + clauses.where;
  auto params = ListParams(std::move(fixed), clauses);
  PID_ASSIGN_OR_RETURN(int64_t total, Count(database_, from_where, params));
  ListPage<ClientListItem> out;
  out.page = http::ComputePage(list, total);
  PID_ASSIGN_OR_RETURN(auto rows, database_.Query("SELECT " + QualifiedClientColumns() + ", " + count_expr +
                                                      " AS allowed_user_groups_count " + from_where + order_by +
                                                      out.page.LimitClause(),
                                                  params));
  for (const auto& row : rows) {
    PID_ASSIGN_OR_RETURN(auto client, ClientFromRow(row));
    out.items.push_back({std::move(client), row.Int("allowed_user_groups_count")});
  }
  return out;
}

StatusOr<std::vector<AllowedGroup>> AdminStore::AllowedGroups(std::string_view client_id) {
  PID_ASSIGN_OR_RETURN(
      auto rows, database_.Query("SELECT g.id, g.friendly_name, g.name, g.ldap_id, g.created_at, "
                                 "(SELECT COUNT(*) FROM user_groups_users m WHERE m.user_group_id = g.id) AS user_count "
                                 "FROM oidc_clients_allowed_user_groups a JOIN user_groups g ON g.id = a.user_group_id "
                                 "WHERE a.oidc_client_id = $1 ORDER BY g.friendly_name, g.id",
                                 {client_id}));
  std::vector<AllowedGroup> out;
  for (const auto& row : rows) {
    AllowedGroup g{row.Text("id"), row.Text("friendly_name"), row.Text("name"), row.OptionalText("ldap_id"),
                   row.Time("created_at"), row.Int("user_count"), {}};
    PID_ASSIGN_OR_RETURN(auto claims, database_.Query("SELECT key, value FROM custom_claims WHERE user_group_id = $1 "
                                                      "ORDER BY key",
                                                      {g.id}));
    for (const auto& c : claims) g.custom_claims.emplace_back(c.Text(0), c.Text(1));
    out.push_back(std::move(g));
  }
  return out;
}

StatusOr<bool> AdminStore::SetAllowedGroups(std::string_view client_id, const std::vector<std::string>& group_ids) {
  bool found = false;
  PID_RETURN_IF_ERROR(database_.InTransaction([&](db::Connection& conn) -> Status {
    PID_ASSIGN_OR_RETURN(auto client, LoadForUpdate(conn, client_id));
    if (!client) return Status::Ok();
    found = true;
    PID_RETURN_IF_ERROR(
        conn.Exec("DELETE FROM oidc_clients_allowed_user_groups WHERE oidc_client_id = $1", {client_id}).status());
    std::vector<std::string> ids;
    for (const auto& id : group_ids) {
      // Unknown ids are skipped, as Pocket ID only links groups it finds; on PostgreSQL a non-UUID cannot be a
      // group id (and would be a type error for the uuid column).
      bool usable = conn.engine() == db::Engine::kSqlite || users::LooksLikeUuid(id);
      if (usable && std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
    }
    for (const auto& id : ids) {
      PID_RETURN_IF_ERROR(conn.Exec("INSERT INTO oidc_clients_allowed_user_groups (user_group_id, oidc_client_id) "
                                    "SELECT id, $2 FROM user_groups WHERE id = $1",
                                    {id, client_id})
                              .status());
    }
    return Status::Ok();
  }));
  return found;
}

StatusOr<SecretOutcome> AdminStore::AddSecret(std::string_view client_id, const ClientSecret& secret) {
  SecretOutcome outcome = SecretOutcome::kClientNotFound;
  PID_RETURN_IF_ERROR(database_.InTransaction([&](db::Connection& conn) -> Status {
    PID_ASSIGN_OR_RETURN(auto client, LoadForUpdate(conn, client_id));
    if (!client) return Status::Ok();
    if (client->is_public) {
      outcome = SecretOutcome::kPublicClient;
      return Status::Ok();
    }
    if (client->credentials.secrets.size() >= kMaxSecrets) {
      outcome = SecretOutcome::kTooManySecrets;
      return Status::Ok();
    }
    client->credentials.secrets.push_back(secret);
    outcome = SecretOutcome::kAdded;
    return WriteCredentials(conn, *client);
  }));
  return outcome;
}

StatusOr<std::optional<bool>> AdminStore::DeleteSecret(std::string_view client_id, std::string_view secret_id) {
  std::optional<bool> outcome;
  PID_RETURN_IF_ERROR(database_.InTransaction([&](db::Connection& conn) -> Status {
    PID_ASSIGN_OR_RETURN(auto client, LoadForUpdate(conn, client_id));
    if (!client) return Status::Ok();
    auto& secrets = client->credentials.secrets;
    size_t before = secrets.size();
    std::erase_if(secrets, [&](const ClientSecret& s) { return s.id == secret_id; });
    outcome = secrets.size() != before;
    return *outcome ? WriteCredentials(conn, *client) : Status::Ok();
  }));
  return outcome;
}

StatusOr<std::optional<std::optional<std::string>>> AdminStore::SetLogoType(std::string_view client_id, bool light,
                                                                            std::optional<std::string_view> ext) {
  std::optional<std::optional<std::string>> previous;
  PID_RETURN_IF_ERROR(database_.InTransaction([&](db::Connection& conn) -> Status {
    PID_ASSIGN_OR_RETURN(auto client, LoadForUpdate(conn, client_id));
    if (!client) return Status::Ok();
    previous = light ? client->image_type : client->dark_image_type;
    std::string sql = light ? "UPDATE oidc_clients SET image_type = $1 WHERE id = $2"
                            : "UPDATE oidc_clients SET dark_image_type = $1 WHERE id = $2";
    return conn.Exec(sql, {ext ? db::Param(*ext) : db::Param(nullptr), client_id}).status();
  }));
  return previous;
}

StatusOr<ListPage<AuthorizedClient>> AdminStore::ListAuthorized(std::string_view user_id,
                                                                 const http::ListRequest& list) {
  std::vector<db::Param> fixed{user_id};
  auto clauses = http::BuildListClauses(list, kAuthorizedListFields, 2, "c.id");
  const std::string from_where = "FROM user_authorized_oidc_clients a JOIN oidc_clients c ON c.id = a.client_id "
                                 "WHERE a.user_id = $1" +
                                 LaunchUrlFilter(list) + clauses.where;
  auto params = ListParams(std::move(fixed), clauses);
  PID_ASSIGN_OR_RETURN(int64_t total, Count(database_, from_where, params));
  ListPage<AuthorizedClient> out;
  out.page = http::ComputePage(list, total);
  PID_ASSIGN_OR_RETURN(auto rows, database_.Query("SELECT a.scope AS scope, a.last_used_at AS last_used_at, " +
                                                      QualifiedClientColumns() + " " + from_where + clauses.order_by +
                                                      out.page.LimitClause(),
                                                  params));
  for (const auto& row : rows) {
    PID_ASSIGN_OR_RETURN(auto client, ClientFromRow(row));
    out.items.push_back({std::move(client), ParseStringList(row.Text("scope")), row.Time("last_used_at")});
  }
  return out;
}

StatusOr<bool> AdminStore::RevokeAuthorized(std::string_view user_id, std::string_view client_id) {
  bool found = false;
  PID_RETURN_IF_ERROR(database_.InTransaction([&](db::Connection& conn) -> Status {
    PID_ASSIGN_OR_RETURN(int64_t deleted, conn.Exec("DELETE FROM user_authorized_oidc_clients "
                                                    "WHERE user_id = $1 AND client_id = $2",
                                                    {user_id, client_id}));
    if (deleted == 0) return Status::Ok();
    found = true;
    // Taking the consent back ends the client's access: refresh tokens stop working and access tokens are no
    // longer recognised by introspection and userinfo.
    const std::string subject(SubjectExpression(conn.engine()));
    PID_RETURN_IF_ERROR(conn.Exec("UPDATE oauth2_sessions SET active = $1 WHERE kind = 'refresh_token' "
                                  "AND client_id = $2 AND " +
                                      subject + " = $3",
                                  {false, client_id, user_id})
                            .status());
    return conn
        .Exec("DELETE FROM oauth2_sessions WHERE kind = 'access_token' AND client_id = $1 AND " + subject + " = $2",
              {client_id, user_id})
        .status();
  }));
  return found;
}

StatusOr<ListPage<AccessibleClient>> AdminStore::ListAccessible(std::string_view user_id,
                                                                const http::ListRequest& list) {
  std::vector<db::Param> fixed{user_id, false};
  auto clauses = http::BuildListClauses(list, kClientListFields, 3, "c.id");
  const std::string from_where =
      "FROM oidc_clients c LEFT JOIN user_authorized_oidc_clients a ON a.client_id = c.id AND a.user_id = $1 "
      "WHERE (c.is_group_restricted = $2 OR EXISTS (SELECT 1 FROM oidc_clients_allowed_user_groups g "
      "JOIN user_groups_users m ON m.user_group_id = g.user_group_id "
      "WHERE g.oidc_client_id = c.id AND m.user_id = $1))" +
      LaunchUrlFilter(list) + clauses.where;
  std::string order_by = clauses.order_by;
  if (list.sort_column == "lastUsedAt" && list.HasValidSortDirection()) {
    order_by = " ORDER BY a.last_used_at " + std::string(list.NormalizedSortDirection()) + " NULLS LAST, c.id";
  }
  auto params = ListParams(std::move(fixed), clauses);
  PID_ASSIGN_OR_RETURN(int64_t total, Count(database_, from_where, params));
  ListPage<AccessibleClient> out;
  out.page = http::ComputePage(list, total);
  PID_ASSIGN_OR_RETURN(auto rows,
                       database_.Query("SELECT a.last_used_at AS last_used_at, " + QualifiedClientColumns() + " " +
                                           from_where + order_by + out.page.LimitClause(),
                                       params));
  for (const auto& row : rows) {
    PID_ASSIGN_OR_RETURN(auto client, ClientFromRow(row));
    out.items.push_back({std::move(client), row.OptionalTime("last_used_at")});
  }
  return out;
}

}  // namespace pocketid::oidcclients
