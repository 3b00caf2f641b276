#include "core/db/db_test_util.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <random>

#include "core/db/libpq_api.h"

namespace pocketid::db::testing {
namespace {

std::string QuoteConninfoValue(std::string_view v) {
  std::string out = "'";
  for (char c : v) {
    if (c == '\'' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "'";
}

StatusOr<std::unique_ptr<Database>> OpenAdmin() {
  auto url = PostgresAdminUrl();
  if (!url) return FailedPreconditionError(kPostgresSkipMessage);
  return Database::Open({.engine = Engine::kPostgres, .dsn = *url, .pool_size = 1});
}

std::string UniqueSuffix() {
  static std::atomic<int> counter{0};
  std::random_device rd;
  return std::to_string(::getpid()) + "_" + std::to_string(++counter) + "_" + std::to_string(rd() % 100000);
}

}  // namespace

std::optional<std::string> PostgresAdminUrl() {
  const char* v = std::getenv(kPostgresUrlEnv);
  if (v == nullptr || *v == '\0') return std::nullopt;
  return std::string(v);
}

StatusOr<std::string> WithDatabaseName(const std::string& url, const std::string& dbname) {
  PID_ASSIGN_OR_RETURN(const internal::LibpqApi* libpq, internal::LoadLibpq());
  char* err = nullptr;
  PQconninfoOption* opts = libpq->PQconninfoParse(url.c_str(), &err);
  if (opts == nullptr) {
    std::string message = err != nullptr ? err : "cannot parse";
    libpq->PQfreemem(err);
    return InvalidArgumentError("bad PostgreSQL URL: " + message);
  }
  std::string out;
  for (PQconninfoOption* o = opts; o->keyword != nullptr; ++o) {
    if (o->val == nullptr || std::string_view(o->keyword) == "dbname") continue;
    out += std::string(o->keyword) + "=" + QuoteConninfoValue(o->val) + " ";
  }
  libpq->PQconninfoFree(opts);
  return out + "dbname=" + QuoteConninfoValue(dbname);
}

StatusOr<std::unique_ptr<ScratchDatabase>> ScratchDatabase::Create(Engine engine) {
  std::unique_ptr<ScratchDatabase> s(new ScratchDatabase(engine));
  if (engine == Engine::kSqlite) {
    std::string tmpl = (std::filesystem::temp_directory_path() / "pid-db-test-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) return InternalError("mkdtemp failed");
    s->dir_ = tmpl;
    s->dsn_ = tmpl + "/pocket-id.db";
    return s;
  }
  PID_ASSIGN_OR_RETURN(auto admin, OpenAdmin());
  s->pg_name_ = "pid_test_" + UniqueSuffix();
  PID_RETURN_IF_ERROR(admin->Exec("SELECT 1").status());
  {
    PID_ASSIGN_OR_RETURN(auto lease, admin->Acquire());
    PID_RETURN_IF_ERROR(lease->ExecScript("CREATE DATABASE " + s->pg_name_));
  }
  PID_ASSIGN_OR_RETURN(s->dsn_, WithDatabaseName(*PostgresAdminUrl(), s->pg_name_));
  return s;
}

ScratchDatabase::~ScratchDatabase() {
  if (engine_ == Engine::kSqlite) {
    std::error_code ec;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
    return;
  }
  if (pg_name_.empty()) return;
  auto admin = OpenAdmin();
  if (!admin.ok()) return;
  if (auto lease = (*admin)->Acquire(); lease.ok()) {
    (void)(*lease)->ExecScript("DROP DATABASE IF EXISTS " + pg_name_ + " WITH (FORCE)");
  }
}

StatusOr<std::unique_ptr<Database>> ScratchDatabase::Open(int pool_size) const {
  return Database::Open({.engine = engine_, .dsn = dsn_, .pool_size = pool_size});
}

void EngineTest::SetUp() {
  if (engine() == Engine::kPostgres && !PostgresAdminUrl()) GTEST_SKIP() << kPostgresSkipMessage;
  auto scratch = ScratchDatabase::Create(engine());
  ASSERT_TRUE(scratch.ok()) << scratch.status().ToString();
  scratch_ = std::move(*scratch);
  auto db = scratch_->Open();
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  db_ = std::move(*db);
}

void EngineTest::TearDown() {
  db_.reset();  // close connections before the database is dropped
  scratch_.reset();
}

std::string EngineParamName(const ::testing::TestParamInfo<Engine>& info) {
  return info.param == Engine::kSqlite ? "Sqlite" : "Postgres";
}

}  // namespace pocketid::db::testing
