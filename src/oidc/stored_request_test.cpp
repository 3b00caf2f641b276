#include "oidc/stored_request.h"

#include <gtest/gtest.h>

namespace pocketid::oidc {
namespace {

TEST(StoredRequest, RoundTrips) {
  StoredRequest r;
  r.id = "0f1e2d3c-0000-4000-8000-000000000001";
  r.requested_at = 1732300000;
  r.client_id = "client-1";
  r.requested_scope = {"openid", "email"};
  r.granted_scope = {"openid", "email"};
  r.granted_audience = {"client-1", "http://localhost:1411"};
  r.form.Add("code_challenge", "abc");
  r.form.Add("scope", "openid email");
  r.authorize = true;
  r.redirect_uri = "https://app/cb";
  r.state = "state-123";
  r.session.subject = "user-1";
  r.session.authentication_method = "phr";
  r.session.id_token_jti = "jti-1";
  r.session.nonce = "nonce-123";
  r.session.auth_time = 1732299000;
  r.session.requested_at = 1732300000;
  r.session.id_token_extra = {{"email", "a@b.c"}, {"type", "id-token"}};
  r.session.alg = "ES256";
  r.session.access_token_expires_at = 1732303600;
  r.session.refresh_token_expires_at = 1734892000;

  auto parsed = ParseStoredRequest(StoredRequestJson(r));
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(parsed->id, r.id);
  EXPECT_EQ(parsed->requested_at, r.requested_at);
  EXPECT_EQ(parsed->granted_scope, r.granted_scope);
  EXPECT_EQ(parsed->granted_audience, r.granted_audience);
  EXPECT_EQ(parsed->form.Get("code_challenge"), "abc");
  EXPECT_TRUE(parsed->authorize);
  EXPECT_EQ(parsed->redirect_uri, r.redirect_uri);
  EXPECT_EQ(parsed->session.subject, "user-1");
  EXPECT_EQ(parsed->session.authentication_method, "phr");
  EXPECT_EQ(parsed->session.id_token_jti, "jti-1");
  EXPECT_EQ(parsed->session.nonce, "nonce-123");
  EXPECT_EQ(parsed->session.auth_time, r.session.auth_time);
  EXPECT_EQ(parsed->session.id_token_extra, r.session.id_token_extra);
  EXPECT_EQ(parsed->session.alg, "ES256");
  EXPECT_EQ(parsed->session.access_token_expires_at, r.session.access_token_expires_at);
  EXPECT_EQ(parsed->session.refresh_token_expires_at, r.session.refresh_token_expires_at);
}

// A refresh-token row as Pocket ID (fosite + Go encoding/json) writes it.
TEST(StoredRequest, ReadsPocketIdRows) {
  constexpr std::string_view kRow = R"({"id":"5b0f3f0c-1d7e-4a43-9d3f-3f2b6b1c9a10","requested_at":"2026-11-20T10:00:00.123456789Z",)"
      R"("client_id":"3654a746-35d4-4321-ac61-0bdcff2b4055","requested_scope":["openid","profile"],)"
      R"("granted_scope":["openid","profile"],"form":{"grant_type":["authorization_code"],"redirect_uri":["http://localhost/cb"]},)"
      R"("session":{"id_token_claims":{"jti":"2d9c","iss":"","sub":"f4b89dc2","aud":null,"nonce":"","exp":"0001-01-01T00:00:00Z",)"
      R"("iat":"0001-01-01T00:00:00Z","rat":"2026-11-20T09:59:58Z","auth_time":"2026-11-20T09:58:00Z","at_hash":"","acr":"",)"
      R"("amr":["phr"],"c_hash":"","ext":{"given_name":"Tim","type":"id-token"}},"headers":{"extra":{"alg":"RS256"}},)"
      R"("expires_at":{"access_token":"2026-11-20T11:00:00.5Z","refresh_token":"2026-12-20T10:00:00Z"},"subject":"f4b89dc2"},)"
      R"("granted_audience":["3654a746-35d4-4321-ac61-0bdcff2b4055","http://localhost:1411"]})";
  auto parsed = ParseStoredRequest(kRow);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->client_id, "3654a746-35d4-4321-ac61-0bdcff2b4055");
  EXPECT_EQ(parsed->session.subject, "f4b89dc2");
  EXPECT_EQ(parsed->session.authentication_method, "phr");
  EXPECT_EQ(parsed->session.id_token_jti, "2d9c");
  EXPECT_EQ(parsed->session.alg, "RS256");
  EXPECT_EQ(parsed->form.Get("redirect_uri"), "http://localhost/cb");
  ASSERT_TRUE(parsed->session.refresh_token_expires_at.has_value());
  EXPECT_GT(*parsed->session.refresh_token_expires_at, *parsed->session.access_token_expires_at);
  EXPECT_EQ(parsed->granted_audience.size(), 2u);
}

TEST(StoredRequest, RejectsNonObjects) {
  EXPECT_FALSE(ParseStoredRequest("[]").ok());
  EXPECT_FALSE(ParseStoredRequest("not json").ok());
}

}  // namespace
}  // namespace pocketid::oidc
