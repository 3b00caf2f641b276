#include "oidcclients/client.h"

#include <crypt.h>

#include <algorithm>

#include <boost/json.hpp>

#include "core/crypto/encoding.h"
#include "core/crypto/hash.h"

namespace pocketid::oidcclients {

namespace {

std::string StringMember(const boost::json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end() || !it->value().is_string()) return {};
  return std::string(it->value().as_string());
}

std::optional<db::Timestamp> TimeMember(const boost::json::object& o, std::string_view key) {
  std::string text = StringMember(o, key);
  if (text.empty()) return std::nullopt;
  auto parsed = db::ParseTimestamp(text);
  if (!parsed.ok()) return std::nullopt;
  return *parsed;
}

bool BoolMember(const boost::json::object& o, std::string_view key) {
  auto it = o.find(key);
  return it != o.end() && it->value().is_bool() && it->value().as_bool();
}

// bcrypt through libxcrypt's crypt_rn (the "$2a$"/"$2b$" hashes of Pocket ID's legacy single-secret column).
bool BcryptMatches(std::string_view hash, std::string_view secret) {
  if (hash.size() < 7 || hash[0] != '$' || hash[1] != '2') return false;
  crypt_data data{};
  std::string phrase(secret);
  std::string setting(hash);
  const char* out = crypt_rn(phrase.c_str(), setting.c_str(), &data, sizeof data);
  return out != nullptr && out[0] != '*' && crypto::ConstantTimeEquals(out, hash);
}

int64_t MinutesOrDefault(int64_t minutes, int64_t fallback) {
  return (minutes < 1 || minutes > kMaxTokenMinutes) ? fallback : minutes;
}

}  // namespace

StatusOr<Credentials> Credentials::FromJson(std::string_view text) {
  Credentials out;
  if (text.empty() || text == "null") return out;
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(text, ec);
  if (ec || !v.is_object()) return Status(StatusCode::kDataLoss, "oidc_clients.credentials is not a JSON object");
  const auto& o = v.as_object();
  if (auto it = o.find("federatedIdentities"); it != o.end() && it->value().is_array()) {
    for (const auto& e : it->value().as_array()) {
      if (!e.is_object()) continue;
      const auto& f = e.as_object();
      out.federated_identities.push_back({StringMember(f, "issuer"), StringMember(f, "subject"),
                                          StringMember(f, "audience"), StringMember(f, "jwks"),
                                          BoolMember(f, "replayProtection")});
    }
  }
  if (auto it = o.find("secrets"); it != o.end() && it->value().is_array()) {
    for (const auto& e : it->value().as_array()) {
      if (!e.is_object()) continue;
      const auto& s = e.as_object();
      ClientSecret secret{StringMember(s, "id"), StringMember(s, "alg"), StringMember(s, "hash"),
                          StringMember(s, "prefix"), TimeMember(s, "createdAt").value_or(db::Timestamp{}),
                          TimeMember(s, "expiresAt")};
      out.secrets.push_back(std::move(secret));
    }
  }
  return out;
}

std::string Credentials::ToJson() const {
  boost::json::object o;
  if (!federated_identities.empty()) {
    boost::json::array list;
    for (const auto& f : federated_identities) {
      boost::json::object e{{"issuer", f.issuer}};
      if (!f.subject.empty()) e["subject"] = f.subject;
      if (!f.audience.empty()) e["audience"] = f.audience;
      if (!f.jwks.empty()) e["jwks"] = f.jwks;
      if (f.replay_protection) e["replayProtection"] = true;
      list.push_back(std::move(e));
    }
    o["federatedIdentities"] = std::move(list);
  }
  if (!secrets.empty()) {
    boost::json::array list;
    for (const auto& s : secrets) {
      boost::json::object e{{"id", s.id}, {"alg", s.alg}, {"hash", s.hash}};
      if (!s.prefix.empty()) e["prefix"] = s.prefix;
      e["createdAt"] = db::FormatRfc3339(s.created_at);
      if (s.expires_at) e["expiresAt"] = db::FormatRfc3339(*s.expires_at);
      list.push_back(std::move(e));
    }
    o["secrets"] = std::move(list);
  }
  return boost::json::serialize(o);
}

int64_t Client::AccessTokenSeconds() const {
  return MinutesOrDefault(access_token_duration_minutes, kDefaultAccessTokenMinutes) * 60;
}

int64_t Client::RefreshTokenSeconds() const {
  return MinutesOrDefault(refresh_token_duration_minutes, kDefaultRefreshTokenMinutes) * 60;
}

std::vector<std::string> ParseStringList(std::string_view json_text) {
  std::vector<std::string> out;
  if (json_text.empty()) return out;
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(json_text, ec);
  if (ec || !v.is_array()) return out;
  for (const auto& e : v.as_array()) {
    if (e.is_string()) out.emplace_back(e.as_string());
  }
  return out;
}

std::string StringListJson(const std::vector<std::string>& values) {
  boost::json::array a;
  for (const auto& v : values) a.emplace_back(v);
  return boost::json::serialize(a);
}

StatusOr<Client> ClientFromRow(const db::Row& row) {
  Client c;
  c.id = row.Text("id");
  c.created_at = row.Time("created_at");
  c.name = row.Text("name");
  c.description = row.Text("description");
  c.callback_urls = ParseStringList(row.Text("callback_urls"));
  c.logout_callback_urls = ParseStringList(row.Text("logout_callback_urls"));
  c.image_type = row.OptionalText("image_type");
  c.dark_image_type = row.OptionalText("dark_image_type");
  c.is_public = row.Bool("is_public");
  c.pkce_enabled = row.Bool("pkce_enabled");
  c.requires_reauthentication = row.Bool("requires_reauthentication");
  c.requires_pushed_authorization_requests = row.Bool("requires_pushed_authorization_requests");
  c.skip_consent = row.Bool("skip_consent");
  PID_ASSIGN_OR_RETURN(c.credentials, Credentials::FromJson(row.Text("credentials")));
  c.launch_url = row.OptionalText("launch_url");
  c.is_group_restricted = row.Bool("is_group_restricted");
  c.pkce_supported = row.Bool("pkce_supported");
  c.client_type = row.Text("client_type");
  if (c.client_type.empty()) c.client_type = "standard";
  c.access_token_duration_minutes = row.Int("access_token_duration_minutes");
  c.refresh_token_duration_minutes = row.Int("refresh_token_duration_minutes");
  c.created_by_id = row.OptionalText("created_by_id");
  return c;
}

boost::json::object MetaDataDto(const Client& client) {
  return boost::json::object{
      {"id", client.id},
      {"name", client.name},
      {"description", client.description},
      {"hasLogo", client.has_logo()},
      {"hasDarkLogo", client.has_dark_logo()},
      {"launchURL", client.launch_url ? boost::json::value(*client.launch_url) : boost::json::value(nullptr)},
      {"requiresReauthentication", client.requires_reauthentication},
      {"clientType", client.client_type},
  };
}

std::string HashSecret(std::string_view secret) { return crypto::HexEncode(crypto::Sha256(secret)); }

bool SecretMatches(const Client& client, std::string_view secret, db::Timestamp now) {
  if (secret.empty()) return false;
  const std::string sha = HashSecret(secret);
  bool matched = false;
  for (const auto& s : client.credentials.secrets) {
    if (!s.ActiveAt(now)) continue;
    // Every active secret is checked (no early exit), so timing does not tell which one matched.
    if (s.alg == "sha256") {
      matched |= crypto::ConstantTimeEquals(sha, s.hash);
    } else if (s.alg == "bcrypt") {
      matched |= BcryptMatches(s.hash, secret);
    }
  }
  return matched;
}

StatusOr<std::optional<Client>> ClientStore::FindById(std::string_view id) {
  std::string sql = "SELECT " + std::string(kClientColumns) + " FROM oidc_clients WHERE id = $1";
  PID_ASSIGN_OR_RETURN(auto rows, database_.Query(sql, {id}));
  if (rows.empty()) return std::optional<Client>();
  PID_ASSIGN_OR_RETURN(auto client, ClientFromRow(rows[0]));
  return std::optional<Client>(std::move(client));
}

StatusOr<bool> ClientStore::UserMayUse(const Client& client, std::string_view user_id) {
  if (!client.is_group_restricted) return true;
  PID_ASSIGN_OR_RETURN(auto rows, database_.Query("SELECT 1 FROM oidc_clients_allowed_user_groups a "
                                                  "JOIN user_groups_users m ON m.user_group_id = a.user_group_id "
                                                  "WHERE a.oidc_client_id = $1 AND m.user_id = $2 LIMIT 1",
                                                  {client.id, user_id}));
  return !rows.empty();
}

Status ClientStore::MarkPkceSupportedWith(db::Connection& conn, std::string_view client_id) {
  return conn.Exec("UPDATE oidc_clients SET pkce_supported = $1 WHERE id = $2", {true, client_id}).status();
}

}  // namespace pocketid::oidcclients
