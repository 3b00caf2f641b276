#include "core/crypto/jose.h"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <functional>
#include <thread>
#include <vector>

#include "core/crypto/encoding.h"
#include "core/crypto/random.h"
#include "core/crypto/test_util.h"

namespace pocketid::crypto {
namespace {

namespace json = boost::json;
using testing::TestKey;

json::object ParseObject(std::string_view text) { return json::parse(text).as_object(); }

std::string Serialize(const json::object& o) { return json::serialize(o); }

const json::object kClaims = {
    {"sub", "user-1"}, {"iss", "https://id.example.com"}, {"n", 42}, {"aud", json::array{"a", "b"}}};

std::vector<std::string> MemberNames(const json::object& o) {
  std::vector<std::string> names;
  for (const auto& kv : o) names.emplace_back(kv.key());
  return names;
}

// Replaces one character of segment `index` (0 header, 1 payload, 2 signature) with another valid one.
std::string TamperSegment(const std::string& token, int index) {
  size_t start = 0;
  for (int i = 0; i < index; ++i) start = token.find('.', start) + 1;
  size_t end = token.find('.', start);
  if (end == std::string::npos) end = token.size();
  std::string out = token;
  const size_t pos = start + (end - start) / 2;
  out[pos] = out[pos] == 'A' ? 'B' : 'A';
  return out;
}

size_t ExpectedSignatureSize(JwsAlgorithm alg) {
  switch (alg) {
    case JwsAlgorithm::kRS256:
      return 256;
    case JwsAlgorithm::kRS384:
      return 384;
    case JwsAlgorithm::kRS512:
      return 512;
    case JwsAlgorithm::kES256:
      return 64;
    case JwsAlgorithm::kES384:
      return 96;
    case JwsAlgorithm::kES512:
      return 132;
    case JwsAlgorithm::kEdDSA:
      return 64;
  }
  return 0;
}

std::vector<std::string> ExpectedPrivateMembers(JwsAlgorithm alg) {
  switch (alg) {
    case JwsAlgorithm::kRS256:
    case JwsAlgorithm::kRS384:
    case JwsAlgorithm::kRS512:
      return {"alg", "d", "dp", "dq", "e", "kid", "kty", "n", "p", "q", "qi", "use"};
    case JwsAlgorithm::kEdDSA:
      return {"alg", "crv", "d", "kid", "kty", "use", "x"};
    default:
      return {"alg", "crv", "d", "kid", "kty", "use", "x", "y"};
  }
}

// ---------------------------------------------------------------------------------------------------------
// Every algorithm

class JoseAlgTest : public ::testing::TestWithParam<JwsAlgorithm> {};

INSTANTIATE_TEST_SUITE_P(AllAlgorithms, JoseAlgTest, ::testing::ValuesIn(kAllJwsAlgorithms),
                         [](const auto& info) { return std::string(AlgorithmName(info.param)); });

TEST_P(JoseAlgTest, GenerateSignVerifyJwt) {
  auto generated = SigningKey::Generate(GetParam());
  ASSERT_TRUE(generated.ok()) << generated.status().message();
  const SigningKey& key = *generated;
  EXPECT_EQ(key.algorithm(), GetParam());
  EXPECT_NE(key.kid(), SigningKey::Generate(JwsAlgorithm::kEdDSA)->kid());
  EXPECT_EQ(key.Sign("x")->size(), ExpectedSignatureSize(GetParam()));  // RSA: 2048 / 3072 / 4096 bits
  EXPECT_EQ(key.kid().size(), 11u);
  EXPECT_TRUE(Base64UrlDecode(key.kid()).ok());

  auto token = SignJwt(key, kClaims);
  ASSERT_TRUE(token.ok()) << token.status().message();
  auto verified = VerifyJwt(*token, key.Public(), GetParam());
  ASSERT_TRUE(verified.ok()) << verified.status().message();
  EXPECT_EQ(verified->claims, kClaims);
  EXPECT_EQ(Serialize(verified->header), "{\"alg\":\"" + std::string(AlgorithmName(GetParam())) + "\",\"kid\":\"" +
                                             key.kid() + "\",\"typ\":\"JWT\"}");

  auto at = SignJwt(key, kClaims, "at+jwt");
  ASSERT_TRUE(at.ok());
  EXPECT_EQ(VerifyJwt(*at, key.Public(), GetParam())->header.at("typ").as_string(), "at+jwt");
}

TEST_P(JoseAlgTest, SignatureHasJwsSize) {
  const SigningKey& key = TestKey(GetParam());
  auto sig = key.Sign("header.payload");
  ASSERT_TRUE(sig.ok());
  EXPECT_EQ(sig->size(), ExpectedSignatureSize(GetParam()));
  EXPECT_TRUE(key.Public().Verify(GetParam(), "header.payload", *sig).ok());
  EXPECT_FALSE(key.Public().Verify(GetParam(), "header.payloaD", *sig).ok());
  EXPECT_FALSE(key.Public().Verify(GetParam(), "header.payload", sig->substr(1)).ok());
}

TEST_P(JoseAlgTest, TamperedTokensAreRejected) {
  const SigningKey& key = TestKey(GetParam());
  const std::string token = *SignJwt(key, kClaims);
  for (int segment = 0; segment < 3; ++segment) {
    auto r = VerifyJwt(TamperSegment(token, segment), key.Public(), GetParam());
    ASSERT_FALSE(r.ok()) << "segment " << segment;
    EXPECT_EQ(r.status().code(), StatusCode::kUnauthenticated);
  }
  // Same signature, different (valid) claims.
  const std::string other = *SignJwt(key, {{"sub", "admin"}});
  const std::string spliced = token.substr(0, token.find('.')) +
                              other.substr(other.find('.'), other.rfind('.') - other.find('.')) +
                              token.substr(token.rfind('.'));
  EXPECT_FALSE(VerifyJwt(spliced, key.Public(), GetParam()).ok());
}

TEST_P(JoseAlgTest, OtherExpectedAlgorithmsAreRejected) {
  const SigningKey& key = TestKey(GetParam());
  const std::string token = *SignJwt(key, kClaims);
  for (JwsAlgorithm other : kAllJwsAlgorithms) {
    if (other == GetParam()) continue;
    auto r = VerifyJwt(token, key.Public(), other);
    ASSERT_FALSE(r.ok()) << AlgorithmName(other);
    EXPECT_EQ(r.status().code(), StatusCode::kUnauthenticated);
  }
}

TEST_P(JoseAlgTest, PrivateJwkRoundTrip) {
  const SigningKey& key = TestKey(GetParam());
  const std::string json_text = key.PrivateJwkJson();
  ASSERT_FALSE(json_text.empty());
  EXPECT_EQ(json_text.back(), '\n');
  const json::object priv = ParseObject(json_text);
  EXPECT_EQ(MemberNames(priv), ExpectedPrivateMembers(GetParam()));  // alphabetical, nothing else
  EXPECT_EQ(Serialize(priv) + "\n", json_text);                      // compact, no escapes needed

  auto again = SigningKey::FromPrivateJwk(json_text);
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(again->kid(), key.kid());
  EXPECT_EQ(again->algorithm(), key.algorithm());
  EXPECT_EQ(again->PublicJwkJson(), key.PublicJwkJson());
  EXPECT_EQ(again->PublicJwk(), key.PublicJwk());
  EXPECT_EQ(again->PrivateJwkJson(), json_text);

  // Each key verifies the other's tokens.
  EXPECT_TRUE(VerifyJwt(*SignJwt(*again, kClaims), key.Public(), GetParam()).ok());
  EXPECT_TRUE(VerifyJwt(*SignJwt(key, kClaims), again->Public(), GetParam()).ok());
}

TEST_P(JoseAlgTest, PublicJwkHasOnlyPublicMembers) {
  const SigningKey& key = TestKey(GetParam());
  const json::object pub = key.PublicJwk();
  std::vector<std::string> expected = ExpectedPrivateMembers(GetParam());
  std::erase_if(expected, [](const std::string& m) {
    return m == "d" || m == "p" || m == "q" || m == "dp" || m == "dq" || m == "qi";
  });
  EXPECT_EQ(MemberNames(pub), expected);
  EXPECT_EQ(pub.at("use").as_string(), "sig");
  EXPECT_EQ(pub.at("kid").as_string(), key.kid());
  EXPECT_EQ(pub.at("alg").as_string(), AlgorithmName(GetParam()));
  EXPECT_EQ(Serialize(pub), key.PublicJwkJson());

  auto from_public = VerificationKey::FromJwk(pub);
  ASSERT_TRUE(from_public.ok()) << from_public.status().message();
  EXPECT_EQ(from_public->kid(), key.kid());
  EXPECT_EQ(from_public->algorithm(), GetParam());
  EXPECT_TRUE(VerifyJwt(*SignJwt(key, kClaims), *from_public, GetParam()).ok());

  // A private JWK works as a verification key too (private members ignored).
  auto from_private = VerificationKey::FromJwk(ParseObject(key.PrivateJwkJson()));
  ASSERT_TRUE(from_private.ok());
  EXPECT_TRUE(VerifyJwt(*SignJwt(key, kClaims), *from_private, GetParam()).ok());
}

// ---------------------------------------------------------------------------------------------------------
// Algorithms and confusion

TEST(JoseTest, AlgorithmNames) {
  for (JwsAlgorithm alg : kAllJwsAlgorithms) EXPECT_EQ(ParseAlgorithm(AlgorithmName(alg)), alg);
  EXPECT_EQ(AlgorithmName(JwsAlgorithm::kEdDSA), "EdDSA");
  EXPECT_EQ(ParseAlgorithm("rs256"), std::nullopt);
  EXPECT_EQ(ParseAlgorithm("rs256", true), JwsAlgorithm::kRS256);
  EXPECT_EQ(ParseAlgorithm("EDDSA", true), JwsAlgorithm::kEdDSA);
  for (const char* bad : {"none", "None", "HS256", "PS256", "ES256K", "", "RS2560"}) {
    EXPECT_EQ(ParseAlgorithm(bad, true), std::nullopt) << bad;
  }
}

std::string UnsignedToken(const std::string& header_json, const std::string& sig = "") {
  return Base64UrlEncode(header_json) + "." + Base64UrlEncode("{\"sub\":\"admin\"}") + "." + sig;
}

TEST(JoseTest, AlgorithmConfusionIsRejected) {
  const SigningKey& rsa = TestKey(JwsAlgorithm::kRS256);
  const SigningKey& ec = TestKey(JwsAlgorithm::kES256);
  const std::string rs_token = *SignJwt(rsa, kClaims);

  // RS256 token presented where ES256 is expected.
  EXPECT_FALSE(VerifyJwt(rs_token, ec.Public(), JwsAlgorithm::kES256).ok());
  EXPECT_FALSE(VerifyJwt(rs_token, rsa.Public(), JwsAlgorithm::kES256).ok());
  // Correct header alg, wrong key type.
  auto wrong_key = VerifyJwt(rs_token, ec.Public(), JwsAlgorithm::kRS256);
  ASSERT_FALSE(wrong_key.ok());
  EXPECT_EQ(wrong_key.status().code(), StatusCode::kUnauthenticated);

  // alg "none", with and without a signature.
  for (const std::string& sig : {std::string(), std::string("AAAA")}) {
    auto none = VerifyJwt(UnsignedToken("{\"alg\":\"none\"}", sig), rsa.Public(), JwsAlgorithm::kRS256);
    ASSERT_FALSE(none.ok());
    EXPECT_EQ(none.status().code(), StatusCode::kUnauthenticated);
  }
  EXPECT_EQ(VerifyJwt(UnsignedToken("{\"alg\":\"none\"}"), rsa.Public(), JwsAlgorithm::kRS256).status().message(),
            "invalid JWT: unsigned tokens (alg \"none\") are not accepted");

  // The classic HS256 trick: HMAC keyed with the public key's JSON.
  const std::string hs_header = Base64UrlEncode("{\"alg\":\"HS256\",\"typ\":\"JWT\"}");
  EXPECT_FALSE(VerifyJwt(hs_header + "." + Base64UrlEncode("{}") + "." + Base64UrlEncode(std::string(32, 'x')),
                         rsa.Public(), JwsAlgorithm::kRS256)
                   .ok());

  // A verification key whose JWK names an algorithm refuses the others, even of the same key type.
  json::object pub = rsa.PublicJwk();
  auto pinned = VerificationKey::FromJwk(pub);
  ASSERT_TRUE(pinned.ok());
  const std::string sig = *rsa.Sign("x.y");
  EXPECT_TRUE(pinned->Verify(JwsAlgorithm::kRS256, "x.y", sig).ok());
  EXPECT_FALSE(pinned->Verify(JwsAlgorithm::kRS384, "x.y", sig).ok());
}

TEST(JoseTest, DecodeJwtUnverifiedReadsHeaderAndClaimsWithoutAKey) {
  const SigningKey& key = TestKey(JwsAlgorithm::kES256);
  const std::string token = *SignJwt(key, kClaims);
  auto parts = DecodeJwtUnverified(token);
  ASSERT_TRUE(parts.ok()) << parts.status().ToString();
  EXPECT_EQ(parts->header.at("kid").as_string(), key.kid());
  EXPECT_EQ(parts->claims, kClaims);
  // Any signature, even none, is not looked at; the shape still is.
  EXPECT_TRUE(DecodeJwtUnverified(token.substr(0, token.rfind('.') + 1)).ok());
  for (const std::string& bad : {std::string("a.b"), token + ".x", "!" + token.substr(1)}) {
    auto decoded = DecodeJwtUnverified(bad);
    ASSERT_FALSE(decoded.ok()) << bad;
    EXPECT_EQ(decoded.status().code(), StatusCode::kUnauthenticated);
  }
}

TEST(JoseTest, VerifyJwtRejectsMalformedTokens) {
  const SigningKey& key = TestKey(JwsAlgorithm::kES256);
  const VerificationKey pub = key.Public();
  const auto sign_raw = [&](const std::string& header_json, const std::string& payload_json) {
    const std::string input = Base64UrlEncode(header_json) + "." + Base64UrlEncode(payload_json);
    return input + "." + Base64UrlEncode(*key.Sign(input));
  };
  const std::string good_header = "{\"alg\":\"ES256\",\"kid\":\"" + key.kid() + "\"}";
  ASSERT_TRUE(VerifyJwt(sign_raw(good_header, "{\"sub\":\"x\"}"), pub, JwsAlgorithm::kES256).ok());

  const std::string valid = *SignJwt(key, kClaims);
  for (const std::string& bad : {
           std::string(),
           std::string("a"),
           std::string("a.b"),
           valid + ".x",
           valid + ".",
           valid.substr(0, valid.rfind('.') + 1),  // empty signature
           "!" + valid.substr(1),                  // header not base64url
           valid + "=",                            // padded signature
           sign_raw("not json", "{}"),
           sign_raw("[1]", "{}"),                  // header not an object
           sign_raw("{\"kid\":\"x\"}", "{}"),      // no alg
           sign_raw("{\"alg\":\"es256\"}", "{}"),  // alg is case-sensitive
           sign_raw(good_header, "[1,2]"),         // claims not an object
           sign_raw(good_header, "{\"sub\":"),     // claims not JSON
           sign_raw("{\"alg\":\"ES256\",\"crit\":[\"exp\"],\"exp\":1}", "{}"),
       }) {
    auto r = VerifyJwt(bad, pub, JwsAlgorithm::kES256);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), StatusCode::kUnauthenticated) << bad;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Private JWK rules (protocol.md §2.6)

std::string MutatedJwk(const SigningKey& key, const std::function<void(json::object&)>& mutate) {
  json::object o = ParseObject(key.PrivateJwkJson());
  mutate(o);
  return Serialize(o);
}

void ExpectRejected(const std::string& jwk, std::string_view message_part) {
  auto r = SigningKey::FromPrivateJwk(jwk);
  ASSERT_FALSE(r.ok()) << jwk;
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find(message_part), std::string::npos) << r.status().message();
}

TEST(JoseTest, PrivateJwkRequiresKidUseAndPrivatePart) {
  const SigningKey& key = TestKey(JwsAlgorithm::kES256);
  ExpectRejected(MutatedJwk(key, [](auto& o) { o.erase("kid"); }), "key object does not contain a key ID");
  ExpectRejected(MutatedJwk(key, [](auto& o) { o["kid"] = ""; }), "key object does not contain a key ID");
  ExpectRejected(MutatedJwk(key, [](auto& o) { o.erase("use"); }), "key object is not valid for signing");
  ExpectRejected(MutatedJwk(key, [](auto& o) { o["use"] = "enc"; }), "key object is not valid for signing");
  ExpectRejected(MutatedJwk(key, [](auto& o) { o.erase("d"); }), "key object is not a private key");
  ExpectRejected(MutatedJwk(key, [](auto& o) { o["kid"] = 7; }), "must be a string");
  ExpectRejected(MutatedJwk(key, [](auto& o) { o["kty"] = "oct"; }), "unsupported JWK key type");
  ExpectRejected(MutatedJwk(key, [](auto& o) { o["crv"] = "secp256k1"; }), "unsupported JWK curve");
  ExpectRejected(MutatedJwk(key, [](auto& o) { o["alg"] = "HS256"; }), "unsupported JWK algorithm");
  ExpectRejected("{\"kty\":", "failed to parse JWK");
  ExpectRejected("[]", "failed to parse JWK");
  ExpectRejected(MutatedJwk(TestKey(JwsAlgorithm::kRS256), [](auto& o) { o.erase("p"); }), "JWK is missing \"p\"");
  ExpectRejected(MutatedJwk(TestKey(JwsAlgorithm::kEdDSA), [](auto& o) { o["crv"] = "X25519"; }),
                 "unsupported JWK curve");
}

TEST(JoseTest, MissingAlgDefaultsFromKeyType) {
  struct Case {
    JwsAlgorithm generated;
    JwsAlgorithm expected;
  };
  for (const Case& c :
       {Case{JwsAlgorithm::kRS384, JwsAlgorithm::kRS256}, Case{JwsAlgorithm::kES256, JwsAlgorithm::kES256},
        Case{JwsAlgorithm::kEdDSA, JwsAlgorithm::kEdDSA}}) {
    auto key = SigningKey::FromPrivateJwk(MutatedJwk(TestKey(c.generated), [](auto& o) { o.erase("alg"); }));
    ASSERT_TRUE(key.ok()) << key.status().message();
    EXPECT_EQ(key->algorithm(), c.expected);
    EXPECT_EQ(key->PublicJwk().at("alg").as_string(), AlgorithmName(c.expected));
    EXPECT_TRUE(VerifyJwt(*SignJwt(*key, kClaims), TestKey(c.generated).Public(), c.expected).ok() ||
                c.generated != c.expected);
  }
  // EC defaults to ES256, which does not fit a P-384 key.
  ExpectRejected(MutatedJwk(TestKey(JwsAlgorithm::kES384), [](auto& o) { o.erase("alg"); }),
                 "algorithm ES256 does not fit the EC P-384 key");
}

TEST(JoseTest, AlgorithmMustFitTheKey) {
  ExpectRejected(MutatedJwk(TestKey(JwsAlgorithm::kES256), [](auto& o) { o["alg"] = "ES384"; }),
                 "algorithm ES384 does not fit the EC P-256 key");
  ExpectRejected(MutatedJwk(TestKey(JwsAlgorithm::kES256), [](auto& o) { o["alg"] = "EdDSA"; }),
                 "algorithm EdDSA does not fit the EC P-256 key");
  ExpectRejected(MutatedJwk(TestKey(JwsAlgorithm::kES512), [](auto& o) { o["alg"] = "RS256"; }),
                 "algorithm RS256 does not fit the EC P-521 key");
  ExpectRejected(MutatedJwk(TestKey(JwsAlgorithm::kEdDSA), [](auto& o) { o["alg"] = "ES256"; }),
                 "algorithm ES256 does not fit the OKP Ed25519 key");
  ExpectRejected(MutatedJwk(TestKey(JwsAlgorithm::kRS256), [](auto& o) { o["alg"] = "EdDSA"; }),
                 "algorithm EdDSA does not fit the RSA key");
  // Any RS* fits any RSA key (jwx does not tie RS384 to 3072 bits either).
  auto rs384 =
      SigningKey::FromPrivateJwk(MutatedJwk(TestKey(JwsAlgorithm::kRS256), [](auto& o) { o["alg"] = "RS384"; }));
  ASSERT_TRUE(rs384.ok());
  EXPECT_EQ(rs384->Sign("x")->size(), 256u);
}

TEST(JoseTest, PrivateAndPublicHalvesMustMatch) {
  for (JwsAlgorithm alg : {JwsAlgorithm::kES256, JwsAlgorithm::kEdDSA}) {
    const json::object other = TestKey(alg).PublicJwk();
    auto fresh = SigningKey::Generate(alg);
    ASSERT_TRUE(fresh.ok());
    ExpectRejected(MutatedJwk(*fresh,
                              [&](auto& o) {
                                o["x"] = other.at("x");
                                if (other.contains("y")) o["y"] = other.at("y");  // keep the point on the curve
                              }),
                   "does not match");
  }
  // RSA: swap in a CRT coefficient / exponent from another key.
  const json::object rs = ParseObject(TestKey(JwsAlgorithm::kRS256).PrivateJwkJson());
  for (const char* member : {"qi", "d", "dp", "n"}) {
    ExpectRejected(MutatedJwk(TestKey(JwsAlgorithm::kRS384), [&](auto& o) { o[member] = rs.at(member); }),
                   "inconsistent");
  }
}

TEST(JoseTest, VerificationKeyAcceptsOtherImplementationsEncodings) {
  // EC coordinates with the leading zero byte stripped (PyJWT's to_jwk does that) and padded base64.
  for (int attempt = 0; attempt < 5000; ++attempt) {
    auto key = SigningKey::Generate(JwsAlgorithm::kES256);
    ASSERT_TRUE(key.ok());
    json::object pub = key->PublicJwk();
    const std::string x = *Base64UrlDecode(pub.at("x").as_string());
    if (x[0] != '\0') continue;
    pub["x"] = Base64StdEncode(x.substr(1));  // short, padded, standard alphabet
    pub.erase("alg");
    auto vk = VerificationKey::FromJwk(pub);
    ASSERT_TRUE(vk.ok()) << vk.status().message();
    EXPECT_EQ(vk->algorithm(), std::nullopt);
    EXPECT_TRUE(VerifyJwt(*SignJwt(*key, kClaims), *vk, JwsAlgorithm::kES256).ok());
    return;
  }
  FAIL() << "no P-256 key with a leading zero x byte in 5000 tries";
}

TEST(JoseTest, VerificationKeyRejectsBadJwks) {
  json::object rsa = TestKey(JwsAlgorithm::kRS256).PublicJwk();
  const auto rejected = [](const json::object& o) { return !VerificationKey::FromJwk(o).ok(); };
  json::object o = rsa;
  o.erase("n");
  EXPECT_TRUE(rejected(o));
  o = rsa;
  o["n"] = Base64UrlEncode("\xc3" + RandomBytes(63));  // 512-bit modulus: too small
  EXPECT_TRUE(rejected(o));
  o = rsa;
  o["alg"] = "ES256";
  EXPECT_TRUE(rejected(o));
  json::object ec = TestKey(JwsAlgorithm::kES256).PublicJwk();
  o = ec;
  o["y"] = o.at("x");  // not on the curve
  EXPECT_TRUE(rejected(o));
  o = ec;
  o["x"] = Base64UrlEncode(std::string(33, '\x01'));  // too long for P-256
  EXPECT_TRUE(rejected(o));
  json::object ed = TestKey(JwsAlgorithm::kEdDSA).PublicJwk();
  o = ed;
  o["x"] = Base64UrlEncode(std::string(31, '\x01'));
  EXPECT_TRUE(rejected(o));
  EXPECT_TRUE(rejected(json::object{{"kty", "oct"}, {"k", "AAAA"}}));
  o = ec;
  o["use"] = "enc";
  EXPECT_TRUE(rejected(o));
  o.erase("use");
  EXPECT_FALSE(rejected(o));
}

TEST(JoseTest, JwkStringsAreEscapedLikeGo) {
  // A kid with characters Go's encoder escapes: HTML-sensitive ones, quote, backslash, controls, U+2028.
  const std::string kid = std::string("a<b>&\"\\\n\x01\t\xe2\x80\xa8") + "\xc3\xa9";
  auto key = SigningKey::FromPrivateJwk(
      MutatedJwk(TestKey(JwsAlgorithm::kEdDSA), [&](auto& o) { o["kid"] = json::string(kid); }));
  ASSERT_TRUE(key.ok()) << key.status().message();
  EXPECT_EQ(key->kid(), kid);
  const std::string expected = "\"kid\":\"a\\u003cb\\u003e\\u0026\\\"\\\\\\n\\u0001\\t\\u2028\xc3\xa9\"";
  EXPECT_NE(key->PublicJwkJson().find(expected), std::string::npos) << key->PublicJwkJson();
  EXPECT_NE(key->PrivateJwkJson().find(expected), std::string::npos);
  EXPECT_EQ(ParseObject(key->PrivateJwkJson()).at("kid").as_string(), kid);  // parses back to the same kid

  // Invalid UTF-8 becomes U+FFFD, as in Go (reachable through the typ header).
  auto token = SignJwt(*key, kClaims, std::string("x\xff\xc3"));
  ASSERT_TRUE(token.ok());
  const std::string header = *Base64UrlDecode(token->substr(0, token->find('.')));
  EXPECT_NE(header.find("\"typ\":\"x\\ufffd\\ufffd\""), std::string::npos) << header;
}

TEST(JoseTest, ConcurrentSigningOnOneKey) {
  for (JwsAlgorithm alg : {JwsAlgorithm::kRS256, JwsAlgorithm::kES256, JwsAlgorithm::kEdDSA}) {
    const SigningKey key = TestKey(alg);  // copies share the parsed key
    const VerificationKey pub = key.Public();
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < 25; ++i) {
          json::object claims = {{"t", t}, {"i", i}};
          auto token = SignJwt(key, claims);
          if (!token.ok() || !VerifyJwt(*token, pub, alg).ok()) ++failures;
        }
      });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(failures.load(), 0) << AlgorithmName(alg);
  }
}

}  // namespace
}  // namespace pocketid::crypto
