#include "webauthn/assertion.h"

#include <gtest/gtest.h>

#include "webauthn/errors.h"
#include "webauthn/test_util.h"

namespace pocketid::webauthn {
namespace {

using testing::Assertion;
using testing::DefaultAssertionExpectations;

StatusOr<VerifiedAssertion> Verify(std::string_view name, bool require_uv = true, bool stored_be = false) {
  const auto v = Assertion(name);
  auto e = DefaultAssertionExpectations(v.public_key);
  e.require_user_verification = require_uv;
  e.stored_backup_eligible = stored_be;
  return VerifyAssertion(e, v.client_data_json, v.authenticator_data, v.signature);
}

void ExpectFailure(const StatusOr<VerifiedAssertion>& r, FailureKind kind, std::string_view message) {
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(ClassifyFailure(r.status()), kind) << r.status().message();
  EXPECT_EQ(r.status().message(), message);
}

class AssertionAlgorithmTest : public ::testing::TestWithParam<const char*> {};

TEST_P(AssertionAlgorithmTest, Valid) {
  auto r = Verify(std::string("valid_") + GetParam());
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->sign_count, 7u);
  EXPECT_EQ(r->flags, 0x05);
  EXPECT_TRUE(r->user_present);
  EXPECT_TRUE(r->user_verified);
  EXPECT_FALSE(r->backup_eligible);
  EXPECT_FALSE(r->backup_state);
}

INSTANTIATE_TEST_SUITE_P(AllAlgorithms, AssertionAlgorithmTest,
                         ::testing::Values("es256", "es384", "es512", "rs256", "rs384", "rs512", "ps256", "ps384",
                                           "ps512", "eddsa"));

TEST(AssertionTest, WrongOrigin) {
  const auto v = Assertion("valid_es256");
  auto e = DefaultAssertionExpectations(v.public_key);
  e.origins = {"https://other.example", "https://id.example.com:443"};
  ExpectFailure(VerifyAssertion(e, v.client_data_json, v.authenticator_data, v.signature),
                FailureKind::kVerificationFailed, "origin https://id.example.com does not match");
}

TEST(AssertionTest, RpIdHashMismatch) {
  const auto v = Assertion("valid_es256");
  auto e = DefaultAssertionExpectations(v.public_key);
  e.rp_id = "evil.example";
  ExpectFailure(VerifyAssertion(e, v.client_data_json, v.authenticator_data, v.signature),
                FailureKind::kVerificationFailed, "RP ID hash mismatch");
}

TEST(AssertionTest, ChallengeMismatch) {
  const auto v = Assertion("valid_es256");
  auto e = DefaultAssertionExpectations(v.public_key);
  e.challenge.pop_back();
  ExpectFailure(VerifyAssertion(e, v.client_data_json, v.authenticator_data, v.signature),
                FailureKind::kVerificationFailed, "challenge mismatch");
}

TEST(AssertionTest, WrongType) {
  ExpectFailure(Verify("wrong_type"), FailureKind::kVerificationFailed,
                "client data type \"webauthn.create\" is not \"webauthn.get\"");
}

TEST(AssertionTest, CrossOriginAndTopOrigin) {
  ExpectFailure(Verify("cross_origin"), FailureKind::kVerificationFailed, "cross-origin ceremonies are not allowed");
  ExpectFailure(Verify("top_origin"), FailureKind::kVerificationFailed,
                "topOrigin https://top.example given without crossOrigin");
}

TEST(AssertionTest, BadSignature) {
  ExpectFailure(Verify("bad_sig"), FailureKind::kVerificationFailed, "signature verification failed");
}

TEST(AssertionTest, SignatureOverTamperedClientData) {
  const auto v = Assertion("valid_es256");
  std::string cd = v.client_data_json;
  cd.insert(cd.size() - 1, R"(,"extra":1)");  // still valid JSON, same checks pass, different hash
  ExpectFailure(VerifyAssertion(DefaultAssertionExpectations(v.public_key), cd, v.authenticator_data, v.signature),
                FailureKind::kVerificationFailed, "signature verification failed");
}

TEST(AssertionTest, WrongStoredKey) {
  const auto v = Assertion("valid_es256");
  auto e = DefaultAssertionExpectations(Assertion("valid_es384").public_key);
  ExpectFailure(VerifyAssertion(e, v.client_data_json, v.authenticator_data, v.signature),
                FailureKind::kVerificationFailed, "signature verification failed");
  e.credential_public_key = "garbage";
  auto r = VerifyAssertion(e, v.client_data_json, v.authenticator_data, v.signature);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(ClassifyFailure(r.status()), FailureKind::kVerificationFailed);
  EXPECT_EQ(r.status().message().rfind("stored CBOR:", 0), 0u) << r.status().message();
}

TEST(AssertionTest, UserVerification) {
  ExpectFailure(Verify("no_uv"), FailureKind::kUserVerificationMissing,
                "user verification required but flag not set by authenticator");
  auto r = Verify("no_uv", /*require_uv=*/false);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_FALSE(r->user_verified);
}

TEST(AssertionTest, UserPresence) {
  ExpectFailure(Verify("no_up", false), FailureKind::kVerificationFailed,
                "user presence required but flag not set by authenticator");
}

TEST(AssertionTest, BackupEligibleMustMatchTheStoredCredential) {
  auto synced = Verify("synced", true, /*stored_be=*/true);
  ASSERT_TRUE(synced.ok()) << synced.status().message();
  EXPECT_TRUE(synced->backup_eligible);
  EXPECT_TRUE(synced->backup_state);
  EXPECT_TRUE(Verify("backup_eligible_not_synced", true, true).ok());
  ExpectFailure(Verify("synced", true, /*stored_be=*/false), FailureKind::kVerificationFailed,
                "backup eligible flag differs from the stored credential's");
  ExpectFailure(Verify("valid_es256", true, /*stored_be=*/true), FailureKind::kVerificationFailed,
                "backup eligible flag differs from the stored credential's");
}

TEST(AssertionTest, BackupStateWithoutBackupEligible) {
  ExpectFailure(Verify("bs_without_be"), FailureKind::kVerificationFailed,
                "backup state flag set but backup eligible flag not set");
}

TEST(AssertionTest, TrailingBytes) {
  ExpectFailure(Verify("trailing_bytes"), FailureKind::kMalformed, "authenticator data: 1 trailing bytes");
}

TEST(AssertionTest, TruncatedAuthData) {
  ExpectFailure(Verify("truncated_auth_data"), FailureKind::kMalformed,
                "authenticator data: 36 bytes is shorter than the 37-byte minimum");
}

TEST(AssertionTest, ExtensionsAreAccepted) {
  auto r = Verify("extensions");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->flags, 0x85);
}

TEST(AssertionTest, MalformedClientData) {
  const auto v = Assertion("valid_es256");
  ExpectFailure(VerifyAssertion(DefaultAssertionExpectations(v.public_key), "{\"type\":5}", v.authenticator_data,
                                v.signature),
                FailureKind::kMalformed, "clientDataJSON: \"type\" must be a string");
}

}  // namespace
}  // namespace pocketid::webauthn
