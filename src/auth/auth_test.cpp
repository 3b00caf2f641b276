#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "auth/authenticator.h"
#include "auth/cookies.h"
#include "auth/session_tokens.h"
#include "core/crypto/encoding.h"
#include "core/crypto/hash.h"
#include "core/db/db_test_util.h"
#include "core/db/migrate.h"

namespace pocketid::auth {
namespace {

TEST(CookiesTest, NamesFollowTheAppUrlScheme) {
  auto https = CookieNames::ForAppUrl("https://id.example.com");
  EXPECT_EQ(https.access_token, "__Host-access_token");
  EXPECT_EQ(https.session, "__Host-session");
  EXPECT_EQ(https.device_token, "__Secure-device_token");
  EXPECT_EQ(https.reauthentication_token, "__Secure-reauthentication_token");
  auto http = CookieNames::ForAppUrl("http://localhost:1411");
  EXPECT_EQ(http.access_token, "access_token");
  EXPECT_EQ(http.device_login_token, "device_login_token");
}

TEST(CookiesTest, SetCookieAttributes) {
  EXPECT_EQ(SetCookieValue("access_token", "a b/c", "/", 3600),
            "access_token=a+b%2Fc; Path=/; Max-Age=3600; HttpOnly; Secure; SameSite=Lax");
  EXPECT_EQ(SetCookieValue("access_token", "", "/", 0), "access_token=; Path=/; HttpOnly; Secure; SameSite=Lax");
}

class SessionTokensTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto key = crypto::SigningKey::Generate(crypto::JwsAlgorithm::kES256);
    ASSERT_TRUE(key.ok());
    tokens_.emplace(*key, "http://localhost:1411");
  }
  std::optional<SessionTokens> tokens_;
};

TEST_F(SessionTokensTest, IssuesPocketIdClaims) {
  auto token = tokens_->Issue("user-1", true, kAmrPasskey, std::chrono::minutes(60));
  ASSERT_TRUE(token.ok());
  auto claims = tokens_->Verify(*token);
  ASSERT_TRUE(claims.ok()) << claims.status().message();
  EXPECT_EQ(claims->user_id, "user-1");
  EXPECT_TRUE(claims->is_admin);
  EXPECT_EQ(claims->amr, std::vector<std::string>{"phr"});
  EXPECT_EQ(claims->expires_at - claims->issued_at, 3600);

  // The payload as Pocket ID writes it: aud a string, type access-token.
  std::string payload = *crypto::Base64UrlDecode(token->substr(token->find('.') + 1, token->rfind('.') - token->find('.') - 1));
  auto json = boost::json::parse(payload).as_object();
  EXPECT_EQ(json["aud"], "http://localhost:1411");
  EXPECT_EQ(json["iss"], "http://localhost:1411");
  EXPECT_EQ(json["type"], "access-token");
  EXPECT_EQ(json["isAdmin"], true);
  EXPECT_TRUE(json["jti"].is_string());
}

TEST_F(SessionTokensTest, RejectsExpiredForeignAndTamperedTokens) {
  auto token = tokens_->Issue("user-1", false, kAmrOneTime, std::chrono::minutes(1));
  ASSERT_TRUE(token.ok());
  // Measured from the token's own iat: time() and the system clock may disagree by a second at a boundary.
  int64_t iat = tokens_->Verify(*token)->issued_at;
  EXPECT_TRUE(tokens_->VerifyAt(*token, iat + 60 + 60).ok());  // one minute of leeway
  EXPECT_FALSE(tokens_->VerifyAt(*token, iat + 60 + 61).ok());

  SessionTokens other_issuer(*crypto::SigningKey::Generate(crypto::JwsAlgorithm::kES256), "http://other");
  EXPECT_FALSE(tokens_->Verify(*other_issuer.Issue("u", false, "", std::chrono::minutes(5))).ok());
  std::string tampered = *token;
  tampered[tampered.size() - 3] ^= 1;
  EXPECT_FALSE(tokens_->Verify(tampered).ok());
}

class AuthenticatorTest : public db::testing::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    ASSERT_TRUE(db::Migrate(db(), false).ok());
    tokens_.emplace(*crypto::SigningKey::Generate(crypto::JwsAlgorithm::kES256), "http://localhost:1411");
    authenticator_.emplace(*tokens_, db(), CookieNames::ForAppUrl("http://localhost:1411"));
    users::UserRepository repo(db());
    admin_ = *repo.Create({"admin", "admin@example.com", "Ad", "Min", "Ad Min", true, true, std::nullopt});
    user_ = *repo.Create({"user", "user@example.com", "Us", "Er", "Us Er", false, true, std::nullopt});
  }
  http::Request WithCookie(std::string_view token) {
    http::Request req;
    req.headers.Add("Cookie", "access_token=" + std::string(token));
    return req;
  }
  std::string Token(const users::User& u) { return *tokens_->Issue(u.id, u.is_admin, kAmrPasskey, std::chrono::minutes(5)); }

  std::optional<SessionTokens> tokens_;
  std::optional<Authenticator> authenticator_;
  users::User admin_, user_;
};

TEST_P(AuthenticatorTest, SessionCookieAndHeader) {
  auto ok = authenticator_->Authenticate(WithCookie(Token(admin_)), AuthPolicy::Admin());
  ASSERT_TRUE(std::holds_alternative<Principal>(ok));
  EXPECT_EQ(std::get<Principal>(ok).user.username, "admin");
  EXPECT_EQ(std::get<Principal>(ok).authentication_method, "phr");

  http::Request bearer;
  bearer.headers.Add("Authorization", "Bearer " + Token(user_));
  EXPECT_TRUE(std::holds_alternative<Principal>(authenticator_->Authenticate(bearer, AuthPolicy::Self())));

  // An empty cookie (after logout) wins over the header.
  http::Request both = WithCookie("");
  both.headers.Add("Authorization", "Bearer " + Token(user_));
  EXPECT_EQ(std::get<http::ApiError>(authenticator_->Authenticate(both, AuthPolicy::Self())).code, "not_signed_in");
  EXPECT_EQ(std::get<http::ApiError>(authenticator_->Authenticate(http::Request{}, AuthPolicy::Self())).code,
            "not_signed_in");
}

TEST_P(AuthenticatorTest, PolicyAndDisabledUsers) {
  EXPECT_EQ(std::get<http::ApiError>(authenticator_->Authenticate(WithCookie(Token(user_)), AuthPolicy::Admin())).code,
            "forbidden");
  ASSERT_TRUE(db().Exec("UPDATE users SET disabled = $1 WHERE id = $2", {true, user_.id}).ok());
  auto disabled = authenticator_->Authenticate(WithCookie(Token(user_)), AuthPolicy::Self());
  EXPECT_EQ(std::get<http::ApiError>(disabled).status, 403);
  EXPECT_EQ(std::get<http::ApiError>(disabled).code, "user_disabled");
  EXPECT_EQ(std::get<http::ApiError>(authenticator_->AuthenticateOptional(WithCookie(Token(user_)))).code,
            "user_disabled");
  auto anonymous = authenticator_->AuthenticateOptional(http::Request{});
  ASSERT_TRUE(std::holds_alternative<std::optional<Principal>>(anonymous));
  EXPECT_FALSE(std::get<std::optional<Principal>>(anonymous).has_value());
}

TEST_P(AuthenticatorTest, ApiKeys) {
  std::string key = "my-secret-api-key-value";
  ASSERT_TRUE(db().Exec("INSERT INTO api_keys (id, name, key, expires_at, created_at, user_id) "
                        "VALUES ($1, 'k', $2, $3, $4, $5)",
                        {"6f1e2c4a-9b7d-4e3f-8a21-0c5d6e7f8a9b", crypto::HexEncode(crypto::Sha256(key)),
                         db::Timestamp{db::Now().unix_seconds + 3600}, db::Now(), admin_.id})
                  .ok());
  http::Request req;
  req.headers.Add("X-API-Key", key);
  auto ok = authenticator_->Authenticate(req, AuthPolicy::Admin());
  ASSERT_TRUE(std::holds_alternative<Principal>(ok));
  EXPECT_TRUE(std::get<Principal>(ok).via_api_key);
  auto used = db().Query("SELECT last_used_at FROM api_keys", {});
  EXPECT_FALSE((*used)[0].IsNull(0));

  auto browser_only = authenticator_->Authenticate(req, AuthPolicy::BrowserSelf());
  EXPECT_EQ(std::get<http::ApiError>(browser_only).code, "api_key_auth_not_allowed");
  http::Request wrong;
  wrong.headers.Add("X-API-Key", "not-a-key");
  EXPECT_EQ(std::get<http::ApiError>(authenticator_->Authenticate(wrong, AuthPolicy::Admin())).code, "not_signed_in");
}

PID_INSTANTIATE_ENGINE_TEST_SUITE(AuthenticatorTest);

}  // namespace
}  // namespace pocketid::auth
