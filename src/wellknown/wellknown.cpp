#include "wellknown/wellknown.h"

#include <map>

#include <boost/json.hpp>

namespace pocketid::wellknown {

namespace {
boost::json::array Strings(std::initializer_list<std::string_view> values) {
  boost::json::array a;
  for (auto v : values) a.emplace_back(v);
  return a;
}
}  // namespace

std::string DiscoveryDocument(const DiscoveryInputs& in) {
  const std::string& app = in.app_url;
  const std::string& internal = in.internal_app_url.empty() ? in.app_url : in.internal_app_url;
  // std::map keeps the keys sorted, which is the order Go's encoding/json gives a map.
  std::map<std::string, boost::json::value> doc;
  doc["issuer"] = app;
  doc["authorization_endpoint"] = app + "/authorize";
  doc["token_endpoint"] = internal + "/api/oidc/token";
  doc["userinfo_endpoint"] = internal + "/api/oidc/userinfo";
  doc["end_session_endpoint"] = app + "/api/oidc/end-session";
  doc["introspection_endpoint"] = internal + "/api/oidc/introspect";
  doc["introspection_endpoint_auth_methods_supported"] = Strings({"client_secret_basic", "Bearer"});
  doc["device_authorization_endpoint"] = app + "/api/oidc/device/authorize";
  doc["jwks_uri"] = internal + "/.well-known/jwks.json";
  doc["grant_types_supported"] = Strings(
      {"authorization_code", "refresh_token", "urn:ietf:params:oauth:grant-type:device_code", "client_credentials"});
  doc["scopes_supported"] = Strings({"openid", "profile", "email", "groups", "offline_access"});
  doc["claims_supported"] =
      Strings({"sub", "given_name", "family_name", "name", "display_name", "email", "email_verified",
               "preferred_username", "picture", "groups", "auth_time", "amr"});
  doc["response_types_supported"] = Strings({"code"});
  doc["response_modes_supported"] = Strings({"query", "fragment", "form_post"});
  doc["subject_types_supported"] = Strings({"public"});
  doc["id_token_signing_alg_values_supported"] = Strings({crypto::AlgorithmName(in.algorithm)});
  doc["authorization_response_iss_parameter_supported"] = true;
  doc["code_challenge_methods_supported"] = Strings({"plain", "S256"});
  doc["request_parameter_supported"] = true;
  doc["request_uri_parameter_supported"] = false;
  doc["request_object_signing_alg_values_supported"] = Strings({"none"});
  doc["prompt_values_supported"] = Strings({"none", "login", "consent", "select_account"});
  doc["token_endpoint_auth_methods_supported"] = Strings({"client_secret_basic", "client_secret_post", "none"});
  doc["pushed_authorization_request_endpoint"] = internal + "/api/oidc/par";
  doc["require_pushed_authorization_requests"] = false;
  doc["client_id_metadata_document_supported"] = in.cimd_enabled;
  doc["service_documentation"] = "https://pocket-id.org/docs";

  boost::json::object out;
  out.reserve(doc.size());
  for (auto& [k, v] : doc) out.emplace(k, std::move(v));
  return boost::json::serialize(out);
}

std::string JwksDocument(const crypto::SigningKey& key) {
  return R"({"keys":[)" + key.PublicJwkJson() + "]}";
}

WellKnownEndpoints::WellKnownEndpoints(DiscoveryInputs inputs, const crypto::SigningKey& key)
    : inputs_(std::move(inputs)), jwks_(JwksDocument(key)) {
  inputs_.algorithm = key.algorithm();
  discovery_.store(std::make_shared<const std::string>(DiscoveryDocument(inputs_)));
}

void WellKnownEndpoints::SetCimdEnabled(bool enabled) {
  if (inputs_.cimd_enabled == enabled) return;
  inputs_.cimd_enabled = enabled;
  discovery_.store(std::make_shared<const std::string>(DiscoveryDocument(inputs_)));
}

void WellKnownEndpoints::Register(http::Router& router) {
  auto discovery = [this](http::Request&) { return http::Response::RawJson(200, *discovery_.load()); };
  router.Add(http::Method::kGet, "/.well-known/openid-configuration", discovery);
  router.Add(http::Method::kGet, "/.well-known/oauth-authorization-server", discovery);
  router.Add(http::Method::kGet, "/.well-known/jwks.json",
             [this](http::Request&) { return http::Response::RawJson(200, jwks_); });
}

}  // namespace pocketid::wellknown
