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

StatusOr<std::vector<std::pair<std::string, std::string>>> AppConfig::LoadAll() {
  PID_ASSIGN_OR_RETURN(auto rows, database_.Query("SELECT key, value FROM app_config", {}));
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& r : rows) out.emplace_back(r.Text(0), r.Text(1));
  return out;
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
  int out = 0;
  auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec != std::errc() || ptr != v.data() + v.size()) return fallback;
  return out;
}

StatusOr<int> AppConfig::SessionDurationMinutes() {
  PID_ASSIGN_OR_RETURN(int minutes, GetInt("sessionDuration", 60));
  return minutes > 0 ? minutes : 60;
}

StatusOr<boost::json::array> AppConfig::PublicList(bool ui_config_disabled) {
  PID_ASSIGN_OR_RETURN(auto stored, LoadAll());
  auto value_of = [&](const KeyInfo& k) -> std::string {
    for (const auto& [key, value] : stored) {
      if (key == k.key && !value.empty()) return value;
    }
    return std::string(k.default_value);
  };
  boost::json::array out;
  for (const auto& k : Keys()) {
    if (!k.is_public) continue;
    // Pocket ID's mapper leaves type empty and isPublic false on list responses (management.md KEY SURPRISES 4).
    out.push_back(boost::json::object{{"key", k.key}, {"type", ""}, {"value", value_of(k)}, {"isPublic", false}});
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
