// "Sign in with another device" (protocol.md §5.5): /api/device-login/requests (the signed-out browser asks and
// exchanges) and /api/device-login/verification (the signed-in user inspects and decides).
#pragma once

#include "audit/audit_log.h"
#include "auth/authenticator.h"
#include "auth/sign_in.h"
#include "core/db/database.h"
#include "core/http/router.h"
#include "devicelogin/device_login_store.h"

namespace pocketid::devicelogin {

struct Deps {
  db::Database& database;
  users::UserRepository& users;
  auth::Authenticator& authenticator;
  auth::SignInContext sign_in;
  audit::AuditLog& audit;
  std::string app_url;
};

void RegisterRoutes(http::Router& router, Deps deps);

}  // namespace pocketid::devicelogin
