// RFC 8707 resource indicators on the protocol side (protocol.md §1.16): which scopes a client may ask for at all,
// how a `resource` and the requested scopes resolve to the token's audience and granted scopes, the consent keys of
// a grant, and the display text of an API's scopes for consent screens. The data comes from apis/api_access.
//
// Every function acquires its own pooled connection, and only when the request names a custom scope or a resource
// (a plain login never touches the API tables): callers must not hold a lease while calling them.
#pragma once

#include <boost/json/array.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "apis/api.h"
#include "core/db/database.h"
#include "core/status/status.h"
#include "oidc/form.h"
#include "oidc/oauth_error.h"
#include "oidcclients/client.h"

namespace pocketid::oidc {

// The requested scopes the client may request (fosite's ExactScopeStrategy with IgnoreUnknownScopes): the standard
// ones and the permission keys it holds on any API; others are dropped. In order, without duplicates.
StatusOr<std::vector<std::string>> RequestableScopes(db::Database& database, const oidcclients::Client& client,
                                                     const std::vector<std::string>& requested);

// The single `resource` parameter of a request ("" when absent); more than one is invalid_target.
std::variant<std::string, OAuthError> ResourceParameter(const Form& form);

// What a request may be granted: the token's audience (the canonical resource, or the client ID) and the scopes.
struct ResourceGrant {
  std::string audience;
  std::vector<std::string> scopes;
  std::string resource;  // canonical; "" when the request named none
};

// resolveResource: without a resource only standard scopes (invalid_scope for another); with one, the API must exist
// (invalid_target), the client must hold access as `subject` (access_denied), and every scope must be standard or
// held for that API and subject. client_credentials without scopes gets every permission it holds for the API.
StatusOr<std::variant<ResourceGrant, OAuthError>> ResolveResource(db::Database& database,
                                                                  const oidcclients::Client& client,
                                                                  std::string_view resource,
                                                                  const std::vector<std::string>& requested,
                                                                  apis::SubjectType subject);

// The keys a grant must be consented with: standard scopes bare, API scopes as "<audience>\x1f<scope>", plus
// "<audience>\x1f" when a resource was requested (so a plain login's consent does not cover the API).
std::vector<std::string> ConsentKeysForGrant(std::string_view audience, std::string_view resource,
                                             const std::vector<std::string>& scopes);

// ConsentKeysForGrant of a request resolved earlier, from what it stored: its raw `resource` (audience = the
// canonical resource, or the client when it named none) and its scopes.
std::vector<std::string> ConsentKeysForRequest(std::string_view client_id, std::string_view raw_resource,
                                               const std::vector<std::string>& scopes);

// [{"key","name","description"}] for the custom scopes among `scopes` of the API named by `resource`; empty when
// there is no resource.
StatusOr<boost::json::array> ScopeInfo(db::Database& database, std::string_view resource,
                                       const std::vector<std::string>& scopes);

// The API audience a refresh-token family targets: its granted audiences without the client ID and the issuer; at
// most one may remain (invalid_target otherwise). "" for a plain login.
std::variant<std::string, OAuthError> RefreshResource(const std::vector<std::string>& granted_audience,
                                                      std::string_view client_id, std::string_view issuer);

}  // namespace pocketid::oidc
