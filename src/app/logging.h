// Process-wide log setup: LOG_LEVEL and LOG_JSON (protocol.md §6.1). Logs go to stdout as Pocket ID's do.
#pragma once

#include "core/config/env_config.h"

namespace pocketid::app {

void ConfigureLogging(config::LogLevel level, bool json);

}  // namespace pocketid::app
