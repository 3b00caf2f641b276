// Schema migrations: versioned per-engine SQL files under migrations/{sqlite,postgres}/, embedded in the binary at
// build time (embed_migrations.cmake). Bookkeeping uses golang-migrate's own `schema_migrations` table, exactly as
// Pocket ID creates it, so a database made by Pocket ID v2.14 is recognised and continued.
//
// Versions: 20260814120000 (`init`) is Pocket ID v2.14's final schema, created in one step; later versions are ours.
// Each step runs in one transaction together with its schema_migrations update, under a lock (SQLite's write lock,
// a PostgreSQL advisory lock) so that several replicas starting at once apply each step exactly once.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "core/db/connection.h"
#include "core/db/database.h"
#include "core/status/status.h"

namespace pocketid::db {

// The last schema version Pocket ID v2.14 itself writes (its `api_client_access` migration).
inline constexpr int64_t kPocketIdV214SchemaVersion = 20260814120000;

struct Migration {
  int64_t version;
  std::string_view name;  // "init", "plain_state_tables", ...
  std::string_view sql;
};

// The embedded migrations for an engine, oldest first.
std::span<const Migration> Migrations(Engine engine);

// The newest version this build can migrate to.
int64_t LatestSchemaVersion();

struct SchemaVersion {
  bool present = false;  // false: no schema_migrations table or no row (an empty database)
  int64_t version = 0;
  bool dirty = false;
};

// Reads schema_migrations without changing anything.
StatusOr<SchemaVersion> ReadSchemaVersion(Connection& conn);

// Brings the schema to LatestSchemaVersion():
//  - empty database → every migration;
//  - at a version we know → the remaining ones (a Pocket ID v2.14 database gets only ours);
//  - dirty → kFailedPrecondition naming the version (a migration failed half-way outside a transaction);
//  - older than Pocket ID v2.14's schema → kFailedPrecondition: upgrade with Pocket ID v2.14 first;
//  - newer than ours → kFailedPrecondition unless allow_downgrade, in which case the schema is left as it is
//    (we ship no down migrations) and OK is returned;
//  - any other unknown version → kFailedPrecondition.
Status Migrate(Database& db, bool allow_downgrade);

// Like Migrate, but stops at `target_version` (which must be one of ours); for import, which recreates the schema
// at the archive's version before inserting its rows.
Status MigrateTo(Database& db, int64_t target_version);

}  // namespace pocketid::db
