// One engine connection. Statements use PostgreSQL-style `$1, $2, ...` placeholders on both engines (SQLite binds
// them by name). Portable SQL notes: write CAST($1 AS TEXT) rather than $1::text (SQLite has no `::`), and give every
// parameter a context PostgreSQL can infer its type from (parameters are sent untyped).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "core/db/param.h"
#include "core/db/result.h"
#include "core/status/status.h"

namespace pocketid::db {

enum class Engine { kSqlite, kPostgres };

std::string_view EngineName(Engine engine);  // "sqlite" | "postgres", as Pocket ID's export writes it

// Not thread-safe: a connection is used by one thread at a time (the pool hands it out through a Lease).
// Prepared statements are cached per connection by SQL text.
class Connection {
 public:
  virtual ~Connection() = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  virtual Engine engine() const = 0;

  // Runs one statement and returns all of its rows (plus the affected-row count for writes).
  StatusOr<ResultSet> Query(std::string_view sql, std::initializer_list<Param> params = {}) {
    return Query(sql, std::span<const Param>(params.begin(), params.size()));
  }
  virtual StatusOr<ResultSet> Query(std::string_view sql, std::span<const Param> params) = 0;

  // Runs one statement and returns the number of rows it inserted, updated or deleted.
  StatusOr<int64_t> Exec(std::string_view sql, std::initializer_list<Param> params = {}) {
    return Exec(sql, std::span<const Param>(params.begin(), params.size()));
  }
  StatusOr<int64_t> Exec(std::string_view sql, std::span<const Param> params);

  // Runs several `;`-separated statements without parameters and without caching them (migrations, BEGIN/COMMIT).
  virtual Status ExecScript(std::string_view sql) = 0;

  // True while a transaction is open on this connection.
  virtual bool InTransaction() const = 0;
  // True inside a transaction that an error has aborted (PostgreSQL); it can only be rolled back.
  virtual bool InFailedTransaction() const = 0;
  // True when the connection can no longer be used (PostgreSQL: the server went away); the pool drops it.
  virtual bool Broken() const = 0;
  // A cheap liveness check for an idle connection, without a round trip where possible.
  virtual bool CheckAlive() = 0;

  // How many prepared statements this connection currently caches (for tests and metrics).
  virtual size_t cached_statement_count() const = 0;

 protected:
  Connection() = default;
};

}  // namespace pocketid::db
