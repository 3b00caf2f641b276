#include "oidc/claims.h"

#include <algorithm>
#include <unordered_set>

#include <boost/json.hpp>

namespace pocketid::oidc {

bool IsStandardScope(std::string_view scope) {
  return std::find(std::begin(kStandardScopes), std::end(kStandardScopes), scope) != std::end(kStandardScopes);
}

bool IsIdentityScope(std::string_view scope) {
  return scope == "openid" || scope == "profile" || scope == "email" || scope == "groups";
}

bool HasScope(const std::vector<std::string>& scopes, std::string_view scope) {
  return std::find(scopes.begin(), scopes.end(), scope) != scopes.end();
}

std::vector<std::string> SplitSpaces(std::string_view s) {
  std::vector<std::string> out;
  while (!s.empty()) {
    size_t sp = s.find(' ');
    std::string_view part = s.substr(0, sp);
    if (!part.empty()) out.emplace_back(part);
    if (sp == std::string_view::npos) break;
    s.remove_prefix(sp + 1);
  }
  return out;
}

std::string JoinSpaces(const std::vector<std::string>& values) {
  std::string out;
  for (const auto& v : values) {
    if (!out.empty()) out.push_back(' ');
    out += v;
  }
  return out;
}

boost::json::value CustomClaimValue(std::string_view stored) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(stored, ec);
  if (ec) return boost::json::string(stored);
  return v;
}

std::string FullName(const users::User& user) {
  std::string name = user.first_name + " " + user.last_name;
  size_t b = name.find_first_not_of(" \t\n\r");
  size_t e = name.find_last_not_of(" \t\n\r");
  name = b == std::string::npos ? std::string() : name.substr(b, e - b + 1);
  if (!name.empty()) return name;
  if (!user.display_name.empty()) return user.display_name;
  return user.username;
}

StatusOr<std::vector<std::pair<std::string, std::string>>> ClaimsBuilder::MergedCustomClaims(std::string_view user_id) {
  // User claims first (user_id set), then each group's in membership order; the first definition of a key wins.
  PID_ASSIGN_OR_RETURN(
      auto rows,
      database_.Query("SELECT c.key, c.value, CASE WHEN c.user_id IS NULL THEN 1 ELSE 0 END AS from_group "
                      "FROM custom_claims c "
                      "LEFT JOIN user_groups_users m ON m.user_group_id = c.user_group_id AND m.user_id = $1 "
                      "WHERE c.user_id = $1 OR m.user_id IS NOT NULL "
                      "ORDER BY from_group, c.user_group_id, c.created_at",
                      {user_id}));
  std::vector<std::pair<std::string, std::string>> out;
  std::unordered_set<std::string> seen;
  for (size_t i = 0; i < rows.size(); ++i) {
    std::string key = rows[i].Text(0);
    if (!seen.insert(key).second) continue;
    out.emplace_back(std::move(key), rows[i].Text(1));
  }
  return out;
}

StatusOr<std::vector<std::string>> ClaimsBuilder::GroupNames(std::string_view user_id) {
  PID_ASSIGN_OR_RETURN(auto rows, database_.Query("SELECT g.name FROM user_groups g "
                                                  "JOIN user_groups_users m ON m.user_group_id = g.id "
                                                  "WHERE m.user_id = $1 ORDER BY g.name",
                                                  {user_id}));
  std::vector<std::string> out;
  out.reserve(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) out.push_back(rows[i].Text(0));
  return out;
}

StatusOr<boost::json::object> ClaimsBuilder::UserClaims(const users::User& user, const std::vector<std::string>& scopes) {
  boost::json::object claims;
  if (HasScope(scopes, "profile")) {
    PID_ASSIGN_OR_RETURN(auto custom, MergedCustomClaims(user.id));
    for (const auto& [key, value] : custom) claims[key] = CustomClaimValue(value);
    claims["given_name"] = user.first_name;
    claims["family_name"] = user.last_name;
    claims["name"] = FullName(user);
    claims["display_name"] = user.display_name;
    claims["preferred_username"] = user.username;
    claims["picture"] = app_url_ + "/api/users/" + user.id + "/profile-picture.png";
  }
  claims["sub"] = user.id;
  if (HasScope(scopes, "email") && user.email && !user.email->empty()) {
    claims["email"] = *user.email;
    claims["email_verified"] = user.email_verified;
  }
  if (HasScope(scopes, "groups")) {
    PID_ASSIGN_OR_RETURN(auto groups, GroupNames(user.id));
    boost::json::array list;
    for (auto& g : groups) list.emplace_back(std::move(g));
    claims["groups"] = std::move(list);
  }
  return claims;
}

StatusOr<std::optional<boost::json::object>> ClaimsBuilder::UserClaims(std::string_view user_id,
                                                                       const std::vector<std::string>& scopes) {
  users::UserRepository users(database_);
  PID_ASSIGN_OR_RETURN(auto user, users.FindById(user_id));
  if (!user) return std::optional<boost::json::object>();
  PID_ASSIGN_OR_RETURN(auto claims, UserClaims(*user, scopes));
  return std::optional<boost::json::object>(std::move(claims));
}

}  // namespace pocketid::oidc
