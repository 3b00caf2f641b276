// Custom claims (management.md §1.3): /api/custom-claims.
#pragma once


#include "auth/authenticator.h"
#include "core/db/database.h"
#include "core/http/router.h"

namespace pocketid::customclaims {

struct Deps {
  db::Database& database;
  auth::Authenticator& authenticator;
};

void RegisterRoutes(http::Router& router, Deps deps);

}  // namespace pocketid::customclaims
