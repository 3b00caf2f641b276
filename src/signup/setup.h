// The first-admin setup wizard (management.md §1.11, §5): open while no real user exists.
#pragma once

#include "auth/sign_in.h"
#include "core/db/database.h"
#include "core/http/router.h"

namespace pocketid::signup {

struct Deps {
  db::Database& database;
  users::UserRepository& users;
  appconfig::AppConfig& app_config;
  auth::SignInContext sign_in;
};

void RegisterSetupRoutes(http::Router& router, Deps deps);

}  // namespace pocketid::signup
