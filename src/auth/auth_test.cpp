#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <thread>
#include <vector>

#include "auth/authenticator.h"
#include "auth/cookies.h"
#include "auth/session_tokens.h"
#include "core/crypto/encoding.h"
#include "core/crypto/hash.h"
#include "core/crypto/random.h"
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
    admin_ = *repo.Create({.username = "admin", .email = "admin@example.com", .first_name = "Ad", .last_name = "Min",
                           .display_name = "Ad Min", .is_admin = true, .email_verified = true});
    user_ = *repo.Create({.username = "user", .email = "user@example.com", .first_name = "Us", .last_name = "Er",
                          .display_name = "Us Er", .is_admin = false, .email_verified = true});
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

namespace {
void InsertKey(db::Database& database, std::string_view token, std::string_view user_id, int64_t expires_in) {
  auto r = database.Exec("INSERT INTO api_keys (id, name, key, expires_at, created_at, user_id) "
                         "VALUES ($1, 'k', $2, $3, $4, $5)",
                         {crypto::NewUuidV4(), crypto::HexEncode(crypto::Sha256(token)),
                          db::Timestamp{db::Now().unix_seconds + expires_in}, db::Now(), user_id});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
}

http::Request WithApiKey(std::string_view key) {
  http::Request req;
  req.headers.Add("X-API-Key", std::string(key));
  return req;
}

std::string ErrorCode(const http::ApiResult<Principal>& r) {
  return std::holds_alternative<http::ApiError>(r) ? std::get<http::ApiError>(r).code : "ok";
}
}  // namespace

TEST_P(AuthenticatorTest, ApiKeyOwnersAreCheckedLikeSessions) {
  InsertKey(db(), "expired-key", admin_.id, -1);
  InsertKey(db(), "user-key", user_.id, 3600);
  auto expired = authenticator_->Authenticate(WithApiKey("expired-key"), AuthPolicy::Self());
  EXPECT_EQ(ErrorCode(expired), "not_signed_in");
  EXPECT_EQ(std::get<http::ApiError>(expired).status, 401);
  EXPECT_EQ(ErrorCode(authenticator_->Authenticate(WithApiKey(""), AuthPolicy::Self())), "not_signed_in");
  // An empty header is no key, also where keys are not allowed.
  EXPECT_EQ(ErrorCode(authenticator_->Authenticate(WithApiKey(""), AuthPolicy::BrowserSelf())), "not_signed_in");

  EXPECT_EQ(ErrorCode(authenticator_->Authenticate(WithApiKey("user-key"), AuthPolicy::Self())), "ok");
  auto not_admin = authenticator_->Authenticate(WithApiKey("user-key"), AuthPolicy::Admin());
  EXPECT_EQ(ErrorCode(not_admin), "forbidden");
  EXPECT_EQ(std::get<http::ApiError>(not_admin).status, 403);
  ASSERT_TRUE(db().Exec("UPDATE users SET disabled = $1 WHERE id = $2", {true, user_.id}).ok());
  EXPECT_EQ(ErrorCode(authenticator_->Authenticate(WithApiKey("user-key"), AuthPolicy::Self())), "user_disabled");

  // A valid session wins over a key.
  http::Request both = WithCookie(Token(admin_));
  both.headers.Add("X-API-Key", "user-key");
  auto session = authenticator_->Authenticate(both, AuthPolicy::Admin());
  ASSERT_EQ(ErrorCode(session), "ok");
  EXPECT_FALSE(std::get<Principal>(session).via_api_key);
}

TEST_P(AuthenticatorTest, StaticApiKey) {
  const std::string static_key = "static-key-0123456789";
  Authenticator with_static(*tokens_, db(), CookieNames::ForAppUrl("http://localhost:1411"), static_key);
  // Not configured: the same header is just an unknown key.
  EXPECT_EQ(ErrorCode(authenticator_->Authenticate(WithApiKey(static_key), AuthPolicy::Admin())), "not_signed_in");
  EXPECT_EQ(ErrorCode(with_static.Authenticate(WithApiKey("static-key-012345678"), AuthPolicy::Admin())),
            "not_signed_in");
  EXPECT_EQ(ErrorCode(with_static.Authenticate(WithApiKey(static_key), AuthPolicy::BrowserSelf())),
            "api_key_auth_not_allowed");

  auto first = with_static.Authenticate(WithApiKey(static_key), AuthPolicy::Admin());
  ASSERT_EQ(ErrorCode(first), "ok");
  const users::User& u = std::get<Principal>(first).user;
  EXPECT_TRUE(std::get<Principal>(first).via_api_key);
  EXPECT_EQ(u.id, users::kStaticApiUserId);
  EXPECT_TRUE(u.is_admin);
  EXPECT_EQ(u.first_name, "Static API User");
  EXPECT_EQ(u.display_name, "Static API User");
  EXPECT_EQ(u.last_name, "");
  EXPECT_FALSE(u.email);
  ASSERT_EQ(u.username.size(), std::string("static-api-user-").size() + 6);
  EXPECT_TRUE(u.username.starts_with("static-api-user-"));
  // Created once: later requests see the same row.
  auto second = with_static.Authenticate(WithApiKey(static_key), AuthPolicy::Self());
  ASSERT_EQ(ErrorCode(second), "ok");
  EXPECT_EQ(std::get<Principal>(second).user.username, u.username);
  auto count = db().Query("SELECT COUNT(*) FROM users WHERE id = $1", {users::kStaticApiUserId});
  EXPECT_EQ((*count)[0].Int(0), 1);

  // It is not a real user: setup stays available when it is the only one.
  ASSERT_TRUE(db().Exec("DELETE FROM users WHERE id <> $1", {users::kStaticApiUserId}).ok());
  EXPECT_EQ(*users::UserRepository(db()).CountRealUsers(), 0);

  // Startup keeps it while STATIC_API_KEY is set and removes it otherwise.
  ASSERT_TRUE(DeleteStaticApiUserUnlessConfigured(db(), static_key).ok());
  EXPECT_TRUE(*users::UserRepository(db()).FindById(users::kStaticApiUserId));
  ASSERT_TRUE(DeleteStaticApiUserUnlessConfigured(db(), "").ok());
  EXPECT_FALSE(*users::UserRepository(db()).FindById(users::kStaticApiUserId));
  ASSERT_TRUE(DeleteStaticApiUserUnlessConfigured(db(), "").ok());  // nothing left to delete is fine

  // A disabled static user is refused like any other.
  auto again = LoadOrCreateStaticApiUser(db());
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  ASSERT_TRUE(db().Exec("UPDATE users SET disabled = $1 WHERE id = $2", {true, users::kStaticApiUserId}).ok());
  EXPECT_EQ(ErrorCode(with_static.Authenticate(WithApiKey(static_key), AuthPolicy::Admin())), "user_disabled");
}

TEST_P(AuthenticatorTest, StaticApiUserCreationIsRaceSafe) {
  std::vector<std::thread> threads;
  std::vector<std::string> usernames(4);
  for (size_t i = 0; i < usernames.size(); ++i) {
    threads.emplace_back([&, i] {
      auto user = LoadOrCreateStaticApiUser(db());
      if (user.ok()) usernames[i] = user->username;
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& name : usernames) EXPECT_EQ(name, usernames[0]);
  EXPECT_FALSE(usernames[0].empty());
}

PID_INSTANTIATE_ENGINE_TEST_SUITE(AuthenticatorTest);

}  // namespace
}  // namespace pocketid::auth
