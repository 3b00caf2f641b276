#include "users/validation.h"

#include <cctype>

#include <boost/json/array.hpp>

#include "core/http/json_body.h"
#include "core/text/nfc.h"
#include "core/text/utf8.h"

namespace pocketid::users {

namespace {

bool IsAlnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

std::string Trim(std::string s) {
  s.erase(0, s.find_first_not_of(' '));
  s.erase(s.find_last_not_of(' ') + 1);
  return s;
}

http::FieldError TooLong(std::string_view field, int max) {
  return {std::string(field), "too_long", "must be at most " + std::to_string(max) + " characters long"};
}

// A boolean field: absent/null → false; another type is a body Go cannot decode.
http::ApiResult<std::optional<bool>> OptionalBoolField(const boost::json::object& body, std::string_view name) {
  auto it = body.find(name);
  if (it == body.end() || it->value().is_null()) return std::optional<bool>();
  if (!it->value().is_bool()) return http::ApiError::InvalidRequestBody();
  return std::optional<bool>(it->value().as_bool());
}

// A []string field: nullopt when absent or null.
http::ApiResult<std::optional<std::vector<std::string>>> OptionalStringArray(const boost::json::object& body,
                                                                            std::string_view name) {
  auto it = body.find(name);
  if (it == body.end() || it->value().is_null()) return std::optional<std::vector<std::string>>();
  if (!it->value().is_array()) return http::ApiError::InvalidRequestBody();
  std::vector<std::string> out;
  for (const auto& v : it->value().as_array()) {
    if (!v.is_string()) return http::ApiError::InvalidRequestBody();
    out.emplace_back(v.as_string());
  }
  return std::optional<std::vector<std::string>>(std::move(out));
}

}  // namespace

bool IsValidUsername(std::string_view u) {
  // ^[a-zA-Z0-9]([a-zA-Z0-9_.@-]*[a-zA-Z0-9])?$
  if (u.empty() || !IsAlnum(u.front()) || !IsAlnum(u.back())) return false;
  for (char c : u) {
    if (!IsAlnum(c) && c != '_' && c != '.' && c != '@' && c != '-') return false;
  }
  return true;
}

bool IsValidEmail(std::string_view e) {
  auto at = e.find('@');
  if (at == std::string_view::npos || at == 0 || at != e.rfind('@') || at + 1 >= e.size()) return false;
  std::string_view domain = e.substr(at + 1);
  if (domain.front() == '.' || domain.back() == '.' || domain.find("..") != std::string_view::npos) return false;
  for (char c : e) {
    if (std::isspace(static_cast<unsigned char>(c)) || c == ',' || c == '<' || c == '>') return false;
  }
  return true;
}

bool IsValidUuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    char c = s[i];
    if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

http::ApiResult<ProfileInput> ParseProfile(const boost::json::object& body, bool require_email,
                                           ProfileOptions options) {
  std::optional<std::string> id, username, email, first, last, display, locale;
  for (auto [name, out] : {std::pair{"id", &id}, {"username", &username}, {"email", &email}, {"firstName", &first},
                           {"lastName", &last}, {"displayName", &display}, {"locale", &locale}}) {
    auto v = http::OptionalStringField(body, name);
    if (auto* e = std::get_if<http::ApiError>(&v)) return *e;
    *out = std::move(std::get<std::optional<std::string>>(v));
    if (*out) **out = text::NormalizeNfc(**out);  // the DTO's `unorm:"nfc"` tags
  }
  std::optional<bool> is_admin, email_verified, disabled;
  for (auto [name, out] : {std::pair{"isAdmin", &is_admin}, {"emailVerified", &email_verified},
                           {"disabled", &disabled}}) {
    auto v = OptionalBoolField(body, name);
    if (auto* e = std::get_if<http::ApiError>(&v)) return *e;
    *out = std::get<std::optional<bool>>(v);
  }
  auto group_ids = OptionalStringArray(body, "userGroupIds");
  if (auto* e = std::get_if<http::ApiError>(&group_ids)) return *e;
  if (id && id->empty()) id.reset();  // `omitempty`
  if (email && email->empty()) email.reset();

  // The binding tags, field by field in DTO order; each field reports its first failing rule.
  std::vector<http::FieldError> errors;
  // The static API key's user id is reserved: a real user with it would be deleted at the next start-up.
  if (id && (!IsValidUuid(*id) || *id == kStaticApiUserId)) errors.push_back({"id", "uuid", "is invalid"});
  if (!username || username->empty()) {
    errors.push_back({"username", "required", "is required"});
  } else if (!IsValidUsername(*username)) {
    errors.push_back({"username", "invalid_format",
                      "must only contain letters, numbers, underscores, dots, hyphens, and '@' symbols and not start "
                      "or end with a special character"});
  } else if (text::CountCodePoints(*username) > 50) {
    errors.push_back(TooLong("username", 50));
  }
  if (email && !IsValidEmail(*email)) errors.push_back({"email", "invalid_format", "must be a valid email address"});
  if (first && text::CountCodePoints(*first) > 50) errors.push_back(TooLong("firstName", 50));
  if (last && text::CountCodePoints(*last) > 50) errors.push_back(TooLong("lastName", 50));
  if (display && text::CountCodePoints(*display) > 100) errors.push_back(TooLong("displayName", 100));
  if (!errors.empty()) return http::ApiError::ValidationFailed(errors);
  // requireUserEmail is checked by the service after binding succeeded.
  if (!email && require_email) return http::ApiError::Validation("email", "required", "is required");

  ProfileInput in;
  in.user.id = id;
  in.user.username = *username;
  in.user.email = email;
  in.user.first_name = first.value_or("");
  in.user.last_name = last.value_or("");
  in.user.display_name = display.value_or("");
  if (options.default_display_name && in.user.display_name.empty()) {
    in.user.display_name = Trim(in.user.first_name + " " + in.user.last_name);
  }
  in.user.locale = locale;
  in.user.is_admin = is_admin.value_or(false);
  in.user.email_verified = email_verified.value_or(false);
  in.has_email_verified = email_verified.has_value();
  in.user.disabled = disabled.value_or(false);
  if (auto& ids = std::get<std::optional<std::vector<std::string>>>(group_ids)) in.user_group_ids = std::move(*ids);
  return in;
}

http::ApiResult<std::vector<std::string>> ParseUserGroupIds(const boost::json::object& body) {
  auto ids = OptionalStringArray(body, "userGroupIds");
  if (auto* e = std::get_if<http::ApiError>(&ids)) return *e;
  auto& value = std::get<std::optional<std::vector<std::string>>>(ids);
  if (!value) return http::ApiError::Validation("userGroupIds", "required", "is required");
  return std::move(*value);
}

}  // namespace pocketid::users
