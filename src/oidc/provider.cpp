#include "oidc/provider.h"

#include <boost/json.hpp>

#include "core/curl/http_get.h"
#include "oidc/api_resources.h"

namespace pocketid::oidc {

namespace {
// A federated issuer's JWKS (protocol.md §1.17: 10 s HTTP timeout, TLS 1.2 or newer).
StatusOr<std::string> FetchJwksOverHttp(const std::string& url) {
  PID_ASSIGN_OR_RETURN(curl::GetResponse got, curl::Get({.url = url, .timeout = std::chrono::seconds(10)}));
  if (got.status != 200) return UnavailableError("JWKS " + url + " answered HTTP " + std::to_string(got.status));
  return std::move(got.body);
}
}  // namespace

Provider::Provider(ProviderDeps deps)
    : deps_(std::move(deps)),
      minter_(deps_.signing_key, deps_.config.app_url),
      verification_key_(deps_.signing_key.Public()),
      interactions_(deps_.database),
      consents_(deps_.database),
      claims_(deps_.database, deps_.config.app_url),
      client_assertions_(deps_.config.app_url, FetchJwksOverHttp) {}

void Provider::RegisterRoutes(http::Router& router) {
  using http::Method;
  auto bind = [this](http::Response (*fn)(Provider&, http::Request&)) {
    return [this, fn](http::Request& req) { return fn(*this, req); };
  };
  router.Add(Method::kGet, "/authorize", bind(HandleAuthorize));
  router.Add(Method::kPost, "/authorize", bind(HandleAuthorize));
  router.Add(Method::kGet, "/api/oidc/interactions/:id", bind(HandleGetInteraction));
  router.Add(Method::kPost, "/api/oidc/interactions/:id/complete", bind(HandleCompleteInteraction));
  router.Add(Method::kPost, "/api/oidc/token", bind(HandleToken));
  router.Add(Method::kGet, "/api/oidc/token", bind(HandleToken));  // answered with fosite's method error
  router.Add(Method::kGet, "/api/oidc/userinfo", bind(HandleUserinfo));
  router.Add(Method::kPost, "/api/oidc/userinfo", bind(HandleUserinfo));
  router.Add(Method::kPost, "/api/oidc/introspect", bind(HandleIntrospect));
  router.Add(Method::kPost, "/api/oidc/par", bind(HandlePar));
  router.Add(Method::kPost, "/api/oidc/device/authorize", bind(HandleDeviceAuthorize));
  router.Add(Method::kGet, "/api/oidc/device/authorize", bind(HandleDeviceAuthorize));  // fosite's method error
  router.Add(Method::kGet, "/api/oidc/device/info", bind(HandleDeviceInfo));
  router.Add(Method::kPost, "/api/oidc/device/verify", bind(HandleDeviceVerify));
  router.Add(Method::kGet, "/api/oidc/end-session", bind(HandleEndSession));
  router.Add(Method::kPost, "/api/oidc/end-session", bind(HandleEndSession));
  router.Add(Method::kGet, "/api/oidc/clients/:id/preview/:userId", bind(HandlePreview));
}

std::vector<std::string> InteractionConsentKeys(const Interaction& interaction) {
  return ConsentKeysForRequest(interaction.client_id, interaction.Parameter("resource"), interaction.scopes);
}

boost::json::object InteractionDto(const Interaction& interaction, const oidcclients::Client& client,
                                   boost::json::array scope_info) {
  boost::json::array scopes;
  for (const auto& s : interaction.scopes) scopes.emplace_back(s);
  auto steps = interaction.RequiredSteps();
  boost::json::array required;
  for (const auto& s : steps) required.emplace_back(s);
  boost::json::object dto{
      {"id", interaction.id},
      {"scopes", std::move(scopes)},
      {"scopeInfo", std::move(scope_info)},
      {"client", oidcclients::MetaDataDto(client)},
  };
  if (!steps.empty()) dto["currentStep"] = steps.front();
  dto["requiredSteps"] = std::move(required);
  return dto;
}

}  // namespace pocketid::oidc
