#include "appconfig/app_config.h"

#include <algorithm>
#include <charconv>

#include <boost/json.hpp>

namespace pocketid::appconfig {

const std::vector<KeyInfo>& Keys() {
  static const std::vector<KeyInfo> kKeys = {
      {"appName", "Pocket ID", true},
      {"sessionDuration", "60", false},
      {"homePageUrl", "/settings/account", true},
      {"emailsVerified", "false", false},
      {"accentColor", "default", true},
      {"disableAnimations", "false", true},
      {"allowOwnAccountEdit", "true", true},
      {"allowUserSignups", "disabled", true},
      {"signupDefaultUserGroupIDs", "[]", false},
      {"signupDefaultCustomClaims", "[]", false},
      {"requireUserEmail", "true", true},
      {"smtpHost", "", false},
      {"smtpPort", "", false},
      {"smtpFrom", "", false},
      {"smtpUser", "", false},
      {"smtpPassword", "", false},
      {"smtpTls", "none", false},
      {"smtpSkipCertVerify", "false", false},
      {"emailLoginNotificationEnabled", "false", false},
      {"emailOneTimeAccessAsUnauthenticatedEnabled", "false", true},
      {"emailOneTimeAccessAsAdminEnabled", "false", true},
      {"emailApiKeyExpirationEnabled", "false", false},
      {"emailVerificationEnabled", "false", true},
      {"ldapEnabled", "false", true},
      {"ldapUrl", "", false},
      {"ldapBindDn", "", false},
      {"ldapBindPassword", "", false},
      {"ldapBase", "", false},
      {"ldapUserSearchFilter", "(objectClass=person)", false},
      {"ldapUserGroupSearchFilter", "(objectClass=groupOfNames)", false},
      {"ldapSkipCertVerify", "false", false},
      {"ldapAttributeUserUniqueIdentifier", "", false},
      {"ldapAttributeUserUsername", "", false},
      {"ldapAttributeUserEmail", "", false},
      {"ldapAttributeUserFirstName", "", false},
      {"ldapAttributeUserLastName", "", false},
      {"ldapAttributeUserDisplayName", "cn", false},
      {"ldapAttributeUserProfilePicture", "", false},
      {"ldapAttributeGroupMember", "member", false},
      {"ldapAttributeGroupUniqueIdentifier", "", false},
      {"ldapAttributeGroupName", "", false},
      {"ldapAdminGroupName", "", false},
      {"ldapSoftDeleteUsers", "true", false},
      {"webauthnUserVerification", "required", false},
      {"webauthnAllowSyncedPasskeys", "true", false},
      {"webauthnAuthenticatorAttachment", "any", false},
      {"cimdUrlAllowlist", "[]", false},
  };
  return kKeys;
}

bool IsTruthy(std::string_view v) {
  std::string s(v);
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s == "true" || s == "1" || s == "t" || s == "yes" || s == "y" || s == "on";
}

namespace {
std::string_view DefaultOf(std::string_view key) {
  for (const auto& k : Keys()) {
    if (k.key == key) return k.default_value;
  }
  return {};
}

int ParseIntOr(std::string_view v, int fallback) {
  int out = 0;
  auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  return ec != std::errc() || ptr != v.data() + v.size() ? fallback : out;
}
}  // namespace

std::string Settings::Get(std::string_view key) const {
  for (const auto& [k, v] : stored_) {
    if (k == key && !v.empty()) return v;
  }
  return std::string(DefaultOf(key));
}

int Settings::GetInt(std::string_view key, int fallback) const { return ParseIntOr(Get(key), fallback); }

StatusOr<Settings> AppConfig::Load() {
  PID_ASSIGN_OR_RETURN(auto rows, database_.Query("SELECT key, value FROM app_config", {}));
  std::vector<std::pair<std::string, std::string>> stored;
  for (const auto& r : rows) stored.emplace_back(r.Text(0), r.Text(1));
  return Settings(std::move(stored));
}

StatusOr<std::string> AppConfig::Get(std::string_view key) {
  PID_ASSIGN_OR_RETURN(auto rows, database_.Query("SELECT value FROM app_config WHERE key = $1", {key}));
  if (!rows.empty() && !rows[0].Text(0).empty()) return rows[0].Text(0);
  for (const auto& k : Keys()) {
    if (k.key == key) return std::string(k.default_value);
  }
  return NotFoundError("unknown app config key " + std::string(key));
}

StatusOr<bool> AppConfig::GetBool(std::string_view key) {
  PID_ASSIGN_OR_RETURN(std::string v, Get(key));
  return IsTruthy(v);
}

StatusOr<int> AppConfig::GetInt(std::string_view key, int fallback) {
  PID_ASSIGN_OR_RETURN(std::string v, Get(key));
  return ParseIntOr(v, fallback);
}

StatusOr<int> AppConfig::SessionDurationMinutes() {
  PID_ASSIGN_OR_RETURN(int minutes, GetInt("sessionDuration", 60));
  return minutes > 0 ? minutes : 60;
}

StatusOr<boost::json::array> AppConfig::PublicList(bool ui_config_disabled) {
  PID_ASSIGN_OR_RETURN(Settings settings, Load());
  boost::json::array out;
  for (const auto& k : Keys()) {
    if (!k.is_public) continue;
    // Pocket ID's mapper leaves type empty and isPublic false on list responses (management.md KEY SURPRISES 4).
    out.push_back(
        boost::json::object{{"key", k.key}, {"type", ""}, {"value", settings.Get(k.key)}, {"isPublic", false}});
  }
  out.push_back(boost::json::object{
      {"key", "uiConfigDisabled"}, {"type", ""}, {"value", ui_config_disabled ? "true" : "false"}, {"isPublic", false}});
  out.push_back(boost::json::object{{"key", "tracingEnabled"}, {"type", ""}, {"value", "false"}, {"isPublic", false}});
  return out;
}

Status AppConfig::Set(std::string_view key, std::string_view value) {
  return database_
      .Exec("INSERT INTO app_config (key, value, updated_at) VALUES ($1, $2, $3) "
            "ON CONFLICT (key) DO UPDATE SET value = $2, updated_at = $3",
            {key, value, db::Now()})
      .status();
}

}  // namespace pocketid::appconfig
