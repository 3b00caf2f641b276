// `pocket-id` with no subcommand: run the server until SIGTERM/SIGINT.
#pragma once

#include "core/config/env_config.h"

namespace pocketid::app {

// Returns the process exit code.
int RunServer(const config::EnvConfig& cfg);

}  // namespace pocketid::app
