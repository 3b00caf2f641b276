// Test support for pid_db: scratch databases on both engines and an engine-parameterised fixture.
//
// PostgreSQL isolation: every test gets its own database, `pid_test_<pid>_<n>_<random>`, created through the admin
// URL in PID_TEST_POSTGRES_URL (e.g. from scripts/pg-test-cluster.sh) and dropped WITH (FORCE) when the test ends.
// Tests therefore never see each other's tables, and ctest may run them in parallel. When PID_TEST_POSTGRES_URL is
// unset, PostgreSQL instances are skipped with GTEST_SKIP.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "core/db/database.h"

namespace pocketid::db {
// Lets GoogleTest print "sqlite"/"postgres" in test names and messages instead of raw bytes.
inline void PrintTo(Engine engine, std::ostream* os) { *os << EngineName(engine); }
}  // namespace pocketid::db

namespace pocketid::db::testing {

inline constexpr const char* kPostgresUrlEnv = "PID_TEST_POSTGRES_URL";
inline constexpr const char* kPostgresSkipMessage =
    "PID_TEST_POSTGRES_URL is not set, so the PostgreSQL variant is skipped "
    "(export PID_TEST_POSTGRES_URL=$(scripts/pg-test-cluster.sh start /tmp/pid-pg) to run it)";

std::optional<std::string> PostgresAdminUrl();

// `url` (URI or key=value) with its database replaced by `dbname`, as a key=value conninfo string.
StatusOr<std::string> WithDatabaseName(const std::string& url, const std::string& dbname);

// One throwaway database: a temp directory with pocket-id.db (SQLite) or a fresh PostgreSQL database.
class ScratchDatabase {
 public:
  static StatusOr<std::unique_ptr<ScratchDatabase>> Create(Engine engine);
  ~ScratchDatabase();
  ScratchDatabase(const ScratchDatabase&) = delete;
  ScratchDatabase& operator=(const ScratchDatabase&) = delete;

  Engine engine() const { return engine_; }
  const std::string& dsn() const { return dsn_; }
  // SQLite: the temp directory that holds the database file.
  const std::string& dir() const { return dir_; }
  StatusOr<std::unique_ptr<Database>> Open(int pool_size = 4) const;

 private:
  ScratchDatabase(Engine engine) : engine_(engine) {}
  Engine engine_;
  std::string dsn_;
  std::string dir_;
  std::string pg_name_;
};

// Runs a test once per engine. SetUp creates a scratch database and opens `db()` on it (not migrated).
class EngineTest : public ::testing::TestWithParam<Engine> {
 protected:
  void SetUp() override;
  void TearDown() override;

  Engine engine() const { return GetParam(); }
  Database& db() { return *db_; }
  ScratchDatabase& scratch() { return *scratch_; }
  std::string_view Sql(std::string_view sqlite, std::string_view postgres) const {
    return engine() == Engine::kSqlite ? sqlite : postgres;
  }

  std::unique_ptr<ScratchDatabase> scratch_;
  std::unique_ptr<Database> db_;
};

std::string EngineParamName(const ::testing::TestParamInfo<Engine>& info);

#define PID_INSTANTIATE_ENGINE_TEST_SUITE(suite)                                                                  \
  INSTANTIATE_TEST_SUITE_P(Engines, suite,                                                                        \
                           ::testing::Values(::pocketid::db::Engine::kSqlite, ::pocketid::db::Engine::kPostgres), \
                           ::pocketid::db::testing::EngineParamName)

// Fails the test with the status' message when it is not OK.
#define PID_ASSERT_OK(expr)                                  \
  do {                                                       \
    const auto& pid_assert_ok_tmp_ = (expr);                 \
    ASSERT_TRUE(pid_assert_ok_tmp_.ok()) << StatusText(pid_assert_ok_tmp_); \
  } while (0)
#define PID_EXPECT_OK(expr)                                  \
  do {                                                       \
    const auto& pid_expect_ok_tmp_ = (expr);                 \
    EXPECT_TRUE(pid_expect_ok_tmp_.ok()) << StatusText(pid_expect_ok_tmp_); \
  } while (0)

inline std::string StatusText(const Status& s) { return s.ToString(); }
template <typename T>
std::string StatusText(const StatusOr<T>& s) {
  return s.status().ToString();
}

}  // namespace pocketid::db::testing
