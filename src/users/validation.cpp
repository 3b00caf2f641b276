#include "users/validation.h"

#include <cctype>

#include "core/http/json_body.h"

namespace pocketid::users {

namespace {

bool IsAlnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

// Counts code points, as Go's validator measures string length.
size_t Utf8Length(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string Trim(std::string s) {
  s.erase(0, s.find_first_not_of(' '));
  s.erase(s.find_last_not_of(' ') + 1);
  return s;
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

http::ApiResult<ProfileInput> ParseProfile(const boost::json::object& body, bool require_email) {
  ProfileInput in;
  auto read = [&](std::string_view name, std::optional<std::string>& out) -> std::optional<http::ApiError> {
    auto v = http::OptionalStringField(body, name);
    if (auto* e = std::get_if<http::ApiError>(&v)) return *e;
    out = std::get<std::optional<std::string>>(v);
    return std::nullopt;
  };
  std::optional<std::string> username, email, first, last, display, locale;
  for (auto [name, out] : {std::pair{"username", &username}, {"email", &email}, {"firstName", &first},
                           {"lastName", &last}, {"displayName", &display}, {"locale", &locale}}) {
    if (auto e = read(name, *out)) return *e;
  }
  if (email && email->empty()) email.reset();

  if (!username || username->empty()) return http::ApiError::Validation("username", "required", "is required");
  if (Utf8Length(*username) > 50) return http::ApiError::Validation("username", "too_long", "must be at most 50 characters long");
  if (!IsValidUsername(*username)) {
    return http::ApiError::Validation("username", "invalid_format",
                                      "must only contain letters, numbers, underscores, dots, hyphens, and '@' "
                                      "symbols and not start or end with a special character");
  }
  if (email && !IsValidEmail(*email)) {
    return http::ApiError::Validation("email", "invalid_format", "must be a valid email address");
  }
  if (!email && require_email) return http::ApiError::Validation("email", "required", "is required");
  if (first && Utf8Length(*first) > 50) return http::ApiError::Validation("firstName", "too_long", "must be at most 50 characters long");
  if (last && Utf8Length(*last) > 50) return http::ApiError::Validation("lastName", "too_long", "must be at most 50 characters long");
  if (display && Utf8Length(*display) > 100) {
    return http::ApiError::Validation("displayName", "too_long", "must be at most 100 characters long");
  }

  in.user.username = *username;
  in.user.email = email;
  in.user.first_name = first.value_or("");
  in.user.last_name = last.value_or("");
  in.user.display_name =
      display && !display->empty() ? *display : Trim(in.user.first_name + " " + in.user.last_name);
  in.user.locale = locale;
  if (auto it = body.find("isAdmin"); it != body.end() && it->value().is_bool()) in.user.is_admin = it->value().as_bool();
  if (auto it = body.find("emailVerified"); it != body.end() && it->value().is_bool()) {
    in.user.email_verified = it->value().as_bool();
    in.has_email_verified = true;
  }
  return in;
}

}  // namespace pocketid::users
