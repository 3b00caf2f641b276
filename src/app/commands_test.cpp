#include "app/commands.h"

#include <unistd.h>

#include <filesystem>
#include <sstream>

#include <gtest/gtest.h>

#include "app/bootstrap.h"

namespace pocketid::app {
namespace {

class CommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("pid-commands-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    cfg_.encryption_key = "0123456789abcdef-test";
    cfg_.db_engine = config::DbEngine::kSqlite;
    cfg_.db_connection_string = (dir_ / "pocket-id.db").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  int Rotate(KeyRotateOptions o, std::string input = "") {
    std::istringstream in(input);
    out_.str("");
    err_.str("");
    return RunKeyRotate(cfg_, o, in, out_, err_);
  }

  std::filesystem::path dir_;
  config::EnvConfig cfg_;
  std::ostringstream out_, err_;
};

TEST(ConfirmTest, AcceptsYesInAnyCase) {
  for (const char* yes : {"y\n", "Y\n", "yes\n", " YeS \n"}) {
    std::istringstream in(yes);
    EXPECT_TRUE(Confirm(in)) << yes;
  }
  for (const char* no : {"\n", "n\n", "no\n", "yess\n", ""}) {
    std::istringstream in(no);
    EXPECT_FALSE(Confirm(in)) << no;
  }
}

TEST_F(CommandsTest, KeyRotateValidatesFlags) {
  EXPECT_EQ(Rotate({"", "", true}), 1);
  EXPECT_EQ(err_.str(), "Error: key algorithm is required\n");
  EXPECT_EQ(Rotate({"HS256", "", true}), 1);
  EXPECT_EQ(err_.str(),
            "Error: unsupported key algorithm; supported values: RS256, RS384, RS512, ES256, ES384, ES512, EdDSA\n");
  EXPECT_EQ(Rotate({"EdDSA", "", true}), 1);
  EXPECT_EQ(err_.str(), "Error: a curve name is required when algorithm is EdDSA\n");
  EXPECT_EQ(Rotate({"eddsa", "X25519", true}), 1);
  EXPECT_EQ(err_.str(), "Error: unsupported EdDSA curve; supported values: Ed25519\n");
}

TEST_F(CommandsTest, KeyRotateAsksForConfirmation) {
  EXPECT_EQ(Rotate({"ES256", "", false}, "n\n"), 1);
  EXPECT_EQ(out_.str(),
            "WARNING: Rotating the private key will invalidate all existing tokens. Both pocket-id and all client "
            "applications will likely need to be restarted.\nConfirm [y/N]: Aborted\n");
  EXPECT_FALSE(std::filesystem::exists(dir_ / "pocket-id.db"));  // nothing touched when declined
}

TEST_F(CommandsTest, KeyRotateReplacesTheStoredKey) {
  auto database = OpenDatabase(cfg_, 1);
  ASSERT_TRUE(database.ok()) << database.status().message();
  auto before = LoadKeys(**database, cfg_);
  ASSERT_TRUE(before.ok()) << before.status().message();
  EXPECT_EQ(before->signing_key.algorithm(), crypto::JwsAlgorithm::kRS256);

  ASSERT_EQ(Rotate({"es256", "", false}, "y\n"), 0) << err_.str();
  EXPECT_NE(out_.str().find("Key rotated successfully\nNote: if pocket-id is running, you will need to restart it "
                            "for the new key to be loaded\n"),
            std::string::npos);
  auto after = LoadKeys(**database, cfg_);
  ASSERT_TRUE(after.ok()) << after.status().message();
  EXPECT_EQ(after->signing_key.algorithm(), crypto::JwsAlgorithm::kES256);
  EXPECT_NE(after->signing_key.kid(), before->signing_key.kid());
  EXPECT_EQ(after->instance_id, before->instance_id);

  ASSERT_EQ(Rotate({"EdDSA", "ed25519", true}), 0) << err_.str();
  EXPECT_EQ(LoadKeys(**database, cfg_)->signing_key.algorithm(), crypto::JwsAlgorithm::kEdDSA);
}

TEST_F(CommandsTest, EncryptionKeyRotateReencryptsTheSigningKey) {
  auto database = OpenDatabase(cfg_, 1);
  ASSERT_TRUE(database.ok());
  auto before = LoadKeys(**database, cfg_);
  ASSERT_TRUE(before.ok());

  std::istringstream in;
  EXPECT_EQ(RunEncryptionKeyRotate(cfg_, {"short", true}, in, out_, err_), 1);
  EXPECT_EQ(err_.str(), "Error: new encryption key must be at least 16 bytes long\n");

  ASSERT_EQ(RunEncryptionKeyRotate(cfg_, {"a-brand-new-encryption-key", true}, in, out_, err_), 0) << err_.str();
  EXPECT_NE(out_.str().find("Encryption key rotation completed successfully.\n"), std::string::npos);

  auto old_key = LoadKeys(**database, cfg_);
  EXPECT_FALSE(old_key.ok());
  EXPECT_EQ(old_key.status().message(), "failed to decrypt private key: failed to decrypt data");
  cfg_.encryption_key = "a-brand-new-encryption-key";
  auto rotated = LoadKeys(**database, cfg_);
  ASSERT_TRUE(rotated.ok());
  EXPECT_EQ(rotated->signing_key.kid(), before->signing_key.kid());
}

}  // namespace
}  // namespace pocketid::app
