#include "core/crypto/aead.h"

#include <gtest/gtest.h>

#include "core/crypto/random.h"

namespace pocketid::crypto {
namespace {

const std::string kKey = std::string(32, '\x42');

TEST(AeadTest, RoundTripWithAndWithoutAad) {
  for (const std::string& plain : {std::string(), std::string("hello"), RandomBytes(1000)}) {
    auto sealed = AesGcmEncrypt(kKey, plain);
    ASSERT_TRUE(sealed.ok());
    EXPECT_EQ(sealed->size(), kAesGcmNonceSize + plain.size() + kAesGcmTagSize);
    EXPECT_EQ(*AesGcmDecrypt(kKey, *sealed), plain);

    auto with_aad = AesGcmEncrypt(kKey, plain, "context");
    ASSERT_TRUE(with_aad.ok());
    EXPECT_EQ(*AesGcmDecrypt(kKey, *with_aad, "context"), plain);
    EXPECT_FALSE(AesGcmDecrypt(kKey, *with_aad).ok());
    EXPECT_FALSE(AesGcmDecrypt(kKey, *with_aad, "other").ok());
  }
}

TEST(AeadTest, FreshNonceEachTime) {
  auto a = AesGcmEncrypt(kKey, "same");
  auto b = AesGcmEncrypt(kKey, "same");
  EXPECT_NE(a->substr(0, kAesGcmNonceSize), b->substr(0, kAesGcmNonceSize));
  EXPECT_NE(*a, *b);
}

TEST(AeadTest, TamperingAnyByteFails) {
  const std::string sealed = *AesGcmEncrypt(kKey, "attack at dawn");
  for (size_t i = 0; i < sealed.size(); ++i) {  // nonce, ciphertext and tag
    std::string bad = sealed;
    bad[i] = static_cast<char>(bad[i] ^ 0x01);
    auto r = AesGcmDecrypt(kKey, bad);
    ASSERT_FALSE(r.ok()) << "byte " << i;
    EXPECT_EQ(r.status().code(), StatusCode::kDataLoss);
    EXPECT_EQ(r.status().message(), "failed to decrypt data");
  }
}

TEST(AeadTest, WrongKeyAndShortInputFail) {
  const std::string sealed = *AesGcmEncrypt(kKey, "secret");
  auto wrong = AesGcmDecrypt(std::string(32, '\x43'), sealed);
  EXPECT_EQ(wrong.status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(wrong.status().message(), "failed to decrypt data");
  for (size_t n : {0, 1, 27}) {
    auto r = AesGcmDecrypt(kKey, sealed.substr(0, n));
    EXPECT_EQ(r.status().code(), StatusCode::kDataLoss);
    EXPECT_EQ(r.status().message(), "failed to decrypt data");
  }
  EXPECT_FALSE(AesGcmDecrypt(kKey, sealed.substr(0, sealed.size() - 1)).ok());
}

TEST(AeadTest, KeyMustBe32Bytes) {
  EXPECT_EQ(AesGcmEncrypt(std::string(16, 'k'), "x").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(AesGcmDecrypt(std::string(31, 'k'), std::string(40, 'x')).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace pocketid::crypto
