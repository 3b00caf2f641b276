#include "users/user.h"

#include <cctype>

#include <boost/json.hpp>

#include "core/crypto/random.h"

namespace pocketid::users {

User ReadUser(const db::Row& r) {
  User u;
  u.id = r.Text(0);
  u.username = r.Text(1);
  u.email = r.OptionalText(2);
  u.email_verified = r.Bool(3);
  u.first_name = r.OptionalText(4).value_or("");  // nullable on PostgreSQL
  u.last_name = r.OptionalText(5).value_or("");
  u.display_name = r.Text(6);
  u.is_admin = r.Bool(7);
  u.locale = r.OptionalText(8);
  u.ldap_id = r.OptionalText(9);
  u.disabled = r.Bool(10);
  u.created_at = r.OptionalTime(11).value_or(db::Timestamp{});
  return u;
}

namespace {

StatusOr<std::optional<User>> FirstUser(StatusOr<db::ResultSet> rows) {
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<User>();
  return std::optional<User>(ReadUser((*rows)[0]));
}

boost::json::value OptionalJson(const std::optional<std::string>& v) {
  if (!v) return nullptr;
  return boost::json::string(*v);
}

}  // namespace

bool LooksLikeUuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

StatusOr<std::optional<User>> UserRepository::FindById(std::string_view id) {
  // PostgreSQL types ids as uuid: a malformed id is simply unknown rather than a cast error.
  if (database_.engine() == db::Engine::kPostgres && !LooksLikeUuid(id)) return std::optional<User>();
  return FirstUser(database_.Query("SELECT " + std::string(kUserColumns) + " FROM users WHERE id = $1", {id}));
}

StatusOr<std::optional<User>> UserRepository::FindByUsernameOrEmail(std::string_view value) {
  return FirstUser(database_.Query(
      "SELECT " + std::string(kUserColumns) + " FROM users WHERE username = $1 OR email = $1 LIMIT 1", {value}));
}

StatusOr<int64_t> UserRepository::CountRealUsers() {
  PID_ASSIGN_OR_RETURN(auto rows,
                       database_.Query("SELECT COUNT(*) FROM users WHERE id <> $1", {kStaticApiUserId}));
  return rows[0].Int(0);
}

StatusOr<User> UserRepository::Create(const NewUser& n) {
  PID_ASSIGN_OR_RETURN(auto conn, database_.Acquire());
  return CreateWith(*conn, n);
}

StatusOr<User> UserRepository::CreateWith(db::Connection& conn, const NewUser& n) {
  if (n.email) {
    PID_ASSIGN_OR_RETURN(auto rows, conn.Query("SELECT 1 FROM users WHERE email = $1", {*n.email}));
    if (!rows.empty()) return AlreadyExistsError("email");
  }
  PID_ASSIGN_OR_RETURN(auto taken, conn.Query("SELECT 1 FROM users WHERE username = $1", {n.username}));
  if (!taken.empty()) return AlreadyExistsError("username");

  if (n.id) {
    PID_ASSIGN_OR_RETURN(auto id_taken, conn.Query("SELECT 1 FROM users WHERE id = $1", {*n.id}));
    if (!id_taken.empty()) return AlreadyExistsError("id");
  }

  std::string id = n.id.value_or(crypto::NewUuidV4());
  db::Timestamp now = db::Now();
  auto inserted = conn.Exec(
      "INSERT INTO users (id, created_at, updated_at, username, email, email_verified, first_name, last_name, "
      "display_name, is_admin, locale, disabled) VALUES ($1, $2, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
      {id, now, n.username, n.email, n.email_verified, n.first_name, n.last_name, n.display_name,
       n.is_admin, n.locale, n.disabled});
  if (!inserted.ok()) {
    // Lost a race with another insert of the same name.
    if (inserted.status().code() == StatusCode::kAlreadyExists) {
      bool email = inserted.status().message().find("email") != std::string::npos;
      return AlreadyExistsError(email ? "email" : "username");
    }
    return inserted.status();
  }
  PID_ASSIGN_OR_RETURN(auto created, FirstUser(conn.Query("SELECT " + std::string(kUserColumns) +
                                                          " FROM users WHERE id = $1", {id})));
  if (!created) return InternalError("created user vanished");
  return *created;
}

StatusOr<std::vector<CustomClaim>> UserRepository::CustomClaims(std::string_view user_id) {
  PID_ASSIGN_OR_RETURN(auto rows, database_.Query("SELECT key, value FROM custom_claims WHERE user_id = "
                                                  "$1 ORDER BY key",
                                                  {user_id}));
  std::vector<CustomClaim> out;
  for (const auto& r : rows) out.push_back({r.Text(0), r.Text(1)});
  return out;
}

StatusOr<std::vector<GroupSummary>> UserRepository::Groups(std::string_view user_id) {
  PID_ASSIGN_OR_RETURN(auto rows,
                       database_.Query("SELECT g.id, g.friendly_name, g.name, g.created_at, g.ldap_id FROM user_groups g "
                                       "JOIN user_groups_users ug ON ug.user_group_id = g.id "
                                       "WHERE ug.user_id = $1 ORDER BY g.name",
                                       {user_id}));
  std::vector<GroupSummary> out;
  for (const auto& r : rows) {
    out.push_back({r.Text(0), r.Text(1), r.Text(2), r.OptionalTime(3).value_or(db::Timestamp{}), r.OptionalText(4)});
  }
  return out;
}

StatusOr<boost::json::object> UserRepository::Dto(const User& u) {
  PID_ASSIGN_OR_RETURN(auto claims, CustomClaims(u.id));
  PID_ASSIGN_OR_RETURN(auto groups, Groups(u.id));
  return UserDtoJson(u, claims, groups);
}

namespace {

std::vector<db::Param> TextParams(const std::vector<std::string>& values) {
  return std::vector<db::Param>(values.begin(), values.end());
}

}  // namespace

StatusOr<std::map<std::string, std::vector<CustomClaim>>> UserRepository::CustomClaimsOf(
    const std::vector<std::string>& user_ids) {
  std::map<std::string, std::vector<CustomClaim>> out;
  if (user_ids.empty()) return out;
  auto params = TextParams(user_ids);
  PID_ASSIGN_OR_RETURN(auto rows, database_.Query("SELECT user_id, key, value FROM custom_claims WHERE user_id IN (" +
                                                      db::Placeholders(user_ids.size()) + ") ORDER BY key",
                                                  params));
  for (const auto& r : rows) out[r.Text(0)].push_back({r.Text(1), r.Text(2)});
  return out;
}

StatusOr<std::map<std::string, std::vector<GroupSummary>>> UserRepository::GroupsOf(
    const std::vector<std::string>& user_ids) {
  std::map<std::string, std::vector<GroupSummary>> out;
  if (user_ids.empty()) return out;
  auto params = TextParams(user_ids);
  PID_ASSIGN_OR_RETURN(
      auto rows, database_.Query("SELECT ug.user_id, g.id, g.friendly_name, g.name, g.created_at, g.ldap_id "
                                 "FROM user_groups g JOIN user_groups_users ug ON ug.user_group_id = g.id "
                                 "WHERE ug.user_id IN (" + db::Placeholders(user_ids.size()) + ") ORDER BY g.name",
                                 params));
  for (const auto& r : rows) {
    out[r.Text(0)].push_back(
        {r.Text(1), r.Text(2), r.Text(3), r.OptionalTime(4).value_or(db::Timestamp{}), r.OptionalText(5)});
  }
  return out;
}

StatusOr<boost::json::array> UserRepository::Dtos(const std::vector<User>& users) {
  std::vector<std::string> ids;
  ids.reserve(users.size());
  for (const auto& u : users) ids.push_back(u.id);
  PID_ASSIGN_OR_RETURN(auto claims, CustomClaimsOf(ids));
  PID_ASSIGN_OR_RETURN(auto groups, GroupsOf(ids));
  boost::json::array out;
  out.reserve(users.size());
  static const std::vector<CustomClaim> kNoClaims;
  static const std::vector<GroupSummary> kNoGroups;
  for (const auto& u : users) {
    auto c = claims.find(u.id);
    auto g = groups.find(u.id);
    out.push_back(UserDtoJson(u, c == claims.end() ? kNoClaims : c->second, g == groups.end() ? kNoGroups : g->second));
  }
  return out;
}

boost::json::object GroupMinimalJson(const GroupSummary& g) {
  // Pocket ID's key order: id, friendlyName, name, customClaims, userCount, ldapId, createdAt.
  return boost::json::object{{"id", g.id},
                             {"friendlyName", g.friendly_name},
                             {"name", g.name},
                             {"customClaims", boost::json::array()},
                             {"userCount", 0},
                             {"ldapId", OptionalJson(g.ldap_id)},
                             {"createdAt", db::FormatRfc3339(g.created_at)}};
}

boost::json::object UserDtoJson(const User& u, const std::vector<CustomClaim>& claims,
                                const std::vector<GroupSummary>& groups) {
  boost::json::array claims_json;
  for (const auto& c : claims) claims_json.push_back(boost::json::object{{"key", c.key}, {"value", c.value}});
  boost::json::array groups_json;
  for (const auto& g : groups) groups_json.push_back(GroupMinimalJson(g));
  return boost::json::object{{"id", u.id},
                             {"username", u.username},
                             {"email", OptionalJson(u.email)},
                             {"emailVerified", u.email_verified},
                             {"firstName", u.first_name},
                             {"lastName", u.last_name},
                             {"displayName", u.display_name},
                             {"isAdmin", u.is_admin},
                             {"locale", OptionalJson(u.locale)},
                             {"customClaims", std::move(claims_json)},
                             {"userGroups", std::move(groups_json)},
                             {"ldapId", OptionalJson(u.ldap_id)},
                             {"disabled", u.disabled}};
}

}  // namespace pocketid::users
