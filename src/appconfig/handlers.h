// GET /api/application-configuration: the public settings the web UI needs before anyone signs in.
#pragma once

#include "appconfig/app_config.h"
#include "core/http/router.h"

namespace pocketid::appconfig {

void RegisterPublicRoutes(http::Router& router, AppConfig& app_config, bool ui_config_disabled);

}  // namespace pocketid::appconfig
