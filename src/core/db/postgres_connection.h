// Internal: the PostgreSQL (libpq) implementation of Connection.
#pragma once

#include <libpq-fe.h>

#include <memory>
#include <string>

#include "core/db/connection.h"

namespace pocketid::db::internal {

// Connects with `conninfo` (a URI or key=value string libpq accepts) and sets the session up: UTC time zone,
// ISO DateStyle, UTF-8 client encoding. Connection failures are kUnavailable.
StatusOr<std::unique_ptr<Connection>> OpenPostgresConnection(const std::string& conninfo);

// Maps a failed result (or, when `result` is null, the connection's state) to our Status convention.
Status PostgresStatus(const PGresult* result, const PGconn* conn);

// "\x48656c6c6f" → "Hello" (bytea hex output); nullopt when malformed.
std::optional<std::string> DecodeByteaHex(std::string_view text);

}  // namespace pocketid::db::internal
