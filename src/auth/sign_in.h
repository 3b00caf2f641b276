// Finishing a sign-in (passkey, login code, setup): a session JWT in the access-token cookie, lifetime from the
// sessionDuration setting, and the user DTO as the body.
#pragma once

#include "appconfig/app_config.h"
#include "auth/cookies.h"
#include "auth/session_tokens.h"
#include "core/http/api_error.h"
#include "users/user.h"

namespace pocketid::auth {

struct SignInContext {
  const SessionTokens& tokens;
  appconfig::AppConfig& app_config;
  users::UserRepository& users;
  const CookieNames& cookies;
};

http::Response SignedInResponse(const http::Request& req, const SignInContext& ctx, const users::User& user,
                                std::string_view amr, int status = 200);

// Overwrites the access-token cookie with an empty value (logout), as Pocket ID does: no Max-Age.
std::string ClearedSessionCookie(const CookieNames& cookies);

}  // namespace pocketid::auth
