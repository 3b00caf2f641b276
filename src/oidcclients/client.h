// The OIDC client model (`oidc_clients`, management.md §1.5) and what the protocol side reads of it: lookup by id,
// client authentication with the hashed secrets in the `credentials` JSON column (protocol.md §1.18), the allowed
// user groups, and the public metadata DTO. The admin API builds on these types (oidcclients/handlers).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "core/db/database.h"
#include "core/status/status.h"

namespace pocketid::oidcclients {

inline constexpr int64_t kDefaultAccessTokenMinutes = 60;
inline constexpr int64_t kDefaultRefreshTokenMinutes = 30 * 24 * 60;
inline constexpr int64_t kMaxTokenMinutes = 365 * 24 * 60;
inline constexpr size_t kMaxSecrets = 20;
inline constexpr size_t kSecretPrefixLength = 4;

// One entry of credentials.secrets: {"id","alg","hash","prefix"?,"createdAt","expiresAt"?} (RFC 3339 times).
struct ClientSecret {
  std::string id;
  std::string alg;   // "sha256" (ours and Pocket ID's) or "bcrypt" (legacy, migrated single secrets)
  std::string hash;  // sha256: lowercase hex of SHA-256(secret)
  std::string prefix;
  db::Timestamp created_at;
  std::optional<db::Timestamp> expires_at;

  bool ActiveAt(db::Timestamp now) const { return !expires_at || now < *expires_at; }
};

// One entry of credentials.federatedIdentities (protocol.md §1.17).
struct FederatedIdentity {
  std::string issuer;
  std::string subject;
  std::string audience;
  std::string jwks;
  bool replay_protection = false;
};

struct Credentials {
  std::vector<FederatedIdentity> federated_identities;
  std::vector<ClientSecret> secrets;

  // Reads the column; NULL/empty text is an empty set. Malformed JSON is kDataLoss.
  static StatusOr<Credentials> FromJson(std::string_view text);
  // The column value, keys as Pocket ID writes them (empty lists omitted).
  std::string ToJson() const;
};

struct Client {
  std::string id;
  db::Timestamp created_at;
  std::string name;
  std::string description;
  std::vector<std::string> callback_urls;
  std::vector<std::string> logout_callback_urls;
  std::optional<std::string> image_type;
  std::optional<std::string> dark_image_type;
  bool is_public = false;
  bool pkce_enabled = false;
  bool requires_reauthentication = false;
  bool requires_pushed_authorization_requests = false;
  bool skip_consent = false;
  Credentials credentials;
  std::optional<std::string> launch_url;
  bool is_group_restricted = false;
  bool pkce_supported = false;
  std::string client_type = "standard";  // "standard" | "cimd"
  int64_t access_token_duration_minutes = kDefaultAccessTokenMinutes;
  int64_t refresh_token_duration_minutes = kDefaultRefreshTokenMinutes;
  std::optional<std::string> created_by_id;

  bool has_logo() const { return image_type && !image_type->empty(); }
  bool has_dark_logo() const { return dark_image_type && !dark_image_type->empty(); }
  // Out-of-range stored values fall back to the defaults (protocol.md §2.1).
  int64_t AccessTokenSeconds() const;
  int64_t RefreshTokenSeconds() const;
};

// The columns ClientFromRow reads, for SELECTs that join other tables.
inline constexpr std::string_view kClientColumns =
    "id, created_at, name, description, callback_urls, logout_callback_urls, image_type, dark_image_type, "
    "is_public, pkce_enabled, requires_reauthentication, requires_pushed_authorization_requests, skip_consent, "
    "credentials, launch_url, is_group_restricted, pkce_supported, client_type, access_token_duration_minutes, "
    "refresh_token_duration_minutes, created_by_id";

// A row selected with kClientColumns (by name). A malformed JSON column is kDataLoss.
StatusOr<Client> ClientFromRow(const db::Row& row);

// Pocket ID's StringList columns: a JSON array of strings; NULL or empty is an empty list.
std::vector<std::string> ParseStringList(std::string_view json_text);
std::string StringListJson(const std::vector<std::string>& values);

// OidcClientMetaDataDto: {"id","name","description","hasLogo","hasDarkLogo","launchURL","requiresReauthentication",
// "clientType"}.
boost::json::object MetaDataDto(const Client& client);

// The lowercase hex SHA-256 of a secret, as stored with alg "sha256".
std::string HashSecret(std::string_view secret);

// True when `secret` matches one of the client's secrets that are active at `now` (constant-time compare).
bool SecretMatches(const Client& client, std::string_view secret, db::Timestamp now);

class ClientStore {
 public:
  explicit ClientStore(db::Database& database) : database_(database) {}

  StatusOr<std::optional<Client>> FindById(std::string_view id);
  // True when the client is not group-restricted, or the user is in one of its allowed groups.
  StatusOr<bool> UserMayUse(const Client& client, std::string_view user_id);
  // A code_challenge was sent to a client without PKCE flags: remember it so the admin UI can suggest PKCE.
  // Inside the caller's transaction.
  static Status MarkPkceSupportedWith(db::Connection& conn, std::string_view client_id);

 private:
  db::Database& database_;
};

}  // namespace pocketid::oidcclients
