// HTTP side of login codes: redeeming a code, and an admin creating one for a user (management.md §1.12).
#pragma once

#include "audit/audit_log.h"
#include "auth/authenticator.h"
#include "auth/sign_in.h"
#include "core/http/router.h"
#include "onetimeaccess/login_codes.h"

namespace pocketid::onetimeaccess {

struct Deps {
  LoginCodes& codes;
  users::UserRepository& users;
  auth::Authenticator& authenticator;
  auth::SignInContext sign_in;
  audit::AuditLog& audit;
};

void RegisterRoutes(http::Router& router, Deps deps);

// {"ttl": <seconds> | "<Go duration>"}: 0 or absent means 15 minutes; must be over 1 s and at most 31 days.
http::ApiResult<std::chrono::seconds> ParseTtl(const boost::json::object& body);

}  // namespace pocketid::onetimeaccess
