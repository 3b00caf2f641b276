// Federated client credentials (protocol.md §1.17): a client authenticates with a JWT issued by an external
// identity provider it trusts (a CI system, a Kubernetes cluster), `client_assertion_type=
// urn:ietf:params:oauth:client-assertion-type:jwt-bearer`. The assertion must come from one of the client's
// `credentials.federatedIdentities`: signed by a key of that issuer's JWKS, `iss` = issuer, `sub` = the configured
// subject (default: the client id), `aud` containing the configured audience (default: APP_URL), unexpired (30 s
// skew); with replay protection each `jti` is accepted once (table oauth2_jtis).
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/crypto/jose.h"
#include "core/db/database.h"
#include "oidc/oauth_error.h"
#include "oidcclients/client.h"

namespace pocketid::oidc {

class ClientAssertions {
 public:
  // The body of a JWKS URL's 200 answer; an error otherwise. Production: curl::Get with a 10 s timeout.
  using FetchJwks = std::function<StatusOr<std::string>(const std::string& url)>;

  ClientAssertions(std::string app_url, FetchJwks fetch);

  // The client the assertion authenticates, or the error to answer. nullopt when the client has no federated
  // identity for the assertion's issuer: fosite's default client authentication then applies. `client_id` is the
  // request's (may be empty: the assertion's `sub` names the client then).
  std::optional<std::variant<oidcclients::Client, OAuthError>> Authenticate(oidcclients::ClientStore& clients,
                                                                            db::Database& database,
                                                                            std::string_view client_id,
                                                                            std::string_view assertion);

 private:
  struct CachedJwks {
    std::chrono::steady_clock::time_point fetched_at;
    std::vector<crypto::VerificationKey> keys;
  };
  // The issuer's keys, fetched at most every 15 minutes per URL.
  StatusOr<std::vector<crypto::VerificationKey>> Keys(const std::string& url);
  std::optional<OAuthError> CheckReplay(db::Database& database, const boost::json::object& claims);

  const std::string app_url_;
  const FetchJwks fetch_;
  std::mutex mu_;
  std::map<std::string, CachedJwks> jwks_;  // guarded by mu_; by URL
};

}  // namespace pocketid::oidc
