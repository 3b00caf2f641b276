// APIs and per-client API access (management.md §1.7): /api/apis and /api/api-access. Admin only.
#pragma once

#include "auth/authenticator.h"
#include "core/config/env_config.h"
#include "core/db/database.h"
#include "core/http/router.h"

namespace pocketid::apis {

struct Deps {
  db::Database& database;
  auth::Authenticator& authenticator;
  const config::EnvConfig& config;
};

void RegisterRoutes(http::Router& router, Deps deps);

}  // namespace pocketid::apis
