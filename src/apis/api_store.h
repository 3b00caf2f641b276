// The admin side of APIs (management.md §1.7): APIs and their permissions, the CIMD opt-in, and per-client grants,
// listed from the API's side and from the client's side. Every mutation runs in one transaction; works on SQLite
// and PostgreSQL.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "apis/api.h"
#include "core/db/database.h"
#include "core/http/pagination.h"
#include "core/status/status.h"
#include "oidcclients/client.h"

namespace pocketid::apis {

// Why a request changed nothing.
enum class Refusal {
  kApiNotFound,
  kClientNotFound,
  kResourceTaken,  // another API has this audience
};

template <typename T>
using Outcome = std::variant<T, Refusal>;

struct PermissionInput {
  std::string key;
  std::string name;
  std::optional<std::string> description;
};

struct ApiPage {
  std::vector<Api> items;
  http::Page page;
};

// A client that may reach an API, with its grants (a row of the API's clients tab).
struct ApiClientAccess {
  oidcclients::Client client;
  ClientGrant grant;
  CimdGrant cimd;
};
struct ApiClientPage {
  std::vector<ApiClientAccess> items;
  http::Page page;
};
struct ClientPage {
  std::vector<oidcclients::Client> items;
  http::Page page;
};

// An API a client may reach, with the client's grants on it (a row of the client's API access card).
struct ClientApiAccess {
  Api api;
  ClientGrant grant;
  CimdGrant cimd;
};

class ApiStore {
 public:
  explicit ApiStore(db::Database& database) : database_(database) {}

  // `search`: name or audience LIKE %search%. Sortable: name, resource (the audience), createdAt.
  StatusOr<ApiPage> List(std::string_view search, const http::ListRequest& list);
  StatusOr<std::optional<Api>> Get(std::string_view id);
  // `audience` must already be canonical (CanonicalResource).
  StatusOr<Outcome<Api>> Create(const std::string& name, const std::string& audience);
  StatusOr<Outcome<Api>> Rename(std::string_view id, const std::string& name);
  // Permissions and every grant on the API go with it. nullopt when deleted.
  StatusOr<std::optional<Refusal>> Delete(std::string_view id);
  // Full replacement matched by key: kept keys keep their id and grants (name/description updated), removed keys
  // lose their grants, and a client loses its access for a subject type with the last permission it held there.
  // The keys must already be validated (distinct, scope tokens, not reserved).
  StatusOr<Outcome<Api>> ReplacePermissions(std::string_view id, const std::vector<PermissionInput>& permissions);
  // Opens (or closes) the API to every CIMD client, with the given permissions of this API (others ignored).
  StatusOr<Outcome<Api>> SetCimdAccess(std::string_view id, bool enabled,
                                       const std::vector<std::string>& permission_ids);

  // Clients with a grant on the API (plus every CIMD client when it opted in); default order name.
  StatusOr<Outcome<ApiClientPage>> ListClients(std::string_view api_id, std::string_view search,
                                               const http::ListRequest& list);
  // Clients without a grant yet (CIMD clients excluded when the API opted in to them).
  StatusOr<Outcome<ClientPage>> ListAssignableClients(std::string_view api_id, std::string_view search,
                                                      const http::ListRequest& list);
  // Replaces one client's grants on one API and returns what was applied: permission ids of other APIs dropped,
  // no client access for public clients, any permission implies access for its subject type.
  StatusOr<Outcome<ClientGrant>> SetClientGrant(std::string_view api_id, std::string_view client_id,
                                                const ClientGrant& requested);
  StatusOr<std::optional<Refusal>> RemoveClientGrant(std::string_view api_id, std::string_view client_id);

  // Every API the client may reach, ordered by name.
  StatusOr<Outcome<std::vector<ClientApiAccess>>> ListClientApis(std::string_view client_id);
  // APIs the client cannot reach yet. Sortable like List.
  StatusOr<Outcome<ApiPage>> ListAssignableApis(std::string_view client_id, std::string_view search,
                                                const http::ListRequest& list);

 private:
  // Runs `change` on the locked API and the client in one transaction; a refusal when either does not exist.
  using GrantChange = std::function<Status(db::Connection&, const Api&, const oidcclients::Client&)>;
  StatusOr<std::optional<Refusal>> ChangeClientGrant(std::string_view api_id, std::string_view client_id,
                                                     const GrantChange& change);

  db::Database& database_;
};

}  // namespace pocketid::apis
