#include "webauthn/client_data.h"

#include <gtest/gtest.h>

namespace pocketid::webauthn {
namespace {

const std::vector<std::string> kOrigins = {"https://id.example.com"};

CollectedClientData Valid() {
  CollectedClientData cd;
  cd.type = "webauthn.get";
  cd.challenge = "Y2hhbGxlbmdl";
  cd.origin = "https://id.example.com";
  return cd;
}

void ExpectParseError(std::string_view json, std::string_view message) {
  auto cd = ParseClientData(json);
  ASSERT_FALSE(cd.ok()) << json;
  EXPECT_EQ(cd.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(cd.status().message(), message);
}

TEST(ClientDataTest, ParsesBrowserOutput) {
  auto cd = ParseClientData(
      R"({"type":"webauthn.create","challenge":"abc","origin":"https://id.example.com","crossOrigin":false,)"
      R"("other_keys_can_be_added_here":"do not compare clientDataJSON against a template"})");
  ASSERT_TRUE(cd.ok()) << cd.status().message();
  EXPECT_EQ(cd->type, "webauthn.create");
  EXPECT_EQ(cd->challenge, "abc");
  EXPECT_EQ(cd->origin, "https://id.example.com");
  EXPECT_FALSE(cd->cross_origin);
  EXPECT_TRUE(cd->top_origin.empty());
  EXPECT_FALSE(cd->token_binding_status.has_value());
}

TEST(ClientDataTest, OptionalMembers) {
  auto cd = ParseClientData(
      R"({"type":"webauthn.get","challenge":"c","origin":"o","crossOrigin":true,"topOrigin":"https://top",)"
      R"("tokenBinding":{"status":"supported"}})");
  ASSERT_TRUE(cd.ok());
  EXPECT_TRUE(cd->cross_origin);
  EXPECT_EQ(cd->top_origin, "https://top");
  EXPECT_EQ(cd->token_binding_status, "supported");
  auto nulls = ParseClientData(R"({"type":null,"crossOrigin":null,"tokenBinding":null})");
  ASSERT_TRUE(nulls.ok());
  EXPECT_TRUE(nulls->type.empty());
}

TEST(ClientDataTest, Malformed) {
  ExpectParseError("", "clientDataJSON: invalid JSON: incomplete JSON");
  ExpectParseError("{]", "clientDataJSON: invalid JSON: syntax error");
  ExpectParseError("{", "clientDataJSON: invalid JSON: incomplete JSON");
  ExpectParseError("[]", "clientDataJSON: not a JSON object");
  ExpectParseError(R"({"type":1})", "clientDataJSON: \"type\" must be a string");
  ExpectParseError(R"({"challenge":["x"]})", "clientDataJSON: \"challenge\" must be a string");
  ExpectParseError(R"({"crossOrigin":"true"})", "clientDataJSON: \"crossOrigin\" must be a boolean");
  ExpectParseError(R"({"tokenBinding":"present"})", "clientDataJSON: \"tokenBinding\" must be an object");
  ExpectParseError(R"({"tokenBinding":{}})", "clientDataJSON: token binding present without status");
  ExpectParseError(R"({"tokenBinding":{"status":"bogus"}})", "clientDataJSON: token binding status \"bogus\" is invalid");
  ExpectParseError(R"({"type":"webauthn.get"} x)", "clientDataJSON: invalid JSON: extra data");
}

TEST(ClientDataTest, VerifyAcceptsValid) {
  EXPECT_TRUE(VerifyClientData(Valid(), kCeremonyGet, "Y2hhbGxlbmdl", kOrigins).ok());
  EXPECT_TRUE(VerifyClientData(Valid(), kCeremonyGet, "Y2hhbGxlbmdl", {"https://a.example", "https://id.example.com"}).ok());
}

TEST(ClientDataTest, VerifyFailuresInOrder) {
  CollectedClientData cd = Valid();
  cd.type = "webauthn.create";
  cd.origin = "http://evil.example";  // also wrong, but the type is checked first
  Status s = VerifyClientData(cd, kCeremonyGet, "Y2hhbGxlbmdl", kOrigins);
  EXPECT_EQ(s.code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(s.message(), "client data type \"webauthn.create\" is not \"webauthn.get\"");

  cd.type = "webauthn.get";
  EXPECT_EQ(VerifyClientData(cd, kCeremonyGet, "other", kOrigins).message(), "challenge mismatch");
  EXPECT_EQ(VerifyClientData(cd, kCeremonyGet, "Y2hhbGxlbmdl", kOrigins).message(),
            "origin http://evil.example does not match");

  cd = Valid();
  cd.cross_origin = true;
  EXPECT_EQ(VerifyClientData(cd, kCeremonyGet, "Y2hhbGxlbmdl", kOrigins).message(),
            "cross-origin ceremonies are not allowed");
  cd.cross_origin = false;
  cd.top_origin = "https://top.example";
  EXPECT_EQ(VerifyClientData(cd, kCeremonyGet, "Y2hhbGxlbmdl", kOrigins).message(),
            "topOrigin https://top.example given without crossOrigin");
}

TEST(ClientDataTest, OriginComparisonIsExact) {
  for (const char* origin : {"https://id.example.com/", "https://ID.example.com", "https://id.example.com:443",
                             "http://id.example.com", "https://id.example.com.evil", ""}) {
    CollectedClientData cd = Valid();
    cd.origin = origin;
    EXPECT_FALSE(VerifyClientData(cd, kCeremonyGet, "Y2hhbGxlbmdl", kOrigins).ok()) << origin;
  }
}

TEST(ClientDataTest, ChallengeComparisonIsExact) {
  for (const char* challenge : {"Y2hhbGxlbmdl=", "Y2hhbGxlbmd", "Y2hhbGxlbmdlX", "y2hhbGxlbmdl", ""}) {
    CollectedClientData cd = Valid();
    cd.challenge = challenge;
    EXPECT_EQ(VerifyClientData(cd, kCeremonyGet, "Y2hhbGxlbmdl", kOrigins).message(), "challenge mismatch")
        << challenge;
  }
}

TEST(ClientDataTest, LongOriginsAreClippedInMessages) {
  CollectedClientData cd = Valid();
  cd.origin = "https://" + std::string(5000, 'a');
  const Status s = VerifyClientData(cd, kCeremonyGet, "Y2hhbGxlbmdl", kOrigins);
  EXPECT_LT(s.message().size(), 300u);
}

}  // namespace
}  // namespace pocketid::webauthn
