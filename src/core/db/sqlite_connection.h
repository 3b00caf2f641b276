// Internal: the SQLite implementation of Connection.
#pragma once

#include <memory>

#include "core/db/connection.h"
#include "core/db/dsn.h"

namespace pocketid::db::internal {

// Opens one connection and applies the session setup: busy timeout, WAL, synchronous=NORMAL, foreign_keys=ON,
// then the DSN's own pragmas. Creates the database file's parent directory when it is missing.
StatusOr<std::unique_ptr<Connection>> OpenSqliteConnection(const SqliteDsn& dsn);

// Maps an (extended) SQLite result code to our Status convention; `message` is the engine's text.
Status SqliteStatus(int extended_code, std::string_view message);

}  // namespace pocketid::db::internal
