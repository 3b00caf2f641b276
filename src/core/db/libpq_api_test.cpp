#include "core/db/libpq_api.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace pocketid::db::internal {
namespace {

using ::testing::HasSubstr;

TEST(LibpqApiTest, LoadsEveryFunction) {
  auto loaded = LoadLibpq();
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(*LoadLibpq(), *loaded);  // one table per process
  EXPECT_EQ(&LoadedLibpq(), *loaded);
  // A libpq call that needs no server: parsing a connection string.
  const LibpqApi& libpq = **loaded;
  char* error = nullptr;
  PQconninfoOption* options = libpq.PQconninfoParse("host=db.example dbname=pocketid", &error);
  ASSERT_NE(options, nullptr);
  bool saw_dbname = false;
  for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    if (std::string_view(o->keyword) != "dbname") continue;
    saw_dbname = o->val != nullptr && std::string_view(o->val) == "pocketid";
  }
  EXPECT_TRUE(saw_dbname);
  libpq.PQconninfoFree(options);
}

TEST(LibpqApiTest, AMissingLibraryTellsWhatNeedsIt) {
  auto missing = OpenLibpq("libpq-pid-missing.so.5");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(missing.status().message(),
              HasSubstr("failed to load libpq-pid-missing.so.5 (needed for a PostgreSQL DB_CONNECTION_STRING): "));
}

}  // namespace
}  // namespace pocketid::db::internal
