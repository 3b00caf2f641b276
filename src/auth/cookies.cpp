#include "auth/cookies.h"

#include "core/http/form.h"

namespace pocketid::auth {


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
  out += http::QueryEscape(value);
  out += "; Path=";
  out += path;
  if (max_age_seconds > 0) out += "; Max-Age=" + std::to_string(max_age_seconds);
  out += "; HttpOnly; Secure; SameSite=Lax";
  return out;
}

}  // namespace pocketid::auth
