// Profile pictures (management.md §1.1): /api/users/:id/profile-picture*.
#pragma once

#include "appconfig/app_config.h"
#include "core/config/env_config.h"
#include "auth/authenticator.h"
#include "core/db/database.h"
#include "core/http/router.h"

namespace pocketid::profilepictures {

struct Deps {
  db::Database& database;
  users::UserRepository& users;
  auth::Authenticator& authenticator;
  appconfig::AppConfig& app_config;
  const config::EnvConfig& config;
};

void RegisterRoutes(http::Router& router, Deps deps);

}  // namespace pocketid::profilepictures
