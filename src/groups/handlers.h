// User groups (management.md §1.2): /api/user-groups.
#pragma once

#include "core/config/env_config.h"
#include "auth/authenticator.h"
#include "core/db/database.h"
#include "core/http/router.h"

namespace pocketid::groups {

struct Deps {
  db::Database& database;
  auth::Authenticator& authenticator;
  const config::EnvConfig& config;
};

void RegisterRoutes(http::Router& router, Deps deps);

}  // namespace pocketid::groups
