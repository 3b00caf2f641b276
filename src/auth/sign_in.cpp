#include "auth/sign_in.h"

namespace pocketid::auth {

http::Response SignedInResponse(const http::Request& req, const SignInContext& ctx, const users::User& user,
                                std::string_view amr, int status) {
  auto minutes = ctx.app_config.SessionDurationMinutes();
  if (!minutes.ok()) return http::ErrorResponse(req, http::InternalFromStatus(minutes.status(), "session duration"));
  auto token = ctx.tokens.Issue(user.id, user.is_admin, amr, std::chrono::minutes(*minutes));
  if (!token.ok()) return http::ErrorResponse(req, http::InternalFromStatus(token.status(), "failed to sign session"));
  auto dto = ctx.users.Dto(user);
  if (!dto.ok()) return http::ErrorResponse(req, http::InternalFromStatus(dto.status(), "failed to load user"));
  http::Response res = http::Response::Json(status, *dto);
  res.headers.Add("Set-Cookie", SetCookieValue(ctx.cookies.access_token, *token, "/", *minutes * 60));
  return res;
}

std::string ClearedSessionCookie(const CookieNames& cookies) {
  return SetCookieValue(cookies.access_token, "", "/", 0);
}

}  // namespace pocketid::auth
