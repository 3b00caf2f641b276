#include "onetimeaccess/handlers.h"

#include <cmath>

#include "core/config/go_values.h"
#include "core/http/json_body.h"

namespace pocketid::onetimeaccess {

namespace {

http::ApiError InvalidOrExpired() { return {401, "token_invalid_or_expired", "Token is invalid or expired", {}}; }

http::Response Exchange(const Deps& d, http::Request& req) {
  std::string_view code = req.PathParam("token");
  auto pending = d.codes.Find(code);
  if (!pending.ok()) return http::ErrorResponse(req, http::InternalFromStatus(pending.status(), "login code lookup"));
  if (!*pending) return http::ErrorResponse(req, InvalidOrExpired());
  auto device_cookie = req.Cookie(d.sign_in.cookies.device_token);
  std::optional<std::string_view> device;
  if (device_cookie) device = *device_cookie;
  if (!LoginCodes::DeviceTokenMatches(**pending, device)) {
    return http::ErrorResponse(
        req, {401, "device_code_invalid", "One-time access code must be used on the device it was generated for", {}});
  }
  // The user is checked before the code is used up, so a code for a disabled user stays redeemable later.
  auto user = d.users.FindById((*pending)->user_id);
  if (!user.ok()) return http::ErrorResponse(req, http::InternalFromStatus(user.status(), "login code user"));
  if (!*user) return http::ErrorResponse(req, InvalidOrExpired());
  if ((*user)->disabled) return http::ErrorResponse(req, http::ApiError::UserDisabled());
  auto consumed = d.codes.Consume(code);
  if (!consumed.ok()) return http::ErrorResponse(req, http::InternalFromStatus(consumed.status(), "login code use"));
  if (!*consumed) return http::ErrorResponse(req, InvalidOrExpired());

  d.audit.Write({audit::kTokenSignIn, (*user)->id, req.client_ip, req.Header("User-Agent").value_or(""), {}});
  return auth::SignedInResponse(req, d.sign_in, **user, auth::kAmrOneTime);
}

http::Response CreateForUser(const Deps& d, http::Request& req) {
  auto principal = d.authenticator.Authenticate(req, auth::AuthPolicy::Admin());
  if (auto* e = std::get_if<http::ApiError>(&principal)) return http::ErrorResponse(req, *e);
  boost::json::object body;
  if (!req.body.empty()) {
    auto parsed = http::ParseJsonObjectBody(req);
    if (auto* e = std::get_if<http::ApiError>(&parsed)) return http::ErrorResponse(req, *e);
    body = std::move(std::get<boost::json::object>(parsed));
  }
  auto ttl = ParseTtl(body);
  if (auto* e = std::get_if<http::ApiError>(&ttl)) return http::ErrorResponse(req, *e);
  auto user = d.users.FindById(req.PathParam("id"));
  if (!user.ok()) return http::ErrorResponse(req, http::InternalFromStatus(user.status(), "user lookup"));
  if (!*user) return http::ErrorResponse(req, http::ApiError::UserNotFound());
  auto code = d.codes.Create((*user)->id, std::get<std::chrono::seconds>(ttl));
  if (!code.ok()) return http::ErrorResponse(req, http::InternalFromStatus(code.status(), "login code create"));
  return http::Response::Json(201, boost::json::object{{"token", *code}});
}

}  // namespace

http::ApiResult<std::chrono::seconds> ParseTtl(const boost::json::object& body) {
  auto it = body.find("ttl");
  double seconds = 0;
  if (it != body.end() && !it->value().is_null()) {
    const auto& v = it->value();
    if (v.is_number()) {
      seconds = v.to_number<double>();
    } else if (v.is_string()) {
      if (!v.as_string().empty()) {
        auto ns = config::ParseGoDuration(std::string_view(v.as_string()));
        if (!ns) return http::ApiError::Validation("ttl", "invalid", "must be a valid duration");
        seconds = static_cast<double>(*ns) / 1e9;
      }
    } else {
      return http::ApiError::InvalidRequestBody();
    }
  }
  if (seconds == 0) return std::chrono::seconds(std::chrono::minutes(15));
  if (!(seconds > 1) || seconds > std::chrono::seconds(kMaxTtl).count()) {
    return http::ApiError::Validation("ttl", "invalid", "must be between 1 second and 31 days");
  }
  return std::chrono::seconds(static_cast<int64_t>(std::ceil(seconds)));
}

void RegisterRoutes(http::Router& router, Deps deps) {
  router.Add(http::Method::kPost, "/api/one-time-access-token/:token",
             [deps](http::Request& req) { return Exchange(deps, req); });
  router.Add(http::Method::kPost, "/api/users/:id/one-time-access-token",
             [deps](http::Request& req) { return CreateForUser(deps, req); });
}

}  // namespace pocketid::onetimeaccess
