#include "webauthn/response_json.h"

#include <gtest/gtest.h>

#include "core/crypto/encoding.h"
#include "webauthn/errors.h"
#include "webauthn/test_util.h"

namespace pocketid::webauthn {
namespace {

using crypto::Base64UrlEncode;
using testing::Assertion;
using testing::Registration;

std::string Padded(std::string_view bytes) {
  std::string s = Base64UrlEncode(bytes);
  while (s.size() % 4 != 0) s.push_back('=');
  return s;
}

std::string RegistrationJson(const testing::RegistrationVector& v, bool padded = false) {
  const auto enc = [&](std::string_view b) { return padded ? Padded(b) : Base64UrlEncode(b); };
  return R"({"id":")" + Base64UrlEncode(v.credential_id) + R"(","rawId":")" + enc(v.credential_id) +
         R"(","type":"public-key","response":{"clientDataJSON":")" + enc(v.client_data_json) +
         R"(","attestationObject":")" + enc(v.attestation_object) +
         R"(","transports":["internal","cable"]},"clientExtensionResults":{"credProps":{"rk":true}},)"
         R"("authenticatorAttachment":"platform"})";
}

std::string AuthenticationJson(const testing::AssertionVector& v, std::string_view user_handle_member) {
  const std::string id = Base64UrlEncode("credential");
  return R"({"id":")" + id + R"(","rawId":")" + id + R"(","type":"public-key","response":{"clientDataJSON":")" +
         Base64UrlEncode(v.client_data_json) + R"(","authenticatorData":")" + Base64UrlEncode(v.authenticator_data) +
         R"(","signature":")" + Base64UrlEncode(v.signature) + "\"" + std::string(user_handle_member) +
         R"(},"clientExtensionResults":{},"authenticatorAttachment":"cross-platform"})";
}

void ExpectMalformed(const Status& s, std::string_view message) {
  EXPECT_EQ(ClassifyFailure(s), FailureKind::kMalformed);
  EXPECT_EQ(s.message(), message);
}

TEST(ResponseJsonTest, RegistrationRoundTripsIntoVerification) {
  for (bool padded : {false, true}) {
    SCOPED_TRACE(padded ? "padded" : "unpadded");
    const auto v = Registration("none_es256");
    auto r = ParseRegistrationResponseJson(RegistrationJson(v, padded));
    ASSERT_TRUE(r.ok()) << r.status().message();
    EXPECT_EQ(r->id, Base64UrlEncode(v.credential_id));
    EXPECT_EQ(r->raw_id, v.credential_id);
    EXPECT_EQ(r->type, "public-key");
    EXPECT_EQ(r->client_data_json, v.client_data_json);
    EXPECT_EQ(r->attestation_object, v.attestation_object);
    EXPECT_EQ(r->transports, (std::vector<std::string>{"internal", "hybrid"}));
    EXPECT_EQ(r->client_extension_results, R"({"credProps":{"rk":true}})");
    EXPECT_EQ(r->authenticator_attachment, "platform");
    auto cred = VerifyRegistration(testing::DefaultRegistrationExpectations(), r->client_data_json,
                                   r->attestation_object);
    ASSERT_TRUE(cred.ok()) << cred.status().message();
    EXPECT_EQ(cred->credential_id, r->raw_id);
  }
}

TEST(ResponseJsonTest, AuthenticationRoundTripsIntoVerification) {
  const auto v = Assertion("valid_es256");
  auto r = ParseAuthenticationResponseJson(AuthenticationJson(v, R"(,"userHandle":"dXNlci0x")"));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->raw_id, "credential");
  EXPECT_EQ(r->user_handle, "user-1");
  EXPECT_EQ(r->signature, v.signature);
  EXPECT_EQ(r->authenticator_attachment, "cross-platform");
  EXPECT_EQ(r->client_extension_results, "{}");
  auto a = VerifyAssertion(testing::DefaultAssertionExpectations(v.public_key), r->client_data_json,
                           r->authenticator_data, r->signature);
  EXPECT_TRUE(a.ok()) << a.status().message();
}

TEST(ResponseJsonTest, OptionalMembers) {
  const auto v = Assertion("valid_es256");
  for (const char* handle : {"", R"(,"userHandle":null)", R"(,"userHandle":"")"}) {
    auto r = ParseAuthenticationResponseJson(AuthenticationJson(v, handle));
    ASSERT_TRUE(r.ok()) << handle << ": " << r.status().message();
    EXPECT_TRUE(r->user_handle.empty());
  }
  const auto reg = Registration("none_es256");
  const std::string minimal = R"({"id":")" + Base64UrlEncode(reg.credential_id) + R"(","rawId":")" +
                              Base64UrlEncode(reg.credential_id) + R"(","type":"public-key","response":{)"
                              R"("clientDataJSON":")" + Base64UrlEncode(reg.client_data_json) +
                              R"(","attestationObject":")" + Base64UrlEncode(reg.attestation_object) +
                              R"("},"authenticatorAttachment":"something-else"})";
  auto r = ParseRegistrationResponseJson(minimal);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_TRUE(r->transports.empty());
  EXPECT_EQ(r->client_extension_results, "{}");
  EXPECT_TRUE(r->authenticator_attachment.empty());
}

TEST(ResponseJsonTest, IdMustMatchRawId) {
  const auto v = Registration("none_es256");
  std::string json = RegistrationJson(v);
  const std::string id = Base64UrlEncode(v.credential_id);
  json.replace(json.find(id), id.size(), Base64UrlEncode("other"));
  ExpectMalformed(ParseRegistrationResponseJson(json).status(), "credential response: \"id\" does not match \"rawId\"");
}

TEST(ResponseJsonTest, Rejections) {
  const auto v = Registration("none_es256");
  const std::string good = RegistrationJson(v);
  const auto with = [&](std::string_view from, std::string_view to) {
    std::string s = good;
    const size_t at = s.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return s.replace(at, from.size(), to);
  };
  ExpectMalformed(ParseRegistrationResponseJson("").status(), "credential response: invalid JSON: incomplete JSON");
  ExpectMalformed(ParseRegistrationResponseJson(good + "x").status(), "credential response: invalid JSON: extra data");
  ExpectMalformed(ParseRegistrationResponseJson("[]").status(), "credential response: not a JSON object");
  ExpectMalformed(ParseRegistrationResponseJson(with(R"("type":"public-key")", R"("type":"password")")).status(),
                  "credential response: \"type\" is not \"public-key\"");
  ExpectMalformed(ParseRegistrationResponseJson(with(R"("id":)", R"("ident":)")).status(),
                  "credential response: missing \"id\"");
  ExpectMalformed(ParseRegistrationResponseJson(with(R"("rawId":)", R"("raw":)")).status(),
                  "credential response: missing \"rawId\"");
  ExpectMalformed(ParseRegistrationResponseJson(with(R"("response":)", R"("resp":)")).status(),
                  "credential response: missing \"response\"");
  ExpectMalformed(ParseRegistrationResponseJson(with(R"("attestationObject":)", R"("attObj":)")).status(),
                  "credential response: missing \"response.attestationObject\"");
  ExpectMalformed(ParseRegistrationResponseJson(with(R"("clientDataJSON":")", R"("clientDataJSON":"@@)")).status(),
                  "credential response: \"response.clientDataJSON\" is not base64url: illegal base64 data at input byte 0");
  ExpectMalformed(ParseRegistrationResponseJson(with(R"("transports":[)", R"("transports":[1,)")).status(),
                  "credential response: \"response.transports\" must hold strings");
  ExpectMalformed(ParseRegistrationResponseJson(
                      with(R"("clientExtensionResults":{"credProps":{"rk":true}})", R"("clientExtensionResults":[])"))
                      .status(),
                  "credential response: \"clientExtensionResults\" must be an object");
}

TEST(ResponseJsonTest, Base64Variants) {
  EXPECT_EQ(*DecodeBase64UrlLenient("Zm9v"), "foo");
  EXPECT_EQ(*DecodeBase64UrlLenient("Zm8"), "fo");
  EXPECT_EQ(*DecodeBase64UrlLenient("Zm8="), "fo");
  EXPECT_EQ(*DecodeBase64UrlLenient("Zg=="), "f");
  EXPECT_EQ(*DecodeBase64UrlLenient("Zh"), "f");  // non-zero unused bits, as Go's non-strict decoder
  EXPECT_EQ(*DecodeBase64UrlLenient("-_-_"), std::string("\xfb\xff\xbf", 3));
  EXPECT_FALSE(DecodeBase64UrlLenient("+/+/").ok());  // standard alphabet: not URL encoding
  EXPECT_FALSE(DecodeBase64UrlLenient("Zm=9v").ok());
  EXPECT_FALSE(DecodeBase64UrlLenient("Z").ok());
}

TEST(ResponseJsonTest, AuthenticationRejections) {
  const auto v = Assertion("valid_es256");
  std::string json = AuthenticationJson(v, "");
  json.replace(json.find(R"("signature")"), 11, R"("sig")");
  ExpectMalformed(ParseAuthenticationResponseJson(json).status(),
                  "credential response: missing \"response.signature\"");
  ExpectMalformed(ParseAuthenticationResponseJson(AuthenticationJson(v, R"(,"userHandle":7)")).status(),
                  "credential response: \"response.userHandle\" must be a string");
}

}  // namespace
}  // namespace pocketid::webauthn
