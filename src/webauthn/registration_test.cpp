#include "webauthn/registration.h"

#include <gtest/gtest.h>

#include "webauthn/cbor.h"
#include "webauthn/errors.h"
#include "webauthn/test_util.h"

namespace pocketid::webauthn {
namespace {

using testing::CborBytes;
using testing::CborInt;
using testing::CborMap;
using testing::CborText;
using testing::DefaultRegistrationExpectations;
using testing::Registration;

StatusOr<RegisteredCredential> Verify(std::string_view name,
                                      const RegistrationExpectations& e = DefaultRegistrationExpectations()) {
  const auto v = Registration(name);
  return VerifyRegistration(e, v.client_data_json, v.attestation_object);
}

void ExpectFailure(const StatusOr<RegisteredCredential>& r, FailureKind kind, std::string_view message) {
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(ClassifyFailure(r.status()), kind) << r.status().message();
  EXPECT_EQ(r.status().message(), message);
}

// The authData of a vector, for re-wrapping into a hand-made attestation object.
std::string AuthData(std::string_view name) {
  const std::string object = Registration(name).attestation_object;
  auto root = DecodeCbor(std::string_view(object), nullptr);
  EXPECT_TRUE(root.ok());
  return std::string(root->Find("authData")->bytes());
}

class NoneRegistrationTest : public ::testing::TestWithParam<std::pair<const char*, int64_t>> {};

TEST_P(NoneRegistrationTest, Valid) {
  const auto [name, alg] = GetParam();
  const auto v = Registration(name);
  auto r = Verify(name);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->credential_id, v.credential_id);
  EXPECT_EQ(r->public_key, v.public_key);
  EXPECT_EQ(r->algorithm, alg);
  EXPECT_EQ(r->attestation_type, "none");
  EXPECT_EQ(r->attestation_format, "none");
  EXPECT_EQ(r->aaguid, testing::Hex("ea9b8d664d011d213ce4b6b48cb575d4"));
  EXPECT_EQ(r->aaguid_string, "ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4");
  EXPECT_EQ(r->sign_count, 0u);
  EXPECT_TRUE(r->user_present);
  EXPECT_TRUE(r->user_verified);
  EXPECT_FALSE(r->backup_eligible);
  EXPECT_FALSE(r->backup_state);
}

INSTANTIATE_TEST_SUITE_P(KeyTypes, NoneRegistrationTest,
                         ::testing::Values(std::pair{"none_es256", -7}, std::pair{"none_rs256", -257},
                                           std::pair{"none_eddsa", -8}),
                         [](const auto& info) { return std::string(info.param.first); });

TEST(RegistrationTest, SyncedPasskeyFlags) {
  auto r = Verify("none_synced");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_TRUE(r->backup_eligible);
  EXPECT_TRUE(r->backup_state);
}

TEST(RegistrationTest, ExtensionsAfterTheKey) {
  auto r = Verify("none_extensions");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->public_key, Registration("none_extensions").public_key);
}

TEST(RegistrationTest, PackedSelfAttestation) {
  auto r = Verify("packed_self_es256");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->attestation_type, "basic_surrogate");
  EXPECT_EQ(r->attestation_format, "packed");
  EXPECT_EQ(r->algorithm, -7);
}

TEST(RegistrationTest, PackedX5cAttestation) {
  auto r = Verify("packed_x5c_es256");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->attestation_type, "basic_full");
  EXPECT_EQ(r->attestation_format, "packed");
  auto no_ext = Verify("packed_x5c_no_aaguid_ext");  // the AAGUID extension is optional
  ASSERT_TRUE(no_ext.ok()) << no_ext.status().message();
  EXPECT_EQ(no_ext->attestation_type, "basic_full");
}

// --- client data ---

TEST(RegistrationTest, WrongOrigin) {
  auto e = DefaultRegistrationExpectations();
  e.origins = {"https://other.example"};
  ExpectFailure(Verify("none_es256", e), FailureKind::kVerificationFailed,
                "origin https://id.example.com does not match");
  // A "none" attestation does not sign clientDataJSON, so a forged one shows the browser-reported origin.
  const auto v = Registration("none_es256");
  const std::string forged = R"({"type":"webauthn.create","challenge":")" + testing::Challenge() +
                             R"(","origin":"http://evil.example","crossOrigin":false})";
  ExpectFailure(VerifyRegistration(DefaultRegistrationExpectations(), forged, v.attestation_object),
                FailureKind::kVerificationFailed, "origin http://evil.example does not match");
}

TEST(RegistrationTest, ChallengeMismatch) {
  auto e = DefaultRegistrationExpectations();
  e.challenge[0] = e.challenge[0] == 'A' ? 'B' : 'A';
  ExpectFailure(Verify("none_es256", e), FailureKind::kVerificationFailed, "challenge mismatch");
}

TEST(RegistrationTest, WrongType) {
  ExpectFailure(Verify("none_wrong_type"), FailureKind::kVerificationFailed,
                "client data type \"webauthn.get\" is not \"webauthn.create\"");
}

TEST(RegistrationTest, CrossOrigin) {
  ExpectFailure(Verify("none_cross_origin"), FailureKind::kVerificationFailed,
                "cross-origin ceremonies are not allowed");
}

// --- authenticator data ---

TEST(RegistrationTest, RpIdHashMismatch) {
  auto e = DefaultRegistrationExpectations();
  e.rp_id = "example.com";
  ExpectFailure(Verify("none_es256", e), FailureKind::kVerificationFailed, "RP ID hash mismatch");
}

TEST(RegistrationTest, UserVerification) {
  ExpectFailure(Verify("none_no_uv"), FailureKind::kUserVerificationMissing,
                "user verification required but flag not set by authenticator");
  auto e = DefaultRegistrationExpectations();
  e.require_user_verification = false;  // webauthnUserVerification = preferred
  auto r = Verify("none_no_uv", e);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_FALSE(r->user_verified);
}

TEST(RegistrationTest, UserPresence) {
  auto e = DefaultRegistrationExpectations();
  e.require_user_verification = false;
  ExpectFailure(Verify("none_no_up", e), FailureKind::kVerificationFailed,
                "user presence required but flag not set by authenticator");
}

TEST(RegistrationTest, BackupStateWithoutBackupEligible) {
  ExpectFailure(Verify("none_bs_without_be"), FailureKind::kVerificationFailed,
                "backup state flag set but backup eligible flag not set");
}

TEST(RegistrationTest, TrailingBytesInAuthData) {
  ExpectFailure(Verify("none_trailing_bytes"), FailureKind::kMalformed, "authenticator data: 1 trailing bytes");
}

TEST(RegistrationTest, TruncatedAuthData) {
  auto r = Verify("truncated_auth_data");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(ClassifyFailure(r.status()), FailureKind::kMalformed);
  EXPECT_EQ(r.status().message().rfind("authenticator data: credential public key: CBOR:", 0), 0u)
      << r.status().message();
}

TEST(RegistrationTest, CredentialIdTooLong) {
  ExpectFailure(Verify("none_cred_id_too_long"), FailureKind::kMalformed,
                "authenticator data: credential ID length 1024 exceeds 1023");
}

TEST(RegistrationTest, AlgorithmNotAllowed) {
  auto e = DefaultRegistrationExpectations();
  e.allowed_algorithms = {-257, -8};
  ExpectFailure(Verify("none_es256", e), FailureKind::kVerificationFailed,
                "credential public key algorithm ES256 is not allowed");
}

TEST(RegistrationTest, MissingAttestedCredentialData) {
  std::string ad = AuthData("none_es256").substr(0, 37);
  ad[32] = static_cast<char>(0x05);  // UP | UV, no AT
  const std::string object =
      CborMap({{CborText("fmt"), CborText("none")}, {CborText("attStmt"), "\xa0"}, {CborText("authData"), CborBytes(ad)}});
  const auto v = Registration("none_es256");
  ExpectFailure(VerifyRegistration(DefaultRegistrationExpectations(), v.client_data_json, object),
                FailureKind::kVerificationFailed, "attested credential data flag not set");
}

// --- attestation statements ---

TEST(RegistrationTest, NoneWithStatement) {
  const std::string object = CborMap({{CborText("fmt"), CborText("none")},
                                      {CborText("attStmt"), CborMap({{CborText("sig"), CborBytes("x")}})},
                                      {CborText("authData"), CborBytes(AuthData("none_es256"))}});
  const auto v = Registration("none_es256");
  ExpectFailure(VerifyRegistration(DefaultRegistrationExpectations(), v.client_data_json, object),
                FailureKind::kVerificationFailed, "attestation format none with a non-empty attestation statement");
}

TEST(RegistrationTest, NoneWithoutStatementMember) {
  // go-webauthn treats a missing attStmt as empty.
  const std::string object =
      CborMap({{CborText("fmt"), CborText("none")}, {CborText("authData"), CborBytes(AuthData("none_es256"))}});
  const auto v = Registration("none_es256");
  EXPECT_TRUE(VerifyRegistration(DefaultRegistrationExpectations(), v.client_data_json, object).ok());
}

TEST(RegistrationTest, UnsupportedFormat) {
  auto e = DefaultRegistrationExpectations();
  e.require_user_verification = false;
  ExpectFailure(Verify("fido_u2f", e), FailureKind::kVerificationFailed, "unsupported attestation format fido-u2f");
}

TEST(RegistrationTest, PackedSelfBadSignature) {
  ExpectFailure(Verify("packed_self_bad_sig"), FailureKind::kVerificationFailed,
                "packed self attestation: signature verification failed");
}

TEST(RegistrationTest, PackedSelfAlgorithmMismatch) {
  ExpectFailure(Verify("packed_self_alg_mismatch"), FailureKind::kVerificationFailed,
                "packed attestation: self attestation alg -257 does not match the credential key's ES256");
}

TEST(RegistrationTest, PackedX5cBadSignature) {
  ExpectFailure(Verify("packed_x5c_bad_sig"), FailureKind::kVerificationFailed,
                "packed attestation: signature verification failed");
}

TEST(RegistrationTest, PackedX5cAaguidMismatch) {
  ExpectFailure(Verify("packed_x5c_aaguid_mismatch"), FailureKind::kVerificationFailed,
                "packed attestation: certificate AAGUID does not match the authenticator data AAGUID");
}

TEST(RegistrationTest, PackedX5cCaCertificate) {
  ExpectFailure(Verify("packed_x5c_ca"), FailureKind::kVerificationFailed,
                "packed attestation: certificate basic constraints mark it as a CA");
}

TEST(RegistrationTest, PackedX5cWrongOrganizationalUnit) {
  ExpectFailure(Verify("packed_x5c_wrong_ou"), FailureKind::kVerificationFailed,
                "packed attestation: certificate organizational unit is not \"Authenticator Attestation\"");
}

TEST(RegistrationTest, PackedStatementShape) {
  const std::string ad = AuthData("packed_self_es256");
  const auto v = Registration("packed_self_es256");
  const auto with_stmt = [&](std::string stmt) {
    return CborMap({{CborText("fmt"), CborText("packed")}, {CborText("attStmt"), stmt}, {CborText("authData"), CborBytes(ad)}});
  };
  const auto e = DefaultRegistrationExpectations();
  ExpectFailure(VerifyRegistration(e, v.client_data_json, with_stmt("\xa0")), FailureKind::kMalformed,
                "packed attestation: missing or invalid alg");
  ExpectFailure(VerifyRegistration(e, v.client_data_json, with_stmt(CborMap({{CborText("alg"), CborInt(-7)}}))),
                FailureKind::kMalformed, "packed attestation: missing or invalid sig");
  ExpectFailure(VerifyRegistration(e, v.client_data_json,
                                   with_stmt(CborMap({{CborText("alg"), CborInt(-7)},
                                                      {CborText("sig"), CborBytes("s")},
                                                      {CborText("x5c"), "\x80"}}))),
                FailureKind::kMalformed, "packed attestation: x5c must be a non-empty array");
  ExpectFailure(VerifyRegistration(e, v.client_data_json,
                                   with_stmt(CborMap({{CborText("alg"), CborInt(-7)},
                                                      {CborText("sig"), CborBytes("s")},
                                                      {CborText("x5c"), std::string("\x81\x43\x30\x01\x00", 5)}}))),
                FailureKind::kMalformed, "packed attestation: x5c entry is not a DER certificate");
  ExpectFailure(VerifyRegistration(e, v.client_data_json,
                                   with_stmt(CborMap({{CborText("alg"), CborInt(-7)},
                                                      {CborText("sig"), CborBytes("s")},
                                                      {CborText("ecdaaKeyId"), CborBytes("k")}}))),
                FailureKind::kVerificationFailed, "packed attestation: ECDAA attestation is not supported");
}

// --- malformed input ---

TEST(RegistrationTest, MalformedAttestationObject) {
  const auto v = Registration("none_es256");
  const auto e = DefaultRegistrationExpectations();
  ExpectFailure(VerifyRegistration(e, v.client_data_json, ""), FailureKind::kMalformed,
                "attestation object: CBOR: unexpected end of input at offset 0");
  ExpectFailure(VerifyRegistration(e, v.client_data_json, v.attestation_object + std::string(1, '\0')), FailureKind::kMalformed,
                "attestation object: CBOR: 1 trailing bytes after the item");
  ExpectFailure(VerifyRegistration(e, v.client_data_json, "\x80"), FailureKind::kMalformed,
                "attestation object: not a CBOR map");
  ExpectFailure(VerifyRegistration(e, v.client_data_json, CborMap({{CborText("fmt"), CborInt(1)}})),
                FailureKind::kMalformed, "attestation object: missing or invalid fmt");
  ExpectFailure(VerifyRegistration(e, v.client_data_json, CborMap({{CborText("fmt"), CborText("none")}})),
                FailureKind::kMalformed, "attestation object: missing or invalid authData");
  ExpectFailure(VerifyRegistration(e, "not json", v.attestation_object), FailureKind::kMalformed,
                "clientDataJSON: invalid JSON: syntax error");
}

TEST(RegistrationTest, InvalidCredentialKeyIsMalformed) {
  // Rebuild authData around an off-curve key.
  std::string ad = AuthData("none_es256");
  const std::string key = Registration("none_es256").public_key;
  const size_t at = ad.find(key);
  ASSERT_NE(at, std::string::npos);
  ad[at + key.size() - 1] ^= 1;  // last byte of y
  const std::string object =
      CborMap({{CborText("fmt"), CborText("none")}, {CborText("attStmt"), "\xa0"}, {CborText("authData"), CborBytes(ad)}});
  ExpectFailure(VerifyRegistration(DefaultRegistrationExpectations(), Registration("none_es256").client_data_json, object),
                FailureKind::kMalformed, "credential public key: COSE key: EC2 point is not on the curve");
}

}  // namespace
}  // namespace pocketid::webauthn
