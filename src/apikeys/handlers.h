// API keys (management.md §1.4): /api/api-keys.
#pragma once


#include "auth/authenticator.h"
#include "core/db/database.h"
#include "core/http/router.h"

namespace pocketid::apikeys {

struct Deps {
  db::Database& database;
  auth::Authenticator& authenticator;
};

void RegisterRoutes(http::Router& router, Deps deps);

}  // namespace pocketid::apikeys
