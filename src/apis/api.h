// APIs (OAuth resource servers, RFC 8707) and what OIDC clients may do with them (management.md §1.7,
// protocol.md §1.16). Tables: `apis`, `api_permissions`, and the grants `oidc_clients_allowed_apis` (access to an API)
// and `oidc_clients_allowed_api_permissions` (its permissions), each per subject type.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/db/timestamp.h"

namespace pocketid::apis {

// Whom the access token will represent: a user (every user-delegated flow) or the client itself
// (client_credentials). A client's grants are held per subject type.
enum class SubjectType { kUser, kClient };
std::string_view SubjectTypeName(SubjectType type);  // "user" | "client", as stored

// One permission of an API: an OAuth scope the API understands.
struct Permission {
  std::string id;
  std::string key;  // the scope value
  std::string name;
  std::optional<std::string> description;
  bool allowed_for_cimd_clients = false;
};

struct Api {
  std::string id;
  std::string name;
  std::string audience;  // the resource indicator; `resource` in the REST API
  db::Timestamp created_at;
  std::optional<db::Timestamp> updated_at;
  bool allow_cimd_clients = false;
  std::vector<Permission> permissions;  // ordered by key
};

// What one client may do with one API. Access without any permission yields tokens without a custom scope.
struct ClientGrant {
  bool user_delegated_access = false;
  bool client_access = false;
  std::vector<std::string> user_delegated_permission_ids;
  std::vector<std::string> client_permission_ids;
};

// What the API-wide CIMD opt-in gives a client of type "cimd" (read-only on the grant screens).
struct CimdGrant {
  bool access = false;
  std::vector<std::string> permission_ids;
};

}  // namespace pocketid::apis
