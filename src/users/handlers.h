// /api/users (management.md §1.1): the signed-in user's own account, and the admin API over every user.
#pragma once

#include "appconfig/app_config.h"
#include "audit/audit_log.h"
#include "core/config/env_config.h"
#include "auth/authenticator.h"
#include "core/http/router.h"

namespace pocketid::users {

struct Deps {
  db::Database& database;
  UserRepository& users;
  auth::Authenticator& authenticator;
  appconfig::AppConfig& app_config;
  audit::AuditLog& audit;
  const config::EnvConfig& config;
  bool ldap_enabled_env = false;  // LDAP sync arrives with its own issue; LDAP users are read-only then
};

void RegisterRoutes(http::Router& router, Deps deps);

}  // namespace pocketid::users
