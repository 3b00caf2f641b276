// Migration tests on both engines, the cross-engine schema parity check, and the sqlite3-CLI seed from the guides.
#include "core/db/migrate.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "core/db/db_test_util.h"

namespace pocketid::db {
namespace {

using testing::EngineTest;
using testing::StatusText;

constexpr int64_t kOurFirstVersion = 20261123000000;

std::set<std::string> TableNames(Database& db) {
  const char* sql = db.engine() == Engine::kSqlite
                        ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                        : "SELECT table_name FROM information_schema.tables "
                          "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'";
  std::set<std::string> out;
  auto rs = db.Query(sql);
  EXPECT_TRUE(rs.ok()) << StatusText(rs);
  if (rs.ok()) {
    for (Row r : *rs) out.insert(r.Text(0));
  }
  return out;
}

std::set<std::string> ColumnNames(Database& db, const std::string& table) {
  const char* sql = db.engine() == Engine::kSqlite
                        ? "SELECT name FROM pragma_table_info($1)"
                        : "SELECT column_name FROM information_schema.columns "
                          "WHERE table_schema = current_schema() AND table_name = $1";
  std::set<std::string> out;
  auto rs = db.Query(sql, {table});
  EXPECT_TRUE(rs.ok()) << StatusText(rs);
  if (rs.ok()) {
    for (Row r : *rs) out.insert(r.Text(0));
  }
  return out;
}

class MigrateTest : public EngineTest {
 protected:
  SchemaVersion Version() {
    auto lease = db().Acquire();
    EXPECT_TRUE(lease.ok());
    if (!lease.ok()) return {};
    auto v = ReadSchemaVersion(**lease);
    EXPECT_TRUE(v.ok()) << StatusText(v);
    return v.ok() ? *v : SchemaVersion{};
  }
  // Stamps an otherwise empty database the way golang-migrate would have.
  void StampVersion(int64_t version, bool dirty) {
    PID_ASSERT_OK(db().Exec(Sql("CREATE TABLE schema_migrations (version uint64,dirty bool)",
                                "CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL)")));
    PID_ASSERT_OK(db().Exec("INSERT INTO schema_migrations (version, dirty) VALUES ($1, $2)", {version, dirty}));
  }
  // A valid UUID on both engines (users.id is uuid on PostgreSQL).
  static std::string Uuid(int n) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "00000000-0000-4000-8000-%012d", n);
    return buf;
  }
  Status InsertUser(const std::string& id, const std::string& username) {
    return db()
        .Exec("INSERT INTO users (id, created_at, username, first_name, last_name, display_name) "
              "VALUES ($1, $2, $3, $4, $5, $6)",
              {id, Now(), username, "First", "Last", "First Last"})
        .status();
  }
};

TEST_P(MigrateTest, EmptyDatabaseToLatest) {
  EXPECT_FALSE(Version().present);
  PID_ASSERT_OK(Migrate(db(), /*allow_downgrade=*/false));
  SchemaVersion v = Version();
  EXPECT_TRUE(v.present);
  EXPECT_EQ(v.version, LatestSchemaVersion());
  EXPECT_FALSE(v.dirty);
  std::set<std::string> tables = TableNames(db());
  for (const char* t : {"users", "user_groups", "user_groups_users", "oidc_clients", "webauthn_credentials",
                        "audit_logs", "api_keys", "custom_claims", "kv", "storage", "oauth2_sessions", "apis",
                        "app_config", "login_codes", "signup_invitations", "signup_invitations_user_groups",
                        "email_verification_codes", "device_login_requests", "rate_limit_buckets", "scheduled_jobs",
                        "schema_migrations"}) {
    EXPECT_TRUE(tables.count(t)) << t;
  }
  for (const char* dropped : {"app_config_variables", "signup_tokens", "one_time_access_tokens",
                              "email_verification_tokens", "oidc_authorization_codes", "oidc_refresh_tokens"}) {
    EXPECT_FALSE(tables.count(dropped)) << dropped;
  }
  EXPECT_EQ(tables.size(), 32u);  // 22 Pocket ID tables + schema_migrations + 9 of ours
}

TEST_P(MigrateTest, SecondRunChangesNothing) {
  PID_ASSERT_OK(Migrate(db(), false));
  PID_ASSERT_OK(db().Exec("INSERT INTO kv (key, value) VALUES ($1, $2)", {"instance_id", "abc"}));
  PID_ASSERT_OK(Migrate(db(), false));
  EXPECT_EQ(Version().version, LatestSchemaVersion());
  auto rows = db().Query("SELECT count(*) FROM schema_migrations");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ((*rows)[0].Int(0), 1);
  auto kv = db().Query("SELECT value FROM kv WHERE key = $1", {"instance_id"});
  ASSERT_TRUE(kv.ok());
  EXPECT_EQ((*kv)[0].Text(0), "abc");
}

TEST_P(MigrateTest, DirtyDatabaseIsRefused) {
  PID_ASSERT_OK(Migrate(db(), false));
  PID_ASSERT_OK(db().Exec("UPDATE schema_migrations SET dirty = $1", {true}));
  Status s = Migrate(db(), false);
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(s.message().find("dirty"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find(std::to_string(LatestSchemaVersion())), std::string::npos) << s.message();
  EXPECT_EQ(Migrate(db(), /*allow_downgrade=*/true).code(), StatusCode::kFailedPrecondition);
}

TEST_P(MigrateTest, NewerVersionNeedsAllowDowngrade) {
  StampVersion(20991231000000, false);
  Status s = Migrate(db(), false);
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(s.message().find("20991231000000"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("ALLOW_DOWNGRADE"), std::string::npos) << s.message();
  PID_EXPECT_OK(Migrate(db(), /*allow_downgrade=*/true));
  EXPECT_EQ(Version().version, 20991231000000);  // left as it was
  EXPECT_FALSE(TableNames(db()).count("users"));
}

TEST_P(MigrateTest, OlderPocketIdDatabaseMustBeUpgradedFirst) {
  StampVersion(20250101000000, false);  // a Pocket ID v1.x-era schema
  Status s = Migrate(db(), false);
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(s.message().find("Pocket ID v2.14"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("20250101000000"), std::string::npos) << s.message();
}

TEST_P(MigrateTest, UnknownIntermediateVersionIsRefused) {
  StampVersion(20260901000000, false);  // between Pocket ID v2.14's and ours: a newer Pocket ID
  Status s = Migrate(db(), false);
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(s.message().find("unknown"), std::string::npos) << s.message();
}

TEST_P(MigrateTest, PocketIdV214DatabaseIsContinued) {
  // A database as Pocket ID v2.14 leaves it: its final schema at version 20260814120000, with data.
  PID_ASSERT_OK(MigrateTo(db(), kPocketIdV214SchemaVersion));
  EXPECT_EQ(Version().version, kPocketIdV214SchemaVersion);
  EXPECT_FALSE(TableNames(db()).count("app_config"));
  PID_ASSERT_OK(InsertUser(Uuid(1), "alice"));

  PID_ASSERT_OK(Migrate(db(), false));
  EXPECT_EQ(Version().version, LatestSchemaVersion());
  EXPECT_TRUE(TableNames(db()).count("app_config"));
  auto users = db().Query("SELECT username FROM users");
  ASSERT_TRUE(users.ok());
  ASSERT_EQ(users->size(), 1u);
  EXPECT_EQ((*users)[0].Text(0), "alice");
}

TEST_P(MigrateTest, MigrateToRejectsUnknownTargets) {
  EXPECT_EQ(MigrateTo(db(), 20250101000000).code(), StatusCode::kInvalidArgument);
  PID_ASSERT_OK(Migrate(db(), false));
  EXPECT_EQ(MigrateTo(db(), kPocketIdV214SchemaVersion).code(), StatusCode::kFailedPrecondition);
}

TEST_P(MigrateTest, FailedStepLeavesNoTrace) {
  // A table in the way makes the first step fail; its transaction must leave nothing behind.
  PID_ASSERT_OK(db().Exec("CREATE TABLE apis (id TEXT)"));
  Status s = Migrate(db(), false);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("20260814120000_init"), std::string::npos) << s.message();
  EXPECT_FALSE(Version().present);
  std::set<std::string> tables = TableNames(db());
  EXPECT_FALSE(tables.count("users"));
  EXPECT_TRUE(tables.count("apis"));
}

TEST_P(MigrateTest, ReplicasMigratingAtOnceApplyEachStepOnce) {
  auto other = scratch().Open();
  ASSERT_TRUE(other.ok()) << StatusText(other);
  Status a, b;
  std::thread t1([&] { a = Migrate(db(), false); });
  std::thread t2([&] { b = Migrate(**other, false); });
  t1.join();
  t2.join();
  PID_EXPECT_OK(a);
  PID_EXPECT_OK(b);
  EXPECT_EQ(Version().version, LatestSchemaVersion());
}

TEST_P(MigrateTest, UsernamesAreUniqueIgnoringCase) {
  PID_ASSERT_OK(Migrate(db(), false));
  PID_ASSERT_OK(InsertUser(Uuid(1), "pocketid-admin"));
  Status dup = InsertUser(Uuid(2), "PocketID-Admin");
  EXPECT_EQ(dup.code(), StatusCode::kAlreadyExists) << dup.ToString();
  // The CLI's lookup (`username = ? OR email = ?`) finds the user whatever the case.
  auto found = db().Query("SELECT id FROM users WHERE username = $1 OR email = $1", {"POCKETID-ADMIN"});
  ASSERT_TRUE(found.ok()) << StatusText(found);
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ((*found)[0].Text(0), Uuid(1));
}

TEST_P(MigrateTest, StateTablesCascadeWithTheirUser) {
  PID_ASSERT_OK(Migrate(db(), false));
  const std::string user = Uuid(7);
  PID_ASSERT_OK(InsertUser(user, "bob"));
  const Timestamp later{Now().unix_seconds + 3600};
  PID_ASSERT_OK(db().Exec(
      "INSERT INTO login_codes (token_hash, user_id, device_token_hash, expires_at, created_at) VALUES ($1, $2, $3, $4, $5)",
      {"h1", user, nullptr, later, Now()}));
  PID_ASSERT_OK(db().Exec(
      "INSERT INTO email_verification_codes (user_id, token_hash, expires_at, created_at) VALUES ($1, $2, $3, $4)",
      {user, "h2", later, Now()}));
  PID_ASSERT_OK(db().Exec(
      "INSERT INTO device_login_requests (id, code_hash, user_id, expires_at, created_at) VALUES ($1, $2, $3, $4, $5)",
      {Uuid(8), "h3", user, later, Now()}));
  auto status = db().Query("SELECT status, approved_at FROM device_login_requests");
  ASSERT_TRUE(status.ok());
  EXPECT_EQ((*status)[0].Text(0), "pending");
  EXPECT_TRUE((*status)[0].IsNull(1));
  auto bad_status = db().Exec("UPDATE device_login_requests SET status = $1", {"maybe"});
  EXPECT_EQ(bad_status.status().code(), StatusCode::kInvalidArgument);

  PID_ASSERT_OK(db().Exec("DELETE FROM users WHERE id = $1", {user}));
  for (const char* t : {"login_codes", "email_verification_codes", "device_login_requests"}) {
    auto rs = db().Query("SELECT count(*) FROM " + std::string(t));
    ASSERT_TRUE(rs.ok());
    EXPECT_EQ((*rs)[0].Int(0), 0) << t;
  }
  // Upserts on the rate-limit and job tables, with a REAL/double token count.
  for (double tokens : {9.5, 8.25}) {
    PID_ASSERT_OK(db().Exec(
        "INSERT INTO rate_limit_buckets (policy, client_key, tokens, updated_at) VALUES ($1, $2, $3, $4) "
        "ON CONFLICT (policy, client_key) DO UPDATE SET tokens = excluded.tokens, updated_at = excluded.updated_at",
        {"login", "203.0.113.9", tokens, Now()}));
  }
  auto bucket = db().Query("SELECT tokens FROM rate_limit_buckets");
  ASSERT_TRUE(bucket.ok());
  ASSERT_EQ(bucket->size(), 1u);
  EXPECT_DOUBLE_EQ((*bucket)[0].Double(0), 8.25);
}

TEST_P(MigrateTest, PocketIdColumnsReportTheirKinds) {
  PID_ASSERT_OK(Migrate(db(), false));
  PID_ASSERT_OK(InsertUser(Uuid(3), "carol"));
  auto rs = db().Query("SELECT created_at, is_admin, username, updated_at FROM users");
  ASSERT_TRUE(rs.ok()) << StatusText(rs);
  EXPECT_EQ(rs->columns()[0].kind, ColumnKind::kTimestamp);
  EXPECT_EQ(rs->columns()[1].kind, ColumnKind::kBool);
  EXPECT_EQ(rs->columns()[2].kind, ColumnKind::kText);
  EXPECT_FALSE((*rs)[0].Bool(1));
  EXPECT_NEAR(static_cast<double>((*rs)[0].Time(0).unix_seconds), static_cast<double>(Now().unix_seconds), 120);
  EXPECT_TRUE((*rs)[0].IsNull(3));
}

PID_INSTANTIATE_ENGINE_TEST_SUITE(MigrateTest);

TEST(EmbeddedMigrationsTest, BothEnginesHaveTheSameVersions) {
  auto sqlite = Migrations(Engine::kSqlite);
  auto postgres = Migrations(Engine::kPostgres);
  ASSERT_EQ(sqlite.size(), 4u);
  ASSERT_EQ(postgres.size(), sqlite.size());
  for (size_t i = 0; i < sqlite.size(); ++i) {
    EXPECT_EQ(sqlite[i].version, postgres[i].version);
    EXPECT_EQ(sqlite[i].name, postgres[i].name);
    EXPECT_FALSE(sqlite[i].sql.empty());
  }
  EXPECT_EQ(sqlite[0].version, kPocketIdV214SchemaVersion);
  EXPECT_EQ(sqlite[0].name, "init");
  EXPECT_EQ(sqlite[1].version, kOurFirstVersion);
  EXPECT_EQ(sqlite[1].name, "plain_state_tables");
  EXPECT_EQ(sqlite[2].version, 20261123000100);
  EXPECT_EQ(sqlite[2].name, "passkey_usage");
  EXPECT_EQ(sqlite[3].version, 20261123000200);
  EXPECT_EQ(sqlite[3].name, "device_login_token");
  EXPECT_EQ(LatestSchemaVersion(), 20261123000200);
  EXPECT_NE(sqlite[0].sql.find("username       TEXT COLLATE NOCASE"), std::string_view::npos);
  EXPECT_NE(postgres[0].sql.find("CREATE EXTENSION IF NOT EXISTS citext"), std::string_view::npos);
}

// Both engines end up with the same tables and, per table, the same column names.
TEST(SchemaParityTest, SqliteAndPostgresMatch) {
  if (!testing::PostgresAdminUrl()) GTEST_SKIP() << testing::kPostgresSkipMessage;
  auto sqlite_scratch = testing::ScratchDatabase::Create(Engine::kSqlite);
  auto pg_scratch = testing::ScratchDatabase::Create(Engine::kPostgres);
  ASSERT_TRUE(sqlite_scratch.ok() && pg_scratch.ok()) << StatusText(pg_scratch);
  auto sqlite = (*sqlite_scratch)->Open();
  auto pg = (*pg_scratch)->Open();
  ASSERT_TRUE(sqlite.ok() && pg.ok()) << StatusText(pg);
  PID_ASSERT_OK(Migrate(**sqlite, false));
  PID_ASSERT_OK(Migrate(**pg, false));

  std::set<std::string> sqlite_tables = TableNames(**sqlite);
  std::set<std::string> pg_tables = TableNames(**pg);
  EXPECT_EQ(sqlite_tables, pg_tables);
  for (const std::string& table : sqlite_tables) {
    if (table == "schema_migrations") continue;  // golang-migrate's bookkeeping, defined per engine
    EXPECT_EQ(ColumnNames(**sqlite, table), ColumnNames(**pg, table)) << table;
    EXPECT_FALSE(ColumnNames(**sqlite, table).empty()) << table;
  }
}

// The getting-started guides insert the first admin with the sqlite3 CLI, then use the server.
TEST(SqliteCliSeedTest, GuideInsertReadsBackCorrectly) {
  if (std::system("command -v sqlite3 >/dev/null 2>&1") != 0) GTEST_SKIP() << "the sqlite3 CLI is not installed";
  auto scratch = testing::ScratchDatabase::Create(Engine::kSqlite);
  ASSERT_TRUE(scratch.ok());
  const std::string path = (*scratch)->dsn();
  {
    auto db = (*scratch)->Open();
    ASSERT_TRUE(db.ok()) << StatusText(db);
    PID_ASSERT_OK(Migrate(**db, false));
  }

  auto run_cli = [&](const std::string& sql) {
    const std::string sql_file = (*scratch)->dir() + "/seed.sql";
    std::ofstream(sql_file) << sql << "\n";
    const std::string cmd = "sqlite3 '" + path + "' < '" + sql_file + "' 2>/dev/null";
    return std::system(cmd.c_str());
  };
  ASSERT_EQ(run_cli("INSERT INTO users (id, created_at, updated_at, username, email, first_name, last_name, "
                    "display_name, is_admin, email_verified) VALUES ('admin-uuid-001', datetime('now'), "
                    "datetime('now'), 'pocketid-admin', 'admin@example.com', 'Pocket ID', 'Admin', 'Admin', 1, 1);"),
            0);

  auto db = (*scratch)->Open();
  ASSERT_TRUE(db.ok()) << StatusText(db);
  auto rs = (*db)->Query(
      "SELECT username, email, first_name, last_name, display_name, is_admin, email_verified, disabled, "
      "created_at, updated_at, ldap_id FROM users WHERE id = $1",
      {"admin-uuid-001"});
  ASSERT_TRUE(rs.ok()) << StatusText(rs);
  ASSERT_EQ(rs->size(), 1u);
  Row r = (*rs)[0];
  EXPECT_EQ(r.Text("username"), "pocketid-admin");
  EXPECT_EQ(r.Text("email"), "admin@example.com");
  EXPECT_EQ(r.Text("first_name"), "Pocket ID");
  EXPECT_EQ(r.Text("last_name"), "Admin");
  EXPECT_EQ(r.Text("display_name"), "Admin");
  EXPECT_TRUE(r.Bool("is_admin"));
  EXPECT_TRUE(r.Bool("email_verified"));
  EXPECT_FALSE(r.Bool("disabled"));  // the column default
  EXPECT_TRUE(r.IsNull("ldap_id"));
  auto created = r.OptionalTime("created_at");
  ASSERT_TRUE(created.has_value()) << r.Text("created_at");
  EXPECT_NEAR(static_cast<double>(created->unix_seconds), static_cast<double>(Now().unix_seconds), 120);
  EXPECT_EQ(r.Time("updated_at"), *created);

  // `pocket-id one-time-access-token pocketid-admin` looks the user up case-insensitively.
  auto found = (*db)->Query("SELECT id FROM users WHERE username = $1 OR email = $1", {"PocketID-Admin"});
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->size(), 1u);

  // COLLATE NOCASE: the same name in another case is a duplicate, through our connection and through the CLI.
  auto dup = (*db)->Exec(
      "INSERT INTO users (id, created_at, username, first_name, last_name, display_name) VALUES ($1, $2, $3, '', '', '')",
      {"admin-uuid-002", Now(), "PocketID-Admin"});
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.status().code(), StatusCode::kAlreadyExists) << StatusText(dup);
  EXPECT_NE(run_cli("INSERT INTO users (id, created_at, username, first_name, last_name, display_name) VALUES "
                    "('admin-uuid-003', datetime('now'), 'PocketID-Admin', '', '', '');"),
            0);
  auto count = (*db)->Query("SELECT count(*) FROM users");
  ASSERT_TRUE(count.ok());
  EXPECT_EQ((*count)[0].Int(0), 1);
}

}  // namespace
}  // namespace pocketid::db
