#include "passkeys/handlers.h"

#include "auth/reauthentication.h"

#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <spdlog/spdlog.h>

#include "core/crypto/encoding.h"
#include "core/crypto/hash.h"
#include "core/crypto/random.h"
#include "core/http/json_body.h"
#include "webauthn/errors.h"
#include "webauthn/registration.h"
#include "webauthn/assertion.h"
#include "webauthn/response_json.h"

namespace pocketid::passkeys {

namespace {

constexpr int kCeremonySeconds = 60;
// go-webauthn's default order: ES256, ES384, ES512, RS256, RS384, RS512, PS256, PS384, PS512, EdDSA.
constexpr int kOfferedAlgorithms[] = {-7, -35, -36, -257, -258, -259, -37, -38, -39, -8};

http::ApiError MissingSession() { return {400, "missing_session_id", "Session ID is missing", {}}; }
http::ApiError ExpiredSession() { return {400, "invalid_webauthn_session", "Your passkey request has expired", {}}; }
http::ApiError InvalidResponse() {
  return {400, "invalid_webauthn_response", "We couldn't process the response from your passkey", {}};
}
http::ApiError AuthenticationFailed() {
  return {401, "webauthn_authentication_failed", "We couldn't verify your passkey", {}};
}
http::ApiError UserVerificationRequired() {
  return {400, "passkey_user_verification_required",
          "Your passkey couldn't verify you. If you're using a security key, configure a FIDO2 PIN and try again", {}};
}
http::ApiError PasskeyNotFound() { return http::ApiError::NotFound("Passkey", "Passkey not found"); }

std::string UserAgent(const http::Request& req) { return std::string(req.Header("User-Agent").value_or("")); }

// Pocket ID maps a failed check to its error code; the reason only goes to the log.
http::ApiError FromVerification(const Status& s, bool signing_in) {
  spdlog::info("passkey verification failed: {}", s.message());
  switch (webauthn::ClassifyFailure(s)) {
    case webauthn::FailureKind::kUserVerificationMissing: return UserVerificationRequired();
    case webauthn::FailureKind::kMalformed: return InvalidResponse();
    case webauthn::FailureKind::kVerificationFailed: return signing_in ? AuthenticationFailed() : InvalidResponse();
  }
  return InvalidResponse();
}

http::Response WithCeremonyCookie(http::Response res, const Deps& d, const std::string& ceremony_id) {
  res.headers.Add("Set-Cookie", auth::SetCookieValue(d.sign_in.cookies.session, ceremony_id, "/", kCeremonySeconds));
  return res;
}

std::string UserVerificationSetting(const appconfig::Settings& settings) {
  return settings.Get("webauthnUserVerification") == "preferred" ? "preferred" : "required";
}

// Takes the ceremony named by the `session` cookie out of the store.
http::ApiResult<CeremonySession> TakeCeremony(const Deps& d, const http::Request& req) {
  auto id = req.Cookie(d.sign_in.cookies.session);
  if (!id || id->empty()) return MissingSession();
  auto session = d.ceremonies.Consume(*id);
  if (!session.ok()) return http::InternalFromStatus(session.status(), "webauthn session");
  if (!*session || (*session)->expires_at.unix_seconds <= db::Now().unix_seconds) return ExpiredSession();
  return std::move(**session);
}

http::Response RegisterStart(const Deps& d, http::Request& req) {
  auto principal = d.authenticator.Authenticate(req, auth::AuthPolicy::BrowserSelf());
  if (auto* e = std::get_if<http::ApiError>(&principal)) return http::ErrorResponse(req, *e);
  const users::User& user = std::get<auth::Principal>(principal).user;

  auto settings = d.sign_in.app_config.Load();
  auto existing = d.credentials.ListForUser(user.id);
  for (const Status& s : {settings.status(), existing.status()}) {
    if (!s.ok()) return http::ErrorResponse(req, http::InternalFromStatus(s, "registration options"));
  }
  std::string uv = UserVerificationSetting(*settings);
  std::string attachment = settings->Get("webauthnAuthenticatorAttachment");

  CeremonySession ceremony;
  ceremony.challenge = crypto::Base64UrlEncode(crypto::RandomBytes(32));
  ceremony.user_verification = uv;
  ceremony.credential_params.assign(std::begin(kOfferedAlgorithms), std::end(kOfferedAlgorithms));
  ceremony.expires_at = db::Timestamp{db::Now().unix_seconds + kCeremonySeconds};
  auto ceremony_id = d.ceremonies.Create(ceremony);
  if (!ceremony_id.ok()) return http::ErrorResponse(req, http::InternalFromStatus(ceremony_id.status(), "ceremony"));

  boost::json::array params;
  for (int alg : kOfferedAlgorithms) params.push_back(boost::json::object{{"type", "public-key"}, {"alg", alg}});
  boost::json::array exclude;
  for (const auto& c : *existing) {
    boost::json::array transports;
    for (const auto& t : c.transports) transports.emplace_back(t);
    exclude.push_back(boost::json::object{
        {"type", "public-key"}, {"id", crypto::Base64UrlEncode(c.credential_id)}, {"transports", std::move(transports)}});
  }
  boost::json::object selection{{"requireResidentKey", true}, {"residentKey", "required"}, {"userVerification", uv}};
  if (attachment == "platform" || attachment == "cross-platform") selection["authenticatorAttachment"] = attachment;
  std::string display = user.display_name.empty() ? user.first_name + " " + user.last_name : user.display_name;
  boost::json::object options{
      {"rp", boost::json::object{{"name", settings->Get("appName")}, {"id", d.rp.id}}},
      {"user", boost::json::object{{"name", user.username}, {"displayName", display},
                                   {"id", crypto::Base64UrlEncode(user.id)}}},
      {"challenge", ceremony.challenge},
      {"pubKeyCredParams", std::move(params)},
      {"timeout", kCeremonySeconds * 1000},
      {"authenticatorSelection", std::move(selection)},
      {"extensions", boost::json::object{{"credProps", true}}}};
  if (!exclude.empty()) options["excludeCredentials"] = std::move(exclude);
  return WithCeremonyCookie(http::Response::Json(200, options), d, *ceremony_id);
}

http::Response RegisterFinish(const Deps& d, http::Request& req) {
  auto principal = d.authenticator.Authenticate(req, auth::AuthPolicy::BrowserSelf());
  if (auto* e = std::get_if<http::ApiError>(&principal)) return http::ErrorResponse(req, *e);
  const users::User& user = std::get<auth::Principal>(principal).user;

  auto ceremony = TakeCeremony(d, req);
  if (auto* e = std::get_if<http::ApiError>(&ceremony)) return http::ErrorResponse(req, *e);
  const CeremonySession& session = std::get<CeremonySession>(ceremony);
  auto response = webauthn::ParseRegistrationResponseJson(req.body);
  if (!response.ok()) return http::ErrorResponse(req, InvalidResponse());

  webauthn::RegistrationExpectations expect{session.challenge, d.rp.id, d.rp.origins,
                                            session.user_verification == "required", session.credential_params};
  auto verified = webauthn::VerifyRegistration(expect, response->client_data_json, response->attestation_object);
  if (!verified.ok()) return http::ErrorResponse(req, FromVerification(verified.status(), false));

  auto allow_synced = d.sign_in.app_config.GetBool("webauthnAllowSyncedPasskeys");
  if (!allow_synced.ok()) return http::ErrorResponse(req, http::InternalFromStatus(allow_synced.status(), "config"));
  if (!*allow_synced && verified->backup_eligible) {
    return http::ErrorResponse(req, {400, "synced_passkey_not_allowed", "Synced passkeys are not allowed", {}});
  }

  Credential c;
  c.id = crypto::NewUuidV4();
  c.name = "New Passkey";
  c.credential_id = verified->credential_id;
  c.public_key = verified->public_key;
  c.attestation_type = verified->attestation_type;
  c.transports = response->transports;
  c.backup_eligible = verified->backup_eligible;
  c.backup_state = verified->backup_state;
  c.user_id = user.id;
  c.created_at = db::Now();
  if (Status s = d.credentials.Insert(c); !s.ok()) {
    if (s.code() == StatusCode::kAlreadyExists) return http::ErrorResponse(req, InvalidResponse());
    return http::ErrorResponse(req, http::InternalFromStatus(s, "store passkey"));
  }
  d.audit.Write({audit::kPasskeyAdded, user.id, req.client_ip, UserAgent(req),
                 {{"credentialID", crypto::HexEncode(c.credential_id)}, {"passkeyName", c.name}}});
  return http::Response::Json(200, CredentialDto(c));
}

http::Response LoginStart(const Deps& d, http::Request& req) {
  auto settings = d.sign_in.app_config.Load();
  if (!settings.ok()) return http::ErrorResponse(req, http::InternalFromStatus(settings.status(), "config"));
  std::string uv = UserVerificationSetting(*settings);
  CeremonySession ceremony;
  ceremony.challenge = crypto::Base64UrlEncode(crypto::RandomBytes(32));
  ceremony.user_verification = uv;
  ceremony.expires_at = db::Timestamp{db::Now().unix_seconds + kCeremonySeconds};
  auto ceremony_id = d.ceremonies.Create(ceremony);
  if (!ceremony_id.ok()) return http::ErrorResponse(req, http::InternalFromStatus(ceremony_id.status(), "ceremony"));
  boost::json::object options{{"challenge", ceremony.challenge},
                              {"timeout", kCeremonySeconds * 1000},
                              {"rpId", d.rp.id},
                              {"userVerification", uv}};
  return WithCeremonyCookie(http::Response::Json(200, options), d, *ceremony_id);
}

// Discoverable login: the credential names its user through the user handle (the user ID). Returns the owner's
// ID once the assertion verifies against the stored key.
http::ApiResult<std::string> VerifyDiscoverableAssertion(const Deps& d, const CeremonySession& session,
                                                         const webauthn::AuthenticationResponse& response) {
  auto credential = d.credentials.FindByCredentialId(response.raw_id);
  if (!credential.ok()) return http::InternalFromStatus(credential.status(), "passkey");
  if (!*credential || (*credential)->user_id != response.user_handle) return AuthenticationFailed();
  webauthn::AssertionExpectations expect{session.challenge, d.rp.id, d.rp.origins,
                                         session.user_verification == "required", (*credential)->public_key,
                                         (*credential)->backup_eligible};
  auto verified =
      webauthn::VerifyAssertion(expect, response.client_data_json, response.authenticator_data, response.signature);
  if (!verified.ok()) return FromVerification(verified.status(), true);
  if (Status s = d.credentials.RecordUse((*credential)->id, verified->sign_count); !s.ok()) {
    spdlog::warn("failed to record passkey use: {}", s.message());  // bookkeeping only; the sign-in stands
  }
  return (*credential)->user_id;
}

http::Response LoginFinish(const Deps& d, http::Request& req) {
  auto response = webauthn::ParseAuthenticationResponseJson(req.body);
  if (!response.ok()) return http::ErrorResponse(req, InvalidResponse());
  auto ceremony = TakeCeremony(d, req);
  if (auto* e = std::get_if<http::ApiError>(&ceremony)) return http::ErrorResponse(req, *e);
  auto owner = VerifyDiscoverableAssertion(d, std::get<CeremonySession>(ceremony), *response);
  if (auto* e = std::get_if<http::ApiError>(&owner)) return http::ErrorResponse(req, *e);

  auto user = d.users.FindById(std::get<std::string>(owner));
  if (!user.ok()) return http::ErrorResponse(req, http::InternalFromStatus(user.status(), "passkey owner"));
  if (!*user) return http::ErrorResponse(req, AuthenticationFailed());
  if ((*user)->disabled) return http::ErrorResponse(req, http::ApiError::UserDisabled());
  d.audit.Write({audit::kSignIn, (*user)->id, req.client_ip, UserAgent(req), {}});
  return auth::SignedInResponse(req, d.sign_in, **user, auth::kAmrPasskey);
}

http::Response ListOwn(const Deps& d, http::Request& req) {
  auto principal = d.authenticator.Authenticate(req, auth::AuthPolicy::Self());
  if (auto* e = std::get_if<http::ApiError>(&principal)) return http::ErrorResponse(req, *e);
  auto list = d.credentials.ListForUser(std::get<auth::Principal>(principal).user.id);
  if (!list.ok()) return http::ErrorResponse(req, http::InternalFromStatus(list.status(), "list passkeys"));
  boost::json::array out;
  for (const auto& c : *list) out.push_back(CredentialDto(c));
  return http::Response::Json(200, out);
}

http::Response RenameOwn(const Deps& d, http::Request& req) {
  auto principal = d.authenticator.Authenticate(req, auth::AuthPolicy::Self());
  if (auto* e = std::get_if<http::ApiError>(&principal)) return http::ErrorResponse(req, *e);
  auto body = http::ParseJsonObjectBody(req);
  if (auto* e = std::get_if<http::ApiError>(&body)) return http::ErrorResponse(req, *e);
  auto name = http::OptionalStringField(std::get<boost::json::object>(body), "name");
  if (auto* e = std::get_if<http::ApiError>(&name)) return http::ErrorResponse(req, *e);
  const auto& n = std::get<std::optional<std::string>>(name);
  if (!n || n->empty()) return http::ErrorResponse(req, http::ApiError::Validation("name", "required", "is required"));
  if (n->size() > 50) {
    return http::ErrorResponse(req, http::ApiError::Validation("name", "too_long", "must be at most 50 characters long"));
  }
  auto renamed = d.credentials.Rename(req.PathParam("id"), std::get<auth::Principal>(principal).user.id, *n);
  if (!renamed.ok()) return http::ErrorResponse(req, http::InternalFromStatus(renamed.status(), "rename passkey"));
  if (!*renamed) return http::ErrorResponse(req, PasskeyNotFound());
  return http::Response::Json(200, CredentialDto(**renamed));
}

http::Response DeleteFor(const Deps& d, http::Request& req, std::string_view passkey_id, const users::User& owner,
                         const users::User& actor) {
  auto deleted = d.credentials.Delete(passkey_id, owner.id);
  if (!deleted.ok()) return http::ErrorResponse(req, http::InternalFromStatus(deleted.status(), "delete passkey"));
  if (!*deleted) return http::ErrorResponse(req, PasskeyNotFound());
  std::vector<std::pair<std::string, std::string>> data{{"credentialID", crypto::HexEncode((*deleted)->credential_id)},
                                                        {"passkeyName", (*deleted)->name}};
  if (owner.id != actor.id) {
    data.emplace_back("actorUserID", actor.id);
    data.emplace_back("actorUsername", actor.username);
  }
  d.audit.Write({audit::kPasskeyRemoved, owner.id, req.client_ip, UserAgent(req), std::move(data)});
  return http::Response::NoContent();
}

http::Response DeleteOwn(const Deps& d, http::Request& req) {
  auto principal = d.authenticator.Authenticate(req, auth::AuthPolicy::Self());
  if (auto* e = std::get_if<http::ApiError>(&principal)) return http::ErrorResponse(req, *e);
  const auto& me = std::get<auth::Principal>(principal).user;
  return DeleteFor(d, req, req.PathParam("id"), me, me);
}

// Admin routes: /api/users/:id/webauthn-credentials[/:credentialId]
http::ApiResult<std::pair<users::User, users::User>> AdminAndTarget(const Deps& d, const http::Request& req) {
  auto principal = d.authenticator.Authenticate(req, auth::AuthPolicy::Admin());
  if (auto* e = std::get_if<http::ApiError>(&principal)) return *e;
  auto target = d.users.FindById(req.PathParam("id"));
  if (!target.ok()) return http::InternalFromStatus(target.status(), "user lookup");
  if (!*target) return http::ApiError::UserNotFound();
  return std::pair{std::get<auth::Principal>(principal).user, **target};
}

http::Response AdminList(const Deps& d, http::Request& req) {
  auto who = AdminAndTarget(d, req);
  if (auto* e = std::get_if<http::ApiError>(&who)) return http::ErrorResponse(req, *e);
  auto list = d.credentials.ListForUser(std::get<0>(who).second.id);
  if (!list.ok()) return http::ErrorResponse(req, http::InternalFromStatus(list.status(), "list passkeys"));
  boost::json::array out;
  for (const auto& c : *list) out.push_back(CredentialDto(c));
  return http::Response::Json(200, out);
}

http::Response AdminDelete(const Deps& d, http::Request& req) {
  auto who = AdminAndTarget(d, req);
  if (auto* e = std::get_if<http::ApiError>(&who)) return http::ErrorResponse(req, *e);
  const auto& [admin, target] = std::get<0>(who);
  return DeleteFor(d, req, req.PathParam("credentialId"), target, admin);
}

http::ApiError ReauthenticationRequired() { return {401, "reauthentication_required", "Reauthentication is required", {}}; }

// POST /api/webauthn/reauthenticate (protocol.md §4.4): a fresh proof of presence for sensitive steps, either a
// new assertion or a passkey sign-in less than a minute old; answered with a single-use cookie.
http::Response Reauthenticate(const Deps& d, http::Request& req) {
  auto principal = d.authenticator.Authenticate(req, auth::AuthPolicy::BrowserSelf());
  if (auto* e = std::get_if<http::ApiError>(&principal)) return http::ErrorResponse(req, *e);
  const auth::Principal& me = std::get<auth::Principal>(principal);
  // The ceremony cookie is required on both paths, as in Pocket ID.
  auto ceremony_cookie = req.Cookie(d.sign_in.cookies.session);
  if (!ceremony_cookie || ceremony_cookie->empty()) return http::ErrorResponse(req, MissingSession());

  std::string user_id;
  auto response = webauthn::ParseAuthenticationResponseJson(req.body);
  if (response.ok()) {
    auto ceremony = TakeCeremony(d, req);
    if (auto* e = std::get_if<http::ApiError>(&ceremony)) return http::ErrorResponse(req, *e);
    auto owner = VerifyDiscoverableAssertion(d, std::get<CeremonySession>(ceremony), *response);
    if (auto* e = std::get_if<http::ApiError>(&owner)) return http::ErrorResponse(req, *e);
    user_id = std::get<std::string>(owner);  // the passkey's owner, as Pocket ID does
  } else {
    bool fresh_passkey_session = me.authentication_method == auth::kAmrPasskey &&
                                 db::Now().unix_seconds - me.authentication_time <= 60;
    if (!fresh_passkey_session) return http::ErrorResponse(req, ReauthenticationRequired());
    user_id = me.user.id;
  }

  auto token = auth::IssueReauthenticationToken(d.credentials.database(), user_id);
  if (!token.ok()) return http::ErrorResponse(req, http::InternalFromStatus(token.status(), "reauthentication"));
  http::Response res = http::Response::NoContent();
  res.headers.Add("Set-Cookie", auth::SetCookieValue(d.sign_in.cookies.reauthentication_token, *token, "/",
                                                     auth::kReauthenticationSeconds));
  return res;
}

}  // namespace

RelyingParty RelyingParty::FromAppUrl(std::string_view app_url) {
  RelyingParty rp;
  auto url = boost::urls::parse_absolute_uri(app_url);
  if (!url) {
    rp.id = "localhost";
    rp.origins.emplace_back(app_url);
    return rp;
  }
  // Browsers send the serialised origin: scheme://host, with the port only when it is not the default.
  rp.id = std::string(url->host());
  std::string origin = std::string(url->scheme()) + "://" + rp.id;
  bool default_port = (url->scheme() == "https" && url->port() == "443") || (url->scheme() == "http" && url->port() == "80");
  if (url->has_port() && !default_port) origin += ":" + std::string(url->port());
  rp.origins.push_back(std::move(origin));
  return rp;
}

void RegisterRoutes(http::Router& router, Deps d) {
  using http::Method;
  auto bind = [d](http::Response (*fn)(const Deps&, http::Request&)) {
    return [d, fn](http::Request& req) { return fn(d, req); };
  };
  router.Add(Method::kGet, "/api/webauthn/register/start", bind(RegisterStart));
  router.Add(Method::kPost, "/api/webauthn/register/finish", bind(RegisterFinish));
  router.Add(Method::kGet, "/api/webauthn/login/start", bind(LoginStart));
  router.Add(Method::kPost, "/api/webauthn/login/finish", bind(LoginFinish));
  router.Add(Method::kPost, "/api/webauthn/reauthenticate", bind(Reauthenticate));
  router.Add(Method::kGet, "/api/webauthn/credentials", bind(ListOwn));
  router.Add(Method::kPatch, "/api/webauthn/credentials/:id", bind(RenameOwn));
  router.Add(Method::kDelete, "/api/webauthn/credentials/:id", bind(DeleteOwn));
  router.Add(Method::kGet, "/api/users/:id/webauthn-credentials", bind(AdminList));
  router.Add(Method::kDelete, "/api/users/:id/webauthn-credentials/:credentialId", bind(AdminDelete));
}

}  // namespace pocketid::passkeys
