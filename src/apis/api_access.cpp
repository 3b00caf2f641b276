#include "apis/api_access.h"

#include <algorithm>

#include "apis/resource_indicator.h"
#include "core/db/param.h"

namespace pocketid::apis {

namespace {

void AddDistinct(std::vector<std::string>& out, std::string value) {
  if (std::find(out.begin(), out.end(), value) == out.end()) out.push_back(std::move(value));
}

// The CIMD opt-in is a join on the client's type, so a client registered the regular way matches nothing.
constexpr std::string_view kCimdApis =
    "SELECT a.id, a.audience FROM apis a JOIN oidc_clients c ON c.id = $1 AND c.client_type = 'cimd' "
    "WHERE a.allow_cimd_clients = TRUE";

}  // namespace

std::string_view SubjectTypeName(SubjectType type) { return type == SubjectType::kUser ? "user" : "client"; }

StatusOr<ClientApiScopes> ClientScopesAndAudiences(db::Connection& conn, std::string_view client_id, bool is_cimd) {
  ClientApiScopes out;
  PID_ASSIGN_OR_RETURN(auto audiences, conn.Query("SELECT a.audience FROM oidc_clients_allowed_apis g "
                                                  "JOIN apis a ON a.id = g.api_id WHERE g.oidc_client_id = $1 "
                                                  "ORDER BY a.audience",
                                                  {client_id}));
  for (const auto& row : audiences) AddDistinct(out.audiences, row.Text(0));
  PID_ASSIGN_OR_RETURN(auto keys, conn.Query("SELECT p.key FROM oidc_clients_allowed_api_permissions g "
                                             "JOIN api_permissions p ON p.id = g.api_permission_id "
                                             "WHERE g.oidc_client_id = $1 ORDER BY p.key",
                                             {client_id}));
  for (const auto& row : keys) AddDistinct(out.scopes, row.Text(0));
  if (is_cimd) {
    PID_ASSIGN_OR_RETURN(auto apis, conn.Query(kCimdApis, {client_id}));
    for (const auto& row : apis) AddDistinct(out.audiences, row.Text(1));
    PID_ASSIGN_OR_RETURN(auto cimd_keys,
                         conn.Query("SELECT p.key FROM api_permissions p JOIN (" + std::string(kCimdApis) +
                                        ") o ON o.id = p.api_id WHERE p.allowed_for_cimd_clients = TRUE ORDER BY p.key",
                                    {client_id}));
    for (const auto& row : cimd_keys) AddDistinct(out.scopes, row.Text(0));
  }
  return out;
}

StatusOr<AudienceAccess> AccessForAudience(db::Connection& conn, std::string_view client_id, std::string_view audience,
                                           SubjectType subject) {
  AudienceAccess out;
  PID_ASSIGN_OR_RETURN(auto apis,
                       conn.Query("SELECT id, allow_cimd_clients FROM apis WHERE audience = $1", {audience}));
  if (apis.empty()) return out;
  out.api_exists = true;
  const std::string api_id = apis[0].Text(0);
  const bool open_to_cimd = apis[0].Bool(1);
  const std::string_view subject_name = SubjectTypeName(subject);

  PID_ASSIGN_OR_RETURN(auto grants, conn.Query("SELECT 1 FROM oidc_clients_allowed_apis WHERE oidc_client_id = $1 "
                                               "AND api_id = $2 AND subject_type = $3",
                                               {client_id, api_id, subject_name}));
  out.has_access = !grants.empty();
  PID_ASSIGN_OR_RETURN(auto keys,
                       conn.Query("SELECT p.key FROM api_permissions p JOIN oidc_clients_allowed_api_permissions g "
                                  "ON g.api_permission_id = p.id AND g.oidc_client_id = $1 AND g.subject_type = $2 "
                                  "WHERE p.api_id = $3 ORDER BY p.key",
                                  {client_id, subject_name, api_id}));
  for (const auto& row : keys) out.scopes.push_back(row.Text(0));

  // The opt-in covers user-delegated access only: CIMD clients are public and cannot use client_credentials.
  if (open_to_cimd && subject == SubjectType::kUser) {
    PID_ASSIGN_OR_RETURN(auto cimd,
                         conn.Query("SELECT 1 FROM oidc_clients WHERE id = $1 AND client_type = 'cimd'", {client_id}));
    if (!cimd.empty()) {
      out.has_access = true;
      PID_ASSIGN_OR_RETURN(auto cimd_keys, conn.Query("SELECT key FROM api_permissions WHERE api_id = $1 AND "
                                                      "allowed_for_cimd_clients = TRUE ORDER BY key",
                                                      {api_id}));
      for (const auto& row : cimd_keys) AddDistinct(out.scopes, row.Text(0));
    }
  }
  return out;
}

StatusOr<std::vector<Permission>> DescribePermissions(db::Connection& conn, std::string_view audience,
                                                      const std::vector<std::string>& keys) {
  std::vector<Permission> out;
  if (keys.empty()) return out;
  std::vector<db::Param> params{CanonicalResource(audience)};
  for (const auto& k : keys) params.emplace_back(k);
  PID_ASSIGN_OR_RETURN(auto rows, conn.Query("SELECT p.id, p.key, p.name, p.description, p.allowed_for_cimd_clients "
                                             "FROM api_permissions p JOIN apis a ON a.id = p.api_id "
                                             "WHERE a.audience = $1 AND p.key IN (" +
                                                 db::Placeholders(keys.size(), 2) + ") ORDER BY p.key",
                                             params));
  for (const auto& row : rows) {
    out.push_back({row.Text(0), row.Text(1), row.Text(2), row.OptionalText(3), row.Bool(4)});
  }
  return out;
}

}  // namespace pocketid::apis
