// The `api_keys` table (management.md §1.4, §9): a user's personal access tokens. Only the lowercase hex SHA-256
// of a token is stored (column `key`); the token itself is shown once. Works on SQLite and PostgreSQL.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "core/db/database.h"
#include "core/http/pagination.h"
#include "core/status/status.h"

namespace pocketid::apikeys {

struct ApiKey {
  std::string id;
  std::string name;
  std::optional<std::string> description;
  db::Timestamp expires_at;
  std::optional<db::Timestamp> last_used_at;
  db::Timestamp created_at;
  bool expiration_email_sent = false;
  std::string user_id;
};

// apiKeyDto: {id, name, description|null, expiresAt, lastUsedAt|null, createdAt, expirationEmailSent}.
boost::json::object ApiKeyDto(const ApiKey& key);

// The stored form of a token.
std::string HashToken(std::string_view token);

struct ApiKeyPage {
  std::vector<ApiKey> items;
  http::Page page;
};

struct NewApiKey {
  std::string name;
  std::optional<std::string> description;
  db::Timestamp expires_at;
  std::string key_hash;
};

enum class RenewOutcome { kRenewed, kNotFound, kNotExpired };

struct RenewResult {
  RenewOutcome outcome = RenewOutcome::kNotFound;
  ApiKey key;  // the renewed key (kRenewed)
};

class ApiKeyStore {
 public:
  explicit ApiKeyStore(db::Database& database) : database_(database) {}

  // The user's keys, paged and sorted by name, expiresAt, lastUsedAt or createdAt.
  StatusOr<ApiKeyPage> List(std::string_view user_id, const http::ListRequest& list);
  // kAlreadyExists when the hash is already stored. Names may repeat, as in Pocket ID (no unique index on them).
  StatusOr<ApiKey> Create(std::string_view user_id, const NewApiKey& key);
  // Gives the user's key a new hash and expiry, but only once it has expired (expires_at <= now).
  StatusOr<RenewResult> Renew(std::string_view user_id, std::string_view id, std::string_view new_hash,
                              db::Timestamp expires_at, db::Timestamp now);
  // false when the user has no key with this id.
  StatusOr<bool> Delete(std::string_view user_id, std::string_view id);
  StatusOr<std::optional<ApiKey>> Find(std::string_view user_id, std::string_view id);

 private:
  db::Database& database_;
};

}  // namespace pocketid::apikeys
