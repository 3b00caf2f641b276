// The device authorization flow (RFC 8628, protocol.md §1.14), the device's side and the user's side:
//   POST /api/oidc/device/authorize      a device asks for a device code and a user code
//   GET  /api/oidc/device/info?code=     the signed-in user's /device page reads what the code asks for
//   POST /api/oidc/device/verify?code=   ... and approves it
// The device then polls the token endpoint (grant_type=urn:ietf:params:oauth:grant-type:device_code, in
// token_endpoint.cpp). Both codes are rows of oauth2_sessions sharing one request id: `device_code` keyed by the
// device code's signature, `user_code` keyed by the user code's HMAC. Approval deactivates the user-code row (a code
// approves once) and stores the user's session in the device-code row.
#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include "auth/reauthentication.h"
#include "auth/user_codes.h"
#include "core/crypto/random.h"
#include "oidc/api_resources.h"
#include "oidc/client_auth.h"
#include "oidc/grant_store.h"
#include "oidc/provider.h"

namespace pocketid::oidc {

namespace {

constexpr int64_t kDeviceCodeLifetimeSeconds = 15 * 60;
constexpr int kPollingIntervalSeconds = 5;

http::ApiError InvalidDeviceCode() { return {400, "oidc_invalid_device_code", "Device code is invalid", {}}; }
http::ApiError ExpiredDeviceCode() { return {400, "oidc_device_code_expired", "Device code has expired", {}}; }

// The pending request a user code names, or the API error the /device page shows.
struct PendingCode {
  std::string signature;
  StoredRequest request;
  oidcclients::Client client;
};

std::variant<PendingCode, http::ApiError> FindPendingCode(Provider& p, const http::Request& req) {
  std::string code = req.QueryParam("code").value_or("");
  if (code.empty()) return http::ApiError{400, "validation_failed", "code is required", {}};
  std::string signature = p.opaque_tokens().Signature(auth::NormalizeUserCode(code));
  auto lease = p.database().Acquire();
  if (!lease.ok()) return http::InternalFromStatus(lease.status(), "device code lookup");
  auto row = grants::Find(**lease, kKindUserCode, signature);
  if (!row.ok()) return http::InternalFromStatus(row.status(), "device code lookup");
  if (!*row || !(*row)->active || (*row)->request.user_code_state != UserCodeState::kUnused) {
    return InvalidDeviceCode();
  }
  if ((*row)->expires_at && *(*row)->expires_at <= db::Now().unix_seconds) return ExpiredDeviceCode();
  auto client = p.clients().FindById((*row)->request.client_id);
  if (!client.ok()) return http::InternalFromStatus(client.status(), "device code client");
  if (!*client) return InvalidDeviceCode();
  return PendingCode{std::move(signature), std::move((*row)->request), std::move(**client)};
}

// The pending request's grant as of now: the client must still hold the API access and permissions the device
// asked for (an admin may have revoked them since), as at device authorization.
StatusOr<std::variant<ResourceGrant, OAuthError>> CurrentGrant(Provider& p, const PendingCode& pending) {
  return ResolveResource(p.database(), pending.client, pending.request.form.Get("resource"),
                         pending.request.granted_scope, apis::SubjectType::kUser);
}

// The device request's resource and scopes as a user-delegated grant, or the error for the device. A resource the
// client may not reach is reported like an unknown one.
StatusOr<std::variant<ResourceGrant, OAuthError>> ResolveDeviceGrant(Provider& p, const oidcclients::Client& client,
                                                                      const Form& form) {
  using Result = std::variant<ResourceGrant, OAuthError>;
  auto resource = ResourceParameter(form);
  if (auto* e = std::get_if<OAuthError>(&resource)) return Result(*e);
  const std::string& named = std::get<std::string>(resource);
  PID_ASSIGN_OR_RETURN(auto requested, RequestableScopes(p.database(), client, SplitSpaces(form.Get("scope"))));
  PID_ASSIGN_OR_RETURN(auto resolved, ResolveResource(p.database(), client, named, requested, apis::SubjectType::kUser));
  if (auto* e = std::get_if<OAuthError>(&resolved); e && !named.empty() && e->error == "access_denied") {
    return Result(errors::InvalidTarget("The requested resource '" + named +
                                        "' is invalid, missing, unknown, or malformed."));
  }
  return resolved;
}

// Consent is needed unless the client skips it or the user already granted these keys.
StatusOr<bool> AuthorizationRequired(Provider& p, const PendingCode& pending, std::string_view user_id,
                                     const std::vector<std::string>& consent_keys) {
  if (pending.client.skip_consent) return false;
  PID_ASSIGN_OR_RETURN(bool authorized, p.consents().AlreadyAuthorized(user_id, pending.client.id, consent_keys));
  return !authorized;
}

http::Response GroupRefusal() {
  // Pocket ID special-cases this one: no `code` member.
  return http::Response::Json(403, boost::json::object{{"error", "You're not allowed to access this service."}});
}

}  // namespace

http::Response HandleDeviceAuthorize(Provider& p, http::Request& req) {
  auto posted = PostedForm(req);
  if (auto* e = std::get_if<OAuthError>(&posted)) return OAuthErrorResponse(*e);
  const Form& form = std::get<Form>(posted);
  auto authenticated = AuthenticateClient(p, req, form);
  if (auto* e = std::get_if<OAuthError>(&authenticated)) return OAuthErrorResponse(*e);
  const auto& client = std::get<oidcclients::Client>(authenticated);
  if (form.Get("client_id") != client.id) {
    return OAuthErrorResponse(errors::InvalidRequest("Provided client_id mismatch."));
  }
  auto resolved = ResolveDeviceGrant(p, client, form);
  if (!resolved.ok()) {
    spdlog::error("device authorize: {}", resolved.status().ToString());
    return OAuthErrorResponse(errors::ServerError());
  }
  if (auto* e = std::get_if<OAuthError>(&*resolved)) return OAuthErrorResponse(*e);
  auto& grant = std::get<ResourceGrant>(*resolved);

  const int64_t now = db::Now().unix_seconds;
  StoredRequest r;
  r.id = crypto::NewUuidV4();
  r.requested_at = now;
  r.client_id = client.id;
  r.requested_scope = SplitSpaces(form.Get("scope"));
  r.granted_scope = std::move(grant.scopes);
  r.granted_audience = {std::move(grant.audience)};
  r.form = form;
  r.form.Remove("client_secret");
  r.form.Remove("client_assertion");
  r.device = true;
  r.user_code_state = UserCodeState::kUnused;
  r.session.requested_at = now;
  r.session.alg = std::string(crypto::AlgorithmName(p.minter().key().algorithm()));

  OpaqueToken device_code = p.opaque_tokens().Generate(kDeviceCodePrefix);
  const std::string user_code = auth::NewUserCode('E');
  const int64_t expires_at = now + kDeviceCodeLifetimeSeconds;
  Status stored = p.database().InTransaction([&](db::Connection& conn) -> Status {
    PID_RETURN_IF_ERROR(grants::Insert(conn, kKindDeviceCode, device_code.signature, r, expires_at));
    return grants::Insert(conn, kKindUserCode, p.opaque_tokens().Signature(user_code), r, expires_at);
  });
  if (!stored.ok()) return OAuthErrorResponse(errors::ServerError());

  const std::string verification_uri = p.issuer() + "/device";
  boost::json::object body{
      {"device_code", device_code.token},
      {"user_code", user_code},
      {"verification_uri", verification_uri},
      {"verification_uri_complete", verification_uri + "?user_code=" + user_code},
      {"expires_in", expires_at - db::Now().unix_seconds},
      {"interval", kPollingIntervalSeconds},
  };
  return OAuthJsonResponse(200, boost::json::serialize(body));
}

http::Response HandleDeviceInfo(Provider& p, http::Request& req) {
  auto principal = p.authenticator().Authenticate(req, auth::AuthPolicy::BrowserSelf());
  if (auto* e = std::get_if<http::ApiError>(&principal)) return http::ErrorResponse(req, *e);
  const auto& me = std::get<auth::Principal>(principal);
  auto pending = FindPendingCode(p, req);
  if (auto* e = std::get_if<http::ApiError>(&pending)) return http::ErrorResponse(req, *e);
  const auto& code = std::get<PendingCode>(pending);
  auto grant = CurrentGrant(p, code);
  if (!grant.ok()) return http::ErrorResponse(req, http::InternalFromStatus(grant.status(), "device info"));
  if (auto* e = std::get_if<OAuthError>(&*grant)) return http::ErrorResponse(req, e->AsApiError());
  const auto& g = std::get<ResourceGrant>(*grant);
  auto required = AuthorizationRequired(p, code, me.user.id, ConsentKeysForGrant(g.audience, g.resource, g.scopes));
  if (!required.ok()) return http::ErrorResponse(req, http::InternalFromStatus(required.status(), "device info"));

  auto scope_info = ScopeInfo(p.database(), code.request.form.Get("resource"), code.request.granted_scope);
  if (!scope_info.ok()) return http::ErrorResponse(req, http::InternalFromStatus(scope_info.status(), "device info"));
  boost::json::array scopes;
  for (const auto& s : code.request.granted_scope) scopes.emplace_back(s);
  boost::json::object client = oidcclients::MetaDataDto(code.client);
  client["description"] = "";
  return http::Response::Json(200, boost::json::object{
                                       {"scope", std::move(scopes)},
                                       {"scopeInfo", std::move(*scope_info)},
                                       {"authorizationRequired", *required},
                                       {"reauthenticationRequired", code.client.requires_reauthentication},
                                       {"client", std::move(client)},
                                   });
}

http::Response HandleDeviceVerify(Provider& p, http::Request& req) {
  auto principal = p.authenticator().Authenticate(req, auth::AuthPolicy::BrowserSelf());
  if (auto* e = std::get_if<http::ApiError>(&principal)) return http::ErrorResponse(req, *e);
  const auto& me = std::get<auth::Principal>(principal);
  auto pending = FindPendingCode(p, req);
  if (auto* e = std::get_if<http::ApiError>(&pending)) return http::ErrorResponse(req, *e);
  PendingCode& code = std::get<PendingCode>(pending);

  auto allowed = p.clients().UserMayUse(code.client, me.user.id);
  if (!allowed.ok()) return http::ErrorResponse(req, http::InternalFromStatus(allowed.status(), "device verify"));
  if (!*allowed) return GroupRefusal();
  auto grant = CurrentGrant(p, code);
  if (!grant.ok()) return http::ErrorResponse(req, http::InternalFromStatus(grant.status(), "device verify"));
  if (auto* e = std::get_if<OAuthError>(&*grant)) return http::ErrorResponse(req, e->AsApiError());
  const auto& g = std::get<ResourceGrant>(*grant);
  const auto consent_keys = ConsentKeysForGrant(g.audience, g.resource, g.scopes);

  const int64_t now = db::Now().unix_seconds;
  int64_t auth_time = me.authentication_time != 0 ? me.authentication_time : now;
  if (code.client.requires_reauthentication) {
    auto reauthenticated =
        auth::ConsumeReauthenticationCookie(p.database(), req, p.cookies().reauthentication_token, me.user.id);
    if (auto* e = std::get_if<http::ApiError>(&reauthenticated)) return http::ErrorResponse(req, *e);
    auth_time = std::get<int64_t>(reauthenticated);
  }

  // The approved grant: who, how, and the ID-token claims as of now (protocol.md §3: claims at approval time).
  StoredRequest approved = code.request;
  approved.user_code_state = UserCodeState::kAccepted;
  GrantSession& s = approved.session;
  s.subject = me.user.id;
  s.authentication_method = me.authentication_method;
  s.auth_time = auth_time;
  s.id_token_jti = crypto::NewUuidV4();
  auto claims = p.claims().UserClaims(me.user, approved.granted_scope);
  if (!claims.ok()) return http::ErrorResponse(req, http::InternalFromStatus(claims.status(), "device claims"));
  s.id_token_extra = std::move(*claims);

  const audit::Location where = p.audit().Locate(req.client_ip);  // looked up before a connection is taken
  bool lost_race = false;
  Status st = p.database().InTransaction([&](db::Connection& conn) -> Status {
    // The user code approves once: whoever deactivates it first wins.
    PID_ASSIGN_OR_RETURN(bool won, grants::Deactivate(conn, kKindUserCode, code.signature));
    if (!won) {
      lost_race = true;
      return Status::Ok();
    }
    PID_RETURN_IF_ERROR(grants::UpdateRequest(conn, kKindDeviceCode, approved));
    PID_ASSIGN_OR_RETURN(bool already,
                         ConsentStore::RecordWith(conn, me.user.id, code.client.id, consent_keys));
    return audit::AuditLog::WriteWith(
        conn,
        {already ? "DEVICE_CODE_AUTHORIZATION" : "NEW_DEVICE_CODE_AUTHORIZATION", me.user.id, req.client_ip,
         req.Header("User-Agent").value_or(""), {{"clientName", code.client.name}}},
        where);
  });
  if (!st.ok()) return http::ErrorResponse(req, http::InternalFromStatus(st, "device verify"));
  if (lost_race) return http::ErrorResponse(req, InvalidDeviceCode());
  return http::Response{204, {}, {}};
}

}  // namespace pocketid::oidc
