// The database side of the admin users API (management.md §1.1): list with search/sort/filters, create with the
// sign-up defaults, the update rules shared by PUT /api/users/:id and PUT /api/users/me, delete, and group
// membership. Works on SQLite and PostgreSQL; every multi-statement change is one transaction on one connection.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/db/database.h"
#include "core/http/pagination.h"
#include "core/status/status.h"
#include "users/user.h"

namespace pocketid::users {

struct UserPage {
  std::vector<User> users;
  http::Page page;
};

// Who may change what in an update (Pocket ID's UpdateUserInternal).
struct UpdateRules {
  bool self = false;                   // PUT /api/users/me: isAdmin, emailVerified, disabled stay as they are
  bool allow_own_account_edit = true;  // app config allowOwnAccountEdit (self updates only)
  bool ldap_enabled = false;           // LDAP users are read-only but for their locale while LDAP is on
  bool emails_verified = false;        // app config emailsVerified: email_verified of a changed email
};

// App config signupDefaultUserGroupIDs / signupDefaultCustomClaims, applied to users the API creates.
struct SignupDefaults {
  std::vector<std::string> group_ids;
  std::vector<CustomClaim> custom_claims;
};
// Parses the two settings (JSON texts; "" and "[]" mean none). A malformed value is kInvalidArgument.
StatusOr<SignupDefaults> ParseSignupDefaults(std::string_view group_ids_json, std::string_view claims_json);

enum class DeleteOutcome { kDeleted, kNotFound, kLdapUser };

class UserAdminStore {
 public:
  explicit UserAdminStore(db::Database& database) : database_(database) {}

  // `search`: email, first_name, last_name or username LIKE %search% (plain LIKE as in Pocket ID).
  StatusOr<UserPage> List(std::string_view search, const http::ListRequest& list);

  // Creates the user, joins the existing groups among `group_ids` (the default groups when `group_ids` is empty)
  // and adds the default claims. Duplicates are kAlreadyExists with message "email", "username" (or "id").
  StatusOr<User> Create(const NewUser& user, const std::vector<std::string>& group_ids, const SignupDefaults& defaults);
  // The same inside a caller's transaction (sign-up).
  static StatusOr<User> CreateWith(db::Connection& conn, const NewUser& user, const std::vector<std::string>& group_ids,
                                   const SignupDefaults& defaults);

  // nullopt when there is no such user. Duplicates are kAlreadyExists("email" | "username").
  StatusOr<std::optional<User>> Update(std::string_view id, const NewUser& fields, const UpdateRules& rules);

  StatusOr<DeleteOutcome> Delete(std::string_view id, bool ldap_enabled);

  // The user's groups; nullopt when there is no such user.
  StatusOr<std::optional<std::vector<GroupSummary>>> GroupsOfUser(std::string_view id);
  // Replaces the user's groups with the existing ones among `group_ids`; nullopt when there is no such user.
  StatusOr<std::optional<User>> SetGroups(std::string_view id, const std::vector<std::string>& group_ids);

 private:
  db::Database& database_;
};

}  // namespace pocketid::users
