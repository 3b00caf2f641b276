// The OIDC client admin API and the user-facing client lists (management.md §1.5, §1.6): client CRUD, secrets,
// logos, allowed user groups, public metadata and logo, a user's authorized clients and apps dashboard.
#pragma once

#include <string>

#include "audit/audit_log.h"
#include "auth/authenticator.h"
#include "core/config/env_config.h"
#include "core/db/database.h"
#include "core/http/router.h"
#include "oidcclients/client.h"
#include "users/user.h"

namespace pocketid::oidcclients {

struct Deps {
  db::Database& database;
  ClientStore& clients;
  users::UserRepository& users;
  auth::Authenticator& authenticator;
  audit::AuditLog& audit;
  const config::EnvConfig& config;  // upload_path (logos), allow_insecure_callback_urls
};

void RegisterRoutes(http::Router& router, Deps deps);

}  // namespace pocketid::oidcclients
