#include "core/db/database.h"

#include <exception>
#include <utility>

#include "core/db/postgres_connection.h"
#include "core/db/sqlite_connection.h"

namespace pocketid::db {
namespace {

constexpr int kDefaultSqlitePoolSize = 4;
constexpr int kDefaultPostgresPoolSize = 10;

}  // namespace

Database::Lease& Database::Lease::operator=(Lease&& other) noexcept {
  if (this != &other) {
    if (db_ != nullptr && conn_ != nullptr) db_->Release(std::move(conn_));
    db_ = other.db_;
    conn_ = std::move(other.conn_);
    other.db_ = nullptr;
  }
  return *this;
}

Database::Lease::~Lease() {
  if (db_ != nullptr && conn_ != nullptr) db_->Release(std::move(conn_));
}

Database::Database(Engine engine, int pool_size, std::chrono::milliseconds acquire_timeout)
    : engine_(engine), pool_size_(pool_size), acquire_timeout_(acquire_timeout) {}

Database::~Database() {
  std::lock_guard<std::mutex> lock(mu_);
  idle_.clear();
}

StatusOr<std::unique_ptr<Database>> Database::Open(const ConnectionOptions& options) {
  if (options.pool_size < 0) return InvalidArgumentError("database pool size must not be negative");
  std::unique_ptr<Database> db;
  if (options.engine == Engine::kSqlite) {
    PID_ASSIGN_OR_RETURN(SqliteDsn dsn, ParseSqliteDsn(options.dsn));
    // An in-memory database belongs to one connection, so more would each see a different, empty database.
    int size = dsn.in_memory ? 1 : (options.pool_size > 0 ? options.pool_size : kDefaultSqlitePoolSize);
    db.reset(new Database(Engine::kSqlite, size, options.acquire_timeout));
    db->sqlite_dsn_ = std::move(dsn);
  } else {
    std::optional<int> uri_pool_size;
    PID_ASSIGN_OR_RETURN(std::string conninfo, NormalizePostgresDsn(options.dsn, &uri_pool_size));
    int size = options.pool_size > 0 ? options.pool_size : uri_pool_size.value_or(kDefaultPostgresPoolSize);
    db.reset(new Database(Engine::kPostgres, size, options.acquire_timeout));
    db->postgres_dsn_ = std::move(conninfo);
  }
  // Fail fast on a bad connection string; the connection then waits in the pool.
  PID_ASSIGN_OR_RETURN(Lease first, db->Acquire());
  return db;
}

StatusOr<std::unique_ptr<Connection>> Database::OpenConnection() {
  if (engine_ == Engine::kSqlite) return internal::OpenSqliteConnection(sqlite_dsn_);
  return internal::OpenPostgresConnection(postgres_dsn_);
}

StatusOr<Database::Lease> Database::Acquire() {
  const auto deadline = std::chrono::steady_clock::now() + acquire_timeout_;
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    if (!idle_.empty()) {
      std::unique_ptr<Connection> conn = std::move(idle_.back());
      idle_.pop_back();
      lock.unlock();
      if (conn->CheckAlive()) return Lease(this, std::move(conn));
      // The server closed it while it was idle: drop it and try again (usually opening a fresh one).
      conn.reset();
      lock.lock();
      --open_;
      continue;
    }
    if (open_ < pool_size_) {
      ++open_;  // reserve the slot, then connect without holding the lock
      lock.unlock();
      StatusOr<std::unique_ptr<Connection>> conn = OpenConnection();
      if (!conn.ok()) {
        lock.lock();
        --open_;
        available_.notify_one();
        return conn.status();
      }
      return Lease(this, std::move(*conn));
    }
    if (available_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() && open_ >= pool_size_) {
      return UnavailableError("timed out waiting for a database connection (all " + std::to_string(pool_size_) +
                              " in use)");
    }
  }
}

void Database::Release(std::unique_ptr<Connection> conn) {
  // A connection must come back clean: no open transaction, still connected. Otherwise it is closed.
  if (!conn->Broken() && conn->InTransaction()) {
    Status rolled_back = conn->ExecScript("ROLLBACK");
    if (!rolled_back.ok() || conn->InTransaction()) conn.reset();
  }
  if (conn != nullptr && conn->Broken()) conn.reset();
  std::lock_guard<std::mutex> lock(mu_);
  if (conn != nullptr) {
    idle_.push_back(std::move(conn));
  } else {
    --open_;
  }
  available_.notify_one();
}

StatusOr<ResultSet> Database::Query(std::string_view sql, std::span<const Param> params) {
  PID_ASSIGN_OR_RETURN(Lease lease, Acquire());
  return lease->Query(sql, params);
}

StatusOr<int64_t> Database::Exec(std::string_view sql, std::span<const Param> params) {
  PID_ASSIGN_OR_RETURN(Lease lease, Acquire());
  return lease->Exec(sql, params);
}

std::string_view Database::BeginStatement(TransactionMode mode) const {
  if (engine_ == Engine::kSqlite) {
    return mode == TransactionMode::kReadOnly ? std::string_view("BEGIN DEFERRED")
                                              : std::string_view(sqlite_dsn_.begin_write);
  }
  return mode == TransactionMode::kReadOnly ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN";
}

Status Database::InTransaction(const std::function<Status(Connection&)>& fn, TransactionMode mode) {
  PID_ASSIGN_OR_RETURN(Lease lease, Acquire());
  Connection& conn = *lease;
  PID_RETURN_IF_ERROR(conn.ExecScript(BeginStatement(mode)).WithPrefix("begin transaction"));
  Status result;
  try {
    result = fn(conn);
  } catch (const std::exception& e) {
    result = InternalError(std::string("exception inside a database transaction: ") + e.what());
  } catch (...) {
    result = InternalError("unknown exception inside a database transaction");
  }
  if (result.ok() && conn.InFailedTransaction()) {
    // PostgreSQL would answer COMMIT with a silent ROLLBACK; report it instead of pretending success.
    result = FailedPreconditionError("transaction aborted by an earlier statement error; rolled back");
  }
  if (!result.ok()) {
    // If the rollback fails too, the lease closes the connection rather than pooling it mid-transaction.
    if (conn.InTransaction()) (void)conn.ExecScript("ROLLBACK");
    return result;
  }
  Status committed = conn.ExecScript("COMMIT");
  if (!committed.ok()) {
    if (conn.InTransaction()) (void)conn.ExecScript("ROLLBACK");
    return committed.WithPrefix("commit");
  }
  return Status::Ok();
}

Status Database::Ping() {
  PID_ASSIGN_OR_RETURN(ResultSet rs, Query("SELECT 1"));
  if (rs.size() != 1 || rs[0].Int(0) != 1) return InternalError("database ping returned an unexpected result");
  return Status::Ok();
}

int Database::open_connections() const {
  std::lock_guard<std::mutex> lock(mu_);
  return open_;
}

}  // namespace pocketid::db
