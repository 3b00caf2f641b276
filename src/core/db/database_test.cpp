// Connection, pool and error-mapping tests; each parameterised test runs on SQLite and on PostgreSQL.
#include "core/db/database.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <limits>
#include <stdexcept>
#include <thread>
#include <vector>

#include "core/db/db_test_util.h"

namespace pocketid::db {
namespace {

using testing::EngineTest;
using testing::StatusText;

constexpr int64_t k20251125_123902 = 1764074342;

class ConnectionTest : public EngineTest {
 protected:
  // A table with one column per Param kind, typed the way each engine's schema types them.
  void CreateTypesTable() {
    PID_ASSERT_OK(db().Exec(Sql(
        "CREATE TABLE t (k TEXT PRIMARY KEY, i INTEGER, d REAL, b BOOLEAN, s TEXT, sv TEXT, bl BLOB, j BLOB, "
        "ts DATETIME, small INTEGER)",
        "CREATE TABLE t (k text PRIMARY KEY, i bigint, d double precision, b boolean, s text, sv text, bl bytea, "
        "j jsonb, ts timestamptz, small integer)")));
  }
  int64_t Count(std::string_view table) {
    auto rs = db().Query("SELECT count(*) FROM " + std::string(table));
    EXPECT_TRUE(rs.ok()) << StatusText(rs);
    return rs.ok() ? (*rs)[0].Int(0) : -1;
  }
};

TEST_P(ConnectionTest, RoundTripsEveryParamType) {
  CreateTypesTable();
  const std::string binary("\0\x01\xff\x7f bin\n", 9);
  const std::string text = "h\xc3\xa9llo \xe2\x9c\x93 'quoted' \"dq\" $1";
  std::string_view view = "a view";
  auto ins = db().Exec("INSERT INTO t (k, i, d, b, s, sv, bl, j, ts, small) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                       {"row1", std::numeric_limits<int64_t>::max(), 3.25, true, text, view, Blob{binary},
                        Json{R"({"a": [1, 2], "b": "x"})"}, Timestamp{k20251125_123902}, 42});
  ASSERT_TRUE(ins.ok()) << StatusText(ins);
  EXPECT_EQ(*ins, 1);
  PID_ASSERT_OK(db().Exec("INSERT INTO t (k, i, d, b, s, sv, bl, j, ts, small) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                          {std::string("row2"), std::numeric_limits<int64_t>::min(), -0.5, false, "", std::string_view(),
                           Blob{}, Json{"[]"}, Timestamp{-1}, static_cast<unsigned short>(7)}));

  auto rs = db().Query("SELECT k, i, d, b, s, sv, bl, j, ts, small FROM t ORDER BY k");
  ASSERT_TRUE(rs.ok()) << StatusText(rs);
  ASSERT_EQ(rs->size(), 2u);
  Row r = (*rs)[0];
  EXPECT_EQ(r.Text(0), "row1");
  EXPECT_EQ(r.Int(1), std::numeric_limits<int64_t>::max());
  EXPECT_DOUBLE_EQ(r.Double(2), 3.25);
  EXPECT_TRUE(r.Bool(3));
  EXPECT_EQ(r.Int(3), 1);
  EXPECT_EQ(r.Text(4), text);
  EXPECT_EQ(r.Text(5), "a view");
  EXPECT_EQ(r.Text(6), binary);
  EXPECT_EQ(r.Text(7), R"({"a": [1, 2], "b": "x"})");  // written in jsonb's own output form, so both agree
  EXPECT_EQ(r.Time(8).unix_seconds, k20251125_123902);
  EXPECT_EQ(r.Int(9), 42);
  EXPECT_EQ(r.Text(9), "42");

  Row r2 = (*rs)[1];
  EXPECT_EQ(r2.Int(1), std::numeric_limits<int64_t>::min());
  EXPECT_DOUBLE_EQ(r2.Double(2), -0.5);
  EXPECT_FALSE(r2.Bool(3));
  EXPECT_EQ(r2.OptionalBool(3), false);
  EXPECT_FALSE(r2.IsNull(4));  // empty text is not NULL
  EXPECT_EQ(r2.Text(4), "");
  EXPECT_FALSE(r2.IsNull(5));
  EXPECT_FALSE(r2.IsNull(6));  // an empty blob is not NULL either
  EXPECT_EQ(r2.Text(6), "");
  EXPECT_EQ(r2.Text(7), "[]");
  EXPECT_EQ(r2.Time(8).unix_seconds, -1);
  EXPECT_EQ(r2.Int(9), 7);

  // Column metadata, portable kinds.
  const auto& cols = rs->columns();
  ASSERT_EQ(cols.size(), 10u);
  EXPECT_EQ(cols[0].name, "k");
  EXPECT_EQ(cols[3].kind, ColumnKind::kBool);
  EXPECT_EQ(cols[6].kind, ColumnKind::kBlob);
  EXPECT_EQ(cols[7].kind, engine() == Engine::kSqlite ? ColumnKind::kBlob : ColumnKind::kJson);
  EXPECT_EQ(cols[8].kind, ColumnKind::kTimestamp);
  EXPECT_EQ(cols[1].kind, ColumnKind::kInteger);
  EXPECT_EQ(cols[2].kind, ColumnKind::kReal);
  EXPECT_EQ(cols[4].kind, ColumnKind::kText);
}

TEST_P(ConnectionTest, ParametersComparedInWhereClauses) {
  CreateTypesTable();
  PID_ASSERT_OK(db().Exec("INSERT INTO t (k, b, ts, bl) VALUES ($1, $2, $3, $4)",
                          {"x", true, Timestamp{k20251125_123902}, Blob{"\x01\x02"}}));
  auto rs = db().Query("SELECT k FROM t WHERE b = $1 AND ts < $2 AND ts >= $3 AND bl = $4",
                       {true, Timestamp{k20251125_123902 + 1}, Timestamp{k20251125_123902}, Blob{"\x01\x02"}});
  ASSERT_TRUE(rs.ok()) << StatusText(rs);
  ASSERT_EQ(rs->size(), 1u);
  EXPECT_EQ((*rs)[0].Text("k"), "x");
}

TEST_P(ConnectionTest, NullsInAndOut) {
  CreateTypesTable();
  std::optional<int64_t> no_int;
  std::optional<std::string> no_text;
  const char* null_cstr = nullptr;
  PID_ASSERT_OK(db().Exec("INSERT INTO t (k, i, d, b, s, sv, bl, j, ts) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                          {"nulls", no_int, nullptr, std::nullopt, no_text, null_cstr, nullptr, nullptr, Param()}));
  std::optional<int64_t> some_int = 5;
  PID_ASSERT_OK(db().Exec("INSERT INTO t (k, i) VALUES ($1, $2)", {"some", some_int}));

  auto rs = db().Query("SELECT i, d, b, s, sv, bl, j, ts FROM t WHERE k = $1", {"nulls"});
  ASSERT_TRUE(rs.ok()) << StatusText(rs);
  ASSERT_EQ(rs->size(), 1u);
  Row r = (*rs)[0];
  for (int c = 0; c < 8; ++c) {
    EXPECT_TRUE(r.IsNull(c)) << c;
    EXPECT_EQ(r.OptionalText(c), std::nullopt) << c;
    EXPECT_EQ(r.Text(c), "") << c;
    EXPECT_EQ(r.Int(c), 0) << c;
  }
  EXPECT_EQ(r.OptionalInt(0), std::nullopt);
  EXPECT_EQ(r.OptionalBool(2), std::nullopt);
  EXPECT_FALSE(r.Bool(2));
  EXPECT_EQ(r.OptionalTime(7), std::nullopt);
  EXPECT_EQ(r.Time(7).unix_seconds, 0);
  // Out-of-range columns and unknown names read as NULL rather than crashing.
  EXPECT_TRUE(r.IsNull(99));
  EXPECT_TRUE(r.IsNull("no_such_column"));

  auto some = db().Query("SELECT i FROM t WHERE k = $1", {"some"});
  ASSERT_TRUE(some.ok());
  EXPECT_EQ((*some)[0].OptionalInt(0), 5);
  // `= NULL` matches nothing on both engines; IS NULL with a typed context works on both.
  auto none = db().Query("SELECT count(*) FROM t WHERE i = $1", {nullptr});
  ASSERT_TRUE(none.ok()) << StatusText(none);
  EXPECT_EQ((*none)[0].Int(0), 0);
}

TEST_P(ConnectionTest, ReadsTimestampsInEveryStoredForm) {
  CreateTypesTable();
  if (engine() == Engine::kSqlite) {
    // What Pocket ID writes (ints), what the sqlite3 CLI guides write (datetime('now')), and RFC 3339 text.
    PID_ASSERT_OK(db().Exec("INSERT INTO t (k, ts) VALUES ('int', 1764074342)"));
    PID_ASSERT_OK(db().Exec("INSERT INTO t (k, ts) VALUES ('now', datetime('now'))"));
    PID_ASSERT_OK(db().Exec("INSERT INTO t (k, ts) VALUES ('text', '2025-11-25 12:39:02')"));
    PID_ASSERT_OK(db().Exec("INSERT INTO t (k, ts) VALUES ('rfc_frac', '2025-11-25T12:39:02.123456Z')"));
    PID_ASSERT_OK(db().Exec("INSERT INTO t (k, ts) VALUES ('rfc_offset', '2025-11-25T14:39:02+02:00')"));
    PID_ASSERT_OK(db().Exec("INSERT INTO t (k, ts) VALUES ('rfc_both', '2025-11-25T11:09:02.75-01:30')"));
    PID_ASSERT_OK(db().Exec("INSERT INTO t (k, ts) VALUES ('real', 1764074342.9)"));
  } else {
    PID_ASSERT_OK(db().Exec("INSERT INTO t (k, ts) VALUES ('int', to_timestamp(1764074342))"));
    PID_ASSERT_OK(db().Exec("INSERT INTO t (k, ts) VALUES ('now', now())"));
    PID_ASSERT_OK(db().Exec("INSERT INTO t (k, ts) VALUES ('text', '2025-11-25 12:39:02')"));
    PID_ASSERT_OK(db().Exec("INSERT INTO t (k, ts) VALUES ('rfc_frac', '2025-11-25T12:39:02.123456Z')"));
    PID_ASSERT_OK(db().Exec("INSERT INTO t (k, ts) VALUES ('rfc_offset', '2025-11-25T14:39:02+02:00')"));
    PID_ASSERT_OK(db().Exec("INSERT INTO t (k, ts) VALUES ('rfc_both', '2025-11-25T11:09:02.75-01:30')"));
    PID_ASSERT_OK(db().Exec("INSERT INTO t (k, ts) VALUES ('real', to_timestamp(1764074342.9))"));
  }
  auto rs = db().Query("SELECT k, ts FROM t");
  ASSERT_TRUE(rs.ok()) << StatusText(rs);
  ASSERT_EQ(rs->size(), 7u);
  for (Row r : *rs) {
    const std::string k = r.Text("k");
    auto t = r.OptionalTime("ts");
    ASSERT_TRUE(t.has_value()) << k << " = " << r.Text("ts");
    if (k == "now") {
      EXPECT_NEAR(static_cast<double>(t->unix_seconds), static_cast<double>(Now().unix_seconds), 120) << r.Text("ts");
    } else {
      EXPECT_EQ(t->unix_seconds, k20251125_123902) << k << " = " << r.Text("ts");
    }
  }
  if (engine() == Engine::kPostgres) {
    // The session is pinned to UTC, so timestamptz text comes back with a +00 offset.
    auto text = db().Query("SELECT ts FROM t WHERE k = 'text'");
    ASSERT_TRUE(text.ok());
    EXPECT_EQ((*text)[0].Text(0), "2025-11-25 12:39:02+00");
  }
}

TEST_P(ConnectionTest, UniqueViolationIsAlreadyExists) {
  PID_ASSERT_OK(db().Exec("CREATE TABLE u (k TEXT PRIMARY KEY, v TEXT UNIQUE)"));
  PID_ASSERT_OK(db().Exec("INSERT INTO u (k, v) VALUES ($1, $2)", {"a", "one"}));
  auto dup_pk = db().Exec("INSERT INTO u (k, v) VALUES ($1, $2)", {"a", "two"});
  ASSERT_FALSE(dup_pk.ok());
  EXPECT_EQ(dup_pk.status().code(), StatusCode::kAlreadyExists) << StatusText(dup_pk);
  auto dup_unique = db().Exec("INSERT INTO u (k, v) VALUES ($1, $2)", {"b", "one"});
  ASSERT_FALSE(dup_unique.ok());
  EXPECT_EQ(dup_unique.status().code(), StatusCode::kAlreadyExists);
  // The engine's own words are kept.
  EXPECT_NE(dup_unique.status().message().find(engine() == Engine::kSqlite ? "UNIQUE constraint failed"
                                                                           : "duplicate key value"),
            std::string::npos)
      << dup_unique.status().message();
}

TEST_P(ConnectionTest, OtherConstraintViolations) {
  PID_ASSERT_OK(db().Exec("CREATE TABLE parent (id TEXT PRIMARY KEY)"));
  PID_ASSERT_OK(db().Exec(
      "CREATE TABLE child (id TEXT PRIMARY KEY, parent_id TEXT NOT NULL REFERENCES parent (id) ON DELETE CASCADE, "
      "n INTEGER CHECK (n > 0))"));
  auto fk = db().Exec("INSERT INTO child (id, parent_id, n) VALUES ($1, $2, $3)", {"c", "missing", 1});
  ASSERT_FALSE(fk.ok());
  EXPECT_EQ(fk.status().code(), StatusCode::kFailedPrecondition) << StatusText(fk);
  auto not_null = db().Exec("INSERT INTO child (id, parent_id, n) VALUES ($1, $2, $3)", {"c", nullptr, 1});
  ASSERT_FALSE(not_null.ok());
  EXPECT_EQ(not_null.status().code(), StatusCode::kInvalidArgument) << StatusText(not_null);
  PID_ASSERT_OK(db().Exec("INSERT INTO parent (id) VALUES ($1)", {"p"}));
  auto check = db().Exec("INSERT INTO child (id, parent_id, n) VALUES ($1, $2, $3)", {"c", "p", 0});
  ASSERT_FALSE(check.ok());
  EXPECT_EQ(check.status().code(), StatusCode::kInvalidArgument) << StatusText(check);
  // ON DELETE CASCADE works, i.e. foreign keys are enforced on SQLite too.
  PID_ASSERT_OK(db().Exec("INSERT INTO child (id, parent_id, n) VALUES ($1, $2, $3)", {"c", "p", 1}));
  auto deleted = db().Exec("DELETE FROM parent WHERE id = $1", {"p"});
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(*deleted, 1);  // cascades are not counted
  EXPECT_EQ(Count("child"), 0);
}

TEST_P(ConnectionTest, TransactionCommitsOrRollsBack) {
  PID_ASSERT_OK(db().Exec("CREATE TABLE tx (k TEXT PRIMARY KEY)"));
  PID_ASSERT_OK(db().InTransaction([](Connection& c) { return c.Exec("INSERT INTO tx (k) VALUES ('kept')").status(); }));
  EXPECT_EQ(Count("tx"), 1);

  Status failed = db().InTransaction([](Connection& c) -> Status {
    PID_RETURN_IF_ERROR(c.Exec("INSERT INTO tx (k) VALUES ('dropped')").status());
    EXPECT_TRUE(c.InTransaction());
    return NotFoundError("the caller's own error");
  });
  EXPECT_EQ(failed.code(), StatusCode::kNotFound);
  EXPECT_EQ(failed.message(), "the caller's own error");
  EXPECT_EQ(Count("tx"), 1);

  Status thrown = db().InTransaction([](Connection& c) -> Status {
    (void)c.Exec("INSERT INTO tx (k) VALUES ('thrown')");
    throw std::runtime_error("boom");
  });
  EXPECT_EQ(thrown.code(), StatusCode::kInternal);
  EXPECT_NE(thrown.message().find("boom"), std::string::npos);
  EXPECT_EQ(Count("tx"), 1);

  // A failing statement whose error the callback swallows: PostgreSQL has aborted the transaction, and we say so
  // instead of reporting a COMMIT that the server turned into a ROLLBACK.
  Status swallowed = db().InTransaction([](Connection& c) -> Status {
    (void)c.Exec("INSERT INTO tx (k) VALUES ('kept')");  // duplicate
    return Status::Ok();
  });
  if (engine() == Engine::kPostgres) {
    EXPECT_EQ(swallowed.code(), StatusCode::kFailedPrecondition) << swallowed.ToString();
  } else {
    PID_EXPECT_OK(swallowed);
  }

  // Read-only snapshot transactions work on both engines.
  int64_t seen = -1;
  PID_EXPECT_OK(db().InTransaction(
      [&](Connection& c) -> Status {
        PID_ASSIGN_OR_RETURN(ResultSet rs, c.Query("SELECT count(*) FROM tx"));
        seen = rs[0].Int(0);
        return Status::Ok();
      },
      TransactionMode::kReadOnly));
  EXPECT_EQ(seen, 1);
}

TEST_P(ConnectionTest, LeaseReturnsConnectionsClean) {
  PID_ASSERT_OK(db().Exec("CREATE TABLE tx (k TEXT PRIMARY KEY)"));
  {
    auto lease = db().Acquire();
    ASSERT_TRUE(lease.ok()) << StatusText(lease);
    PID_ASSERT_OK((*lease)->ExecScript("BEGIN"));
    PID_ASSERT_OK((*lease)->Exec("INSERT INTO tx (k) VALUES ('abandoned')"));
    EXPECT_TRUE((*lease)->InTransaction());
  }  // returned mid-transaction: rolled back
  EXPECT_EQ(Count("tx"), 0);
  for (int i = 0; i < db().pool_size(); ++i) {
    auto lease = db().Acquire();
    ASSERT_TRUE(lease.ok());
    EXPECT_FALSE((*lease)->InTransaction());
  }
}

TEST_P(ConnectionTest, PoolServesConcurrentThreads) {
  auto small = scratch().Open(/*pool_size=*/3);
  ASSERT_TRUE(small.ok()) << StatusText(small);
  Database& pool = **small;
  PID_ASSERT_OK(pool.Exec("CREATE TABLE counter (id INTEGER PRIMARY KEY, v INTEGER NOT NULL)"));
  PID_ASSERT_OK(pool.Exec("CREATE TABLE log (id INTEGER PRIMARY KEY, thread INTEGER NOT NULL)"));
  PID_ASSERT_OK(pool.Exec("INSERT INTO counter (id, v) VALUES (1, 0)"));

  constexpr int kThreads = 8;
  constexpr int kIterations = 25;
  std::atomic<int> failures{0};
  std::atomic<int> next_id{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kIterations; ++i) {
        Status s = pool.InTransaction([&](Connection& c) -> Status {
          PID_RETURN_IF_ERROR(c.Exec("UPDATE counter SET v = v + 1 WHERE id = 1").status());
          return c.Exec("INSERT INTO log (id, thread) VALUES ($1, $2)", {++next_id, t}).status();
        });
        auto read = pool.Query("SELECT v FROM counter WHERE id = $1", {1});
        if (!s.ok() || !read.ok()) {
          ADD_FAILURE() << s.ToString() << " / " << StatusText(read);
          ++failures;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  auto total = pool.Query("SELECT v FROM counter WHERE id = 1");
  ASSERT_TRUE(total.ok());
  EXPECT_EQ((*total)[0].Int(0), kThreads * kIterations);
  auto logged = pool.Query("SELECT count(*), count(DISTINCT thread) FROM log");
  ASSERT_TRUE(logged.ok());
  EXPECT_EQ((*logged)[0].Int(0), kThreads * kIterations);
  EXPECT_EQ((*logged)[0].Int(1), kThreads);
  EXPECT_LE(pool.open_connections(), 3);
}

TEST_P(ConnectionTest, AcquireTimesOutWhenPoolIsExhausted) {
  auto one = Database::Open({.engine = engine(), .dsn = scratch().dsn(), .pool_size = 1,
                             .acquire_timeout = std::chrono::milliseconds(100)});
  ASSERT_TRUE(one.ok()) << StatusText(one);
  auto held = (*one)->Acquire();
  ASSERT_TRUE(held.ok());
  auto second = (*one)->Acquire();
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kUnavailable);
}

TEST_P(ConnectionTest, CachesPreparedStatements) {
  auto lease = db().Acquire();
  ASSERT_TRUE(lease.ok());
  Connection& c = **lease;
  const size_t before = c.cached_statement_count();
  for (int i = 0; i < 3; ++i) {
    auto rs = c.Query("SELECT $1 + 1", {i});
    ASSERT_TRUE(rs.ok()) << StatusText(rs);
    EXPECT_EQ(rs->operator[](0).Int(0), i + 1);
  }
  EXPECT_EQ(c.cached_statement_count(), before + 1);
}

TEST_P(ConnectionTest, ParametersByNumberInAnyOrder) {
  auto rs = db().Query("SELECT CAST($2 AS TEXT), CAST($1 AS TEXT), CAST($1 AS TEXT) || 'x'", {"one", "two"});
  ASSERT_TRUE(rs.ok()) << StatusText(rs);
  EXPECT_EQ((*rs)[0].Text(0), "two");
  EXPECT_EQ((*rs)[0].Text(1), "one");
  EXPECT_EQ((*rs)[0].Text(2), "onex");
}

TEST_P(ConnectionTest, RejectsMiscountedParametersAndMultipleStatements) {
  auto too_few = db().Query("SELECT CAST($1 AS TEXT), CAST($2 AS TEXT)", {"only one"});
  ASSERT_FALSE(too_few.ok());
  EXPECT_EQ(too_few.status().code(), StatusCode::kInvalidArgument) << StatusText(too_few);
  auto too_many = db().Query("SELECT CAST($1 AS TEXT)", {"a", "b"});
  ASSERT_FALSE(too_many.ok());
  EXPECT_EQ(too_many.status().code(), StatusCode::kInvalidArgument) << StatusText(too_many);
  EXPECT_FALSE(db().Query("SELECT 1; SELECT 2").ok());
  auto syntax = db().Query("SELEC 1");
  ASSERT_FALSE(syntax.ok());
  EXPECT_EQ(syntax.status().code(), StatusCode::kInternal);
  // The connection is still usable after errors.
  PID_EXPECT_OK(db().Ping());
}

TEST_P(ConnectionTest, ExecScriptAndRowsAffected) {
  auto lease = db().Acquire();
  ASSERT_TRUE(lease.ok());
  Connection& c = **lease;
  PID_ASSERT_OK(c.ExecScript(
      "CREATE TABLE r (id INTEGER PRIMARY KEY, name TEXT NOT NULL);"
      "INSERT INTO r (id, name) VALUES (1, 'a');"
      "INSERT INTO r (id, name) VALUES (2, 'b');"
      "INSERT INTO r (id, name) VALUES (3, 'c');"));
  auto updated = c.Exec("UPDATE r SET name = name || '!' WHERE id >= $1", {2});
  ASSERT_TRUE(updated.ok()) << StatusText(updated);
  EXPECT_EQ(*updated, 2);
  auto selected = c.Query("SELECT id, name FROM r ORDER BY id");
  ASSERT_TRUE(selected.ok());
  EXPECT_EQ(selected->rows_affected(), 0);
  EXPECT_EQ(selected->size(), 3u);
  std::vector<std::string> names;
  for (Row row : *selected) names.push_back(row.Text("name"));
  EXPECT_EQ(names, (std::vector<std::string>{"a", "b!", "c!"}));
  auto returning = c.Query("INSERT INTO r (id, name) VALUES ($1, $2) RETURNING id, name", {4, "d"});
  ASSERT_TRUE(returning.ok()) << StatusText(returning);
  EXPECT_EQ(returning->rows_affected(), 1);
  EXPECT_EQ((*returning)[0].Int("id"), 4);
  auto ddl = c.Exec("CREATE INDEX idx_r_name ON r (name)");
  ASSERT_TRUE(ddl.ok());
  EXPECT_EQ(*ddl, 0);
  auto bad_script = c.ExecScript("INSERT INTO r (id, name) VALUES (5, 'e'); INSERT INTO r (id, name) VALUES (1, 'dup');");
  EXPECT_EQ(bad_script.code(), StatusCode::kAlreadyExists);
}

TEST_P(ConnectionTest, PingAndEngine) {
  PID_EXPECT_OK(db().Ping());
  EXPECT_EQ(db().engine(), engine());
  auto lease = db().Acquire();
  ASSERT_TRUE(lease.ok());
  EXPECT_EQ((*lease)->engine(), engine());
  EXPECT_EQ(EngineName(engine()), engine() == Engine::kSqlite ? "sqlite" : "postgres");
}

PID_INSTANTIATE_ENGINE_TEST_SUITE(ConnectionTest);

// --- SQLite specifics ---

TEST(SqliteTest, CreatesParentDirectoryAndConfiguresSession) {
  auto scratch = testing::ScratchDatabase::Create(Engine::kSqlite);
  ASSERT_TRUE(scratch.ok());
  const std::string path = (*scratch)->dir() + "/nested/data/pocket-id.db";
  auto db = Database::Open({.engine = Engine::kSqlite, .dsn = path});
  ASSERT_TRUE(db.ok()) << StatusText(db);
  EXPECT_TRUE(std::filesystem::exists(path));
  EXPECT_EQ((*db)->sqlite_file_path(), path);
  auto check = [&](std::string_view pragma, std::string_view expected) {
    auto rs = (*db)->Query("PRAGMA " + std::string(pragma));
    ASSERT_TRUE(rs.ok()) << StatusText(rs);
    EXPECT_EQ((*rs)[0].Text(0), expected) << pragma;
  };
  check("journal_mode", "wal");
  check("foreign_keys", "1");
  check("synchronous", "1");  // NORMAL
  check("busy_timeout", "5000");
}

TEST(SqliteTest, AcceptsGoDriverFileUris) {
  auto scratch = testing::ScratchDatabase::Create(Engine::kSqlite);
  ASSERT_TRUE(scratch.ok());
  const std::string dsn = "file:" + (*scratch)->dir() +
                          "/pocket-id.db?_pragma=busy_timeout(1234)&_pragma=journal_mode(WAL)&_txlock=immediate"
                          "&_inttotime=1&_texttotime=1&_time_format=sqlite&mode=rwc&cache=private";
  auto db = Database::Open({.engine = Engine::kSqlite, .dsn = dsn});
  ASSERT_TRUE(db.ok()) << StatusText(db);
  auto rs = (*db)->Query("PRAGMA busy_timeout");
  ASSERT_TRUE(rs.ok());
  EXPECT_EQ((*rs)[0].Int(0), 1234);
  PID_EXPECT_OK((*db)->InTransaction([](Connection& c) { return c.Exec("CREATE TABLE x (a)").status(); }));
}

TEST(SqliteTest, InMemoryDatabaseKeepsOneConnection) {
  auto db = Database::Open({.engine = Engine::kSqlite, .dsn = ":memory:", .pool_size = 8});
  ASSERT_TRUE(db.ok()) << StatusText(db);
  EXPECT_EQ((*db)->pool_size(), 1);
  PID_ASSERT_OK((*db)->Exec("CREATE TABLE m (a INTEGER)"));
  PID_ASSERT_OK((*db)->Exec("INSERT INTO m (a) VALUES ($1)", {1}));
  auto rs = (*db)->Query("SELECT count(*) FROM m");
  ASSERT_TRUE(rs.ok()) << StatusText(rs);
  EXPECT_EQ((*rs)[0].Int(0), 1);
}

TEST(SqliteTest, StoresValuesWithPocketIdStorageClasses) {
  auto db = Database::Open({.engine = Engine::kSqlite, .dsn = ":memory:"});
  ASSERT_TRUE(db.ok());
  PID_ASSERT_OK((*db)->Exec("CREATE TABLE s (b BOOLEAN, ts DATETIME, j BLOB, bl BLOB, t TEXT)"));
  PID_ASSERT_OK((*db)->Exec("INSERT INTO s VALUES ($1, $2, $3, $4, $5)",
                            {true, Timestamp{k20251125_123902}, Json{"[]"}, Blob{"x"}, "t"}));
  auto rs = (*db)->Query("SELECT typeof(b), typeof(ts), typeof(j), typeof(bl), typeof(t), b, ts FROM s");
  ASSERT_TRUE(rs.ok());
  Row r = (*rs)[0];
  EXPECT_EQ(r.Text(0), "integer");  // BOOLEAN = 0/1
  EXPECT_EQ(r.Text(1), "integer");  // DATETIME = unix seconds
  EXPECT_EQ(r.Text(2), "blob");     // JSON columns are BLOBs of JSON text
  EXPECT_EQ(r.Text(3), "blob");
  EXPECT_EQ(r.Text(4), "text");
  EXPECT_EQ(r.Int(5), 1);
  EXPECT_EQ(r.Int(6), k20251125_123902);
}

TEST(SqliteTest, UnopenableFileIsUnavailable) {
  auto db = Database::Open({.engine = Engine::kSqlite, .dsn = "file:/proc/definitely/not/here.db?mode=rw"});
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), StatusCode::kUnavailable) << db.status().ToString();
}

TEST(SqliteTest, NotADatabaseIsDataLoss) {
  auto scratch = testing::ScratchDatabase::Create(Engine::kSqlite);
  ASSERT_TRUE(scratch.ok());
  const std::string path = (*scratch)->dir() + "/garbage.db";
  FILE* f = std::fopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  std::fputs("this is not an SQLite database, just some text that is long enough to have a header.....", f);
  std::fclose(f);
  auto db = Database::Open({.engine = Engine::kSqlite, .dsn = path});
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), StatusCode::kDataLoss) << db.status().ToString();
}

// --- PostgreSQL specifics ---

TEST(PostgresTest, UnreachableServerIsUnavailable) {
  auto db = Database::Open({.engine = Engine::kPostgres,
                            .dsn = "postgres://postgres@127.0.0.1:1/postgres?sslmode=disable&connect_timeout=2"});
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(db.status().message().find("postgres"), std::string::npos) << db.status().ToString();
}

TEST(PostgresTest, SessionIsUtcAndIso) {
  if (!testing::PostgresAdminUrl()) GTEST_SKIP() << testing::kPostgresSkipMessage;
  auto db = Database::Open({.engine = Engine::kPostgres, .dsn = *testing::PostgresAdminUrl()});
  ASSERT_TRUE(db.ok()) << StatusText(db);
  auto rs = (*db)->Query("SELECT current_setting('TimeZone'), current_setting('DateStyle'), $1::timestamptz",
                         {Timestamp{k20251125_123902}});
  ASSERT_TRUE(rs.ok()) << StatusText(rs);
  EXPECT_EQ((*rs)[0].Text(0), "UTC");
  EXPECT_EQ((*rs)[0].Text(1), "ISO, YMD");
  EXPECT_EQ((*rs)[0].Text(2), "2025-11-25 12:39:02+00");
  EXPECT_EQ((*rs)[0].Time(2).unix_seconds, k20251125_123902);
}

TEST(PostgresTest, BrokenConnectionIsReplaced) {
  if (!testing::PostgresAdminUrl()) GTEST_SKIP() << testing::kPostgresSkipMessage;
  auto scratch = testing::ScratchDatabase::Create(Engine::kPostgres);
  ASSERT_TRUE(scratch.ok()) << StatusText(scratch);
  auto db = (*scratch)->Open(/*pool_size=*/2);
  ASSERT_TRUE(db.ok()) << StatusText(db);
  auto pid = (*db)->Query("SELECT pg_backend_pid()");
  ASSERT_TRUE(pid.ok());
  const int64_t backend = (*pid)[0].Int(0);

  auto admin = Database::Open({.engine = Engine::kPostgres, .dsn = *testing::PostgresAdminUrl(), .pool_size = 1});
  ASSERT_TRUE(admin.ok());
  auto killed = (*admin)->Query("SELECT pg_terminate_backend(CAST($1 AS integer))", {backend});
  ASSERT_TRUE(killed.ok()) << StatusText(killed);
  ASSERT_TRUE((*killed)[0].Bool(0));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // let the backend exit and close the socket

  // The idle connection is found dead when leased and replaced by a fresh one.
  auto again = (*db)->Query("SELECT pg_backend_pid()");
  ASSERT_TRUE(again.ok()) << StatusText(again);
  EXPECT_NE((*again)[0].Int(0), backend);

  // A connection that dies while leased reports kUnavailable, and the pool drops it.
  {
    auto lease = (*db)->Acquire();
    ASSERT_TRUE(lease.ok());
    auto own = (*lease)->Query("SELECT pg_backend_pid()");
    ASSERT_TRUE(own.ok());
    ASSERT_TRUE((*admin)->Query("SELECT pg_terminate_backend(CAST($1 AS integer))", {(*own)[0].Int(0)}).ok());
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    auto dead = (*lease)->Query("SELECT 1");
    ASSERT_FALSE(dead.ok());
    EXPECT_EQ(dead.status().code(), StatusCode::kUnavailable) << StatusText(dead);
    EXPECT_TRUE((*lease)->Broken());
  }
  PID_EXPECT_OK((*db)->Ping());
}

TEST(PostgresTest, RejectsNulInTextParameters) {
  if (!testing::PostgresAdminUrl()) GTEST_SKIP() << testing::kPostgresSkipMessage;
  auto db = Database::Open({.engine = Engine::kPostgres, .dsn = *testing::PostgresAdminUrl(), .pool_size = 1});
  ASSERT_TRUE(db.ok());
  auto rs = (*db)->Query("SELECT CAST($1 AS TEXT)", {std::string("a\0b", 3)});
  ASSERT_FALSE(rs.ok());
  EXPECT_EQ(rs.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace pocketid::db
