#include "core/crypto/keystore.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>

#include "core/crypto/aead.h"
#include "core/crypto/encoding.h"
#include "core/crypto/test_util.h"

namespace pocketid::crypto {
namespace {

namespace json = boost::json;

constexpr char kEncryptionKey[] = "test-encryption-key";
constexpr char kInstanceId[] = "test-instance-id";
constexpr char kDecryptError[] = "failed to decrypt private key: failed to decrypt data";

// kv rows of the Pocket ID v2.14 export fixture.
struct Fixture {
  std::string instance_id;
  std::string stored_key;
};

Fixture LoadFixture() {
  const auto path = testing::FixturesDir() / "pocket-id-export" / "database.json";
  Fixture f;
  if (!std::filesystem::exists(path)) {
    ADD_FAILURE() << "missing Pocket ID export fixture: " << path;
    return f;
  }
  const json::value db = json::parse(testing::ReadFile(path));
  for (const auto& row : db.at("tables").at("kv").as_array()) {
    const auto& key = row.at("key").as_string();
    if (key == "instance_id") f.instance_id = std::string(row.at("value").as_string());
    if (key == "jwt_private_key.json") f.stored_key = std::string(row.at("value").as_string());
  }
  return f;
}

TEST(KeystoreTest, KekMatchesPocketIdDerivation) {
  // HMAC-SHA3-256(key="test-encryption-key", msg="pocketid/test-instance-id/jwk-kek"), cross-checked in Python.
  EXPECT_EQ(HexEncode(SigningKeyKek(kEncryptionKey, kInstanceId)),
            "fa2882602f5cb1454de83076ea69327a33ed4f44e38be8008e2af9f8b6dca924");
}

TEST(KeystoreTest, DecryptsPocketIdExportByteForByte) {
  const Fixture f = LoadFixture();
  ASSERT_EQ(f.instance_id, kInstanceId);
  ASSERT_FALSE(f.stored_key.empty()) << "fixture has no kv row jwt_private_key.json";

  auto key = DecryptPrivateJwk(f.stored_key, kEncryptionKey, f.instance_id);
  ASSERT_TRUE(key.ok()) << key.status().message();
  EXPECT_EQ(key->kid(), "8uHDw3M6rf8");
  EXPECT_EQ(key->algorithm(), JwsAlgorithm::kRS256);

  // The plaintext Go wrote, opened independently of DecryptPrivateJwk.
  auto sealed = Base64StdDecode(f.stored_key);
  ASSERT_TRUE(sealed.ok());
  auto plain = AesGcmDecrypt(SigningKeyKek(kEncryptionKey, kInstanceId), *sealed);
  ASSERT_TRUE(plain.ok());
  ASSERT_EQ(plain->rfind("{\"alg\":\"RS256\",\"d\":", 0), 0u);
  EXPECT_EQ(key->PrivateJwkJson(), *plain);  // byte for byte, trailing newline included

  // And it signs tokens its own public JWK verifies.
  auto token = SignJwt(*key, {{"sub", "x"}});
  ASSERT_TRUE(token.ok());
  EXPECT_TRUE(VerifyJwt(*token, *VerificationKey::FromJwk(key->PublicJwk()), JwsAlgorithm::kRS256).ok());
}

TEST(KeystoreTest, WrongEncryptionKeyOrInstanceIdFails) {
  const Fixture f = LoadFixture();
  for (const auto& [enc, instance] :
       {std::pair{"wrong-encryption-key", kInstanceId}, std::pair{kEncryptionKey, "other-instance"}}) {
    auto key = DecryptPrivateJwk(f.stored_key, enc, instance);
    ASSERT_FALSE(key.ok());
    EXPECT_EQ(key.status().code(), StatusCode::kDataLoss);
    EXPECT_EQ(key.status().message(), kDecryptError);
  }
}

TEST(KeystoreTest, EncryptDecryptRoundTrip) {
  for (JwsAlgorithm alg : {JwsAlgorithm::kRS256, JwsAlgorithm::kES384, JwsAlgorithm::kEdDSA}) {
    const SigningKey& key = testing::TestKey(alg);
    auto stored = EncryptPrivateJwk(key, "another-encryption-key", "some-uuid");
    ASSERT_TRUE(stored.ok()) << stored.status().message();
    EXPECT_TRUE(Base64StdDecode(*stored).ok());
    auto back = DecryptPrivateJwk(*stored, "another-encryption-key", "some-uuid");
    ASSERT_TRUE(back.ok()) << back.status().message();
    EXPECT_EQ(back->PrivateJwkJson(), key.PrivateJwkJson());
    EXPECT_EQ(DecryptPrivateJwk(*stored, "another-encryption-key", "other").status().message(), kDecryptError);
  }
}

TEST(KeystoreTest, CorruptValuesFail) {
  auto not_b64 = DecryptPrivateJwk("not base64!", kEncryptionKey, kInstanceId);
  EXPECT_EQ(not_b64.status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(
      not_b64.status().message().rfind("failed to read encrypted private key: not a valid base64-encoded value: ", 0),
      0u);
  EXPECT_EQ(DecryptPrivateJwk("", kEncryptionKey, kInstanceId).status().message(), kDecryptError);
  EXPECT_EQ(DecryptPrivateJwk("AAAA", kEncryptionKey, kInstanceId).status().message(), kDecryptError);

  // Opens fine but is not a signing JWK.
  const std::string sealed = *AesGcmEncrypt(SigningKeyKek(kEncryptionKey, kInstanceId), "{\"kty\":\"RSA\"}\n");
  auto bad_jwk = DecryptPrivateJwk(Base64StdEncode(sealed), kEncryptionKey, kInstanceId);
  EXPECT_EQ(bad_jwk.status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(bad_jwk.status().message(), "failed to parse encrypted private key: key object does not contain a key ID");

  EXPECT_EQ(EncryptPrivateJwk(testing::TestKey(JwsAlgorithm::kEdDSA), "", kInstanceId).status().code(),
            StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace pocketid::crypto
