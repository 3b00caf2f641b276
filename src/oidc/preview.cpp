// GET /api/oidc/clients/:id/preview/:userId?scopes=… (admin, protocol.md §1.19): the claims a user's ID token,
// access token and userinfo would carry for this client, decoded, without issuing anything.
#include <boost/json.hpp>

#include "core/crypto/encoding.h"
#include "core/crypto/random.h"
#include "oidc/provider.h"

namespace pocketid::oidc {

namespace {

http::ApiError MissingField(std::string_view field) {
  http::ApiError e = http::ApiError::Validation(field, "required", "is required");
  e.message = std::string(field) + " is required";  // MissingField keeps the field name as written
  return e;
}

// The claims of a token minted a moment ago by this server.
StatusOr<boost::json::object> Payload(const std::string& jwt) {
  PID_ASSIGN_OR_RETURN(crypto::JwtParts parts, crypto::DecodeJwtUnverified(jwt));
  return std::move(parts.claims);
}

}  // namespace

http::Response HandlePreview(Provider& p, http::Request& req) {
  auto principal = p.authenticator().Authenticate(req, auth::AuthPolicy::Admin());
  if (auto* e = std::get_if<http::ApiError>(&principal)) return http::ErrorResponse(req, *e);
  std::string scopes_param = req.QueryParam("scopes").value_or("");
  if (scopes_param.empty()) return http::ErrorResponse(req, MissingField("scopes"));

  auto client = p.clients().FindById(req.PathParam("id"));
  if (!client.ok()) return http::ErrorResponse(req, http::InternalFromStatus(client.status(), "preview client"));
  if (!*client) return http::ErrorResponse(req, http::ApiError::NotFound("OIDC client", "OIDC client not found"));
  auto user = p.users().FindById(req.PathParam("userId"));
  if (!user.ok()) return http::ErrorResponse(req, http::InternalFromStatus(user.status(), "preview user"));
  if (!*user) return http::ErrorResponse(req, http::ApiError::UserNotFound());
  auto allowed = p.clients().UserMayUse(**client, (*user)->id);
  if (!allowed.ok()) return http::ErrorResponse(req, http::InternalFromStatus(allowed.status(), "preview groups"));
  if (!*allowed) return http::ErrorResponse(req, {403, "oidc_access_denied", "You're not allowed to access this service", {}});

  std::vector<std::string> scopes;
  for (auto& s : SplitSpaces(scopes_param)) {
    if (IsStandardScope(s) && !HasScope(scopes, s)) scopes.push_back(std::move(s));
  }
  auto user_info = p.claims().UserClaims(**user, scopes);
  if (!user_info.ok()) return http::ErrorResponse(req, http::InternalFromStatus(user_info.status(), "preview claims"));

  int64_t now = db::Now().unix_seconds;
  StoredRequest r;
  r.client_id = (*client)->id;
  r.granted_scope = scopes;
  r.session.subject = (*user)->id;
  r.session.authentication_method = std::get<auth::Principal>(principal).authentication_method;
  r.session.auth_time = now;
  r.session.requested_at = now;
  r.session.id_token_extra = *user_info;
  auto id_token = p.minter().IdToken(r, crypto::NewUuidV4(), "", now);
  auto access = p.minter().AccessToken((*client)->id, (*user)->id, scopes, {(*client)->id}, now,
                                       (*client)->AccessTokenSeconds());
  if (!id_token.ok() || !access.ok()) {
    return http::ErrorResponse(req, http::InternalFromStatus(!id_token.ok() ? id_token.status() : access.status(), "preview tokens"));
  }
  auto id_claims = Payload(*id_token);
  auto access_claims = Payload(access->jwt);
  if (!id_claims.ok() || !access_claims.ok()) return http::ErrorResponse(req, http::ApiError::Internal());
  return http::Response::Json(200, boost::json::object{{"idToken", std::move(*id_claims)},
                                                       {"accessToken", std::move(*access_claims)},
                                                       {"userInfo", std::move(*user_info)}});
}

}  // namespace pocketid::oidc
