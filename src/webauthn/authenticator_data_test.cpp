#include "webauthn/authenticator_data.h"

#include <gtest/gtest.h>

#include "core/crypto/hash.h"
#include "webauthn/cbor.h"
#include "webauthn/errors.h"
#include "webauthn/test_util.h"

namespace pocketid::webauthn {
namespace {

using testing::Assertion;
using testing::Registration;

std::string RegistrationAuthData(std::string_view name) {
  static std::string storage;  // keeps the decoded object's bytes alive for the views
  storage = Registration(name).attestation_object;
  auto root = DecodeCbor(std::string_view(storage), nullptr);
  EXPECT_TRUE(root.ok());
  return std::string(root->Find("authData")->bytes());
}

std::string Header(uint8_t flags, std::string_view rp_id = "id.example.com") {
  return crypto::Sha256(rp_id) + std::string(1, static_cast<char>(flags)) + std::string("\x00\x00\x00\x2a", 4);
}

void ExpectMalformed(const std::string& raw, std::string_view message) {
  auto ad = ParseAuthenticatorData(raw);
  ASSERT_FALSE(ad.ok());
  EXPECT_EQ(ad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ad.status().message(), message);
}

TEST(AuthenticatorDataTest, ParsesAttestedCredentialData) {
  const auto v = Registration("none_es256");
  auto ad = ParseAuthenticatorData(RegistrationAuthData("none_es256"));
  ASSERT_TRUE(ad.ok()) << ad.status().message();
  EXPECT_EQ(ad->rp_id_hash, crypto::Sha256("id.example.com"));
  EXPECT_EQ(ad->flags, kFlagUserPresent | kFlagUserVerified | kFlagAttestedCredentialData);
  EXPECT_TRUE(ad->user_present());
  EXPECT_TRUE(ad->user_verified());
  EXPECT_FALSE(ad->backup_eligible());
  EXPECT_FALSE(ad->has_extensions());
  EXPECT_EQ(ad->sign_count, 0u);
  ASSERT_TRUE(ad->attested_credential.has_value());
  EXPECT_EQ(ad->attested_credential->credential_id, v.credential_id);
  EXPECT_EQ(ad->attested_credential->public_key, v.public_key);
  EXPECT_EQ(FormatAaguid(ad->attested_credential->aaguid), "ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4");
  EXPECT_TRUE(ad->extensions.empty());
}

TEST(AuthenticatorDataTest, ExtensionsFollowTheCoseKey) {
  const auto v = Registration("none_extensions");
  auto ad = ParseAuthenticatorData(RegistrationAuthData("none_extensions"));
  ASSERT_TRUE(ad.ok()) << ad.status().message();
  EXPECT_TRUE(ad->has_extensions());
  EXPECT_EQ(ad->attested_credential->public_key, v.public_key);
  auto ext = DecodeCbor(std::string_view(ad->extensions), nullptr);
  ASSERT_TRUE(ext.ok());
  EXPECT_EQ(ext->Find("credProtect")->AsInt64(), 2);
}

TEST(AuthenticatorDataTest, AssertionAuthData) {
  auto ad = ParseAuthenticatorData(Assertion("valid_es256").authenticator_data);
  ASSERT_TRUE(ad.ok());
  EXPECT_EQ(ad->sign_count, 7u);
  EXPECT_FALSE(ad->attested_credential.has_value());
  auto plain = ParseAuthenticatorData(Header(kFlagUserPresent));
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->sign_count, 42u);
  auto with_ext = ParseAuthenticatorData(Assertion("extensions").authenticator_data);
  ASSERT_TRUE(with_ext.ok());
  EXPECT_FALSE(with_ext->extensions.empty());
}

TEST(AuthenticatorDataTest, TooShort) {
  ExpectMalformed(std::string(36, '\0'), "authenticator data: 36 bytes is shorter than the 37-byte minimum");
  ExpectMalformed("", "authenticator data: 0 bytes is shorter than the 37-byte minimum");
}

TEST(AuthenticatorDataTest, TrailingBytes) {
  ExpectMalformed(Header(kFlagUserPresent) + "x", "authenticator data: 1 trailing bytes");
  ExpectMalformed(RegistrationAuthData("none_es256") + "xy", "authenticator data: 2 trailing bytes");
  ExpectMalformed(Assertion("trailing_bytes").authenticator_data, "authenticator data: 1 trailing bytes");
}

TEST(AuthenticatorDataTest, TruncatedAttestedCredentialData) {
  const std::string full = RegistrationAuthData("none_es256");
  ExpectMalformed(full.substr(0, 40), "authenticator data: attested credential data flag set but the data is truncated");
  ExpectMalformed(full.substr(0, 60), "authenticator data: credential ID is truncated");
  auto cut = ParseAuthenticatorData(full.substr(0, full.size() - 3));
  ASSERT_FALSE(cut.ok());
  EXPECT_NE(cut.status().message().find("authenticator data: credential public key: CBOR:"), std::string::npos)
      << cut.status().message();
  EXPECT_EQ(ClassifyFailure(cut.status()), FailureKind::kMalformed);
}

TEST(AuthenticatorDataTest, CredentialIdLength) {
  const std::string aaguid(16, '\0');
  const std::string key = Assertion("valid_es256").public_key;
  const auto with_id_length = [&](size_t len) {
    return Header(kFlagUserPresent | kFlagAttestedCredentialData) + aaguid +
           std::string{static_cast<char>(len >> 8), static_cast<char>(len & 0xff)} + std::string(len, 'i') + key;
  };
  EXPECT_TRUE(ParseAuthenticatorData(with_id_length(1023)).ok());
  ExpectMalformed(with_id_length(1024), "authenticator data: credential ID length 1024 exceeds 1023");
  ExpectMalformed(with_id_length(0), "authenticator data: credential ID is empty");
}

TEST(AuthenticatorDataTest, CoseKeyMustBeAMap) {
  const std::string prefix =
      Header(kFlagUserPresent | kFlagAttestedCredentialData) + std::string(16, '\0') + std::string("\x00\x01i", 3);
  ExpectMalformed(prefix + "\x01", "authenticator data: credential public key is not a CBOR map");
}

TEST(AuthenticatorDataTest, ExtensionFlagRules) {
  ExpectMalformed(Header(kFlagUserPresent | kFlagExtensionData),
                  "authenticator data: extension data flag set but no extensions follow");
  ExpectMalformed(Header(kFlagUserPresent | kFlagExtensionData) + "\x80",
                  "authenticator data: extensions is not a CBOR map");
  ExpectMalformed(Header(kFlagUserPresent) + "\xa0", "authenticator data: 1 trailing bytes");  // ED not set
  EXPECT_TRUE(ParseAuthenticatorData(Header(kFlagUserPresent | kFlagExtensionData) + "\xa0").ok());
}

TEST(AuthenticatorDataTest, VerifyRpIdAndUserFlags) {
  auto ad = ParseAuthenticatorData(Header(kFlagUserPresent | kFlagUserVerified));
  ASSERT_TRUE(ad.ok());
  EXPECT_TRUE(VerifyRpIdAndUserFlags(*ad, "id.example.com", true).ok());
  const Status rp = VerifyRpIdAndUserFlags(*ad, "example.com", true);
  EXPECT_EQ(rp.code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(rp.message(), "RP ID hash mismatch");

  ad->flags = kFlagUserPresent;
  const Status uv = VerifyRpIdAndUserFlags(*ad, "id.example.com", true);
  EXPECT_EQ(uv.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(uv.message(), "user verification required but flag not set by authenticator");
  EXPECT_EQ(ClassifyFailure(uv), FailureKind::kUserVerificationMissing);
  EXPECT_TRUE(VerifyRpIdAndUserFlags(*ad, "id.example.com", false).ok());

  ad->flags = kFlagUserVerified;
  EXPECT_EQ(VerifyRpIdAndUserFlags(*ad, "id.example.com", false).message(),
            "user presence required but flag not set by authenticator");
}

TEST(AuthenticatorDataTest, VerifyBackupFlags) {
  AuthenticatorData ad;
  for (uint8_t flags : {0, int{kFlagBackupEligible}, kFlagBackupEligible | kFlagBackupState}) {
    ad.flags = flags;
    EXPECT_TRUE(VerifyBackupFlags(ad).ok());
  }
  ad.flags = kFlagBackupState;
  EXPECT_EQ(VerifyBackupFlags(ad).message(), "backup state flag set but backup eligible flag not set");
}

TEST(AuthenticatorDataTest, FormatAaguid) {
  EXPECT_EQ(FormatAaguid(std::string(16, '\0')), "00000000-0000-0000-0000-000000000000");
  EXPECT_EQ(FormatAaguid(testing::Hex("adce000235bcc60a648b0b25f1f05503")), "adce0002-35bc-c60a-648b-0b25f1f05503");
}

}  // namespace
}  // namespace pocketid::webauthn
