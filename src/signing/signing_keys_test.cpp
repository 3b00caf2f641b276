#include "signing/signing_keys.h"

#include <thread>

#include <gtest/gtest.h>

#include "core/crypto/keystore.h"
#include "core/db/db_test_util.h"
#include "core/db/migrate.h"

namespace pocketid::signing {
namespace {

constexpr std::string_view kEncryptionKey = "signing-test-encryption-key";

// Runs on SQLite always, and on PostgreSQL when the test script provides a server (a scratch database per test).
class SigningKeysTest : public db::testing::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    ASSERT_TRUE(db::Migrate(db(), false).ok());
    database_ = &db();
  }
  db::Database* database_ = nullptr;
};

TEST_P(SigningKeysTest, FirstStartCreatesInstanceIdAndRs256Key) {
  auto id = LoadOrCreateInstanceId(*database_);
  ASSERT_TRUE(id.ok()) << id.status().message();
  EXPECT_EQ(id->size(), 36u);
  EXPECT_EQ(*LoadOrCreateInstanceId(*database_), *id);

  auto key = LoadOrCreateSigningKey(*database_, kEncryptionKey, *id);
  ASSERT_TRUE(key.ok()) << key.status().message();
  EXPECT_EQ(key->algorithm(), crypto::JwsAlgorithm::kRS256);
  EXPECT_EQ(key->kid().size(), 11u);

  // Stored the way Pocket ID stores it: base64 AES-GCM blob under jwt_private_key.json.
  auto rows = database_->Query("SELECT value FROM kv WHERE key = 'jwt_private_key.json'", {});
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  auto opened = crypto::DecryptPrivateJwk((*rows)[0].Text(0), kEncryptionKey, *id);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(opened->kid(), key->kid());

  auto again = LoadOrCreateSigningKey(*database_, kEncryptionKey, *id);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->kid(), key->kid());
}

TEST_P(SigningKeysTest, WrongEncryptionKeyFailsLikePocketId) {
  auto id = LoadOrCreateInstanceId(*database_);
  ASSERT_TRUE(LoadOrCreateSigningKey(*database_, kEncryptionKey, *id).ok());
  auto wrong = LoadOrCreateSigningKey(*database_, "another-encryption-key", *id);
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.status().message(), "failed to decrypt private key: failed to decrypt data");
}

TEST_P(SigningKeysTest, EmptyStoredValueCountsAsMissing) {
  auto id = LoadOrCreateInstanceId(*database_);
  ASSERT_TRUE(database_->Exec("INSERT INTO kv (key, value) VALUES ('jwt_private_key.json', '')", {}).ok());
  auto key = LoadOrCreateSigningKey(*database_, kEncryptionKey, *id);
  ASSERT_TRUE(key.ok()) << key.status().message();
}

TEST_P(SigningKeysTest, ConcurrentFirstStartsAgreeOnOneKey) {
  auto id = LoadOrCreateInstanceId(*database_);
  ASSERT_TRUE(id.ok());
  std::vector<std::string> kids(4);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < kids.size(); ++i) {
    threads.emplace_back([&, i] {
      auto key = LoadOrCreateSigningKey(*database_, kEncryptionKey, *id);
      if (key.ok()) kids[i] = key->kid();
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& kid : kids) EXPECT_EQ(kid, kids[0]);
  EXPECT_FALSE(kids[0].empty());
}

TEST_P(SigningKeysTest, RotateReplacesTheKey) {
  auto id = LoadOrCreateInstanceId(*database_);
  auto first = LoadOrCreateSigningKey(*database_, kEncryptionKey, *id);
  ASSERT_TRUE(first.ok());
  auto rotated = RotateSigningKey(*database_, kEncryptionKey, *id, crypto::JwsAlgorithm::kES256);
  ASSERT_TRUE(rotated.ok());
  auto loaded = LoadOrCreateSigningKey(*database_, kEncryptionKey, *id);
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded->algorithm(), crypto::JwsAlgorithm::kES256);
  EXPECT_EQ(loaded->kid(), rotated->kid());
  EXPECT_NE(loaded->kid(), first->kid());
}

PID_INSTANTIATE_ENGINE_TEST_SUITE(SigningKeysTest);

}  // namespace
}  // namespace pocketid::signing
