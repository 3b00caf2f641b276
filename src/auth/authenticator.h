// Who is making this request (management.md §0.1, protocol.md §5.7): the session JWT from the access-token
// cookie or an Authorization header, else an API key (X-API-Key), checked against the route's policy.
#pragma once

#include <optional>
#include <string>

#include "auth/cookies.h"
#include "auth/session_tokens.h"
#include "core/db/database.h"
#include "core/http/api_error.h"
#include "users/user.h"

namespace pocketid::auth {

struct AuthPolicy {
  bool admin_required = true;    // the default middleware: admin only
  bool api_key_allowed = true;   // false: browser session only (403 api_key_auth_not_allowed when a key is sent)

  static AuthPolicy Admin() { return {true, true}; }
  static AuthPolicy Self() { return {false, true}; }
  static AuthPolicy BrowserSelf() { return {false, false}; }
};

struct Principal {
  users::User user;
  bool via_api_key = false;
  std::string authentication_method;  // "phr" / "otp" (session only)
  int64_t authentication_time = 0;    // session JWT iat
};

class Authenticator {
 public:
  Authenticator(const SessionTokens& tokens, db::Database& database, CookieNames cookies)
      : tokens_(tokens), database_(database), users_(database), cookies_(std::move(cookies)) {}

  http::ApiResult<Principal> Authenticate(const http::Request& req, AuthPolicy policy);
  // "Success optional" (used by /authorize and end-session): anonymous is fine, a disabled user is not.
  http::ApiResult<std::optional<Principal>> AuthenticateOptional(const http::Request& req);

  // The session token the request carries: the cookie, or (only when the cookie is absent) the text after the
  // first space of the Authorization header.
  std::optional<std::string> SessionToken(const http::Request& req) const;

 private:
  http::ApiResult<Principal> FromSession(const http::Request& req);
  http::ApiResult<Principal> FromApiKey(std::string_view key);
  static std::optional<http::ApiError> CheckPolicy(const Principal& p, AuthPolicy policy);

  const SessionTokens& tokens_;
  db::Database& database_;
  users::UserRepository users_;
  CookieNames cookies_;
};

}  // namespace pocketid::auth
