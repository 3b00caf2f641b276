// Connection-string handling for both engines, in every form Pocket ID's guides use for DB_CONNECTION_STRING.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status/status.h"

namespace pocketid::db {

// How Pocket ID derives the engine from the connection string alone: postgres:// and postgresql:// URIs are
// PostgreSQL, everything else is SQLite. (DB_PROVIDER, when set, is the config module's business.)
bool LooksLikePostgresUri(std::string_view dsn);

// A SQLite connection string, resolved into what sqlite3_open_v2 and the connection setup need.
// Accepted: a bare path ("data/pocket-id.db", "/data/pocket-id.db"), a bare path with Go-driver options
// ("data/pocket-id.db?_pragma=busy_timeout(5000)"), a file: URI ("file:data/pocket-id.db?mode=rwc&cache=shared",
// "file:///abs/path.db"), and the in-memory forms (":memory:", "file::memory:", "...?mode=memory").
// Go-driver-only options (names starting with "_") are translated or dropped:
//   _pragma=name(value)          → PRAGMA name = value, after our defaults (so it may override them)
//   _busy_timeout=N, _timeout=N  → busy timeout in ms
//   _foreign_keys / _fk, _journal_mode / _journal, _synchronous / _sync, _cache_size, _auto_vacuum / _vacuum,
//   _secure_delete, _recursive_triggers / _rt, _case_sensitive_like / _cslike, _locking_mode / _locking,
//   _query_only             → the PRAGMA of that name
//   _txlock=exclusive            → BEGIN EXCLUSIVE for write transactions (immediate and deferred → BEGIN IMMEDIATE,
//                                   because a deferred writer can fail with SQLITE_BUSY instead of waiting)
//   anything else starting with "_" (_inttotime, _texttotime, _time_format, _loc, ...) → ignored
// Real SQLite URI parameters (mode, cache, vfs, immutable, nolock, psow, modeof) are passed to SQLite unchanged.
struct SqliteDsn {
  std::string open_name;     // the filename argument for sqlite3_open_v2
  bool uri = false;          // open_name is a file: URI (SQLITE_OPEN_URI)
  std::string file_path;     // the database file on disk (percent-decoded); empty when in memory
  bool in_memory = false;
  bool read_only = false;    // mode=ro or immutable=1
  int busy_timeout_ms = 5000;
  std::string begin_write = "BEGIN IMMEDIATE";
  std::vector<std::string> extra_pragmas;  // "PRAGMA name = value" statements from the DSN
};

StatusOr<SqliteDsn> ParseSqliteDsn(std::string_view dsn);

// Makes a PostgreSQL connection string that Pocket ID (pgx) accepts acceptable to libpq as well. Key=value
// strings pass through unchanged. In URIs, pgx-only parameters (pool_max_conns, pool_*, statement_cache_capacity,
// default_query_exec_mode, ...) are dropped, and parameters libpq does not know are sent as run-time settings
// (`options=-c name=value`), which is what pgx does with them (e.g. search_path). `pool_size` receives
// pool_max_conns when present.
StatusOr<std::string> NormalizePostgresDsn(std::string_view dsn, std::optional<int>* pool_size = nullptr);

}  // namespace pocketid::db
