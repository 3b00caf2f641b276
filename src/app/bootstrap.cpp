#include "app/bootstrap.h"

#include "core/db/migrate.h"
#include "signing/signing_keys.h"

namespace pocketid::app {

StatusOr<std::unique_ptr<db::Database>> OpenDatabase(const config::EnvConfig& cfg, int pool_size) {
  db::ConnectionOptions options;
  options.engine = cfg.db_engine == config::DbEngine::kPostgres ? db::Engine::kPostgres : db::Engine::kSqlite;
  options.dsn = cfg.db_connection_string;
  options.pool_size = pool_size;
  PID_ASSIGN_OR_RETURN(auto database, db::Database::Open(options));
  PID_RETURN_IF_ERROR(db::Migrate(*database, cfg.allow_downgrade).WithPrefix("failed to run migrations"));
  return database;
}

StatusOr<Keys> LoadKeys(db::Database& database, const config::EnvConfig& cfg) {
  PID_ASSIGN_OR_RETURN(std::string instance_id, signing::LoadOrCreateInstanceId(database));
  PID_ASSIGN_OR_RETURN(auto key, signing::LoadOrCreateSigningKey(database, cfg.encryption_key, instance_id));
  return Keys{std::move(instance_id), std::move(key)};
}

}  // namespace pocketid::app
