#include "webauthn/cose.h"

#include <gtest/gtest.h>

#include "core/crypto/hash.h"
#include "webauthn/test_util.h"

namespace pocketid::webauthn {
namespace {

using testing::Assertion;
using testing::CborBytes;
using testing::CborInt;
using testing::CborMap;

// Key material from the vectors: the EC2 coordinates of the ES256 assertion key.
struct Ec2 {
  std::string x, y;
};
Ec2 Es256Coordinates() {
  const std::string key = Assertion("valid_es256").public_key;
  auto v = DecodeCbor(std::string_view(key), nullptr);
  EXPECT_TRUE(v.ok());
  return {std::string(v->Find(-2)->bytes()), std::string(v->Find(-3)->bytes())};
}

std::string Ec2Key(int64_t alg, int64_t crv, const std::string& x, const std::string& y) {
  return CborMap({{CborInt(1), CborInt(2)}, {CborInt(3), CborInt(alg)}, {CborInt(-1), CborInt(crv)},
                  {CborInt(-2), CborBytes(x)}, {CborInt(-3), CborBytes(y)}});
}

void ExpectParseError(const std::string& key, std::string_view message) {
  auto k = CosePublicKey::Parse(key);
  ASSERT_FALSE(k.ok());
  EXPECT_EQ(k.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(k.status().message(), message);
}

class CoseAlgorithmTest : public ::testing::TestWithParam<std::pair<const char*, int64_t>> {};

TEST_P(CoseAlgorithmTest, ParsesAndVerifiesTheVectorSignature) {
  const auto [name, alg] = GetParam();
  const auto v = Assertion(std::string("valid_") + name);
  auto key = CosePublicKey::Parse(v.public_key);
  ASSERT_TRUE(key.ok()) << key.status().message();
  EXPECT_EQ(key->algorithm(), alg);
  const std::string signed_data = v.authenticator_data + crypto::Sha256(v.client_data_json);
  EXPECT_TRUE(key->Verify(signed_data, v.signature).ok());

  std::string tampered = signed_data;
  tampered[0] ^= 1;
  const Status bad = key->Verify(tampered, v.signature);
  EXPECT_EQ(bad.code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(bad.message(), "signature verification failed");
  EXPECT_FALSE(key->Verify(signed_data, "").ok());
}

INSTANTIATE_TEST_SUITE_P(AllAlgorithms, CoseAlgorithmTest,
                         ::testing::Values(std::pair{"es256", -7}, std::pair{"es384", -35},
                                           std::pair{"es512", -36}, std::pair{"rs256", -257},
                                           std::pair{"rs384", -258}, std::pair{"rs512", -259},
                                           std::pair{"ps256", -37}, std::pair{"ps384", -38},
                                           std::pair{"ps512", -39}, std::pair{"eddsa", -8}),
                         [](const auto& info) { return std::string(info.param.first); });

TEST(CoseTest, AlgorithmNames) {
  EXPECT_EQ(CoseAlgorithmName(-7), "ES256");
  EXPECT_EQ(CoseAlgorithmName(-8), "EdDSA");
  EXPECT_EQ(CoseAlgorithmName(-259), "RS512");
  EXPECT_EQ(CoseAlgorithmName(-9), "COSE algorithm -9");
  EXPECT_TRUE(IsSupportedCoseAlgorithm(-37));
  EXPECT_FALSE(IsSupportedCoseAlgorithm(-65535));  // RS1
}

TEST(CoseTest, EcdsaSignaturesMustBeDerNotRawRs) {
  const auto v = Assertion("valid_es256");
  auto key = CosePublicKey::Parse(v.public_key);
  ASSERT_TRUE(key.ok());
  // The DER signature re-encoded as JOSE's fixed-width r||s is refused.
  const unsigned char* p = reinterpret_cast<const unsigned char*>(v.signature.data());
  crypto::internal::EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(v.signature.size())));
  ASSERT_TRUE(sig);
  std::string raw(64, '\0');
  BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), reinterpret_cast<unsigned char*>(raw.data()), 32);
  BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), reinterpret_cast<unsigned char*>(raw.data()) + 32, 32);
  const std::string signed_data = v.authenticator_data + crypto::Sha256(v.client_data_json);
  EXPECT_EQ(key->Verify(signed_data, raw).message(), "signature verification failed");
  // Trailing garbage after the DER signature is refused too.
  EXPECT_FALSE(key->Verify(signed_data, v.signature + std::string(1, '\0')).ok());
}

TEST(CoseTest, SignatureFromAnotherKeyFails) {
  const auto es256 = Assertion("valid_es256");
  const auto es384 = Assertion("valid_es384");
  auto key = CosePublicKey::Parse(es256.public_key);
  ASSERT_TRUE(key.ok());
  EXPECT_FALSE(key->Verify(es384.authenticator_data + crypto::Sha256(es384.client_data_json), es384.signature).ok());
}

TEST(CoseTest, KeyTypeMustFitAlgorithm) {
  const Ec2 c = Es256Coordinates();
  std::string key = CborMap({{CborInt(1), CborInt(3)}, {CborInt(3), CborInt(-7)}, {CborInt(-1), CborInt(1)},
                             {CborInt(-2), CborBytes(c.x)}, {CborInt(-3), CborBytes(c.y)}});
  ExpectParseError(key, "COSE key: key type RSA does not fit algorithm ES256");
  key = CborMap({{CborInt(1), CborInt(2)}, {CborInt(3), CborInt(-8)}, {CborInt(-1), CborInt(6)},
                 {CborInt(-2), CborBytes(c.x)}});
  ExpectParseError(key, "COSE key: key type EC2 does not fit algorithm EdDSA");
}

TEST(CoseTest, CurveMustFitAlgorithm) {
  const Ec2 c = Es256Coordinates();
  EXPECT_TRUE(CosePublicKey::Parse(Ec2Key(-7, 1, c.x, c.y)).ok());
  ExpectParseError(Ec2Key(-7, 2, c.x, c.y), "COSE key: EC2 curve 2 does not fit algorithm ES256");
  ExpectParseError(Ec2Key(-35, 1, c.x, c.y), "COSE key: EC2 curve 1 does not fit algorithm ES384");
}

TEST(CoseTest, PointMustBeOnTheCurve) {
  Ec2 c = Es256Coordinates();
  c.y[31] ^= 1;
  ExpectParseError(Ec2Key(-7, 1, c.x, c.y), "COSE key: EC2 point is not on the curve");
  ExpectParseError(Ec2Key(-7, 1, std::string(32, '\0'), std::string(32, '\0')),
                   "COSE key: EC2 point is not on the curve");
}

TEST(CoseTest, CoordinateSizes) {
  const Ec2 c = Es256Coordinates();
  ExpectParseError(Ec2Key(-7, 1, c.x.substr(1), c.y), "COSE key: EC2 coordinates must be 32 bytes");
  ExpectParseError(Ec2Key(-7, 1, c.x, c.y + "x"), "COSE key: EC2 coordinates must be 32 bytes");
}

TEST(CoseTest, MissingOrMistypedMembers) {
  const Ec2 c = Es256Coordinates();
  ExpectParseError(CborMap({{CborInt(3), CborInt(-7)}}), "COSE key: missing kty");
  ExpectParseError(CborMap({{CborInt(1), CborInt(2)}}), "COSE key: missing alg");
  ExpectParseError(CborMap({{CborInt(1), CborBytes("x")}, {CborInt(3), CborInt(-7)}}),
                   "COSE key: kty must be an integer");
  ExpectParseError(CborMap({{CborInt(1), CborInt(2)}, {CborInt(3), CborInt(-7)}, {CborInt(-1), CborInt(1)},
                            {CborInt(-2), CborBytes(c.x)}}),
                   "COSE key: missing y");
  ExpectParseError(CborMap({{CborInt(1), CborInt(2)}, {CborInt(3), CborInt(-7)}, {CborInt(-1), CborInt(1)},
                            {CborInt(-2), CborBytes(c.x)}, {CborInt(-3), CborInt(1)}}),
                   "COSE key: y must be a byte string");
  ExpectParseError(CborInt(1), "COSE key: not a CBOR map");
}

TEST(CoseTest, UnsupportedAlgorithms) {
  ExpectParseError(CborMap({{CborInt(1), CborInt(2)}, {CborInt(3), CborInt(-9)}}),
                   "COSE key: unsupported algorithm -9");
  ExpectParseError(CborMap({{CborInt(1), CborInt(3)}, {CborInt(3), CborInt(-65535)}}),
                   "COSE key: unsupported algorithm -65535");
}

TEST(CoseTest, Ed25519) {
  const std::string x(32, '\x11');
  EXPECT_TRUE(CosePublicKey::Parse(CborMap({{CborInt(1), CborInt(1)}, {CborInt(3), CborInt(-8)},
                                            {CborInt(-1), CborInt(6)}, {CborInt(-2), CborBytes(x)}}))
                  .ok());
  ExpectParseError(CborMap({{CborInt(1), CborInt(1)}, {CborInt(3), CborInt(-8)}, {CborInt(-1), CborInt(7)},
                            {CborInt(-2), CborBytes(x)}}),
                   "COSE key: OKP curve 7 is not Ed25519");
  ExpectParseError(CborMap({{CborInt(1), CborInt(1)}, {CborInt(3), CborInt(-8)}, {CborInt(-1), CborInt(6)},
                            {CborInt(-2), CborBytes(x.substr(1))}}),
                   "COSE key: Ed25519 public key must be 32 bytes");
}

TEST(CoseTest, RsaLimits) {
  const std::string n512(64, '\xc5');
  const std::string e("\x01\x00\x01", 3);
  ExpectParseError(CborMap({{CborInt(1), CborInt(3)}, {CborInt(3), CborInt(-257)}, {CborInt(-1), CborBytes(n512)},
                            {CborInt(-2), CborBytes(e)}}),
                   "COSE key: RSA key size 512 bits is not supported");
  const std::string n2048(256, '\xc5');
  ExpectParseError(CborMap({{CborInt(1), CborInt(3)}, {CborInt(3), CborInt(-257)}, {CborInt(-1), CborBytes(n2048)},
                            {CborInt(-2), CborBytes(std::string("\x01\x00\x00", 3))}}),
                   "COSE key: RSA exponent is invalid");
  ExpectParseError(CborMap({{CborInt(1), CborInt(3)}, {CborInt(3), CborInt(-257)}, {CborInt(-1), CborBytes(n2048)},
                            {CborInt(-2), CborBytes("")}}),
                   "COSE key: RSA exponent must be 1 to 8 bytes");
}

TEST(CoseTest, TrailingBytesAfterTheKey) {
  const std::string key = Assertion("valid_es256").public_key + std::string(1, '\0');
  auto k = CosePublicKey::Parse(key);
  ASSERT_FALSE(k.ok());
  EXPECT_EQ(k.status().message(), "CBOR: 1 trailing bytes after the item");
}

TEST(CoseTest, VerifyWithCoseAlgorithmChecksTheKeyFamily) {
  auto key = CosePublicKey::Parse(Assertion("valid_es256").public_key);
  ASSERT_TRUE(key.ok());
  const Status s = internal::VerifyWithCoseAlgorithm(key->pkey(), kCoseRS256, "data", "sig");
  EXPECT_EQ(s.code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(s.message(), "public key type does not fit signature algorithm RS256");
  EXPECT_EQ(internal::VerifyWithCoseAlgorithm(key->pkey(), -9, "data", "sig").message(),
            "unsupported signature algorithm -9");
}

}  // namespace
}  // namespace pocketid::webauthn
