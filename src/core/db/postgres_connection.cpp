#include "core/db/postgres_connection.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <vector>

#include "core/db/libpq_api.h"
#include "core/db/statement_cache.h"

namespace pocketid::db::internal {
namespace {

constexpr size_t kStatementCacheCapacity = 256;

struct PgConnCloser {
  void operator()(PGconn* c) const { LoadedLibpq().PQfinish(c); }
};
struct PgResultClearer {
  void operator()(PGresult* r) const { LoadedLibpq().PQclear(r); }
};
using ConnHandle = std::unique_ptr<PGconn, PgConnCloser>;
using ResultHandle = std::unique_ptr<PGresult, PgResultClearer>;

// Built-in type oids (pg_type.dat); stable across PostgreSQL versions.
enum : Oid {
  kBoolOid = 16,
  kByteaOid = 17,
  kNameOid = 19,
  kInt8Oid = 20,
  kInt2Oid = 21,
  kInt4Oid = 23,
  kTextOid = 25,
  kOidOid = 26,
  kJsonOid = 114,
  kFloat4Oid = 700,
  kFloat8Oid = 701,
  kInetOid = 869,
  kBpcharOid = 1042,
  kVarcharOid = 1043,
  kDateOid = 1082,
  kTimestampOid = 1114,
  kTimestamptzOid = 1184,
  kNumericOid = 1700,
  kUuidOid = 2950,
  kJsonbOid = 3802,
};

ColumnInfo DescribeColumn(const LibpqApi& libpq, const PGresult* res, int col) {
  ColumnInfo info;
  info.name = libpq.PQfname(res, col);
  const Oid oid = libpq.PQftype(res, col);
  auto set = [&](const char* name, ColumnKind kind) {
    info.decl_type = name;
    info.kind = kind;
  };
  switch (oid) {
    case kBoolOid: set("bool", ColumnKind::kBool); break;
    case kByteaOid: set("bytea", ColumnKind::kBlob); break;
    case kNameOid: set("name", ColumnKind::kText); break;
    case kInt8Oid: set("int8", ColumnKind::kInteger); break;
    case kInt2Oid: set("int2", ColumnKind::kInteger); break;
    case kInt4Oid: set("int4", ColumnKind::kInteger); break;
    case kOidOid: set("oid", ColumnKind::kInteger); break;
    case kTextOid: set("text", ColumnKind::kText); break;
    case kJsonOid: set("json", ColumnKind::kJson); break;
    case kFloat4Oid: set("float4", ColumnKind::kReal); break;
    case kFloat8Oid: set("float8", ColumnKind::kReal); break;
    case kInetOid: set("inet", ColumnKind::kText); break;
    case kBpcharOid: set("bpchar", ColumnKind::kText); break;
    case kVarcharOid: set("varchar", ColumnKind::kText); break;
    case kDateOid: set("date", ColumnKind::kTimestamp); break;
    case kTimestampOid: set("timestamp", ColumnKind::kTimestamp); break;
    case kTimestamptzOid: set("timestamptz", ColumnKind::kTimestamp); break;
    case kNumericOid: set("numeric", ColumnKind::kReal); break;
    case kUuidOid: set("uuid", ColumnKind::kText); break;
    case kJsonbOid: set("jsonb", ColumnKind::kJson); break;
    default:
      // Extension types (citext) have per-database oids; their text form is what we want anyway.
      info.decl_type = "oid:" + std::to_string(oid);
      info.kind = ColumnKind::kText;
  }
  return info;
}

// Converts one value of the text-format result into a cell. Integers, reals and booleans become numbers so that
// Text() and Int() read the same on both engines; bytea becomes its bytes.
Cell ReadCell(const LibpqApi& libpq, const PGresult* res, int row, int col, Oid oid) {
  Cell c;
  if (libpq.PQgetisnull(res, row, col)) return c;
  std::string_view text(libpq.PQgetvalue(res, row, col), static_cast<size_t>(libpq.PQgetlength(res, row, col)));
  switch (oid) {
    case kBoolOid:
      c.type = Cell::Type::kInt;
      c.i = text == "t" ? 1 : 0;
      return c;
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid:
    case kOidOid: {
      int64_t v = 0;
      auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
      if (ec == std::errc() && ptr == text.data() + text.size()) {
        c.type = Cell::Type::kInt;
        c.i = v;
        return c;
      }
      break;
    }
    case kFloat4Oid:
    case kFloat8Oid:
      c.type = Cell::Type::kReal;
      c.d = std::strtod(std::string(text).c_str(), nullptr);  // handles NaN / Infinity spellings
      return c;
    case kByteaOid:
      if (auto bytes = DecodeByteaHex(text)) {
        c.type = Cell::Type::kBlob;
        c.s = std::move(*bytes);
        return c;
      }
      break;
    default:
      break;
  }
  c.type = Cell::Type::kText;
  c.s.assign(text.data(), text.size());
  return c;
}

std::string HexEncode(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\\x";
  out.reserve(2 + bytes.size() * 2);
  for (unsigned char b : bytes) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 15]);
  }
  return out;
}

std::string FormatDoubleParam(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  char buf[32];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, d);
  return std::string(buf, ptr);
}

// Text-format parameter values: libpq wants NUL-terminated strings, which also means no NUL inside text.
StatusOr<std::optional<std::string>> ParamText(const Param& p) {
  struct Visitor {
    StatusOr<std::optional<std::string>> operator()(std::nullptr_t) const { return std::optional<std::string>(); }
    StatusOr<std::optional<std::string>> operator()(int64_t v) const { return Some(std::to_string(v)); }
    StatusOr<std::optional<std::string>> operator()(double v) const { return Some(FormatDoubleParam(v)); }
    StatusOr<std::optional<std::string>> operator()(bool v) const { return Some(v ? "true" : "false"); }
    StatusOr<std::optional<std::string>> operator()(const std::string& v) const { return Text(v); }
    StatusOr<std::optional<std::string>> operator()(std::string_view v) const { return Text(v); }
    StatusOr<std::optional<std::string>> operator()(const Blob& v) const { return Some(HexEncode(v.bytes)); }
    StatusOr<std::optional<std::string>> operator()(const Json& v) const { return Text(v.text); }
    StatusOr<std::optional<std::string>> operator()(Timestamp v) const { return Some(FormatPostgresTimestamp(v)); }
    static StatusOr<std::optional<std::string>> Some(std::string s) { return std::optional<std::string>(std::move(s)); }
    static StatusOr<std::optional<std::string>> Text(std::string_view v) {
      if (v.find('\0') != std::string_view::npos) {
        return InvalidArgumentError("postgres: text parameter contains a NUL byte (use Blob for binary data)");
      }
      return Some(std::string(v));
    }
  };
  return std::visit(Visitor{}, p.value());
}

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

bool IsWriteCommand(const char* status) {
  return std::strncmp(status, "INSERT", 6) == 0 || std::strncmp(status, "UPDATE", 6) == 0 ||
         std::strncmp(status, "DELETE", 6) == 0 || std::strncmp(status, "MERGE", 5) == 0;
}

bool ResultOk(const PGresult* res) {
  if (res == nullptr) return false;
  ExecStatusType s = LoadedLibpq().PQresultStatus(res);
  return s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK || s == PGRES_EMPTY_QUERY;
}

bool IsCachedPlanChange(const PGresult* res) {
  const LibpqApi& libpq = LoadedLibpq();
  const char* state = res ? libpq.PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  const char* primary = res ? libpq.PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  return state != nullptr && std::strcmp(state, "0A000") == 0 && primary != nullptr &&
         std::strstr(primary, "cached plan must not change result type") != nullptr;
}

struct PgStatement {
  std::string name;  // server-side prepared statement name
  size_t param_count = 0;
};

class PostgresConnection final : public Connection {
 public:
  PostgresConnection(const LibpqApi& libpq, ConnHandle conn)
      : libpq_(libpq), conn_(std::move(conn)), cache_(kStatementCacheCapacity) {}

  using Connection::Query;
  Engine engine() const override { return Engine::kPostgres; }

  StatusOr<ResultSet> Query(std::string_view sql, std::span<const Param> params) override {
    // Convert parameters first: a bad one must not leave anything half-done on the server.
    std::vector<std::optional<std::string>> texts;
    texts.reserve(params.size());
    for (const Param& p : params) {
      PID_ASSIGN_OR_RETURN(auto t, ParamText(p));
      texts.push_back(std::move(t));
    }
    std::vector<const char*> values;
    values.reserve(texts.size());
    for (const auto& t : texts) values.push_back(t ? t->c_str() : nullptr);

    ResultHandle res;
    PID_RETURN_IF_ERROR(Execute(sql, values, res));
    if (!ResultOk(res.get()) && IsCachedPlanChange(res.get()) && !InTransaction()) {
      // The schema under a cached statement changed its result columns (after a migration): prepare it afresh.
      DropStatement(sql);
      PID_RETURN_IF_ERROR(Execute(sql, values, res));
    }
    if (!ResultOk(res.get())) return PostgresStatus(res.get(), conn_.get());
    return Materialise(res.get());
  }

  Status ExecScript(std::string_view sql) override {
    std::string script(sql);
    // PQexec runs every statement of the string (simple query protocol) and returns the last result; any failure
    // stops the rest and is what we get back.
    ResultHandle res(libpq_.PQexec(conn_.get(), script.c_str()));
    if (!ResultOk(res.get())) return PostgresStatus(res.get(), conn_.get());
    return Status::Ok();
  }

  bool InTransaction() const override {
    PGTransactionStatusType s = libpq_.PQtransactionStatus(conn_.get());
    return s == PQTRANS_INTRANS || s == PQTRANS_INERROR || s == PQTRANS_ACTIVE;
  }
  bool InFailedTransaction() const override { return libpq_.PQtransactionStatus(conn_.get()) == PQTRANS_INERROR; }
  bool Broken() const override { return libpq_.PQstatus(conn_.get()) != CONNECTION_OK; }

  bool CheckAlive() override {
    // Reading whatever the server sent while we were idle notices a closed socket (server restart,
    // pg_terminate_backend) without a round trip. The FATAL message and the EOF may arrive in two reads.
    for (int i = 0; i < 2 && libpq_.PQstatus(conn_.get()) == CONNECTION_OK; ++i) {
      if (libpq_.PQconsumeInput(conn_.get()) == 0) break;
    }
    return libpq_.PQstatus(conn_.get()) == CONNECTION_OK && libpq_.PQtransactionStatus(conn_.get()) == PQTRANS_IDLE;
  }

  size_t cached_statement_count() const override { return cache_.size(); }

 private:
  // Prepares (once per SQL text) and executes `sql`; `res` receives the execution result.
  Status Execute(std::string_view sql, const std::vector<const char*>& values, ResultHandle& res) {
    PID_ASSIGN_OR_RETURN(PgStatement * st, Prepare(sql));
    if (values.size() != st->param_count) {
      // Checked here so both engines report a miscounted call the same way (the server would say 08P01).
      return InvalidArgumentError("statement expects " + std::to_string(st->param_count) + " parameters, got " +
                                  std::to_string(values.size()));
    }
    res.reset(libpq_.PQexecPrepared(conn_.get(), st->name.c_str(), static_cast<int>(values.size()), values.data(),
                                    nullptr, nullptr, /*resultFormat=*/0));
    return Status::Ok();
  }

  StatusOr<PgStatement*> Prepare(std::string_view sql) {
    if (PgStatement* cached = cache_.Find(sql)) return cached;
    PgStatement st{"pid_" + std::to_string(++statement_counter_), 0};
    std::string text(sql);
    // nParams = 0 and no types: the server infers every parameter's type from its context.
    ResultHandle res(libpq_.PQprepare(conn_.get(), st.name.c_str(), text.c_str(), 0, nullptr));
    if (!ResultOk(res.get())) return PostgresStatus(res.get(), conn_.get());
    // One extra round trip per statement and connection, to learn how many parameters the server inferred.
    ResultHandle desc(libpq_.PQdescribePrepared(conn_.get(), st.name.c_str()));
    if (!ResultOk(desc.get())) return PostgresStatus(desc.get(), conn_.get());
    st.param_count = static_cast<size_t>(libpq_.PQnparams(desc.get()));
    auto [inserted, evicted] = cache_.Insert(std::move(text), std::move(st));
    if (evicted) Deallocate(evicted->name);
    return inserted;
  }

  void DropStatement(std::string_view sql) {
    if (auto st = cache_.Erase(sql)) Deallocate(st->name);
  }

  void Deallocate(const std::string& name) {
    // Best effort: a failure here only leaves an unused statement on the server until the session ends.
    if (libpq_.PQtransactionStatus(conn_.get()) == PQTRANS_INERROR) return;
    ResultHandle res(libpq_.PQexec(conn_.get(), ("DEALLOCATE " + name).c_str()));
  }

  StatusOr<ResultSet> Materialise(const PGresult* res) const {
    auto data = std::make_unique<ResultData>();
    const int ncols = libpq_.PQnfields(res);
    const int nrows = libpq_.PQntuples(res);
    auto columns = std::make_shared<std::vector<ColumnInfo>>();
    std::vector<Oid> oids;
    for (int c = 0; c < ncols; ++c) {
      columns->push_back(DescribeColumn(libpq_, res, c));
      oids.push_back(libpq_.PQftype(res, c));
    }
    data->columns = std::move(columns);
    data->cells.reserve(static_cast<size_t>(ncols) * static_cast<size_t>(nrows));
    for (int r = 0; r < nrows; ++r) {
      for (int c = 0; c < ncols; ++c) data->cells.push_back(ReadCell(libpq_, res, r, c, oids[static_cast<size_t>(c)]));
    }
    int64_t affected = 0;
    if (IsWriteCommand(libpq_.PQcmdStatus(const_cast<PGresult*>(res)))) {
      affected = std::strtoll(libpq_.PQcmdTuples(const_cast<PGresult*>(res)), nullptr, 10);
    }
    return ResultSet(std::move(data), affected);
  }

  const LibpqApi& libpq_;
  ConnHandle conn_;
  StatementCache<PgStatement> cache_;
  uint64_t statement_counter_ = 0;
};

void IgnoreNotice(void*, const char*) {}  // NOTICEs ("extension ... already exists, skipping") are not errors

}  // namespace

std::optional<std::string> DecodeByteaHex(std::string_view text) {
  if (text.size() < 2 || text[0] != '\\' || text[1] != 'x' || text.size() % 2 != 0) return std::nullopt;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve((text.size() - 2) / 2);
  for (size_t i = 2; i < text.size(); i += 2) {
    int hi = nibble(text[i]), lo = nibble(text[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi * 16 + lo));
  }
  return out;
}

Status PostgresStatus(const PGresult* result, const PGconn* conn) {
  const LibpqApi& libpq = LoadedLibpq();
  if (result == nullptr || libpq.PQresultStatus(result) == PGRES_FATAL_ERROR) {
    const char* state = result ? libpq.PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    if (state == nullptr) {
      // No SQLSTATE: a client-side failure, almost always the connection.
      std::string msg = "postgres: " + Trim(libpq.PQerrorMessage(conn));
      if (libpq.PQstatus(conn) != CONNECTION_OK) return UnavailableError(std::move(msg));
      return InternalError(std::move(msg));
    }
  }
  if (result == nullptr) return InternalError("postgres: no result");

  const char* state_c = libpq.PQresultErrorField(result, PG_DIAG_SQLSTATE);
  const char* primary = libpq.PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
  const char* detail = libpq.PQresultErrorField(result, PG_DIAG_MESSAGE_DETAIL);
  std::string state = state_c ? state_c : "";
  std::string msg = "postgres: " + std::string(primary ? primary : Trim(libpq.PQresultErrorMessage(result)));
  if (detail != nullptr) msg += " (" + std::string(detail) + ")";
  if (!state.empty()) msg += " [SQLSTATE " + state + "]";

  if (state == "23505") return AlreadyExistsError(std::move(msg));
  if (state == "23503") return FailedPreconditionError(std::move(msg));
  const std::string cls = state.substr(0, 2);
  if (cls == "23" || cls == "22") return InvalidArgumentError(std::move(msg));  // constraint / data exceptions
  if (state == "08P01") return InvalidArgumentError(std::move(msg));  // protocol violation: a malformed call
  if (cls == "08" || cls == "53" || cls == "57" || state == "40001" || state == "40P01" || state == "55P03") {
    return UnavailableError(std::move(msg));  // connection, resources, shutdown, retryable conflicts
  }
  if (cls == "42" && state == "42501") return PermissionDeniedError(std::move(msg));
  if (libpq.PQstatus(conn) != CONNECTION_OK) return UnavailableError(std::move(msg));
  return InternalError(std::move(msg));
}

StatusOr<std::unique_ptr<Connection>> OpenPostgresConnection(const std::string& conninfo) {
  // The first PostgreSQL connection loads libpq; a missing libpq fails here, with the library's name.
  PID_ASSIGN_OR_RETURN(const LibpqApi* loaded, LoadLibpq());
  const LibpqApi& libpq = *loaded;
  // Our defaults go before "dbname" so that the expanded connection string overrides them.
  const char* const keywords[] = {"fallback_application_name", "connect_timeout", "dbname", nullptr};
  const char* const values[] = {"pocket-id", "10", conninfo.c_str(), nullptr};
  ConnHandle conn(libpq.PQconnectdbParams(keywords, values, /*expand_dbname=*/1));
  if (conn == nullptr) return UnavailableError("postgres: out of memory while connecting");
  if (libpq.PQstatus(conn.get()) != CONNECTION_OK) {
    return UnavailableError("postgres: cannot connect: " + Trim(libpq.PQerrorMessage(conn.get())));
  }
  libpq.PQsetNoticeProcessor(conn.get(), IgnoreNotice, nullptr);
  // Timestamps are exchanged as UTC ISO text; see FormatPostgresTimestamp and ParseTimestamp.
  ResultHandle res(
      libpq.PQexec(conn.get(), "SET TIME ZONE 'UTC'; SET DateStyle = 'ISO, YMD'; SET client_encoding = 'UTF8'"));
  if (!ResultOk(res.get())) return PostgresStatus(res.get(), conn.get()).WithPrefix("session setup");
  return std::unique_ptr<Connection>(std::make_unique<PostgresConnection>(libpq, std::move(conn)));
}

}  // namespace pocketid::db::internal
