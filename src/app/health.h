// GET|HEAD /healthz → 204 when the database answers (protocol.md §8.5). /health answers the same, because
// published guides probe it.
#pragma once

#include "core/db/database.h"
#include "core/http/router.h"

namespace pocketid::app {

void RegisterHealthRoutes(http::Router& router, db::Database& database);

}  // namespace pocketid::app
