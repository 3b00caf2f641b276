#include "core/db/sqlite_connection.h"

#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include "core/db/statement_cache.h"

namespace pocketid::db::internal {
namespace {

constexpr size_t kStatementCacheCapacity = 256;

struct SqliteCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct StmtFinalizer {
  void operator()(sqlite3_stmt* st) const { sqlite3_finalize(st); }
};
using DbHandle = std::unique_ptr<sqlite3, SqliteCloser>;
using StmtHandle = std::unique_ptr<sqlite3_stmt, StmtFinalizer>;

// A prepared statement plus what binding and reading it needs, computed once at prepare time.
struct PreparedStatement {
  StmtHandle stmt;
  std::vector<int> slot_to_param;  // bind slot i+1 takes params[slot_to_param[i]]
  size_t param_count = 0;          // how many parameters the statement expects ($N up to this)
  std::shared_ptr<const std::vector<ColumnInfo>> columns;
};

// Resets a statement when a query leaves scope, so a pooled connection never keeps a read transaction open.
class ResetGuard {
 public:
  explicit ResetGuard(sqlite3_stmt* st) : st_(st) {}
  ~ResetGuard() {
    sqlite3_reset(st_);
    sqlite3_clear_bindings(st_);
  }
  ResetGuard(const ResetGuard&) = delete;
  ResetGuard& operator=(const ResetGuard&) = delete;

 private:
  sqlite3_stmt* st_;
};

ColumnKind KindFromDeclType(std::string_view decl) {
  std::string upper;
  for (char c : decl) upper.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  auto has = [&](std::string_view s) { return upper.find(s) != std::string::npos; };
  if (upper.empty()) return ColumnKind::kUnknown;
  if (has("DATE") || has("TIME")) return ColumnKind::kTimestamp;  // DATETIME, TIMESTAMP, DATE
  if (has("BOOL")) return ColumnKind::kBool;
  if (has("INT")) return ColumnKind::kInteger;
  if (has("CHAR") || has("CLOB") || has("TEXT")) return ColumnKind::kText;
  if (has("BLOB")) return ColumnKind::kBlob;
  if (has("REAL") || has("FLOA") || has("DOUB")) return ColumnKind::kReal;
  if (has("JSON")) return ColumnKind::kJson;
  return ColumnKind::kUnknown;
}

std::shared_ptr<const std::vector<ColumnInfo>> DescribeColumns(sqlite3_stmt* st) {
  auto cols = std::make_shared<std::vector<ColumnInfo>>();
  const int n = sqlite3_column_count(st);
  cols->reserve(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    ColumnInfo info;
    const char* name = sqlite3_column_name(st, i);
    const char* decl = sqlite3_column_decltype(st, i);
    info.name = name ? name : "";
    info.decl_type = decl ? decl : "";
    info.kind = KindFromDeclType(info.decl_type);
    cols->push_back(std::move(info));
  }
  return cols;
}

// Maps each bind slot to a parameter index: "$N" and "?N" name parameter N; a bare "?" takes the next position.
Status MapParameters(sqlite3_stmt* st, PreparedStatement& out) {
  const int slots = sqlite3_bind_parameter_count(st);
  out.slot_to_param.assign(static_cast<size_t>(slots), 0);
  size_t max_param = 0;
  for (int slot = 1; slot <= slots; ++slot) {
    const char* name = sqlite3_bind_parameter_name(st, slot);
    int index = slot;  // anonymous "?"
    if (name != nullptr) {
      std::string_view n(name);
      if (n.size() < 2 || (n[0] != '$' && n[0] != '?')) {
        return InvalidArgumentError("unsupported SQL parameter \"" + std::string(n) + "\": use $1, $2, ...");
      }
      auto [ptr, ec] = std::from_chars(n.data() + 1, n.data() + n.size(), index);
      if (ec != std::errc() || ptr != n.data() + n.size() || index < 1) {
        return InvalidArgumentError("unsupported SQL parameter \"" + std::string(n) + "\": use $1, $2, ...");
      }
    }
    out.slot_to_param[static_cast<size_t>(slot - 1)] = index - 1;
    max_param = std::max(max_param, static_cast<size_t>(index));
  }
  out.param_count = max_param;
  return Status::Ok();
}

// sqlite3_bind_text/blob treat a null data pointer as NULL, and an empty string_view may have one.
const char* NonNull(const char* p) { return p != nullptr ? p : ""; }

int BindOne(sqlite3_stmt* st, int slot, const Param& param) {
  struct Binder {
    sqlite3_stmt* st;
    int slot;
    int operator()(std::nullptr_t) const { return sqlite3_bind_null(st, slot); }
    int operator()(int64_t v) const { return sqlite3_bind_int64(st, slot, v); }
    int operator()(double v) const { return sqlite3_bind_double(st, slot, v); }
    int operator()(bool v) const { return sqlite3_bind_int(st, slot, v ? 1 : 0); }
    int operator()(const std::string& v) const { return Text(v); }
    int operator()(std::string_view v) const { return Text(v); }
    int operator()(const Blob& v) const {
      // SQLITE_STATIC: the Param outlives the statement's execution (we reset before returning).
      return sqlite3_bind_blob64(st, slot, NonNull(v.bytes.data()), v.bytes.size(), SQLITE_STATIC);
    }
    int operator()(const Json& v) const {
      // Pocket ID stores JSON as a BLOB of UTF-8 text on SQLite.
      return sqlite3_bind_blob64(st, slot, NonNull(v.text.data()), v.text.size(), SQLITE_STATIC);
    }
    int operator()(Timestamp v) const { return sqlite3_bind_int64(st, slot, v.unix_seconds); }
    int Text(std::string_view v) const {
      return sqlite3_bind_text64(st, slot, NonNull(v.data()), v.size(), SQLITE_STATIC, SQLITE_UTF8);
    }
  };
  return std::visit(Binder{st, slot}, param.value());
}

Cell ReadCell(sqlite3_stmt* st, int col) {
  Cell c;
  switch (sqlite3_column_type(st, col)) {
    case SQLITE_INTEGER:
      c.type = Cell::Type::kInt;
      c.i = sqlite3_column_int64(st, col);
      break;
    case SQLITE_FLOAT:
      c.type = Cell::Type::kReal;
      c.d = sqlite3_column_double(st, col);
      break;
    case SQLITE_TEXT: {
      c.type = Cell::Type::kText;
      const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(st, col));
      c.s.assign(NonNull(p), static_cast<size_t>(sqlite3_column_bytes(st, col)));
      break;
    }
    case SQLITE_BLOB: {
      c.type = Cell::Type::kBlob;
      const auto* p = static_cast<const char*>(sqlite3_column_blob(st, col));
      c.s.assign(NonNull(p), static_cast<size_t>(sqlite3_column_bytes(st, col)));
      break;
    }
    default:
      c.type = Cell::Type::kNull;
  }
  return c;
}

bool IsBlank(std::string_view s) {
  for (char c : s) {
    if (!std::isspace(static_cast<unsigned char>(c)) && c != ';') return false;
  }
  return true;
}

class SqliteConnection final : public Connection {
 public:
  explicit SqliteConnection(DbHandle db) : db_(std::move(db)), cache_(kStatementCacheCapacity) {}
  ~SqliteConnection() override { cache_.Clear(); }  // finalize statements before closing the handle

  using Connection::Query;
  Engine engine() const override { return Engine::kSqlite; }

  StatusOr<ResultSet> Query(std::string_view sql, std::span<const Param> params) override {
    PID_ASSIGN_OR_RETURN(PreparedStatement * ps, Prepare(sql));
    if (ps == nullptr) return ResultSet();  // only comments or whitespace
    if (params.size() != ps->param_count) {
      return InvalidArgumentError("statement expects " + std::to_string(ps->param_count) + " parameters, got " +
                                  std::to_string(params.size()));
    }
    sqlite3_stmt* st = ps->stmt.get();
    ResetGuard reset(st);
    for (size_t slot = 0; slot < ps->slot_to_param.size(); ++slot) {
      int rc = BindOne(st, static_cast<int>(slot + 1), params[static_cast<size_t>(ps->slot_to_param[slot])]);
      if (rc != SQLITE_OK) return Error(rc);
    }
    return Run(st, ps->columns);
  }

  Status ExecScript(std::string_view sql) override {
    std::string script(sql);  // sqlite3_exec wants a NUL-terminated string
    char* err = nullptr;
    int rc = sqlite3_exec(db_.get(), script.c_str(), nullptr, nullptr, &err);
    std::string message = err != nullptr ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    if (rc != SQLITE_OK) return SqliteStatus(sqlite3_extended_errcode(db_.get()), message);
    return Status::Ok();
  }

  bool InTransaction() const override { return sqlite3_get_autocommit(db_.get()) == 0; }
  bool InFailedTransaction() const override { return false; }
  bool Broken() const override { return false; }
  bool CheckAlive() override { return true; }
  size_t cached_statement_count() const override { return cache_.size(); }

 private:
  Status Error(int rc) const {
    // With extended result codes on, sqlite3_extended_errcode carries e.g. SQLITE_CONSTRAINT_UNIQUE.
    int code = sqlite3_extended_errcode(db_.get());
    if ((code & 0xff) != (rc & 0xff)) code = rc;
    return SqliteStatus(code, sqlite3_errmsg(db_.get()));
  }

  // The cached statement for `sql`, preparing it on first use; nullptr for SQL without a statement.
  StatusOr<PreparedStatement*> Prepare(std::string_view sql) {
    if (PreparedStatement* cached = cache_.Find(sql)) return cached;
    sqlite3_stmt* raw = nullptr;
    const char* tail = nullptr;
    int rc = sqlite3_prepare_v3(db_.get(), sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &raw,
                                &tail);
    StmtHandle stmt(raw);
    if (rc != SQLITE_OK) return Error(rc);
    if (stmt == nullptr) return static_cast<PreparedStatement*>(nullptr);
    PID_RETURN_IF_ERROR(CheckSingleStatement(sql, tail));
    PreparedStatement ps;
    ps.stmt = std::move(stmt);
    PID_RETURN_IF_ERROR(MapParameters(ps.stmt.get(), ps));
    ps.columns = DescribeColumns(ps.stmt.get());
    return cache_.Insert(std::string(sql), std::move(ps)).first;  // an evicted statement finalizes itself
  }

  // Query() runs exactly one statement; a second one would silently be ignored, so refuse it.
  Status CheckSingleStatement(std::string_view sql, const char* tail) {
    if (tail == nullptr) return Status::Ok();
    std::string_view rest = sql.substr(static_cast<size_t>(tail - sql.data()));
    if (IsBlank(rest)) return Status::Ok();
    sqlite3_stmt* next = nullptr;
    int rc = sqlite3_prepare_v2(db_.get(), rest.data(), static_cast<int>(rest.size()), &next, nullptr);
    StmtHandle guard(next);
    if (rc == SQLITE_OK && next == nullptr) return Status::Ok();  // only comments follow
    return InvalidArgumentError("Query/Exec run a single SQL statement; use ExecScript for several");
  }

  StatusOr<ResultSet> Run(sqlite3_stmt* st, std::shared_ptr<const std::vector<ColumnInfo>> columns) {
    auto data = std::make_unique<ResultData>();
    data->columns = std::move(columns);
    const int ncols = static_cast<int>(data->columns->size());
    const int64_t total_before = sqlite3_total_changes64(db_.get());
    while (true) {
      int rc = sqlite3_step(st);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return Error(rc);
      for (int c = 0; c < ncols; ++c) data->cells.push_back(ReadCell(st, c));
    }
    // sqlite3_changes64 keeps the previous statement's count after e.g. DDL; if nothing changed at all this
    // statement affected no rows.
    int64_t affected = 0;
    if (!sqlite3_stmt_readonly(st) && sqlite3_total_changes64(db_.get()) != total_before) {
      affected = sqlite3_changes64(db_.get());
    }
    return ResultSet(std::move(data), affected);
  }

  DbHandle db_;
  StatementCache<PreparedStatement> cache_;
};

Status RunPragma(sqlite3* db, const std::string& sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  std::string message = err != nullptr ? err : sqlite3_errstr(rc);
  sqlite3_free(err);
  if (rc != SQLITE_OK) return SqliteStatus(sqlite3_extended_errcode(db), message).WithPrefix(sql);
  return Status::Ok();
}

Status EnsureParentDirectory(const SqliteDsn& dsn) {
  if (dsn.in_memory || dsn.read_only || dsn.file_path.empty()) return Status::Ok();
  std::filesystem::path parent = std::filesystem::path(dsn.file_path).parent_path();
  if (parent.empty()) return Status::Ok();
  std::error_code ec;
  std::filesystem::create_directories(parent, ec);
  if (ec) {
    return UnavailableError("sqlite: cannot create the database directory " + parent.string() + ": " + ec.message());
  }
  return Status::Ok();
}

}  // namespace

Status SqliteStatus(int extended_code, std::string_view message) {
  std::string m = "sqlite: " + std::string(message);
  switch (extended_code) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return AlreadyExistsError(std::move(m));
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return FailedPreconditionError(std::move(m));
    default:
      break;
  }
  switch (extended_code & 0xff) {
    case SQLITE_OK:
      return Status::Ok();
    case SQLITE_CONSTRAINT:  // NOT NULL, CHECK
    case SQLITE_MISMATCH:
    case SQLITE_RANGE:
    case SQLITE_TOOBIG:
      return InvalidArgumentError(std::move(m));
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_NOMEM:
    case SQLITE_PROTOCOL:
    case SQLITE_NOLFS:
      return UnavailableError(std::move(m));
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_AUTH:
      return FailedPreconditionError(std::move(m));
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return DataLossError(std::move(m));
    default:
      return InternalError(std::move(m));
  }
}

StatusOr<std::unique_ptr<Connection>> OpenSqliteConnection(const SqliteDsn& dsn) {
  if (sqlite3_threadsafe() == 0) return InternalError("sqlite: library built without thread support");
  PID_RETURN_IF_ERROR(EnsureParentDirectory(dsn));

  int flags = SQLITE_OPEN_NOMUTEX;  // each connection is used by one thread at a time
  flags |= dsn.read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  if (dsn.uri) flags |= SQLITE_OPEN_URI;
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(dsn.open_name.c_str(), &raw, flags, nullptr);
  DbHandle db(raw);  // sqlite3_open_v2 allocates a handle even on failure
  if (rc != SQLITE_OK) {
    std::string message = raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
    return UnavailableError("sqlite: cannot open database \"" + dsn.open_name + "\": " + message);
  }
  sqlite3_extended_result_codes(db.get(), 1);
  // The busy timeout first: switching to WAL needs a lock that another connection may briefly hold.
  sqlite3_busy_timeout(db.get(), dsn.busy_timeout_ms);
  if (!dsn.read_only && !dsn.in_memory) PID_RETURN_IF_ERROR(RunPragma(db.get(), "PRAGMA journal_mode = WAL"));
  PID_RETURN_IF_ERROR(RunPragma(db.get(), "PRAGMA synchronous = NORMAL"));
  // Every sign-in writes a few rows; checkpointing the WAL every 10000 pages instead of SQLite's 1000 copies each hot
  // page (index roots, the newest leaves) once per checkpoint instead of ten times (about +35% login exchanges/s in
  // bench/oidc.sh). The WAL file is truncated back to 64 MiB at most after a checkpoint.
  if (!dsn.read_only && !dsn.in_memory) {
    PID_RETURN_IF_ERROR(RunPragma(db.get(), "PRAGMA wal_autocheckpoint = 10000"));
    PID_RETURN_IF_ERROR(RunPragma(db.get(), "PRAGMA journal_size_limit = 67108864"));
  }
  PID_RETURN_IF_ERROR(RunPragma(db.get(), "PRAGMA foreign_keys = ON"));
  for (const std::string& pragma : dsn.extra_pragmas) PID_RETURN_IF_ERROR(RunPragma(db.get(), pragma));
  return std::unique_ptr<Connection>(std::make_unique<SqliteConnection>(std::move(db)));
}

}  // namespace pocketid::db::internal
