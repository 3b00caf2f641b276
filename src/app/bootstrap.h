// Start-up steps shared by the server and the CLI commands: open and migrate the database, then load the
// instance ID and the signing key.
#pragma once

#include <memory>
#include <string>

#include "core/config/env_config.h"
#include "core/crypto/jose.h"
#include "core/db/database.h"
#include "core/status/status.h"

namespace pocketid::app {

// Opens the configured database and brings its schema up to date.
StatusOr<std::unique_ptr<db::Database>> OpenDatabase(const config::EnvConfig& cfg, int pool_size);

struct Keys {
  std::string instance_id;
  crypto::SigningKey signing_key;
};
StatusOr<Keys> LoadKeys(db::Database& database, const config::EnvConfig& cfg);

}  // namespace pocketid::app
