// Who is making this request (management.md §0.1, protocol.md §5.7): the session JWT from the access-token
// cookie or an Authorization header, else an API key (X-API-Key: a stored key, or STATIC_API_KEY), checked against
// the route's policy.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "auth/cookies.h"
#include "auth/session_tokens.h"
#include "core/db/database.h"
#include "core/http/api_error.h"
#include "core/http/router.h"
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
  // `static_api_key`: STATIC_API_KEY; empty disables it.
  Authenticator(const SessionTokens& tokens, db::Database& database, CookieNames cookies,
                std::string static_api_key = {})
      : tokens_(tokens),
        database_(database),
        users_(database),
        cookies_(std::move(cookies)),
        static_api_key_(std::move(static_api_key)) {}

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
  std::string static_api_key_;
};

// The synthetic admin STATIC_API_KEY authenticates as (users::kStaticApiUserId), created on first use. Safe when
// several requests race to create it: the first insert wins and everyone reads that row.
StatusOr<users::User> LoadOrCreateStaticApiUser(db::Database& database);

// Startup: without STATIC_API_KEY the synthetic user (and whatever it owns) is removed, as Pocket ID does.
Status DeleteStaticApiUserUnlessConfigured(db::Database& database, std::string_view static_api_key);

// `handler` behind an authentication check: it runs only for a request that passes `policy`; any other gets the
// authentication error. Authentication comes first, as Pocket ID's middleware runs before any binding.
http::Handler Guarded(Authenticator& authenticator, AuthPolicy policy, http::Handler handler);

}  // namespace pocketid::auth
