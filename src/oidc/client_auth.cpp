#include "oidc/client_auth.h"

#include "core/crypto/encoding.h"
#include "oidc/provider.h"

namespace pocketid::oidc {

namespace {
constexpr std::string_view kJwtBearerAssertion = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
}  // namespace

std::variant<Form, OAuthError> PostedForm(const http::Request& req) {
  if (req.method != http::Method::kPost) {
    return errors::InvalidRequest("HTTP method is '" + req.method_name + "', expected 'POST'.");
  }
  if (req.body.empty()) return errors::InvalidRequest("The POST body can not be empty.");
  auto form = RequestForm(req, /*include_query=*/false);
  if (!form) {
    return errors::InvalidRequest(
        "Unable to parse HTTP body, make sure to send a properly formatted form request body.");
  }
  return std::move(*form);
}

std::optional<std::pair<std::string, std::string>> BasicCredentials(const http::Request& req) {
  auto header = req.Header("Authorization");
  if (!header || header->size() < 6 || !http::EqualsIgnoreCase(header->substr(0, 6), "Basic ")) return std::nullopt;
  auto decoded = crypto::Base64StdDecode(header->substr(6));
  if (!decoded.ok()) return std::nullopt;
  size_t colon = decoded->find(':');
  if (colon == std::string::npos) return std::nullopt;
  auto id = http::QueryUnescape(std::string_view(*decoded).substr(0, colon));
  auto secret = http::QueryUnescape(std::string_view(*decoded).substr(colon + 1));
  if (!id || !secret) return std::nullopt;
  return std::make_pair(std::move(*id), std::move(*secret));
}

std::variant<oidcclients::Client, OAuthError> AuthenticateClient(Provider& p, const http::Request& req,
                                                                 const Form& form) {
  std::string assertion_type = form.Get("client_assertion_type");
  if (!assertion_type.empty()) {
    if (assertion_type != kJwtBearerAssertion) {
      return errors::InvalidRequest("Unknown client_assertion_type '" + assertion_type + "'.");
    }
    std::string assertion = form.Get("client_assertion");
    // (1) Pocket ID's federated client credentials, when the client trusts the assertion's issuer.
    if (!assertion.empty()) {
      auto federated = p.client_assertions().Authenticate(p.clients(), p.database(), form.Get("client_id"), assertion);
      if (federated) return std::move(*federated);
    }
    // (2) fosite's private_key_jwt, which no Pocket ID client is configured for.
    if (std::count(assertion.begin(), assertion.end(), '.') != 2) {
      return errors::InvalidClient("Invalid client assertion.");
    }
    return errors::InvalidRequest("The server configuration does not support OpenID Connect specific authentication methods.");
  }

  std::string client_id;
  std::string secret;
  if (auto basic = BasicCredentials(req)) {
    client_id = std::move(basic->first);
    secret = std::move(basic->second);
  } else {
    client_id = form.Get("client_id");
    secret = form.Get("client_secret");
  }
  if (client_id.empty()) {
    return errors::InvalidRequest(
        "Client credentials missing or malformed in both HTTP Authorization header and HTTP POST body.");
  }
  auto client = p.clients().FindById(client_id);
  if (!client.ok()) return errors::ServerError();
  if (!*client) return errors::InvalidClient();
  if ((*client)->is_public) return std::move(**client);
  if (!oidcclients::SecretMatches(**client, secret, db::Now())) return errors::InvalidClient();
  return std::move(**client);
}

}  // namespace pocketid::oidc
