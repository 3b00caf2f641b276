#include "core/db/dsn.h"

#include <gtest/gtest.h>

namespace pocketid::db {
namespace {

SqliteDsn MustParse(std::string_view dsn) {
  StatusOr<SqliteDsn> parsed = ParseSqliteDsn(dsn);
  EXPECT_TRUE(parsed.ok()) << dsn << ": " << parsed.status().ToString();
  return parsed.ok() ? *parsed : SqliteDsn{};
}

TEST(SqliteDsnTest, BarePath) {
  SqliteDsn d = MustParse("data/pocket-id.db");
  EXPECT_EQ(d.open_name, "data/pocket-id.db");
  EXPECT_FALSE(d.uri);
  EXPECT_EQ(d.file_path, "data/pocket-id.db");
  EXPECT_FALSE(d.in_memory);
  EXPECT_EQ(d.busy_timeout_ms, 5000);
  EXPECT_EQ(d.begin_write, "BEGIN IMMEDIATE");
  EXPECT_TRUE(d.extra_pragmas.empty());
}

TEST(SqliteDsnTest, FileUriWithGoDriverOptions) {
  SqliteDsn d = MustParse(
      "file:data/pocket-id.db?_pragma=journal_mode(WAL)&_pragma=busy_timeout(2500)&_txlock=immediate"
      "&_inttotime=1&_texttotime=1&_time_format=sqlite&_pragma=foreign_keys(1)&cache=shared&mode=rwc");
  EXPECT_TRUE(d.uri);
  EXPECT_EQ(d.open_name, "file:data/pocket-id.db?cache=shared&mode=rwc");
  EXPECT_EQ(d.file_path, "data/pocket-id.db");
  EXPECT_EQ(d.busy_timeout_ms, 2500);
  ASSERT_EQ(d.extra_pragmas.size(), 2u);
  EXPECT_EQ(d.extra_pragmas[0], "PRAGMA journal_mode = WAL");
  EXPECT_EQ(d.extra_pragmas[1], "PRAGMA foreign_keys = 1");
}

TEST(SqliteDsnTest, MattnStyleOptions) {
  SqliteDsn d = MustParse("/data/pocket-id.db?_busy_timeout=7000&_fk=1&_journal_mode=WAL&_txlock=exclusive");
  EXPECT_FALSE(d.uri);  // nothing left for SQLite itself
  EXPECT_EQ(d.open_name, "/data/pocket-id.db");
  EXPECT_EQ(d.file_path, "/data/pocket-id.db");
  EXPECT_EQ(d.busy_timeout_ms, 7000);
  EXPECT_EQ(d.begin_write, "BEGIN EXCLUSIVE");
  ASSERT_EQ(d.extra_pragmas.size(), 2u);
  EXPECT_EQ(d.extra_pragmas[0], "PRAGMA foreign_keys = 1");
  EXPECT_EQ(d.extra_pragmas[1], "PRAGMA journal_mode = WAL");
}

TEST(SqliteDsnTest, AbsoluteFileUris) {
  EXPECT_EQ(MustParse("file:///var/lib/pocket-id/db.sqlite").file_path, "/var/lib/pocket-id/db.sqlite");
  EXPECT_EQ(MustParse("file://localhost/var/lib/x.db").file_path, "/var/lib/x.db");
  EXPECT_EQ(MustParse("file:/a%20b/x.db").file_path, "/a b/x.db");
  // A bare path with URI-special characters must survive being turned into a URI.
  SqliteDsn d = MustParse("/tmp/we ird%/x.db?mode=rwc");
  EXPECT_EQ(d.open_name, "file:/tmp/we%20ird%25/x.db?mode=rwc");
  EXPECT_EQ(d.file_path, "/tmp/we ird%/x.db");
}

TEST(SqliteDsnTest, InMemoryForms) {
  EXPECT_TRUE(MustParse(":memory:").in_memory);
  EXPECT_TRUE(MustParse("file::memory:").in_memory);
  EXPECT_TRUE(MustParse("file::memory:?cache=shared").in_memory);
  EXPECT_TRUE(MustParse("file:pid?mode=memory&cache=shared").in_memory);
  EXPECT_TRUE(MustParse(":memory:").file_path.empty());
}

TEST(SqliteDsnTest, ReadOnlyModes) {
  EXPECT_TRUE(MustParse("file:x.db?mode=ro").read_only);
  EXPECT_TRUE(MustParse("file:x.db?immutable=1").read_only);
  EXPECT_FALSE(MustParse("file:x.db?mode=rw").read_only);
}

TEST(SqliteDsnTest, RejectsBadInput) {
  EXPECT_FALSE(ParseSqliteDsn("").ok());
  EXPECT_FALSE(ParseSqliteDsn("file:?mode=rwc").ok());
  EXPECT_FALSE(ParseSqliteDsn("x.db?_pragma=journal_mode(WAL;DROP TABLE users)").ok());
  EXPECT_FALSE(ParseSqliteDsn("x.db?_txlock=sometimes").ok());
  EXPECT_FALSE(ParseSqliteDsn("x.db?_busy_timeout=soon").ok());
}

TEST(PostgresDsnTest, EngineDetection) {
  EXPECT_TRUE(LooksLikePostgresUri("postgres://u@h/db"));
  EXPECT_TRUE(LooksLikePostgresUri("PostgreSQL://u@h/db"));
  EXPECT_FALSE(LooksLikePostgresUri("host=/run/postgresql user=pocketid database=pocketid"));
  EXPECT_FALSE(LooksLikePostgresUri("data/pocket-id.db"));
}

TEST(PostgresDsnTest, PassesLibpqFormsThrough) {
  // Pocket ID's driver (pgx) accepts database=; libpq needs dbname=. Quoted values are left alone.
  EXPECT_EQ(*NormalizePostgresDsn("host=/run/postgresql user=pocketid database=pocketid"),
            "host=/run/postgresql user=pocketid dbname=pocketid");
  EXPECT_EQ(*NormalizePostgresDsn("database = pocketid password='a database=x'"),
            "dbname = pocketid password='a database=x'");
  EXPECT_EQ(*NormalizePostgresDsn("host=/run/postgresql user=pocketid dbname=pocketid"),
            "host=/run/postgresql user=pocketid dbname=pocketid");
  EXPECT_EQ(*NormalizePostgresDsn("postgres://pocketid:secret@db:5432/pocketid"),
            "postgres://pocketid:secret@db:5432/pocketid");
  EXPECT_EQ(*NormalizePostgresDsn("postgres://u@db/p?sslmode=disable&connect_timeout=5"),
            "postgres://u@db/p?sslmode=disable&connect_timeout=5");
}

TEST(PostgresDsnTest, TranslatesPgxOnlyParameters) {
  std::optional<int> pool;
  StatusOr<std::string> out =
      NormalizePostgresDsn("postgres://u@db/p?sslmode=disable&pool_max_conns=7&search_path=auth&pool_min_conns=1", &pool);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(*out, "postgres://u@db/p?sslmode=disable&options=-c%20search_path%3Dauth");
  EXPECT_EQ(pool, 7);
}

}  // namespace
}  // namespace pocketid::db
