// Audit log API (management.md §1.10): /api/audit-logs, /api/audit-logs/all and the admin filter lists.
#pragma once

#include "auth/authenticator.h"
#include "core/db/database.h"
#include "core/http/router.h"

namespace pocketid::audit {

struct Deps {
  db::Database& database;
  auth::Authenticator& authenticator;
};

void RegisterRoutes(http::Router& router, Deps deps);

}  // namespace pocketid::audit
