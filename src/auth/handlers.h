// POST /api/webauthn/logout: overwrites the session cookie (there is no server-side session to end).
#pragma once

#include "auth/authenticator.h"
#include "core/http/router.h"

namespace pocketid::auth {

void RegisterLogoutRoute(http::Router& router, Authenticator& authenticator, const CookieNames& cookies);

}  // namespace pocketid::auth
