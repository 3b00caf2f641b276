#include "oidcclients/client_input.h"

#include <cctype>

#include <boost/json/parse.hpp>

#include "core/http/json_body.h"
#include "core/text/utf8.h"
#include "oidc/callback_url.h"

namespace pocketid::oidcclients {

namespace {

constexpr size_t kMaxNameLength = 50;
constexpr size_t kMaxDescriptionLength = 150;
constexpr size_t kMinClientIdLength = 2;
constexpr size_t kMaxClientIdLength = 128;
constexpr size_t kMinSecretLength = 16;

// Go's validator counts runes.
// The failures of one body, in field order, rendered as Pocket ID's validator error.
class FieldErrors {
 public:
  void Add(std::string field, std::string_view code, std::string_view message) {
    fields_.push_back(boost::json::object{{"field", field}, {"code", code}, {"message", message}});
    if (!text_.empty()) text_ += ", ";
    text_ += field + " " + std::string(message);
  }
  void TooLong(std::string field, size_t max) {
    Add(std::move(field), "too_long", "must be at most " + std::to_string(max) + " characters long");
  }
  void TooShort(std::string field, size_t min) {
    Add(std::move(field), "too_short", "must be at least " + std::to_string(min) + " characters long");
  }
  bool empty() const { return fields_.empty(); }
  http::ApiError ToError() const {
    std::string message = text_;
    if (!message.empty()) message[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(message[0])));
    http::ApiError e{400, "validation_failed", std::move(message), {}};
    e.details["fields"] = fields_;
    return e;
  }

 private:
  boost::json::array fields_;
  std::string text_;
};

// Typed field readers: JSON null and absence are the Go zero value; any other type mismatch is an invalid body,
// as encoding/json fails to decode it.
bool ReadString(const boost::json::object& o, std::string_view key, std::string& out) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) return true;
  if (!it->value().is_string()) return false;
  out = std::string(it->value().as_string());
  return true;
}

bool ReadOptionalString(const boost::json::object& o, std::string_view key, std::optional<std::string>& out) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) return true;
  if (!it->value().is_string()) return false;
  out = std::string(it->value().as_string());
  return true;
}

bool ReadBool(const boost::json::object& o, std::string_view key, bool& out) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) return true;
  if (!it->value().is_bool()) return false;
  out = it->value().as_bool();
  return true;
}

// Go decodes only integral JSON numbers into int64 ("1.5" and "1e2" fail).
bool ReadInt(const boost::json::object& o, std::string_view key, int64_t& out) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) return true;
  if (it->value().is_int64()) {
    out = it->value().as_int64();
    return true;
  }
  return false;
}

bool ReadStringList(const boost::json::object& o, std::string_view key, std::vector<std::string>& out) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) return true;
  if (!it->value().is_array()) return false;
  for (const auto& e : it->value().as_array()) {
    if (!e.is_string()) return false;
    out.emplace_back(e.as_string());
  }
  return true;
}

bool ReadFederatedIdentities(const boost::json::object& body, std::vector<FederatedIdentity>& out) {
  auto it = body.find("credentials");
  if (it == body.end() || it->value().is_null()) return true;
  if (!it->value().is_object()) return false;
  const auto& creds = it->value().as_object();
  // `secrets` is read-only and ignored, but must still decode as Pocket ID's DTO list.
  if (auto s = creds.find("secrets"); s != creds.end() && !s->value().is_null() && !s->value().is_array()) {
    return false;
  }
  auto fi = creds.find("federatedIdentities");
  if (fi == creds.end() || fi->value().is_null()) return true;
  if (!fi->value().is_array()) return false;
  for (const auto& e : fi->value().as_array()) {
    if (!e.is_object()) return false;
    const auto& f = e.as_object();
    FederatedIdentity id;
    if (!ReadString(f, "issuer", id.issuer) || !ReadString(f, "subject", id.subject) ||
        !ReadString(f, "audience", id.audience) || !ReadString(f, "jwks", id.jwks) ||
        !ReadBool(f, "replayProtection", id.replay_protection)) {
      return false;
    }
    out.push_back(std::move(id));
  }
  return true;
}

bool ReadClientFields(const boost::json::object& b, ClientInput& in, bool with_id) {
  bool ignored = false;
  std::string id;
  bool ok = ReadString(b, "name", in.name) && ReadString(b, "description", in.description) &&
            ReadStringList(b, "callbackURLs", in.callback_urls) &&
            ReadStringList(b, "logoutCallbackURLs", in.logout_callback_urls) && ReadBool(b, "isPublic", in.is_public) &&
            ReadBool(b, "pkceEnabled", in.pkce_enabled) &&
            ReadBool(b, "requiresReauthentication", in.requires_reauthentication) &&
            ReadBool(b, "requiresPushedAuthorizationRequests", in.requires_pushed_authorization_requests) &&
            ReadBool(b, "skipConsent", in.skip_consent) && ReadFederatedIdentities(b, in.federated_identities) &&
            ReadOptionalString(b, "launchURL", in.launch_url) && ReadBool(b, "hasLogo", ignored) &&
            ReadBool(b, "hasDarkLogo", ignored) && ReadOptionalString(b, "logoUrl", in.logo_url) &&
            ReadOptionalString(b, "darkLogoUrl", in.dark_logo_url) &&
            ReadBool(b, "isGroupRestricted", in.is_group_restricted) &&
            ReadInt(b, "accessTokenDurationMinutes", in.access_token_duration_minutes) &&
            ReadInt(b, "refreshTokenDurationMinutes", in.refresh_token_duration_minutes) &&
            (!with_id || ReadString(b, "id", id));
  if (with_id && !id.empty()) in.id = std::move(id);
  return ok;
}

void ValidateCallbackUrls(FieldErrors& errors, std::string_view field, const std::vector<std::string>& urls) {
  for (size_t i = 0; i < urls.size(); ++i) {
    if (oidc::ValidateCallbackUrlPattern(urls[i])) {
      // Pocket ID's validator has no message for this rule: its tag name and "is invalid".
      errors.Add(std::string(field) + "[" + std::to_string(i) + "]", "callback_url_pattern", "is invalid");
    }
  }
}

void ValidateDuration(FieldErrors& errors, std::string_view field, int64_t minutes) {
  if (minutes != 0 && (minutes < 1 || minutes > kMaxTokenMinutes)) {
    errors.Add(std::string(field), "token_duration", "is invalid");
  }
}

void ValidateClient(FieldErrors& errors, const ClientInput& in, bool with_id) {
  if (in.name.empty()) {
    errors.Add("name", "required", "is required");
  } else if (text::CountCodePoints(in.name) > kMaxNameLength) {
    errors.TooLong("name", kMaxNameLength);
  }
  if (text::CountCodePoints(in.description) > kMaxDescriptionLength) errors.TooLong("description", kMaxDescriptionLength);
  ValidateCallbackUrls(errors, "callbackURLs", in.callback_urls);
  ValidateCallbackUrls(errors, "logoutCallbackURLs", in.logout_callback_urls);
  if (in.launch_url && !in.launch_url->empty() && !IsValidUrl(*in.launch_url)) {
    errors.Add("launchURL", "invalid_format", "must be a valid URL");
  }
  ValidateDuration(errors, "accessTokenDurationMinutes", in.access_token_duration_minutes);
  ValidateDuration(errors, "refreshTokenDurationMinutes", in.refresh_token_duration_minutes);
  if (with_id && in.id) {
    // One failure per field: the validator stops at the first failing rule (client_id, min, max).
    if (!IsValidClientId(*in.id)) {
      errors.Add("id", "client_id", "is invalid");
    } else if (in.id->size() < kMinClientIdLength) {
      errors.TooShort("id", kMinClientIdLength);
    } else if (in.id->size() > kMaxClientIdLength) {
      errors.TooLong("id", kMaxClientIdLength);
    }
  }
}

bool IsDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool IsBlank(std::string_view s) {
  for (char c : s) {
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return false;
  }
  return true;
}

}  // namespace

int64_t ClientInput::AccessTokenMinutesOrDefault() const {
  return access_token_duration_minutes == 0 ? kDefaultAccessTokenMinutes : access_token_duration_minutes;
}

int64_t ClientInput::RefreshTokenMinutesOrDefault() const {
  return refresh_token_duration_minutes == 0 ? kDefaultRefreshTokenMinutes : refresh_token_duration_minutes;
}

bool IsValidClientId(std::string_view id) {
  if (id.empty()) return false;
  for (char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-') return false;
  }
  return true;
}

bool IsValidUrl(std::string_view raw) {
  std::string s(raw);
  for (char& c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;  // Go's url.Parse refuses control bytes
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (s.empty()) return false;
  if (s.starts_with("file:/")) return true;
  // scheme ":" rest; the scheme starts with a letter.
  auto colon = s.find(':');
  if (colon == std::string::npos || colon == 0 || !std::isalpha(static_cast<unsigned char>(s[0]))) return false;
  for (size_t i = 1; i < colon; ++i) {
    char c = s[i];
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') return false;
  }
  std::string_view rest = std::string_view(s).substr(colon + 1);
  auto hash = rest.find('#');
  bool has_fragment = hash != std::string_view::npos && hash + 1 < rest.size();
  rest = rest.substr(0, hash);
  if (rest.starts_with("//")) {
    std::string_view authority = rest.substr(2, rest.find_first_of("/?", 2) - 2);
    auto at = authority.rfind('@');
    std::string_view host = at == std::string_view::npos ? authority : authority.substr(at + 1);
    if (host.find_first_of(" <>\"{}|\\^`") != std::string_view::npos) return false;
    return !host.empty() || has_fragment;
  }
  bool opaque = !rest.empty() && rest.front() != '/';
  return opaque || has_fragment;
}

std::optional<db::Timestamp> ParseRfc3339(std::string_view t) {
  // YYYY-MM-DDTHH:MM:SS[.fff]Z|±hh:mm
  if (t.size() < 20 || !IsDigits(t.substr(0, 4)) || t[4] != '-' || !IsDigits(t.substr(5, 2)) || t[7] != '-' ||
      !IsDigits(t.substr(8, 2)) || t[10] != 'T' || !IsDigits(t.substr(11, 2)) || t[13] != ':' ||
      !IsDigits(t.substr(14, 2)) || t[16] != ':' || !IsDigits(t.substr(17, 2))) {
    return std::nullopt;
  }
  std::string_view zone = t.substr(19);
  if (zone.starts_with('.')) {
    size_t n = 1;
    while (n < zone.size() && zone[n] >= '0' && zone[n] <= '9') ++n;
    if (n == 1) return std::nullopt;
    zone.remove_prefix(n);
  }
  bool zone_ok = zone == "Z" || (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && IsDigits(zone.substr(1, 2)) &&
                                 zone[3] == ':' && IsDigits(zone.substr(4, 2)));
  if (!zone_ok) return std::nullopt;
  auto parsed = db::ParseTimestamp(t);
  if (!parsed.ok()) return std::nullopt;
  return *parsed;
}

http::ApiResult<ClientInput> ParseClientInput(const boost::json::object& body, bool with_id) {
  ClientInput in;
  if (!ReadClientFields(body, in, with_id)) return http::ApiError::InvalidRequestBody();
  FieldErrors errors;
  ValidateClient(errors, in, with_id);
  if (!errors.empty()) return errors.ToError();
  return in;
}

http::ApiResult<SecretInput> ParseSecretInput(const http::Request& req, db::Timestamp now) {
  SecretInput in;
  if (IsBlank(req.body)) return in;  // Pocket ID binds this body optionally
  auto body = http::ParseJsonObjectBody(req);
  if (auto* e = std::get_if<http::ApiError>(&body)) return *e;
  const auto& o = std::get<boost::json::object>(body);

  std::string secret;
  std::optional<std::string> expires_text;
  if (!ReadString(o, "secret", secret) || !ReadOptionalString(o, "expiresAt", expires_text)) {
    return http::ApiError::InvalidRequestBody();
  }
  if (expires_text) {
    auto t = ParseRfc3339(*expires_text);
    if (!t) return http::ApiError::InvalidRequestBody();  // Go's time.Time fails to decode it
    in.expires_at = *t;
  }
  if (!secret.empty()) {
    FieldErrors errors;
    bool printable = true;
    for (unsigned char c : secret) printable &= c >= 0x20 && c <= 0x7e;
    if (text::CountCodePoints(secret) < kMinSecretLength) {
      errors.TooShort("secret", kMinSecretLength);
    } else if (!printable) {
      errors.Add("secret", "printascii", "is invalid");
    }
    if (!errors.empty()) return errors.ToError();
    in.secret = std::move(secret);
  }
  if (in.expires_at && !(*in.expires_at > now)) {
    return http::ApiError{400, "validation_failed", "The expiration date of a client secret must be in the future", {}};
  }
  return in;
}

http::ApiResult<std::vector<std::string>> ParseAllowedGroupsInput(const http::Request& req) {
  auto body = http::ParseJsonObjectBody(req);
  if (auto* e = std::get_if<http::ApiError>(&body)) return *e;
  const auto& o = std::get<boost::json::object>(body);
  auto it = o.find("userGroupIds");
  if (it == o.end() || it->value().is_null()) {
    return http::ApiError::Validation("userGroupIds", "required", "is required");
  }
  std::vector<std::string> ids;
  if (!ReadStringList(o, "userGroupIds", ids)) return http::ApiError::InvalidRequestBody();
  return ids;
}

}  // namespace pocketid::oidcclients
