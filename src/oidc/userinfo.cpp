// GET|POST /api/oidc/userinfo (protocol.md §1.10): the user's claims for the access token's granted scopes, built
// from the current database state.
#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include "oidc/provider.h"

namespace pocketid::oidc {

namespace {

constexpr std::string_view kScopeHint =
    "Make sure that the request you are making is valid. Maybe the credential or request parameters you are using "
    "are limited in scope or otherwise restricted.";
constexpr std::string_view kCredentialsHint = "Check that you provided valid credentials in the right format.";

http::Response UserinfoError(const OAuthError& e) {
  http::Response res = OAuthErrorResponse(e);
  if (e.status == 401) {
    res.headers.Add("WWW-Authenticate",
                    "Bearer error=\"" + e.error + "\", error_description=\"" + e.FullDescription() + "\"");
  }
  return res;
}

// The bearer token: Authorization header (scheme case-insensitive), else the access_token parameter.
std::string BearerToken(const http::Request& req) {
  if (auto h = req.Header("Authorization"); h && h->size() > 7 && http::EqualsIgnoreCase(h->substr(0, 7), "Bearer ")) {
    return std::string(h->substr(7));
  }
  if (auto form = RequestForm(req)) return form->Get("access_token");
  return {};
}

}  // namespace

http::Response HandleUserinfo(Provider& p, http::Request& req) {
  const OAuthError invalid =
      errors::RequestUnauthorized(std::string(kCredentialsHint)).WithDescription("The access token is invalid");
  std::string token = BearerToken(req);
  if (token.empty()) return UserinfoError(errors::RequestUnauthorized(std::string(kCredentialsHint)));
  auto found = FindActiveAccessToken(p, token);
  if (!found.ok()) {
    spdlog::error("userinfo: {}", found.status().ToString());
    return UserinfoError(errors::ServerError());
  }
  if (!*found) return UserinfoError(errors::RequestUnauthorized(std::string(kCredentialsHint)));
  const StoredRequest& r = **found;
  const auto& aud = r.granted_audience;
  if (std::find(aud.begin(), aud.end(), p.issuer()) == aud.end()) {
    return UserinfoError(errors::AccessDenied(std::string(kScopeHint))
                             .WithDescription("The access token is not audienced to this server and cannot be used "
                                              "to access user information."));
  }
  if (!HasScope(r.granted_scope, "openid")) {
    return UserinfoError(
        errors::AccessDenied(std::string(kScopeHint)).WithDescription("The access token is missing the openid scope."));
  }
  if (r.session.subject.empty()) return UserinfoError(invalid);
  auto claims = p.claims().UserClaims(r.session.subject, r.granted_scope);
  if (!claims.ok()) {
    spdlog::error("userinfo claims: {}", claims.status().ToString());
    return UserinfoError(errors::ServerError());
  }
  if (!*claims) return UserinfoError(invalid);
  return http::Response::Json(200, **claims);
}

}  // namespace pocketid::oidc
