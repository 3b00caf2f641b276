// User groups in the database (management.md §1.2, §9): `user_groups`, their members (`user_groups_users`), their
// custom claims and the OIDC clients that admit them (`oidc_clients_allowed_user_groups`). Every mutation runs in
// one transaction and reads the group back on that transaction's connection. Works on SQLite and PostgreSQL.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/db/database.h"
#include "core/http/pagination.h"
#include "core/status/status.h"
#include "customclaims/claim_store.h"
#include "oidcclients/client.h"
#include "users/user.h"

namespace pocketid::groups {

struct Group {
  std::string id;
  std::string friendly_name;
  std::string name;
  std::optional<std::string> ldap_id;
  db::Timestamp created_at;
  std::optional<db::Timestamp> updated_at;
};

// A row of the group list (UserGroupMinimalDto).
struct GroupSummary {
  Group group;
  int64_t user_count = 0;
  std::vector<customclaims::Claim> claims;
};

// One group with what UserGroupDto shows of it.
struct GroupDetails {
  Group group;
  std::vector<customclaims::Claim> claims;
  std::vector<users::User> members;
  std::vector<oidcclients::Client> allowed_clients;
};

// UserGroupCreateDto, validated and normalised.
struct GroupInput {
  std::string friendly_name;
  std::string name;
};

// Why a mutation did not happen.
enum class Refusal {
  kNotFound,   // no such group
  kLdapGroup,  // synced from LDAP while LDAP is enabled: read-only
  kNameTaken,  // another group has that name
};

template <typename T>
using Outcome = std::variant<T, Refusal>;

struct GroupPage {
  std::vector<GroupSummary> items;
  http::Page page;
};

class GroupStore {
 public:
  explicit GroupStore(db::Database& database) : database_(database) {}

  // `search`: name LIKE %search%. Sortable: createdAt, friendlyName, name, and userCount (member count).
  StatusOr<GroupPage> List(std::string_view search, const http::ListRequest& list);
  StatusOr<std::optional<GroupDetails>> Get(std::string_view id);

  StatusOr<Outcome<GroupDetails>> Create(const GroupInput& input);
  // `ldap_enabled`: the ldapEnabled setting; LDAP groups cannot be changed or deleted while it is on.
  StatusOr<Outcome<GroupDetails>> Update(std::string_view id, const GroupInput& input, bool ldap_enabled);
  // nullopt when deleted (memberships, claims and client links go with the group).
  StatusOr<std::optional<Refusal>> Delete(std::string_view id, bool ldap_enabled);
  // Replaces the members with the existing users among `user_ids` and bumps updated_at.
  StatusOr<Outcome<GroupDetails>> SetMembers(std::string_view id, const std::vector<std::string>& user_ids);
  // Replaces the clients that admit this group with the existing clients among `client_ids`.
  StatusOr<Outcome<GroupDetails>> SetAllowedClients(std::string_view id, const std::vector<std::string>& client_ids);

  // The group with its claims, members and allowed clients, read on `conn`.
  static StatusOr<std::optional<GroupDetails>> DetailsWith(db::Connection& conn, std::string_view id);

 private:
  db::Database& database_;
};

}  // namespace pocketid::groups
