// Pocket ID's cookies (protocol.md §5.1): names depend on whether APP_URL is https (`__Host-`/`__Secure-`
// prefixes) or http (plain names); every cookie is Secure, HttpOnly, SameSite=Lax and host-only.
#pragma once

#include <string>
#include <string_view>

namespace pocketid::auth {

struct CookieNames {
  std::string access_token;
  std::string session;  // WebAuthn ceremony session id
  std::string device_token;
  std::string device_login_token;
  std::string reauthentication_token;

  static CookieNames ForAppUrl(std::string_view app_url);
};

// A Set-Cookie value. max_age_seconds 0 omits Max-Age (a browser-session cookie), as Pocket ID's helper does.
std::string SetCookieValue(std::string_view name, std::string_view value, std::string_view path, int max_age_seconds);

}  // namespace pocketid::auth
