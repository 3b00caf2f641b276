// POST /api/oidc/token (protocol.md §1.9): authorization_code (with PKCE), refresh_token (rotation with reuse
// detection, API grants re-checked) and client_credentials (with an API `resource`). Every grant's state changes
// happen in one transaction.
#include <algorithm>

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include "apis/api_access.h"
#include "core/crypto/encoding.h"
#include "core/crypto/hash.h"
#include "core/crypto/random.h"
#include "oidc/api_resources.h"
#include "oidc/client_auth.h"
#include "oidc/grant_store.h"
#include "oidc/provider.h"

namespace pocketid::oidc {

namespace {

constexpr std::string_view kDeviceCodeGrantType = "urn:ietf:params:oauth:grant-type:device_code";

// A UTC time as Go prints a time.Time in fosite's hints: "2026-11-23 18:15:00 +0000 UTC".
std::string GoTimeText(int64_t unix_seconds) {
  return db::FormatSqliteDatetime(db::Timestamp{unix_seconds}) + " +0000 UTC";
}

// What a grant handler produces: the token response, or the error to send. A handler that must revoke and
// still fail (code replay, refresh reuse) commits the revocation and reports the error.
struct TokenResult {
  std::optional<OAuthError> error;
  boost::json::object body;
};

std::vector<std::string> AccessTokenAudience(const StoredRequest& r, const std::string& issuer) {
  std::vector<std::string> aud = r.granted_audience;
  if (aud.empty()) aud.push_back(r.client_id);
  bool identity = std::any_of(r.granted_scope.begin(), r.granted_scope.end(),
                              [](const std::string& s) { return IsIdentityScope(s); });
  if (identity && std::find(aud.begin(), aud.end(), issuer) == aud.end()) aud.push_back(issuer);
  return aud;
}

// The user behind a grant must still exist, be enabled and be admitted by the client's groups.
std::optional<OAuthError> RevalidateUser(Provider& p, const oidcclients::Client& client, const std::string& user_id,
                                         std::optional<users::User>& user_out) {
  auto user = p.users().FindById(user_id);
  if (!user.ok()) return errors::ServerError();
  if (!*user) return errors::InvalidGrant("The user account no longer exists.");
  if ((*user)->disabled) return errors::InvalidGrant("The user account is disabled.");
  auto allowed = p.clients().UserMayUse(client, user_id);
  if (!allowed.ok()) return errors::ServerError();
  if (!*allowed) return errors::AccessDenied("You are not allowed to access this service.");
  user_out = std::move(*user);
  return std::nullopt;
}

std::optional<OAuthError> CheckPkce(const oidcclients::Client& client, const StoredRequest& r, const Form& form) {
  std::string challenge = r.form.Get("code_challenge");
  std::string method = r.form.Get("code_challenge_method");
  std::string verifier = form.Get("code_verifier");
  if (challenge.empty()) {
    if (!verifier.empty()) return errors::InvalidGrant("Unable to find initial PKCE data tied to this request");
    if (client.is_public) {
      return errors::InvalidRequest(
          "This client must include a code_challenge when performing the authorize code flow, but it is missing.");
    }
    return std::nullopt;
  }
  if (verifier.size() < 43) return errors::InvalidGrant("The PKCE code verifier must be at least 43 characters.");
  if (verifier.size() > 128) return errors::InvalidGrant("The PKCE code verifier can not be longer than 128 characters.");
  bool charset_ok = std::all_of(verifier.begin(), verifier.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
           c == '_' || c == '~';
  });
  if (!charset_ok) {
    return errors::InvalidGrant("The PKCE code verifier must only contain [a-Z], [0-9], '-', '.', '_', '~'.");
  }
  std::string computed = method == "S256" ? crypto::Base64UrlEncode(crypto::Sha256(verifier)) : verifier;
  if (!crypto::ConstantTimeEquals(computed, challenge)) {
    return errors::InvalidGrant("The PKCE code challenge did not match the code verifier.");
  }
  return std::nullopt;
}

// A code exchange adds the family's first access token; a refresh replaces the family's access token.
enum class AccessTokenRow { kAdd, kReplaceFamilyToken };

// Mints access (+refresh, +ID) tokens for a user grant and stores their rows. `request` is the family's request
// with granted scopes/audience; its session gets the new expiry times.
Status IssueUserTokens(Provider& p, db::Connection& conn, const oidcclients::Client& client, StoredRequest request,
                       AccessTokenRow rotation, bool with_id_token, TokenResult& out) {
  int64_t now = db::Now().unix_seconds;
  auto audience = AccessTokenAudience(request, p.issuer());
  PID_ASSIGN_OR_RETURN(auto access, p.minter().AccessToken(client.id, request.session.subject, request.granted_scope,
                                                           audience, now, client.AccessTokenSeconds()));
  request.granted_audience = audience;
  request.session.access_token_expires_at = access.expires_at;
  request.session.refresh_token_expires_at = now + client.RefreshTokenSeconds();
  request.session.authorize_code_expires_at.reset();
  request.authorize = false;

  OpaqueToken refresh = p.opaque_tokens().Generate(kRefreshTokenPrefix);
  PID_RETURN_IF_ERROR(rotation == AccessTokenRow::kReplaceFamilyToken
                          ? grants::ReplaceAccessToken(conn, access.signature, request, access.expires_at)
                          : grants::Insert(conn, kKindAccessToken, access.signature, request, access.expires_at));
  PID_RETURN_IF_ERROR(grants::Insert(conn, kKindRefreshToken, refresh.signature, request,
                                     *request.session.refresh_token_expires_at, access.signature));
  out.body = boost::json::object{
      {"access_token", access.jwt},
      {"token_type", "bearer"},
      {"expires_in", access.expires_at - now},
      {"scope", JoinSpaces(request.granted_scope)},
      {"refresh_token", refresh.token},
  };
  if (with_id_token && HasScope(request.granted_scope, "openid")) {
    PID_ASSIGN_OR_RETURN(auto id_token,
                         p.minter().IdToken(request, request.session.id_token_jti, access.jwt, now));
    out.body["id_token"] = std::move(id_token);
  }
  return Status::Ok();
}

// The grant's row, read on a connection of its own that is returned before anything else is looked up: a request
// never holds two pooled connections at once, so no number of threads can exhaust the pool waiting on itself.
StatusOr<std::optional<GrantRow>> ReadGrant(Provider& p, std::string_view kind, std::string_view signature) {
  PID_ASSIGN_OR_RETURN(auto lease, p.database().Acquire());
  return grants::Find(*lease, kind, signature);
}

TokenResult Failed(const Status& st, std::string_view grant) {
  spdlog::error("token: {}: {}", grant, st.ToString());
  return {errors::ServerError(), {}};
}

// fosite's refresh re-checks: every granted scope and audience must still be one the client may request.
StatusOr<std::optional<OAuthError>> ClientStillHolds(Provider& p, const oidcclients::Client& client,
                                                     const StoredRequest& r) {
  auto custom_scope = [](const std::string& s) { return !IsStandardScope(s); };
  auto api_audience = [&](const std::string& a) { return a != client.id && a != p.issuer(); };
  if (std::none_of(r.granted_scope.begin(), r.granted_scope.end(), custom_scope) &&
      std::none_of(r.granted_audience.begin(), r.granted_audience.end(), api_audience)) {
    return std::optional<OAuthError>();  // a plain login: nothing to look up
  }
  PID_ASSIGN_OR_RETURN(auto lease, p.database().Acquire());
  PID_ASSIGN_OR_RETURN(auto held, apis::ClientScopesAndAudiences(*lease, client.id, client.client_type == "cimd"));
  for (const auto& s : r.granted_scope) {
    if (custom_scope(s) && !HasScope(held.scopes, s)) {
      return std::optional<OAuthError>(
          errors::InvalidScope("The OAuth 2.0 Client is not allowed to request scope '" + s + "'."));
    }
  }
  for (const auto& a : r.granted_audience) {
    if (api_audience(a) && !HasScope(held.audiences, a)) {
      return std::optional<OAuthError>(
          errors::InvalidRequest("Requested audience '" + a + "' has not been whitelisted by the OAuth 2.0 Client."));
    }
  }
  return std::optional<OAuthError>();
}

// Pocket ID's refresh re-check: the family's API (at most one) must still grant its scopes to this user-delegated
// client, as at authorization time.
StatusOr<std::optional<OAuthError>> StillGrantable(Provider& p, const oidcclients::Client& client,
                                                   const StoredRequest& r) {
  auto resource = RefreshResource(r.granted_audience, client.id, p.issuer());
  if (auto* e = std::get_if<OAuthError>(&resource)) return std::optional<OAuthError>(*e);
  PID_ASSIGN_OR_RETURN(auto resolved, ResolveResource(p.database(), client, std::get<std::string>(resource),
                                                      r.granted_scope, apis::SubjectType::kUser));
  if (auto* e = std::get_if<OAuthError>(&resolved)) return std::optional<OAuthError>(*e);
  return std::optional<OAuthError>();
}

// Replay of a used code or refresh token: the whole family goes.
TokenResult Revoked(Provider& p, const std::string& request_id, OAuthError error, std::string_view grant) {
  Status st = p.database().InTransaction([&](db::Connection& conn) { return grants::RevokeFamily(conn, request_id); });
  if (!st.ok()) return Failed(st, grant);
  return {std::move(error), {}};
}

// A code (authorization or device code) buys the family's first tokens once: whoever deactivates its row first
// wins, and a second use, even a concurrent one, is a replay that revokes the family.
TokenResult RedeemOnce(Provider& p, const oidcclients::Client& client, std::string_view kind,
                       std::string_view signature, const StoredRequest& r, const OAuthError& used,
                       std::string_view grant) {
  std::optional<users::User> user;
  if (auto e = RevalidateUser(p, client, r.session.subject, user)) return {*e, {}};
  TokenResult out;
  bool lost_race = false;
  Status st = p.database().InTransaction([&](db::Connection& conn) -> Status {
    PID_ASSIGN_OR_RETURN(bool won, grants::Deactivate(conn, kind, signature));
    if (!won) {
      lost_race = true;
      return Status::Ok();
    }
    return IssueUserTokens(p, conn, client, r, AccessTokenRow::kAdd, /*with_id_token=*/true, out);
  });
  if (!st.ok()) return Failed(st, grant);
  if (lost_race) return Revoked(p, r.id, used, grant);
  return out;
}

TokenResult AuthorizationCodeGrant(Provider& p, const oidcclients::Client& client, const Form& form) {
  constexpr std::string_view kGrant = "authorization_code";
  auto signature = p.opaque_tokens().Verify(kAuthorizeCodePrefix, form.Get("code"));
  if (!signature) return {errors::InvalidGrant(), {}};
  auto row = ReadGrant(p, kKindAuthorizeCode, *signature);
  if (!row.ok()) return Failed(row.status(), kGrant);
  if (!*row) return {errors::InvalidGrant(), {}};
  const OAuthError used = errors::InvalidGrant("The authorization code has already been used.");
  const StoredRequest& r = (*row)->request;
  if (!(*row)->active) return Revoked(p, r.id, used, kGrant);
  if ((*row)->expires_at && *(*row)->expires_at <= db::Now().unix_seconds) return {errors::InvalidGrant(), {}};
  if (r.client_id != client.id) {
    return {errors::InvalidGrant(
                "The OAuth 2.0 Client ID from this request does not match the one from the authorize request."),
            {}};
  }
  if (!r.redirect_uri.empty() && form.Get("redirect_uri") != r.redirect_uri) {
    return {errors::InvalidGrant(
                "The \"redirect_uri\" from this request does not match the one from the authorize request."),
            {}};
  }
  if (auto e = CheckPkce(client, r, form)) return {*e, {}};
  return RedeemOnce(p, client, kKindAuthorizeCode, *signature, r, used, kGrant);
}

TokenResult RefreshTokenGrant(Provider& p, const oidcclients::Client& client, const Form& form) {
  constexpr std::string_view kGrant = "refresh_token";
  const OAuthError malformed = errors::InvalidGrant("The refresh token is malformed or not valid.");
  auto signature = p.opaque_tokens().Verify(kRefreshTokenPrefix, form.Get("refresh_token"));
  if (!signature) return {malformed, {}};
  auto row = ReadGrant(p, kKindRefreshToken, *signature);
  if (!row.ok()) return Failed(row.status(), kGrant);
  if (!*row) return {malformed, {}};
  StoredRequest r = (*row)->request;
  if (!(*row)->active) return Revoked(p, r.id, errors::InvalidGrant("The refresh token was already used."), kGrant);
  if ((*row)->expires_at && *(*row)->expires_at <= db::Now().unix_seconds) {
    return {errors::InvalidGrant("The refresh token expired."), {}};
  }
  if (r.client_id != client.id) {
    return {errors::InvalidGrant(
                "The OAuth 2.0 Client ID from this request does not match the ID during the initial token issuance."),
            {}};
  }
  auto still_allowed = ClientStillHolds(p, client, r);
  if (!still_allowed.ok()) return Failed(still_allowed.status(), kGrant);
  if (*still_allowed) return {**still_allowed, {}};
  std::optional<users::User> user;
  if (auto e = RevalidateUser(p, client, r.session.subject, user)) return {*e, {}};
  auto api_grant = StillGrantable(p, client, r);
  if (!api_grant.ok()) return Failed(api_grant.status(), kGrant);
  if (*api_grant) return {**api_grant, {}};
  // The refreshed ID token carries claims recomputed from the current user and a new jti; the stored copy keeps an
  // empty jti, as Pocket ID's does (end-session with a refreshed ID token revokes nothing).
  auto claims = p.claims().UserClaims(*user, r.granted_scope);
  if (!claims.ok()) return Failed(claims.status(), kGrant);
  r.session.id_token_extra = std::move(*claims);
  r.session.id_token_jti.clear();

  TokenResult out;
  bool lost_race = false;
  Status st = p.database().InTransaction([&](db::Connection& conn) -> Status {
    PID_ASSIGN_OR_RETURN(bool won, grants::Deactivate(conn, kKindRefreshToken, *signature));
    if (!won) {
      lost_race = true;
      return Status::Ok();
    }
    return IssueUserTokens(p, conn, client, r, AccessTokenRow::kReplaceFamilyToken, /*with_id_token=*/false, out);
  });
  if (!st.ok()) return Failed(st, kGrant);
  if (lost_race) return {errors::InvalidRequest("Failed to refresh token. Please retry the request."), {}};
  if (HasScope(r.granted_scope, "openid")) {
    StoredRequest for_id_token = r;
    for_id_token.session.id_token_jti = crypto::NewUuidV4();
    auto id_token = p.minter().IdToken(for_id_token, for_id_token.session.id_token_jti,
                                       std::string(out.body["access_token"].as_string()), db::Now().unix_seconds);
    if (!id_token.ok()) return Failed(id_token.status(), kGrant);
    out.body["id_token"] = std::move(*id_token);
  }
  return out;
}

// RFC 8628 §3.4: the device polls until its user approved the code on /device (device_authorization.cpp).
TokenResult DeviceCodeGrant(Provider& p, const oidcclients::Client& client, const Form& form) {
  constexpr std::string_view kGrant = "device_code";
  auto signature = p.opaque_tokens().Verify(kDeviceCodePrefix, form.Get("device_code"));
  if (!signature) return {errors::InvalidGrant(), {}};
  auto row = ReadGrant(p, kKindDeviceCode, *signature);
  if (!row.ok()) return Failed(row.status(), kGrant);
  if (!*row) return {errors::InvalidGrant(), {}};
  const StoredRequest& r = (*row)->request;
  const OAuthError used = errors::InvalidGrant("The authorization code has already been used.");
  if (!(*row)->active) return Revoked(p, r.id, used, kGrant);
  if (r.client_id != client.id) {
    return {errors::InvalidGrant(
                "The OAuth 2.0 Client ID from this request does not match the one from the authorize request."),
            {}};
  }
  if ((*row)->expires_at && *(*row)->expires_at <= db::Now().unix_seconds) {
    return {errors::ExpiredToken("Device code expired at '" + GoTimeText(*(*row)->expires_at) + "'."), {}};
  }
  if (r.user_code_state == UserCodeState::kRejected) return {errors::AccessDenied(), {}};
  if (r.user_code_state != UserCodeState::kAccepted) return {errors::AuthorizationPending(), {}};
  return RedeemOnce(p, client, kKindDeviceCode, *signature, r, used, kGrant);
}

TokenResult ClientCredentialsGrant(Provider& p, const oidcclients::Client& client, const Form& form) {
  if (client.is_public) {
    return {errors::InvalidGrant("The OAuth 2.0 Client is marked as public and is thus not allowed to use "
                                 "authorization grant 'client_credentials'."),
            {}};
  }
  // The client acts as itself: its client-access grant for the resource decides, and identity scopes never stay.
  auto resource = ResourceParameter(form);
  if (auto* e = std::get_if<OAuthError>(&resource)) return {*e, {}};
  auto requested = RequestableScopes(p.database(), client, SplitSpaces(form.Get("scope")));
  if (!requested.ok()) return Failed(requested.status(), "client_credentials");
  auto resolved = ResolveResource(p.database(), client, std::get<std::string>(resource), *requested,
                                  apis::SubjectType::kClient);
  if (!resolved.ok()) return Failed(resolved.status(), "client_credentials");
  if (auto* e = std::get_if<OAuthError>(&*resolved)) return {*e, {}};
  ResourceGrant& grant = std::get<ResourceGrant>(*resolved);
  std::erase_if(grant.scopes, [](const std::string& s) { return IsStandardScope(s); });

  int64_t now = db::Now().unix_seconds;
  StoredRequest r;
  r.id = crypto::NewUuidV4();
  r.requested_at = now;
  r.client_id = client.id;
  r.requested_scope = SplitSpaces(form.Get("scope"));
  r.granted_scope = grant.scopes;
  r.granted_audience = {grant.audience};
  r.form = form;
  r.form.Remove("client_secret");
  r.form.Remove("client_assertion");
  r.session.subject = "client-" + client.id;
  auto access = p.minter().AccessToken(client.id, r.session.subject, r.granted_scope, r.granted_audience, now,
                                       client.AccessTokenSeconds());
  if (!access.ok()) return {errors::ServerError(), {}};
  r.session.subject.clear();  // no user behind it: userinfo refuses it, introspection reports the client subject
  r.session.access_token_expires_at = access->expires_at;
  auto lease = p.database().Acquire();
  if (!lease.ok()) return {errors::ServerError(), {}};
  if (auto st = grants::Insert(**lease, kKindAccessToken, access->signature, r, access->expires_at); !st.ok()) {
    spdlog::error("token: client_credentials: {}", st.ToString());
    return {errors::ServerError(), {}};
  }
  TokenResult out;
  out.body = boost::json::object{{"access_token", access->jwt},
                                 {"token_type", "bearer"},
                                 {"expires_in", access->expires_at - now},
                                 {"scope", JoinSpaces(r.granted_scope)}};
  return out;
}

}  // namespace

http::Response HandleToken(Provider& p, http::Request& req) {
  auto posted = PostedForm(req);
  if (auto* e = std::get_if<OAuthError>(&posted)) return OAuthErrorResponse(*e);
  const Form& form = std::get<Form>(posted);
  std::string grant_type = form.Get("grant_type");
  if (grant_type.empty()) return OAuthErrorResponse(errors::InvalidRequest("Request parameter 'grant_type' is missing"));

  auto client = AuthenticateClient(p, req, form);
  if (auto* e = std::get_if<OAuthError>(&client)) return OAuthErrorResponse(*e);
  const auto& c = std::get<oidcclients::Client>(client);

  TokenResult result;
  if (grant_type == "authorization_code") {
    result = AuthorizationCodeGrant(p, c, form);
  } else if (grant_type == "refresh_token") {
    result = RefreshTokenGrant(p, c, form);
  } else if (grant_type == kDeviceCodeGrantType) {
    result = DeviceCodeGrant(p, c, form);
  } else if (grant_type == "client_credentials") {
    result = ClientCredentialsGrant(p, c, form);
  } else {
    result.error = errors::InvalidRequest();
  }
  if (result.error) return OAuthErrorResponse(*result.error);
  return OAuthJsonResponse(200, boost::json::serialize(result.body));
}

}  // namespace pocketid::oidc
