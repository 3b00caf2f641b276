// Application configuration (management.md §2): one string value per key, defaults from Pocket ID, stored in
// our plain `app_config` table (Pocket ID keeps it in its actor runtime). Reads go to the database so every
// replica sees a change at once.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "core/db/database.h"
#include "core/status/status.h"

namespace pocketid::appconfig {

struct KeyInfo {
  std::string_view key;
  std::string_view default_value;
  bool is_public;
};

// Every key in Pocket ID's order (the order of list responses).
const std::vector<KeyInfo>& Keys();

// Go-style truthiness for stored booleans ("true", "1", "yes", ...).
bool IsTruthy(std::string_view v);

// Every setting as read at one moment: handlers that need several settings read them with one query.
class Settings {
 public:
  explicit Settings(std::vector<std::pair<std::string, std::string>> stored) : stored_(std::move(stored)) {}
  // The stored value of `key`, or its default when unset or empty ("" for unknown keys).
  std::string Get(std::string_view key) const;
  bool GetBool(std::string_view key) const { return IsTruthy(Get(key)); }
  int GetInt(std::string_view key, int fallback) const;

 private:
  std::vector<std::pair<std::string, std::string>> stored_;
};

class AppConfig {
 public:
  explicit AppConfig(db::Database& database) : database_(database) {}

  // All settings in one query.
  StatusOr<Settings> Load();

  // The value of `key`, or its default when unset or empty.
  StatusOr<std::string> Get(std::string_view key);
  StatusOr<bool> GetBool(std::string_view key);
  StatusOr<int> GetInt(std::string_view key, int fallback);
  // Session lifetime in minutes (sessionDuration).
  StatusOr<int> SessionDurationMinutes();

  // GET /api/application-configuration: [{key, type, value, isPublic}] of the public keys plus the synthetic
  // uiConfigDisabled and tracingEnabled.
  StatusOr<boost::json::array> PublicList(bool ui_config_disabled);

  Status Set(std::string_view key, std::string_view value);

 private:
  db::Database& database_;
};

}  // namespace pocketid::appconfig
