// An authorization request as fosite parses and validates it (protocol.md §1.5 steps 3 and 5), shared by
// /authorize and the pushed authorization request endpoint (PAR validates exactly what /authorize would).
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "oidc/api_resources.h"
#include "oidc/form.h"
#include "oidc/interactions.h"
#include "oidc/oauth_error.h"
#include "oidc/response_modes.h"
#include "oidcclients/client.h"

namespace pocketid::oidc {

class Provider;

inline constexpr std::string_view kParPrefix = "urn:ietf:params:oauth:request_uri:";

// An error found before the redirect URI is known goes to the error page; after, to the client.
struct Failure {
  OAuthError error;
};

// The parsed, validated request (fosite's NewAuthorizeRequest result).
struct AuthorizeRequest {
  Form form;
  oidcclients::Client client;
  std::string redirect_uri;       // effective
  std::string sent_redirect_uri;  // as sent
  std::string response_mode;      // "" = default (query)
  std::string state;
  std::vector<std::string> scopes;  // requested, unknown ones dropped
  ResourceGrant grant;              // audience and scopes to grant (step 4d)
  std::vector<std::string> prompt;
  std::optional<Interaction> resumed;
  int64_t requested_at = 0;
  std::string id;  // request id (also the interaction id)

  bool HasPrompt(std::string_view v) const { return std::find(prompt.begin(), prompt.end(), v) != prompt.end(); }
  ClientRedirect Target() const { return {redirect_uri, response_mode.empty() ? "query" : response_mode, state}; }
};

// Steps 3c–3f: client, request object, response mode and a validated redirect URI. Errors here cannot be sent to the
// client (its redirect URI is not trusted yet).
std::variant<AuthorizeRequest, Failure> ParseUntilRedirect(Provider& p, Form form, std::optional<Interaction> resumed);
// Steps 3i–3l: checks whose errors go back to the client.
std::optional<OAuthError> ValidateAfterRedirect(AuthorizeRequest& r);
// Step 5's checks (fosite's response handlers): PKCE parameters, nonce entropy, insecure redirect URIs.
std::optional<OAuthError> CheckCodeRequest(Provider& p, const AuthorizeRequest& r);

}  // namespace pocketid::oidc
