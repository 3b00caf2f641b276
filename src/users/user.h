// The users domain: the `users` table as Pocket ID defines it, and the UserDto the API returns
// (management.md §1.1).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "core/db/database.h"
#include "core/status/status.h"

namespace pocketid::users {

// The synthetic admin behind STATIC_API_KEY; never counts as a real user.
inline constexpr std::string_view kStaticApiUserId = "00000000-0000-0000-0000-000000000000";

struct User {
  std::string id;
  std::string username;
  std::optional<std::string> email;
  bool email_verified = false;
  std::string first_name;
  std::string last_name;
  std::string display_name;
  bool is_admin = false;
  std::optional<std::string> locale;
  std::optional<std::string> ldap_id;
  bool disabled = false;
  db::Timestamp created_at;
};

struct CustomClaim {
  std::string key;
  std::string value;
};

struct GroupSummary {
  std::string id;
  std::string friendly_name;
  std::string name;
  db::Timestamp created_at;
  std::optional<std::string> ldap_id;
};

// What a new user is made of (setup, signup, admin create), and the fields an update writes.
struct NewUser {
  std::optional<std::string> id;  // admin create may choose it; a new UUID otherwise
  std::string username;
  std::optional<std::string> email;
  std::string first_name;
  std::string last_name;
  std::string display_name;
  bool is_admin = false;
  bool email_verified = false;
  std::optional<std::string> locale;
  bool disabled = false;
};

// 8-4-4-4-12 hex digits.
bool LooksLikeUuid(std::string_view s);
// Whether `id` can name a row of a uuid-keyed table on `engine`: PostgreSQL's uuid columns reject other text with an
// error (it must not reach a comparison), SQLite compares text.
inline bool CanNameUuidRow(db::Engine engine, std::string_view id) {
  return engine != db::Engine::kPostgres || LooksLikeUuid(id);
}

// The columns ReadUser expects, in order, and the reader itself (for stores that select users).
inline constexpr std::string_view kUserColumns =
    "id, username, email, email_verified, first_name, last_name, display_name, is_admin, locale, ldap_id, disabled, "
    "created_at";
User ReadUser(const db::Row& row);

// UserDto (management.md §1.1) from its parts. Groups are UserGroupMinimalDtos with userCount 0 and empty
// customClaims, as Pocket ID's preload leaves them.
boost::json::object UserDtoJson(const User& user, const std::vector<CustomClaim>& claims,
                                const std::vector<GroupSummary>& groups);
// GroupSummary as a UserGroupMinimalDto (userCount 0, customClaims []).
boost::json::object GroupMinimalJson(const GroupSummary& group);

class UserRepository {
 public:
  explicit UserRepository(db::Database& database) : database_(database) {}

  StatusOr<std::optional<User>> FindById(std::string_view id);
  // `pocket-id one-time-access-token <username-or-email>`: username (case-insensitive) or email.
  StatusOr<std::optional<User>> FindByUsernameOrEmail(std::string_view username_or_email);
  // Users other than the static-API-key user: decides whether the setup wizard is open.
  StatusOr<int64_t> CountRealUsers();
  // Inserts; duplicate email/username come back as kAlreadyExists with the column name as the message
  // ("email" or "username"), email checked first as Pocket ID does.
  StatusOr<User> Create(const NewUser& user);
  // The same inside a caller's transaction.
  static StatusOr<User> CreateWith(db::Connection& conn, const NewUser& user);
  StatusOr<std::vector<CustomClaim>> CustomClaims(std::string_view user_id);
  StatusOr<std::vector<GroupSummary>> Groups(std::string_view user_id);

  // The API's UserDto, with the user's own custom claims and groups.
  StatusOr<boost::json::object> Dto(const User& user);

  // The users' own claims and groups, one query each (list pages), keyed by user id.
  StatusOr<std::map<std::string, std::vector<CustomClaim>>> CustomClaimsOf(const std::vector<std::string>& user_ids);
  StatusOr<std::map<std::string, std::vector<GroupSummary>>> GroupsOf(const std::vector<std::string>& user_ids);
  // UserDtos of several users with two queries in all.
  StatusOr<boost::json::array> Dtos(const std::vector<User>& users);

 private:
  db::Database& database_;
};

}  // namespace pocketid::users
