#include "core/db/migrate.h"

#include <algorithm>
#include <charconv>
#include <string>
#include <vector>

#include "core/db/embedded_migrations.h"

namespace pocketid::db {
namespace {

// pg_advisory_xact_lock key serialising migrations between replicas: "pocketid" in ASCII.
constexpr int64_t kMigrationLockKey = 0x706f636b65746964;

struct MigrationTables {
  std::vector<Migration> sqlite;
  std::vector<Migration> postgres;
  Status status;  // a malformed embedded file name (a build mistake) makes every Migrate call fail with it
};

// "sqlite/20260814120000_init.up.sql" → engine list, version, name.
Status AddEmbeddedFile(const internal::EmbeddedFile& file, MigrationTables& out) {
  std::string_view path(file.path);
  const size_t slash = path.find('/');
  const std::string_view engine = path.substr(0, slash);
  std::string_view base = slash == std::string_view::npos ? std::string_view() : path.substr(slash + 1);
  constexpr std::string_view kSuffix = ".up.sql";
  const size_t underscore = base.find('_');
  if (base.size() <= kSuffix.size() || base.substr(base.size() - kSuffix.size()) != kSuffix ||
      underscore == std::string_view::npos) {
    return InternalError("malformed embedded migration name: " + std::string(path));
  }
  Migration m{};
  auto [ptr, ec] = std::from_chars(base.data(), base.data() + underscore, m.version);
  if (ec != std::errc() || ptr != base.data() + underscore) {
    return InternalError("malformed embedded migration version: " + std::string(path));
  }
  m.name = base.substr(underscore + 1, base.size() - kSuffix.size() - underscore - 1);
  m.sql = std::string_view(reinterpret_cast<const char*>(file.data), file.size);
  if (engine == "sqlite") {
    out.sqlite.push_back(m);
  } else if (engine == "postgres") {
    out.postgres.push_back(m);
  } else {
    return InternalError("embedded migration for an unknown engine: " + std::string(path));
  }
  return Status::Ok();
}

MigrationTables LoadTables() {
  MigrationTables t;
  for (size_t i = 0; i < internal::kEmbeddedMigrationFileCount && t.status.ok(); ++i) {
    t.status = AddEmbeddedFile(internal::kEmbeddedMigrationFiles[i], t);
  }
  auto by_version = [](const Migration& a, const Migration& b) { return a.version < b.version; };
  std::sort(t.sqlite.begin(), t.sqlite.end(), by_version);
  std::sort(t.postgres.begin(), t.postgres.end(), by_version);
  if (t.status.ok() && (t.sqlite.empty() || t.sqlite.size() != t.postgres.size())) {
    t.status = InternalError("embedded migrations: SQLite and PostgreSQL must have the same versions");
  }
  for (size_t i = 0; t.status.ok() && i < t.sqlite.size(); ++i) {
    if (t.sqlite[i].version != t.postgres[i].version) {
      t.status = InternalError("embedded migrations: version " + std::to_string(t.sqlite[i].version) +
                               " exists for one engine only");
    }
  }
  return t;
}

const MigrationTables& Tables() {
  static const MigrationTables tables = LoadTables();
  return tables;
}

bool IsKnownVersion(std::span<const Migration> migrations, int64_t version) {
  return std::any_of(migrations.begin(), migrations.end(), [&](const Migration& m) { return m.version == version; });
}

std::string KnownVersionsText(std::span<const Migration> migrations) {
  std::string out;
  for (const Migration& m : migrations) out += (out.empty() ? "" : ", ") + std::to_string(m.version);
  return out;
}

Status CreateVersionTable(Connection& conn) {
  // Exactly golang-migrate's definitions, so Pocket ID and we read and write the same table.
  if (conn.engine() == Engine::kSqlite) {
    return conn.ExecScript(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version uint64,dirty bool);"
        "CREATE UNIQUE INDEX IF NOT EXISTS version_unique ON schema_migrations (version);");
  }
  return conn.ExecScript(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL)");
}

// What to do with the database's current version. OK means "continue applying"; `done` is set when the schema must
// be left as it is.
Status CheckVersion(const SchemaVersion& v, std::span<const Migration> migrations, bool allow_downgrade, bool& done) {
  done = false;
  if (!v.present) return Status::Ok();
  if (v.dirty) {
    return FailedPreconditionError("database schema is dirty at version " + std::to_string(v.version) +
                                   ": a migration failed part-way. Restore a backup, or repair the schema by hand "
                                   "and set schema_migrations.dirty to false");
  }
  if (IsKnownVersion(migrations, v.version)) return Status::Ok();
  if (v.version < migrations.front().version) {
    return FailedPreconditionError(
        "database schema version " + std::to_string(v.version) +
        " was written by an older Pocket ID; this server continues only from Pocket ID v2.14 (schema version " +
        std::to_string(kPocketIdV214SchemaVersion) +
        "). Upgrade the database by starting Pocket ID v2.14 on it once, then start this server");
  }
  if (v.version > migrations.back().version) {
    if (allow_downgrade) {
      done = true;  // we ship no down migrations: leave the newer schema untouched
      return Status::Ok();
    }
    return FailedPreconditionError("database schema version " + std::to_string(v.version) +
                                   " is newer than this server's latest (" +
                                   std::to_string(migrations.back().version) +
                                   "); set ALLOW_DOWNGRADE=true to start anyway with the schema left as it is");
  }
  return FailedPreconditionError("database schema version " + std::to_string(v.version) +
                                 " is unknown to this server (it knows " + KnownVersionsText(migrations) +
                                 "); it was probably written by a newer Pocket ID");
}

const Migration* NextMigration(std::span<const Migration> migrations, const SchemaVersion& v, int64_t target) {
  for (const Migration& m : migrations) {
    if (m.version > target) return nullptr;
    if (!v.present || m.version > v.version) return &m;
  }
  return nullptr;
}

// One locked transaction: re-read the version (another replica may have moved it), apply the next step if any.
Status ApplyNextStep(Connection& conn, int64_t target, bool allow_downgrade, bool& applied) {
  applied = false;
  if (conn.engine() == Engine::kPostgres) {
    PID_RETURN_IF_ERROR(conn.Query("SELECT pg_advisory_xact_lock($1)", {kMigrationLockKey}).status());
  }
  PID_RETURN_IF_ERROR(CreateVersionTable(conn));
  PID_ASSIGN_OR_RETURN(SchemaVersion current, ReadSchemaVersion(conn));
  std::span<const Migration> migrations = Migrations(conn.engine());
  bool done = false;
  PID_RETURN_IF_ERROR(CheckVersion(current, migrations, allow_downgrade, done));
  if (done) return Status::Ok();
  if (current.present && current.version > target) {
    return FailedPreconditionError("database schema version " + std::to_string(current.version) +
                                   " is already past the requested version " + std::to_string(target));
  }
  const Migration* next = NextMigration(migrations, current, target);
  if (next == nullptr) return Status::Ok();

  const std::string label = "migration " + std::to_string(next->version) + "_" + std::string(next->name);
  PID_RETURN_IF_ERROR(conn.ExecScript(next->sql).WithPrefix(label));
  PID_RETURN_IF_ERROR(conn.Exec("DELETE FROM schema_migrations").status().WithPrefix(label));
  PID_RETURN_IF_ERROR(conn.Exec("INSERT INTO schema_migrations (version, dirty) VALUES ($1, $2)", {next->version, false})
                          .status()
                          .WithPrefix(label));
  applied = true;
  return Status::Ok();
}

Status RunMigrations(Database& db, int64_t target, bool allow_downgrade) {
  PID_RETURN_IF_ERROR(Tables().status);
  while (true) {
    bool applied = false;
    PID_RETURN_IF_ERROR(db.InTransaction(
        [&](Connection& conn) { return ApplyNextStep(conn, target, allow_downgrade, applied); }));
    if (!applied) return Status::Ok();
  }
}

}  // namespace

std::span<const Migration> Migrations(Engine engine) {
  const MigrationTables& t = Tables();
  return engine == Engine::kPostgres ? std::span<const Migration>(t.postgres) : std::span<const Migration>(t.sqlite);
}

int64_t LatestSchemaVersion() {
  const MigrationTables& t = Tables();
  return t.sqlite.empty() ? 0 : t.sqlite.back().version;
}

StatusOr<SchemaVersion> ReadSchemaVersion(Connection& conn) {
  const char* exists_sql = conn.engine() == Engine::kSqlite
                               ? "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
                               : "SELECT count(*) FROM pg_catalog.pg_tables "
                                 "WHERE tablename = 'schema_migrations' AND schemaname = current_schema()";
  PID_ASSIGN_OR_RETURN(ResultSet exists, conn.Query(exists_sql));
  SchemaVersion v;
  if (exists.empty() || exists[0].Int(0) == 0) return v;
  PID_ASSIGN_OR_RETURN(ResultSet rows, conn.Query("SELECT version, dirty FROM schema_migrations LIMIT 1"));
  if (rows.empty()) return v;
  v.present = true;
  v.version = rows[0].Int(0);
  v.dirty = rows[0].Bool(1);
  return v;
}

Status Migrate(Database& db, bool allow_downgrade) {
  return RunMigrations(db, LatestSchemaVersion(), allow_downgrade).WithPrefix("database migration");
}

Status MigrateTo(Database& db, int64_t target_version) {
  PID_RETURN_IF_ERROR(Tables().status);
  if (!IsKnownVersion(Migrations(db.engine()), target_version)) {
    return InvalidArgumentError("unknown schema version " + std::to_string(target_version) + " (this server knows " +
                                KnownVersionsText(Migrations(db.engine())) + ")");
  }
  return RunMigrations(db, target_version, /*allow_downgrade=*/false).WithPrefix("database migration");
}

}  // namespace pocketid::db
