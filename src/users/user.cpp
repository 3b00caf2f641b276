#include "users/user.h"

#include <cctype>

#include <boost/json.hpp>

#include "core/crypto/random.h"

namespace pocketid::users {

namespace {

constexpr std::string_view kUserColumns =
    "id, username, email, email_verified, first_name, last_name, display_name, is_admin, locale, ldap_id, disabled, "
    "created_at";

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

  std::string id = crypto::NewUuidV4();
  db::Timestamp now = db::Now();
  auto inserted = conn.Exec(
      "INSERT INTO users (id, created_at, updated_at, username, email, email_verified, first_name, last_name, "
      "display_name, is_admin, locale, disabled) VALUES ($1, $2, $2, $3, $4, $5, $6, $7, $8, $9, $10, false)",
      {id, now, n.username, n.email, n.email_verified, n.first_name, n.last_name, n.display_name,
       n.is_admin, n.locale});
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

Status UserRepository::UpdateProfile(std::string_view id, const NewUser& f, bool email_verified) {
  return database_
      .Exec("UPDATE users SET username = $2, email = $3, first_name = $4, last_name = $5, display_name = $6, "
            "locale = $7, email_verified = $8, updated_at = $9 WHERE id = $1",
            {id, f.username, f.email, f.first_name, f.last_name, f.display_name, f.locale,
             email_verified, db::Now()})
      .status();
}

Status UserRepository::UpdateLocale(std::string_view id, const std::optional<std::string>& locale) {
  return database_
      .Exec("UPDATE users SET locale = $2, updated_at = $3 WHERE id = $1",
            {id, locale, db::Now()})
      .status();
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
  boost::json::array claims_json;
  for (const auto& c : claims) claims_json.push_back(boost::json::object{{"key", c.key}, {"value", c.value}});
  boost::json::array groups_json;
  for (const auto& g : groups) {
    groups_json.push_back(boost::json::object{{"id", g.id},
                                              {"friendlyName", g.friendly_name},
                                              {"name", g.name},
                                              {"createdAt", db::FormatRfc3339(g.created_at)},
                                              {"ldapId", OptionalJson(g.ldap_id)},
                                              {"userCount", 0}});
  }
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
