// The user claims per granted scope (protocol.md §3): used by ID tokens, userinfo and the admin preview. Always
// computed from the current database state.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "core/db/database.h"
#include "core/status/status.h"
#include "users/user.h"

namespace pocketid::oidc {

inline constexpr std::string_view kStandardScopes[] = {"openid", "profile", "email", "groups", "offline_access"};
bool IsStandardScope(std::string_view scope);
// openid, profile, email, groups: the scopes that audience a token to this server (offline_access does not).
bool IsIdentityScope(std::string_view scope);
bool HasScope(const std::vector<std::string>& scopes, std::string_view scope);
// Splits on single spaces, dropping empty entries (fosite's RemoveEmpty(strings.Split(s, " "))).
std::vector<std::string> SplitSpaces(std::string_view s);
std::string JoinSpaces(const std::vector<std::string>& values);

// A custom claim value as emitted: its JSON value when the text parses as JSON, else the text as a string.
boost::json::value CustomClaimValue(std::string_view stored);

// Full name: trim(first + " " + last), else display name, else username.
std::string FullName(const users::User& user);

class ClaimsBuilder {
 public:
  ClaimsBuilder(db::Database& database, std::string app_url) : database_(database), app_url_(std::move(app_url)) {}

  // {"sub", + profile: custom claims then standard profile claims, + email, + groups}.
  StatusOr<boost::json::object> UserClaims(const users::User& user, const std::vector<std::string>& scopes);
  // The same for a user id; nullopt when the user no longer exists.
  StatusOr<std::optional<boost::json::object>> UserClaims(std::string_view user_id, const std::vector<std::string>& scopes);

 private:
  // The user's own claims win over group claims; among groups the first (by membership order) wins.
  StatusOr<std::vector<std::pair<std::string, std::string>>> MergedCustomClaims(std::string_view user_id);
  StatusOr<std::vector<std::string>> GroupNames(std::string_view user_id);

  db::Database& database_;
  std::string app_url_;
};

}  // namespace pocketid::oidc
