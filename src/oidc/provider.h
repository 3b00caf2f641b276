// The OpenID Connect provider: /authorize and its interaction API, the token, userinfo, introspection and
// end-session endpoints (protocol.md §1–3). One Provider holds what every endpoint shares; each endpoint lives in
// its own file (authorize.cpp, interaction_api.cpp, token_endpoint.cpp, userinfo.cpp, introspection.cpp,
// end_session.cpp).
#pragma once

#include <string>

#include "audit/audit_log.h"
#include "auth/authenticator.h"
#include "auth/cookies.h"
#include "core/config/env_config.h"
#include "core/db/database.h"
#include "core/http/router.h"
#include "oidc/claims.h"
#include "oidc/client_assertion.h"
#include "oidc/consent.h"
#include "oidc/interactions.h"
#include "oidc/oauth_error.h"
#include "oidc/opaque_token.h"
#include "oidc/stored_request.h"
#include "oidc/token_minter.h"
#include "oidcclients/client.h"
#include "users/user.h"

namespace pocketid::oidc {

inline constexpr int64_t kAuthorizeCodeLifetimeSeconds = 15 * 60;

struct ProviderDeps {
  const config::EnvConfig& config;
  db::Database& database;
  oidcclients::ClientStore& clients;
  users::UserRepository& users;
  auth::Authenticator& authenticator;
  const auth::CookieNames& cookies;
  audit::AuditLog& audit;
  crypto::SigningKey signing_key;
  OpaqueTokens opaque_tokens;
};

class Provider {
 public:
  explicit Provider(ProviderDeps deps);

  void RegisterRoutes(http::Router& router);

  // Shared by the endpoints.
  const ProviderDeps& deps() const { return deps_; }
  const std::string& issuer() const { return deps_.config.app_url; }
  db::Database& database() { return deps_.database; }
  oidcclients::ClientStore& clients() { return deps_.clients; }
  users::UserRepository& users() { return deps_.users; }
  auth::Authenticator& authenticator() { return deps_.authenticator; }
  const auth::CookieNames& cookies() const { return deps_.cookies; }
  audit::AuditLog& audit() { return deps_.audit; }
  const TokenMinter& minter() const { return minter_; }
  const OpaqueTokens& opaque_tokens() const { return deps_.opaque_tokens; }
  const crypto::VerificationKey& verification_key() const { return verification_key_; }
  InteractionStore& interactions() { return interactions_; }
  ConsentStore& consents() { return consents_; }
  ClaimsBuilder& claims() { return claims_; }
  ClientAssertions& client_assertions() { return client_assertions_; }

 private:
  ProviderDeps deps_;
  TokenMinter minter_;
  crypto::VerificationKey verification_key_;
  InteractionStore interactions_;
  ConsentStore consents_;
  ClaimsBuilder claims_;
  ClientAssertions client_assertions_;
};

// Endpoint handlers (one file each).
http::Response HandleAuthorize(Provider& p, http::Request& req);
http::Response HandleGetInteraction(Provider& p, http::Request& req);
http::Response HandleCompleteInteraction(Provider& p, http::Request& req);
http::Response HandleToken(Provider& p, http::Request& req);
http::Response HandleUserinfo(Provider& p, http::Request& req);
http::Response HandleIntrospect(Provider& p, http::Request& req);
http::Response HandleEndSession(Provider& p, http::Request& req);
http::Response HandlePreview(Provider& p, http::Request& req);
http::Response HandlePar(Provider& p, http::Request& req);
http::Response HandleDeviceAuthorize(Provider& p, http::Request& req);  // device_authorization.cpp, with the next two
http::Response HandleDeviceInfo(Provider& p, http::Request& req);
http::Response HandleDeviceVerify(Provider& p, http::Request& req);

// An access token that verifies with the current key, has a stored row and has not expired; nullopt otherwise.
StatusOr<std::optional<StoredRequest>> FindActiveAccessToken(Provider& p, std::string_view jwt);
// A refresh token whose HMAC verifies, whose row is active and unexpired; nullopt otherwise.
StatusOr<std::optional<StoredRequest>> FindActiveRefreshToken(Provider& p, std::string_view token);

// The consent keys of a parked request: its scopes for the API its `resource` names (resolved when it was parked).
std::vector<std::string> InteractionConsentKeys(const Interaction& interaction);

// The interaction DTO of protocol.md §1.6; `scope_info` from ScopeInfo (api_resources.h).
boost::json::object InteractionDto(const Interaction& interaction, const oidcclients::Client& client,
                                   boost::json::array scope_info);

}  // namespace pocketid::oidc
