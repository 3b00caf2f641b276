// The read side the OIDC provider consults (protocol.md §1.16): which permission keys and API audiences a client
// may request at all, what it holds for one API and subject type, and the permissions' display text for consent.
// Each call runs a few indexed queries on the caller's connection.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "apis/api.h"
#include "core/db/connection.h"
#include "core/status/status.h"

namespace pocketid::apis {

// Across both subject types (and, for CIMD clients, the APIs that opted in to them): the permission keys the client
// holds and the audiences of every API it may reach, each list without duplicates.
struct ClientApiScopes {
  std::vector<std::string> scopes;
  std::vector<std::string> audiences;
};
StatusOr<ClientApiScopes> ClientScopesAndAudiences(db::Connection& conn, std::string_view client_id, bool is_cimd);

// What `client_id` holds for the API with `audience` (already canonical) as `subject`.
struct AudienceAccess {
  bool api_exists = false;
  bool has_access = false;
  std::vector<std::string> scopes;  // the permission keys held
};
StatusOr<AudienceAccess> AccessForAudience(db::Connection& conn, std::string_view client_id, std::string_view audience,
                                           SubjectType subject);

// The permissions among `keys` of the API with `audience` (trailing slashes ignored), in key order.
StatusOr<std::vector<Permission>> DescribePermissions(db::Connection& conn, std::string_view audience,
                                                      const std::vector<std::string>& keys);

}  // namespace pocketid::apis
