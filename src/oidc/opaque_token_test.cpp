#include "oidc/opaque_token.h"

#include <gtest/gtest.h>

#include "core/crypto/encoding.h"
#include "core/crypto/hash.h"
#include "oidc/token_minter.h"

namespace pocketid::oidc {
namespace {

TEST(OpaqueTokens, GlobalSecretMatchesPocketIdsVector) {
  auto tokens = OpaqueTokens::FromEncryptionKey("test-secret");
  ASSERT_TRUE(tokens.ok());
  EXPECT_EQ(crypto::HexEncode(tokens->global_secret()),
            "82de1690a30923a038d722a72e9599087484732bf9c1e8af5fc620f8fa87c08b");
}

TEST(OpaqueTokens, GeneratedTokensVerifyAndTamperedOnesDoNot) {
  auto tokens = OpaqueTokens::FromEncryptionKey("e2e-test-encryption-key");
  ASSERT_TRUE(tokens.ok());
  OpaqueToken t = tokens->Generate(kRefreshTokenPrefix);
  ASSERT_TRUE(t.token.starts_with("pocket_id_rt_"));
  EXPECT_EQ(t.token.substr(t.token.find('.') + 1), t.signature);
  EXPECT_EQ(tokens->Verify(kRefreshTokenPrefix, t.token), t.signature);
  EXPECT_EQ(tokens->Verify(kAuthorizeCodePrefix, t.token), std::nullopt);
  std::string tampered = t.token;
  tampered[15] = tampered[15] == 'A' ? 'B' : 'A';
  EXPECT_EQ(tokens->Verify(kRefreshTokenPrefix, tampered), std::nullopt);
  EXPECT_EQ(tokens->Verify(kRefreshTokenPrefix, "pocket_id_rt_"), std::nullopt);
  EXPECT_EQ(tokens->Verify(kRefreshTokenPrefix, "pocket_id_rt_abc.def"), std::nullopt);
  auto other = OpaqueTokens::FromEncryptionKey("another-encryption-key");
  EXPECT_EQ(other->Verify(kRefreshTokenPrefix, t.token), std::nullopt);
}

TEST(AccessTokenHash, LeftHalfOfTheAlgorithmsDigest) {
  std::string token = "eyJhbGciOiJSUzI1NiJ9.e30.sig";
  EXPECT_EQ(AccessTokenHash(crypto::JwsAlgorithm::kRS256, token),
            crypto::Base64UrlEncode(crypto::Sha256(token).substr(0, 16)));
  EXPECT_EQ(AccessTokenHash(crypto::JwsAlgorithm::kEdDSA, token),
            crypto::Base64UrlEncode(crypto::Sha256(token).substr(0, 16)));
  EXPECT_EQ(AccessTokenHash(crypto::JwsAlgorithm::kES384, token),
            crypto::Base64UrlEncode(crypto::Sha384(token).substr(0, 24)));
  EXPECT_EQ(AccessTokenHash(crypto::JwsAlgorithm::kRS512, token),
            crypto::Base64UrlEncode(crypto::Sha512(token).substr(0, 32)));
}

}  // namespace
}  // namespace pocketid::oidc
