#include "oidcclients/client_input.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "oidcclients/client_dto.h"

namespace pocketid::oidcclients {
namespace {

http::ApiResult<ClientInput> Parse(std::string_view json, bool with_id = true) {
  return ParseClientInput(boost::json::parse(json).as_object(), with_id);
}

http::ApiError ErrorOf(const http::ApiResult<ClientInput>& r) {
  EXPECT_TRUE(std::holds_alternative<http::ApiError>(r));
  return std::holds_alternative<http::ApiError>(r) ? std::get<http::ApiError>(r) : http::ApiError{};
}

http::Request JsonRequest(std::string body) {
  http::Request req;
  req.headers.Add("Content-Type", "application/json");
  req.body = std::move(body);
  return req;
}

TEST(ClientInputTest, ReadsEveryField) {
  auto r = Parse(R"({"id":"my.app-1","name":"App","description":"d","callbackURLs":["https://a.example.com/cb"],
    "logoutCallbackURLs":["*"],"isPublic":true,"pkceEnabled":false,"requiresReauthentication":true,
    "requiresPushedAuthorizationRequests":true,"skipConsent":true,"isGroupRestricted":true,
    "credentials":{"federatedIdentities":[{"issuer":"https://i","subject":"s","replayProtection":true}],"secrets":[{"id":"x"}]},
    "launchURL":"https://app.example.com","hasLogo":true,"logoUrl":"https://cdn.example.com/l.png",
    "accessTokenDurationMinutes":5,"refreshTokenDurationMinutes":525600,"unknown":1})");
  ASSERT_TRUE(std::holds_alternative<ClientInput>(r)) << std::get<http::ApiError>(r).message;
  const auto& in = std::get<ClientInput>(r);
  EXPECT_EQ(in.id, "my.app-1");
  EXPECT_EQ(in.name, "App");
  EXPECT_EQ(in.callback_urls, std::vector<std::string>{"https://a.example.com/cb"});
  EXPECT_EQ(in.logout_callback_urls, std::vector<std::string>{"*"});
  EXPECT_TRUE(in.is_public && in.requires_reauthentication && in.requires_pushed_authorization_requests &&
              in.skip_consent && in.is_group_restricted);
  ASSERT_EQ(in.federated_identities.size(), 1u);
  EXPECT_EQ(in.federated_identities[0].subject, "s");
  EXPECT_TRUE(in.federated_identities[0].replay_protection);
  EXPECT_EQ(in.launch_url, "https://app.example.com");
  EXPECT_EQ(in.logo_url, "https://cdn.example.com/l.png");
  EXPECT_EQ(in.AccessTokenMinutesOrDefault(), 5);
  EXPECT_EQ(in.RefreshTokenMinutesOrDefault(), 525600);

  auto minimal = Parse(R"({"name":"x","id":"","launchURL":null,"callbackURLs":null})");
  ASSERT_TRUE(std::holds_alternative<ClientInput>(minimal));
  EXPECT_FALSE(std::get<ClientInput>(minimal).id.has_value());
  EXPECT_EQ(std::get<ClientInput>(minimal).AccessTokenMinutesOrDefault(), 60);
  EXPECT_EQ(std::get<ClientInput>(minimal).RefreshTokenMinutesOrDefault(), 43200);
}

TEST(ClientInputTest, WrongTypesAreInvalidBodies) {
  for (const char* body : {R"({"name":1})", R"({"name":"x","isPublic":"yes"})", R"({"name":"x","callbackURLs":"a"})",
                           R"({"name":"x","callbackURLs":[1]})", R"({"name":"x","accessTokenDurationMinutes":1.5})",
                           R"({"name":"x","credentials":[]})", R"({"name":"x","credentials":{"secrets":{}}})",
                           R"({"name":"x","credentials":{"federatedIdentities":[{"issuer":3}]}})"}) {
    EXPECT_EQ(ErrorOf(Parse(body)).code, "invalid_request_body") << body;
  }
}

TEST(ClientInputTest, CollectsValidationFailuresInFieldOrder) {
  auto e = ErrorOf(Parse(R"({"name":"","description":")" + std::string(151, 'd') +
                         R"J(","callbackURLs":["https://ok.example.com","javascript:alert(1)"],"launchURL":"not a url",
    "accessTokenDurationMinutes":525601,"refreshTokenDurationMinutes":-1,"id":"bad id"})J"));
  EXPECT_EQ(e.status, 400);
  EXPECT_EQ(e.code, "validation_failed");
  EXPECT_EQ(e.message,
            "Name is required, description must be at most 150 characters long, callbackURLs[1] is invalid, "
            "launchURL must be a valid URL, accessTokenDurationMinutes is invalid, refreshTokenDurationMinutes is "
            "invalid, id is invalid");
  const auto& fields = e.details.at("fields").as_array();
  ASSERT_EQ(fields.size(), 7u);
  EXPECT_EQ(fields[0].as_object().at("code"), "required");
  EXPECT_EQ(fields[2].as_object().at("field"), "callbackURLs[1]");
  EXPECT_EQ(fields[2].as_object().at("code"), "callback_url_pattern");
  EXPECT_EQ(fields[6].as_object().at("code"), "client_id");

  EXPECT_EQ(ErrorOf(Parse(R"({"name":")" + std::string(51, 'n') + R"("})")).message,
            "Name must be at most 50 characters long");
  // 50 characters of two bytes each are fine: the limit counts characters.
  std::string fifty_umlauts;
  for (int i = 0; i < 50; ++i) fifty_umlauts += "\xC3\xBC";
  EXPECT_TRUE(std::holds_alternative<ClientInput>(Parse(R"({"name":")" + fifty_umlauts + R"("})")));
  EXPECT_EQ(ErrorOf(Parse(R"({"name":"x","id":"a"})")).message, "Id must be at least 2 characters long");
  EXPECT_EQ(ErrorOf(Parse(R"({"name":"x","id":")" + std::string(129, 'a') + R"("})")).details.at("fields")
                .as_array()[0].as_object().at("code"),
            "too_long");
  // The update DTO has no id.
  EXPECT_TRUE(std::holds_alternative<ClientInput>(Parse(R"({"name":"x","id":"bad id"})", false)));
  EXPECT_EQ(ErrorOf(Parse(R"({"name":"x","logoutCallbackURLs":["no-scheme"]})")).message,
            "LogoutCallbackURLs[0] is invalid");
}

TEST(ClientInputTest, UrlRules) {
  EXPECT_TRUE(IsValidUrl("https://example.com"));
  EXPECT_TRUE(IsValidUrl("HTTP://Example.com/path?q#f"));
  EXPECT_TRUE(IsValidUrl("mailto:someone@example.com"));
  EXPECT_TRUE(IsValidUrl("file:///etc/hosts"));
  EXPECT_FALSE(IsValidUrl(""));
  EXPECT_FALSE(IsValidUrl("example.com"));
  EXPECT_FALSE(IsValidUrl("https://"));
  EXPECT_FALSE(IsValidUrl("http:/path"));
  EXPECT_FALSE(IsValidUrl("https://exa mple.com"));
  EXPECT_FALSE(IsValidUrl("https://example.com/\x01"));
  EXPECT_TRUE(IsValidClientId("a.b_c-D9"));
  EXPECT_FALSE(IsValidClientId("https://x"));
  EXPECT_FALSE(IsValidClientId(""));
}

TEST(ClientInputTest, Rfc3339) {
  EXPECT_EQ(ParseRfc3339("2030-01-02T03:04:05Z")->unix_seconds, 1893553445);
  EXPECT_EQ(ParseRfc3339("2030-01-02T05:04:05.123+02:00")->unix_seconds, 1893553445);
  EXPECT_FALSE(ParseRfc3339("2030-01-02 03:04:05Z"));
  EXPECT_FALSE(ParseRfc3339("2030-01-02T03:04:05"));
  EXPECT_FALSE(ParseRfc3339("2030-01-02"));
  EXPECT_FALSE(ParseRfc3339("1893553445"));
  EXPECT_FALSE(ParseRfc3339("2030-01-02T03:04:05.Z"));
}

TEST(ClientInputTest, SecretBodies) {
  const db::Timestamp now{1'800'000'000};
  http::Request empty;
  auto none = ParseSecretInput(empty, now);
  ASSERT_TRUE(std::holds_alternative<SecretInput>(none));
  EXPECT_FALSE(std::get<SecretInput>(none).secret);

  auto custom = ParseSecretInput(JsonRequest(R"({"secret":"0123456789abcdef","expiresAt":"2030-01-02T03:04:05Z"})"), now);
  ASSERT_TRUE(std::holds_alternative<SecretInput>(custom));
  EXPECT_EQ(std::get<SecretInput>(custom).secret, "0123456789abcdef");
  EXPECT_EQ(std::get<SecretInput>(custom).expires_at->unix_seconds, 1893553445);

  auto error = [&](std::string body) {
    auto r = ParseSecretInput(JsonRequest(std::move(body)), now);
    EXPECT_TRUE(std::holds_alternative<http::ApiError>(r));
    return std::holds_alternative<http::ApiError>(r) ? std::get<http::ApiError>(r) : http::ApiError{};
  };
  EXPECT_EQ(error(R"({"secret":"short"})").message, "Secret must be at least 16 characters long");
  EXPECT_EQ(error(R"({"secret":"0123456789abcdef\u00e9"})").details.at("fields").as_array()[0].as_object().at("code"),
            "printascii");
  auto past = error(R"({"expiresAt":"2020-01-01T00:00:00Z"})");
  EXPECT_EQ(past.message, "The expiration date of a client secret must be in the future");
  EXPECT_FALSE(past.details.contains("fields"));
  EXPECT_EQ(error(R"({"expiresAt":"tomorrow"})").code, "invalid_request_body");
  http::Request text;
  text.headers.Add("Content-Type", "text/plain");
  text.body = "{}";
  EXPECT_TRUE(std::holds_alternative<http::ApiError>(ParseSecretInput(text, now)));
}

TEST(ClientInputTest, AllowedGroups) {
  auto ok = ParseAllowedGroupsInput(JsonRequest(R"({"userGroupIds":["a","b"]})"));
  ASSERT_TRUE((std::holds_alternative<std::vector<std::string>>(ok)));
  EXPECT_EQ(std::get<std::vector<std::string>>(ok).size(), 2u);
  EXPECT_TRUE((std::holds_alternative<std::vector<std::string>>(ParseAllowedGroupsInput(JsonRequest(R"({"userGroupIds":[]})")))));
  auto missing = ParseAllowedGroupsInput(JsonRequest("{}"));
  ASSERT_TRUE(std::holds_alternative<http::ApiError>(missing));
  EXPECT_EQ(std::get<http::ApiError>(missing).message, "UserGroupIds is required");
}

TEST(ClientDtoTest, SecretsAndClients) {
  const db::Timestamp now{2000};
  ClientSecret expired{"s1", "sha256", "h", "abcd", db::Timestamp{1000}, db::Timestamp{2000}};
  EXPECT_EQ(boost::json::serialize(SecretDto(expired, now)),
            R"({"id":"s1","prefix":"abcd","createdAt":"1970-01-01T00:16:40Z","expiresAt":"1970-01-01T00:33:20Z","isActive":false})");
  ClientSecret forever{"s2", "bcrypt", "h", "", db::Timestamp{1000}, std::nullopt};
  EXPECT_EQ(SecretDto(forever, now).at("isActive"), true);
  EXPECT_TRUE(SecretDto(forever, now).at("expiresAt").is_null());

  Client c;
  c.id = "app";
  c.name = "App";
  c.credentials.secrets = {forever};
  auto dto = ClientDto(c, now);
  EXPECT_FALSE(dto.contains("pkceSupported"));
  EXPECT_FALSE(dto.at("credentials").as_object().contains("federatedIdentities"));
  EXPECT_EQ(dto.at("credentials").at("secrets").as_array().size(), 1u);
  EXPECT_FALSE(dto.at("credentials").at("secrets").as_array()[0].as_object().contains("hash"));
  c.pkce_supported = true;
  c.credentials.federated_identities = {{"https://i", "", "", "", false}};
  dto = ClientDto(c, now);
  EXPECT_EQ(dto.at("pkceSupported"), true);
  EXPECT_EQ(boost::json::serialize(dto.at("credentials").at("federatedIdentities")),
            R"([{"issuer":"https://i","replayProtection":false}])");
  EXPECT_EQ(ClientWithGroupsDto(c, {}, now).at("allowedUserGroups").as_array().size(), 0u);
}

}  // namespace
}  // namespace pocketid::oidcclients
