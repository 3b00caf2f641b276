#include "auth/cookies.h"

namespace pocketid::auth {

namespace {
// Go's url.QueryEscape: unreserved characters stay, space becomes '+', everything else %XX.
std::string QueryEscape(std::string_view v) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : v) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else if (c == ' ') {
      out.push_back('+');
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}
}  // namespace

CookieNames CookieNames::ForAppUrl(std::string_view app_url) {
  if (app_url.starts_with("http://")) {
    return {"access_token", "session", "device_token", "device_login_token", "reauthentication_token"};
  }
  return {"__Host-access_token", "__Host-session", "__Secure-device_token", "__Secure-device_login_token",
          "__Secure-reauthentication_token"};
}

std::string SetCookieValue(std::string_view name, std::string_view value, std::string_view path,
                           int max_age_seconds) {
  std::string out(name);
  out += '=';
  out += QueryEscape(value);
  out += "; Path=";
  out += path;
  if (max_age_seconds > 0) out += "; Max-Age=" + std::to_string(max_age_seconds);
  out += "; HttpOnly; Secure; SameSite=Lax";
  return out;
}

}  // namespace pocketid::auth
