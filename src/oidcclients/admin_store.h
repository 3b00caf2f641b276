// The database side of the client admin API and the user-facing client lists (management.md §1.5, §1.6):
// create/update/delete/list clients, secrets inside the `credentials` column, allowed user groups, logo types,
// a user's consents (`user_authorized_oidc_clients`) and the apps dashboard. Works on SQLite and PostgreSQL.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/db/database.h"
#include "core/http/pagination.h"
#include "core/status/status.h"
#include "oidcclients/client.h"
#include "oidcclients/client_input.h"

namespace pocketid::oidcclients {

// UserGroupMinimalDto's data: a group a client admits.
struct AllowedGroup {
  std::string id;
  std::string friendly_name;
  std::string name;
  std::optional<std::string> ldap_id;
  db::Timestamp created_at;
  int64_t user_count = 0;
  std::vector<std::pair<std::string, std::string>> custom_claims;
};

struct ClientListItem {
  Client client;
  int64_t allowed_user_groups_count = 0;
};

struct AuthorizedClient {
  Client client;
  std::vector<std::string> scope;
  db::Timestamp last_used_at;
};

struct AccessibleClient {
  Client client;
  std::optional<db::Timestamp> last_used_at;
};

template <typename T>
struct ListPage {
  std::vector<T> items;
  http::Page page;
};

enum class SecretOutcome { kAdded, kClientNotFound, kPublicClient, kTooManySecrets };

class AdminStore {
 public:
  explicit AdminStore(db::Database& database) : database_(database) {}

  // `id` set or a new UUID; kAlreadyExists when the id is taken.
  StatusOr<Client> Create(const ClientInput& input, std::optional<std::string_view> created_by_id);
  // nullopt when there is no such client. CIMD clients keep every field their metadata document owns.
  StatusOr<std::optional<Client>> Update(std::string_view id, const ClientInput& input);
  // The deleted client (for its logo files), nullopt when there was none.
  StatusOr<std::optional<Client>> Delete(std::string_view id);

  // `search`: name LIKE %search%.
  StatusOr<ListPage<ClientListItem>> List(std::string_view search, const http::ListRequest& list);

  StatusOr<std::vector<AllowedGroup>> AllowedGroups(std::string_view client_id);
  // Replaces the allowed groups with the existing groups among `group_ids`; false when the client is missing.
  StatusOr<bool> SetAllowedGroups(std::string_view client_id, const std::vector<std::string>& group_ids);

  // Appends `secret` to the client's credentials unless the client is public or already has kMaxSecrets.
  StatusOr<SecretOutcome> AddSecret(std::string_view client_id, const ClientSecret& secret);
  // nullopt: no such client; false: no such secret.
  StatusOr<std::optional<bool>> DeleteSecret(std::string_view client_id, std::string_view secret_id);

  // Sets image_type (light) or dark_image_type to `ext` (nullopt clears it). Returns the previous value; the outer
  // nullopt means there is no such client.
  StatusOr<std::optional<std::optional<std::string>>> SetLogoType(std::string_view client_id, bool light,
                                                                   std::optional<std::string_view> ext);

  // The user's consents; `hasLaunchURL` filter and `lastUsedAt` sort as in Pocket ID.
  StatusOr<ListPage<AuthorizedClient>> ListAuthorized(std::string_view user_id, const http::ListRequest& list);
  // Deletes the consent and revokes the user's tokens for the client; false when there was no consent.
  StatusOr<bool> RevokeAuthorized(std::string_view user_id, std::string_view client_id);
  // Every client the user may use (not group-restricted, or one of the user's groups is allowed).
  StatusOr<ListPage<AccessibleClient>> ListAccessible(std::string_view user_id, const http::ListRequest& list);

 private:
  db::Database& database_;
};

}  // namespace pocketid::oidcclients
