#include "storage/file_storage.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/crypto/random.h"
#include "core/db/db_test_util.h"
#include "core/db/migrate.h"

namespace pocketid::storage {
namespace {

using db::testing::StatusText;

TEST(FileStorageTest, FilesystemSavesOpensAndDeletes) {
  auto dir = std::filesystem::temp_directory_path() / ("pid-storage-" + crypto::NewUuidV4());
  FilesystemStorage fs(dir.string() + "/uploads");
  EXPECT_FALSE(fs.Open("oidc-client-images/a.png")->has_value());
  PID_ASSERT_OK(fs.Save("oidc-client-images/a.png", "one"));
  PID_ASSERT_OK(fs.Save("oidc-client-images/a.png", "two"));
  EXPECT_EQ(fs.Open("oidc-client-images/a.png")->value(), "two");
  EXPECT_EQ(std::filesystem::status(dir / "uploads" / "oidc-client-images").permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_all);
  // No temporary files are left behind.
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir / "uploads" / "oidc-client-images"), {}), 1);
  PID_ASSERT_OK(fs.Delete("oidc-client-images/a.png"));
  PID_ASSERT_OK(fs.Delete("oidc-client-images/a.png"));  // missing is fine
  EXPECT_FALSE(fs.Open("oidc-client-images/a.png")->has_value());
  std::filesystem::remove_all(dir);
}

TEST(FileStorageTest, FilesystemRefusesPathsOutsideTheUploadDirectory) {
  FilesystemStorage fs("/tmp/pid-storage-unused");
  for (const char* bad : {"../x.png", "profile-pictures/../../etc/passwd", "/etc/passwd", "a//b", "./a", ""}) {
    EXPECT_FALSE(fs.Save(bad, "x").ok()) << bad;
    EXPECT_FALSE(fs.Open(bad).ok()) << bad;
    EXPECT_FALSE(fs.Delete(bad).ok()) << bad;
  }
}

class DatabaseStorageTest : public db::testing::EngineTest {};

TEST_P(DatabaseStorageTest, SavesOpensAndDeletes) {
  PID_ASSERT_OK(db::Migrate(db(), false));
  DatabaseStorage storage(db());
  std::string binary("\x89PNG\0\1\2", 7);
  PID_ASSERT_OK(storage.Save("oidc-client-images/x.png", binary));
  PID_ASSERT_OK(storage.Save("oidc-client-images/x.png", binary + "more"));
  auto data = storage.Open("oidc-client-images/x.png");
  ASSERT_TRUE(data.ok() && data->has_value());
  EXPECT_EQ(**data, binary + "more");
  auto size = db().Query("SELECT size FROM storage WHERE path = 'oidc-client-images/x.png'");
  EXPECT_EQ((*size)[0].Int(0), 11);
  PID_ASSERT_OK(storage.Delete("oidc-client-images/x.png"));
  EXPECT_FALSE(storage.Open("oidc-client-images/x.png")->has_value());
}

PID_INSTANTIATE_ENGINE_TEST_SUITE(DatabaseStorageTest);

}  // namespace
}  // namespace pocketid::storage
