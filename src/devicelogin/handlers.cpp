#include "devicelogin/handlers.h"

#include <boost/json.hpp>
#include <memory>

#include "audit/user_agent.h"
#include "auth/reauthentication.h"
#include "core/http/form.h"
#include "core/http/json_body.h"

namespace pocketid::devicelogin {

namespace {

constexpr int kPollingIntervalSeconds = 3;
constexpr int kTokenCookieSeconds = 15 * 60;
constexpr int64_t kReauthenticationMaxAgeSeconds = 60;

struct Services {
  Deps deps;
  DeviceLoginStore store;
};

http::ApiError Expired() { return {401, "device_login_expired", "Device login request is invalid or expired", {}}; }
http::ApiError Denied() { return {403, "device_login_denied", "Device login request was denied", {}}; }

http::Response Error(const http::Request& req, const http::ApiError& e) { return http::ErrorResponse(req, e); }
http::Response Internal(const http::Request& req, const Status& s, std::string_view what) {
  return Error(req, http::InternalFromStatus(s, what));
}

std::string ExchangePath(std::string_view id) { return "/api/device-login/requests/" + std::string(id) + "/exchange"; }

http::Response CreateRequest(Services& s, http::Request& req) {
  const std::string user_agent(req.Header("User-Agent").value_or(""));
  const audit::Location where = s.deps.audit.Locate(req.client_ip);
  auto created = s.store.Create(req.client_ip, user_agent, where.country, where.city);
  if (!created.ok()) return Internal(req, created.status(), "device login request");
  const std::string verification_uri = s.deps.app_url + "/device";
  auto res = http::Response::Json(
      201, boost::json::object{
               {"id", created->code},
               {"userCode", created->code},
               {"verificationUri", verification_uri},
               {"verificationUriComplete", verification_uri + "?user_code=" + http::QueryEscape(created->code)},
               {"expiresAt", db::FormatRfc3339(db::Timestamp{created->expires_at})},
               {"interval", kPollingIntervalSeconds}});
  // Only this request's exchange ever sees the token.
  res.headers.Add("Set-Cookie", auth::SetCookieValue(s.deps.sign_in.cookies.device_login_token, created->token,
                                                     ExchangePath(created->code), kTokenCookieSeconds));
  return res;
}

// Answers at once (202 while pending) instead of holding the request open: the requesting page polls every
// `interval` seconds, and no server thread waits on a person.
http::Response ExchangeRequest(Services& s, http::Request& req) {
  const std::string id(req.PathParam("id"));
  const std::string token = req.Cookie(s.deps.sign_in.cookies.device_login_token).value_or("");
  auto view = s.store.View(id, token);
  if (!view.ok()) return Internal(req, view.status(), "device login exchange");
  switch (view->state) {
    case ExchangeState::kInvalid:
      return Error(req, Expired());
    case ExchangeState::kPending:
      return http::Response{202, {}, {}};
    case ExchangeState::kDenied:
      return Error(req, Denied());
    case ExchangeState::kApproved:
      break;
  }
  auto user = s.deps.users.FindById(view->user_id);
  if (!user.ok()) return Internal(req, user.status(), "device login user");
  if (!*user) return Error(req, Expired());
  if ((*user)->disabled) return Error(req, http::ApiError::UserDisabled());
  auto consumed = s.store.Consume(id, token);
  if (!consumed.ok()) return Internal(req, consumed.status(), "device login exchange");
  if (!*consumed) return Error(req, Expired());
  s.deps.audit.Write({audit::kRemoteSignIn, (*user)->id, req.client_ip, req.Header("User-Agent").value_or(""), {}});
  return auth::SignedInResponse(req, s.deps.sign_in, **user, auth::kAmrOneTime);
}

// The required `code` of a verification body.
http::ApiResult<std::string> CodeField(const boost::json::object& body) {
  auto code = http::OptionalStringField(body, "code");
  if (auto* e = std::get_if<http::ApiError>(&code)) return *e;
  std::string value = std::get<std::optional<std::string>>(code).value_or("");
  if (value.empty()) return http::ApiError::Validation("code", "required", "is required");
  return value;
}

http::Response InspectRequest(Services& s, http::Request& req, const auth::Principal&) {
  auto body = http::ParseJsonObjectBody(req);
  if (auto* e = std::get_if<http::ApiError>(&body)) return Error(req, *e);
  auto code = CodeField(std::get<boost::json::object>(body));
  if (auto* e = std::get_if<http::ApiError>(&code)) return Error(req, *e);
  auto pending = s.store.FindPending(std::get<std::string>(code));
  if (!pending.ok()) return Internal(req, pending.status(), "device login verification");
  if (!*pending) return Error(req, Expired());
  const PendingRequest& p = **pending;
  return http::Response::Json(200, boost::json::object{{"userCode", p.code},
                                                       {"device", audit::DeviceFromUserAgent(p.user_agent)},
                                                       {"ipAddress", p.ip_address},
                                                       {"country", p.country},
                                                       {"city", p.city},
                                                       {"expiresAt", db::FormatRfc3339(db::Timestamp{p.expires_at})}});
}

// {code, decision}: both required (every missing field reported), decision one of approve/deny.
http::ApiResult<std::pair<std::string, Decision>> ParseDecision(const boost::json::object& body) {
  auto code = http::OptionalStringField(body, "code");
  if (auto* e = std::get_if<http::ApiError>(&code)) return *e;
  auto decision = http::OptionalStringField(body, "decision");
  if (auto* e = std::get_if<http::ApiError>(&decision)) return *e;
  const std::string code_value = std::get<std::optional<std::string>>(code).value_or("");
  const std::string decision_value = std::get<std::optional<std::string>>(decision).value_or("");
  std::vector<http::FieldError> problems;
  if (code_value.empty()) problems.push_back({"code", "required", "is required"});
  if (decision_value.empty()) {
    problems.push_back({"decision", "required", "is required"});
  } else if (decision_value != "approve" && decision_value != "deny") {
    problems.push_back({"decision", "oneof", "is invalid"});
  }
  if (!problems.empty()) return http::ApiError::ValidationFailed(problems);
  return std::pair{code_value, decision_value == "approve" ? Decision::kApprove : Decision::kDeny};
}

http::Response DecideRequest(Services& s, http::Request& req, const auth::Principal& me) {
  auto body = http::ParseJsonObjectBody(req);
  if (auto* e = std::get_if<http::ApiError>(&body)) return Error(req, *e);
  auto parsed = ParseDecision(std::get<boost::json::object>(body));
  if (auto* e = std::get_if<http::ApiError>(&parsed)) return Error(req, *e);
  const auto& [code, decision] = std::get<std::pair<std::string, Decision>>(parsed);
  // An approval needs a passkey reauthentication of this user from the last minute; a stale one is refused but not
  // used up (it still serves steps without this limit).
  if (decision == Decision::kApprove) {
    auto reauthenticated =
        auth::ConsumeReauthenticationCookie(s.deps.database, req, s.deps.sign_in.cookies.reauthentication_token,
                                            me.user.id, kReauthenticationMaxAgeSeconds);
    if (auto* e = std::get_if<http::ApiError>(&reauthenticated)) return Error(req, *e);
  }
  auto decided = s.store.Decide(code, decision, me.user.id);
  if (!decided.ok()) return Internal(req, decided.status(), "device login decision");
  if (!*decided) return Error(req, Expired());
  return http::Response::NoContent();
}

}  // namespace

void RegisterRoutes(http::Router& router, Deps deps) {
  auto services = std::make_shared<Services>(Services{deps, DeviceLoginStore(deps.database)});
  using M = http::Method;
  using Open = http::Response (*)(Services&, http::Request&);
  using SignedIn = http::Response (*)(Services&, http::Request&, const auth::Principal&);
  auto open = [&](M method, std::string_view path, Open fn) {
    router.Add(method, path, [services, fn](http::Request& req) { return fn(*services, req); });
  };
  // The approving side acts with the user's browser session, as the /device page does.
  auto signed_in = [&](M method, std::string_view path, SignedIn fn) {
    router.Add(method, path, [services, fn](http::Request& req) {
      auto principal = services->deps.authenticator.Authenticate(req, auth::AuthPolicy::BrowserSelf());
      if (auto* e = std::get_if<http::ApiError>(&principal)) return Error(req, *e);
      return fn(*services, req, std::get<auth::Principal>(principal));
    });
  };
  open(M::kPost, "/api/device-login/requests", CreateRequest);
  open(M::kPost, "/api/device-login/requests/:id/exchange", ExchangeRequest);
  signed_in(M::kPost, "/api/device-login/verification", InspectRequest);
  signed_in(M::kPost, "/api/device-login/verification/decision", DecideRequest);
}

}  // namespace pocketid::devicelogin
