#include "core/crypto/hash.h"

#include <gtest/gtest.h>

#include "core/crypto/encoding.h"

namespace pocketid::crypto {
namespace {

std::string Unhex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2)
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  return out;
}

TEST(HashTest, ShaFips180Vectors) {
  EXPECT_EQ(HexEncode(Sha256("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(HexEncode(Sha256("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(HexEncode(Sha384("abc")),
            "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7");
  EXPECT_EQ(HexEncode(Sha512("abc")),
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
            "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
}

// RFC 4231 test cases 1, 2, 3, 4, 6 and 7 (case 5 is a truncated output).
TEST(HashTest, HmacSha256Rfc4231) {
  EXPECT_EQ(HexEncode(HmacSha256(std::string(20, '\x0b'), "Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  EXPECT_EQ(HexEncode(HmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(HexEncode(HmacSha256(std::string(20, '\xaa'), std::string(50, '\xdd'))),
            "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
  EXPECT_EQ(HexEncode(HmacSha256(Unhex("0102030405060708090a0b0c0d0e0f10111213141516171819"), std::string(50, '\xcd'))),
            "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
  EXPECT_EQ(HexEncode(HmacSha256(std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  EXPECT_EQ(HexEncode(HmacSha256(std::string(131, '\xaa'),
                                 "This is a test using a larger than block-size key and a larger than block-size "
                                 "data. The key needs to be hashed before being used by the HMAC algorithm.")),
            "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
}

TEST(HashTest, HmacSha3_256) {
  // Cross-checked with Python's hmac + hashlib.sha3_256.
  EXPECT_EQ(HexEncode(HmacSha3_256("key", "The quick brown fox jumps over the lazy dog")),
            "8c6e0683409427f8931711b10ca92a506eb1fafa48fadd66d76126f47ac2c333");
  EXPECT_EQ(HmacSha3_256("k", "").size(), 32u);
  EXPECT_EQ(HmacSha3_256("", "m").size(), 32u);  // empty key is legal HMAC
}

TEST(HashTest, HmacSha512_256) {
  // Computed with the RFC 2104 construction over hashlib's "sha512_256" (128-byte block), in Python.
  EXPECT_EQ(HexEncode(HmacSha512_256("key", "The quick brown fox jumps over the lazy dog")),
            "7fb65e03577da9151a1016e9c2e514d4d48842857f13927f348588173dca6d89");
  EXPECT_EQ(
      HexEncode(HmacSha512_256(std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First")),
      "87123c45f7c537a404f8f47cdbedda1fc9bec60eeb971982ce7ef10e774e6539");
}

TEST(HashTest, HkdfSpecVector) {
  // protocol.md §2.2: the fosite global secret derivation.
  auto key = HkdfSha256("test-secret", "", "pocketid/fosite_global_secret", 32);
  ASSERT_TRUE(key.ok()) << key.status().message();
  EXPECT_EQ(HexEncode(*key), "82de1690a30923a038d722a72e9599087484732bf9c1e8af5fc620f8fa87c08b");
}

TEST(HashTest, HkdfRfc5869) {
  // Test case 1 (with salt and info).
  auto okm =
      HkdfSha256(std::string(22, '\x0b'), Unhex("000102030405060708090a0b0c"), Unhex("f0f1f2f3f4f5f6f7f8f9"), 42);
  ASSERT_TRUE(okm.ok());
  EXPECT_EQ(HexEncode(*okm), "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
  // Test case 3 (no salt, no info).
  okm = HkdfSha256(std::string(22, '\x0b'), "", "", 42);
  ASSERT_TRUE(okm.ok());
  EXPECT_EQ(HexEncode(*okm), "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
}

TEST(HashTest, HkdfRejectsBadLengths) {
  EXPECT_EQ(HkdfSha256("k", "", "", 0).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(HkdfSha256("k", "", "", 255 * 32 + 1).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(HkdfSha256("k", "", "", 255 * 32)->size(), 255u * 32);
}

TEST(HashTest, ConstantTimeEquals) {
  EXPECT_TRUE(ConstantTimeEquals("", ""));
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "ab"));
  EXPECT_FALSE(ConstantTimeEquals("", "a"));
}

}  // namespace
}  // namespace pocketid::crypto
