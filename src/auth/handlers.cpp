#include "auth/handlers.h"

#include "auth/sign_in.h"

namespace pocketid::auth {

void RegisterLogoutRoute(http::Router& router, Authenticator& authenticator, const CookieNames& cookies) {
  router.Add(http::Method::kPost, "/api/webauthn/logout", [&authenticator, &cookies](http::Request& req) {
    auto principal = authenticator.Authenticate(req, AuthPolicy::Self());
    if (auto* e = std::get_if<http::ApiError>(&principal)) return http::ErrorResponse(req, *e);
    http::Response res = http::Response::NoContent();
    res.headers.Add("Set-Cookie", ClearedSessionCookie(cookies));
    return res;
  });
}

}  // namespace pocketid::auth
