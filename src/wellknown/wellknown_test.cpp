#include "wellknown/wellknown.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace pocketid::wellknown {
namespace {

TEST(DiscoveryTest, FieldsAndValuesMatchProtocolSpec) {
  DiscoveryInputs in{"https://id.example.com", "http://pocket-id:1411", crypto::JwsAlgorithm::kES256, false};
  auto doc = boost::json::parse(DiscoveryDocument(in)).as_object();
  EXPECT_EQ(doc.size(), 27u);
  EXPECT_EQ(doc["issuer"], "https://id.example.com");
  EXPECT_EQ(doc["authorization_endpoint"], "https://id.example.com/authorize");
  EXPECT_EQ(doc["token_endpoint"], "http://pocket-id:1411/api/oidc/token");
  EXPECT_EQ(doc["userinfo_endpoint"], "http://pocket-id:1411/api/oidc/userinfo");
  EXPECT_EQ(doc["end_session_endpoint"], "https://id.example.com/api/oidc/end-session");
  EXPECT_EQ(doc["introspection_endpoint"], "http://pocket-id:1411/api/oidc/introspect");
  EXPECT_EQ(doc["device_authorization_endpoint"], "https://id.example.com/api/oidc/device/authorize");
  EXPECT_EQ(doc["jwks_uri"], "http://pocket-id:1411/.well-known/jwks.json");
  EXPECT_EQ(doc["pushed_authorization_request_endpoint"], "http://pocket-id:1411/api/oidc/par");
  EXPECT_EQ(doc["id_token_signing_alg_values_supported"], boost::json::parse(R"(["ES256"])"));
  EXPECT_EQ(doc["scopes_supported"], boost::json::parse(R"(["openid","profile","email","groups","offline_access"])"));
  EXPECT_EQ(doc["claims_supported"],
            boost::json::parse(R"(["sub","given_name","family_name","name","display_name","email","email_verified",
                                   "preferred_username","picture","groups","auth_time","amr"])"));
  EXPECT_EQ(doc["grant_types_supported"],
            boost::json::parse(R"(["authorization_code","refresh_token",
                                   "urn:ietf:params:oauth:grant-type:device_code","client_credentials"])"));
  EXPECT_EQ(doc["introspection_endpoint_auth_methods_supported"],
            boost::json::parse(R"(["client_secret_basic","Bearer"])"));
  EXPECT_EQ(doc["response_modes_supported"], boost::json::parse(R"(["query","fragment","form_post"])"));
  EXPECT_EQ(doc["prompt_values_supported"], boost::json::parse(R"(["none","login","consent","select_account"])"));
  EXPECT_EQ(doc["token_endpoint_auth_methods_supported"],
            boost::json::parse(R"(["client_secret_basic","client_secret_post","none"])"));
  EXPECT_EQ(doc["authorization_response_iss_parameter_supported"], true);
  EXPECT_EQ(doc["request_parameter_supported"], true);
  EXPECT_EQ(doc["request_uri_parameter_supported"], false);
  EXPECT_EQ(doc["require_pushed_authorization_requests"], false);
  EXPECT_EQ(doc["client_id_metadata_document_supported"], false);
  EXPECT_EQ(doc["service_documentation"], "https://pocket-id.org/docs");
  EXPECT_FALSE(doc.contains("revocation_endpoint"));

  // Go marshals a map with sorted keys; clients diffing documents see the same bytes.
  std::string prev;
  for (const auto& kv : doc) {
    EXPECT_LT(prev, std::string(kv.key()));
    prev = kv.key();
  }
}

TEST(DiscoveryTest, InternalUrlDefaultsToAppUrl) {
  DiscoveryInputs in{"http://localhost:1411", "", crypto::JwsAlgorithm::kRS256, true};
  auto doc = boost::json::parse(DiscoveryDocument(in)).as_object();
  EXPECT_EQ(doc["token_endpoint"], "http://localhost:1411/api/oidc/token");
  EXPECT_EQ(doc["client_id_metadata_document_supported"], true);
}

TEST(JwksTest, PublishesExactlyThePublicKey) {
  auto key = crypto::SigningKey::Generate(crypto::JwsAlgorithm::kEdDSA);
  ASSERT_TRUE(key.ok());
  auto jwks = boost::json::parse(JwksDocument(*key)).as_object();
  auto& keys = jwks["keys"].as_array();
  ASSERT_EQ(keys.size(), 1u);
  auto& jwk = keys[0].as_object();
  EXPECT_EQ(jwk["kty"], "OKP");
  EXPECT_EQ(jwk["crv"], "Ed25519");
  EXPECT_EQ(jwk["alg"], "EdDSA");
  EXPECT_EQ(jwk["use"], "sig");
  EXPECT_EQ(std::string(jwk["kid"].as_string()), key->kid());
  EXPECT_FALSE(jwk.contains("d"));
}

TEST(WellKnownEndpointsTest, ServesPreparedDocuments) {
  auto key = crypto::SigningKey::Generate(crypto::JwsAlgorithm::kES256);
  ASSERT_TRUE(key.ok());
  WellKnownEndpoints endpoints({"http://localhost:1411", "", crypto::JwsAlgorithm::kRS256, false}, *key);
  http::Router router;
  endpoints.Register(router);
  http::Request req;
  auto m = router.Find(http::Method::kGet, "/.well-known/openid-configuration", req);
  ASSERT_EQ(m.kind, http::Router::MatchKind::kFound);
  auto res = (*m.handler)(req);
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.headers.Get("Content-Type"), "application/json; charset=utf-8");
  // The algorithm comes from the loaded key, not from the inputs.
  EXPECT_NE(res.body.find(R"("id_token_signing_alg_values_supported":["ES256"])"), std::string::npos);
  auto same = (*router.Find(http::Method::kGet, "/.well-known/oauth-authorization-server", req).handler)(req);
  EXPECT_EQ(same.body, res.body);
  endpoints.SetCimdEnabled(true);
  auto after = (*router.Find(http::Method::kGet, "/.well-known/openid-configuration", req).handler)(req);
  EXPECT_NE(after.body.find(R"("client_id_metadata_document_supported":true)"), std::string::npos);
}

}  // namespace
}  // namespace pocketid::wellknown
