// The database handle the rest of the server uses: a thread-safe pool of engine connections.
//
//   PID_ASSIGN_OR_RETURN(auto db, db::Database::Open({.engine = db::Engine::kSqlite, .dsn = "data/pocket-id.db"}));
//   PID_ASSIGN_OR_RETURN(auto rows, db->Query("SELECT id FROM users WHERE username = $1", {name}));
//   PID_RETURN_IF_ERROR(db->InTransaction([&](db::Connection& c) -> Status { ...; return Status::Ok(); }));
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/db/connection.h"
#include "core/db/dsn.h"
#include "core/db/param.h"
#include "core/db/result.h"
#include "core/status/status.h"

namespace pocketid::db {

struct ConnectionOptions {
  Engine engine = Engine::kSqlite;
  // SQLite: a path or file: URI (see ParseSqliteDsn). PostgreSQL: a postgres:// URI or a key=value conninfo.
  std::string dsn;
  // Most connections the pool opens. 0 = engine default: SQLite 4 (1 for an in-memory database, which is private to
  // its connection), PostgreSQL 10 (or the URI's pool_max_conns).
  int pool_size = 0;
  // How long Acquire waits for a free connection before giving up with kUnavailable.
  std::chrono::milliseconds acquire_timeout{30000};
};

enum class TransactionMode {
  kReadWrite,  // SQLite: BEGIN IMMEDIATE (takes the write lock up front, waiting up to the busy timeout)
  kReadOnly,   // a consistent snapshot for reading (export): SQLite BEGIN DEFERRED, PostgreSQL REPEATABLE READ ONLY
};

class Database {
 public:
  // A borrowed connection; returns it to the pool when destroyed. Must not outlive the Database.
  class Lease {
   public:
    Lease(Lease&& other) noexcept : db_(other.db_), conn_(std::move(other.conn_)) { other.db_ = nullptr; }
    Lease& operator=(Lease&& other) noexcept;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease();

    Connection* operator->() const { return conn_.get(); }
    Connection& operator*() const { return *conn_; }
    Connection* get() const { return conn_.get(); }

   private:
    friend class Database;
    Lease(Database* db, std::unique_ptr<Connection> conn) : db_(db), conn_(std::move(conn)) {}
    Database* db_;
    std::unique_ptr<Connection> conn_;
  };

  // Opens the first connection right away, so a bad connection string or an unreachable server fails here.
  static StatusOr<std::unique_ptr<Database>> Open(const ConnectionOptions& options);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  Engine engine() const { return engine_; }
  int pool_size() const { return pool_size_; }
  // For SQLite, the database file on disk (empty when in memory).
  const std::string& sqlite_file_path() const { return sqlite_dsn_.file_path; }

  // Borrows a connection for a few statements. Waits (up to acquire_timeout) when all are in use.
  StatusOr<Lease> Acquire();

  // Convenience: one statement on a pooled connection.
  StatusOr<ResultSet> Query(std::string_view sql, std::initializer_list<Param> params = {}) {
    return Query(sql, std::span<const Param>(params.begin(), params.size()));
  }
  StatusOr<ResultSet> Query(std::string_view sql, std::span<const Param> params);
  StatusOr<int64_t> Exec(std::string_view sql, std::initializer_list<Param> params = {}) {
    return Exec(sql, std::span<const Param>(params.begin(), params.size()));
  }
  StatusOr<int64_t> Exec(std::string_view sql, std::span<const Param> params);

  // Runs fn inside BEGIN ... COMMIT on one connection; ROLLBACK when fn returns an error (which is returned) or
  // throws (kInternal). Use only the Connection passed in: another pooled connection would not see the
  // transaction, and on SQLite a second writer would wait for this one.
  Status InTransaction(const std::function<Status(Connection&)>& fn, TransactionMode mode = TransactionMode::kReadWrite);

  // SELECT 1 on a pooled connection (the /healthz check).
  Status Ping();

  // Connections currently open (idle or leased); for tests and metrics.
  int open_connections() const;

 private:
  Database(Engine engine, int pool_size, std::chrono::milliseconds acquire_timeout);
  StatusOr<std::unique_ptr<Connection>> OpenConnection();
  void Release(std::unique_ptr<Connection> conn);
  std::string_view BeginStatement(TransactionMode mode) const;

  const Engine engine_;
  const int pool_size_;
  const std::chrono::milliseconds acquire_timeout_;
  SqliteDsn sqlite_dsn_;        // engine == kSqlite
  std::string postgres_dsn_;    // engine == kPostgres

  mutable std::mutex mu_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Connection>> idle_;  // guarded by mu_
  int open_ = 0;                                   // guarded by mu_; idle + leased
};

}  // namespace pocketid::db
