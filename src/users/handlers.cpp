#include "users/handlers.h"

#include "core/http/json_body.h"
#include "users/validation.h"

namespace pocketid::users {

namespace {

http::Response DtoResponse(const Deps& d, const http::Request& req, const User& user) {
  auto dto = d.users.Dto(user);
  if (!dto.ok()) return http::ErrorResponse(req, http::InternalFromStatus(dto.status(), "user dto"));
  return http::Response::Json(200, *dto);
}

http::ApiError AlreadyInUse(std::string_view property) {
  http::ApiError e{409, "already_in_use", std::string(property) + " is already in use", {}};
  e.details["property"] = property;
  return e;
}

http::Response GetMe(const Deps& d, http::Request& req) {
  auto principal = d.authenticator.Authenticate(req, auth::AuthPolicy::Self());
  if (auto* e = std::get_if<http::ApiError>(&principal)) return http::ErrorResponse(req, *e);
  return DtoResponse(d, req, std::get<auth::Principal>(principal).user);
}

http::Response UpdateMe(const Deps& d, http::Request& req) {
  auto principal = d.authenticator.Authenticate(req, auth::AuthPolicy::Self());
  if (auto* e = std::get_if<http::ApiError>(&principal)) return http::ErrorResponse(req, *e);
  const User& me = std::get<auth::Principal>(principal).user;

  auto body = http::ParseJsonObjectBody(req);
  if (auto* e = std::get_if<http::ApiError>(&body)) return http::ErrorResponse(req, *e);
  auto settings = d.app_config.Load();
  if (!settings.ok()) return http::ErrorResponse(req, http::InternalFromStatus(settings.status(), "app config"));
  auto input = ParseProfile(std::get<boost::json::object>(body), settings->GetBool("requireUserEmail"));
  if (auto* e = std::get_if<http::ApiError>(&input)) return http::ErrorResponse(req, *e);
  const NewUser& f = std::get<ProfileInput>(input).user;

  Status saved;
  if (!settings->GetBool("allowOwnAccountEdit") || (me.ldap_id && d.ldap_enabled_env)) {
    saved = d.users.UpdateLocale(me.id, f.locale);  // Pocket ID silently changes only the locale then
  } else {
    bool email_changed = f.email != me.email;
    bool verified = email_changed ? settings->GetBool("emailsVerified") : me.email_verified;
    saved = d.users.UpdateProfile(me.id, f, verified);
    if (saved.code() == StatusCode::kAlreadyExists) {
      bool email = saved.message().find("email") != std::string::npos;
      return http::ErrorResponse(req, AlreadyInUse(email ? "email" : "username"));
    }
  }
  if (!saved.ok()) return http::ErrorResponse(req, http::InternalFromStatus(saved, "update user"));
  auto updated = d.users.FindById(me.id);
  if (!updated.ok() || !*updated) return http::ErrorResponse(req, http::ApiError::UserNotFound());
  return DtoResponse(d, req, **updated);
}

}  // namespace

void RegisterRoutes(http::Router& router, Deps deps) {
  router.Add(http::Method::kGet, "/api/users/me", [deps](http::Request& req) { return GetMe(deps, req); });
  router.Add(http::Method::kPut, "/api/users/me", [deps](http::Request& req) { return UpdateMe(deps, req); });
}

}  // namespace pocketid::users
