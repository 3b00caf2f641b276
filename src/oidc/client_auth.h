// The back channel's requests (token endpoint, device authorization): a POSTed form and the client's
// authentication (protocol.md §1.9.1): HTTP Basic or body credentials against the client's active secrets; public
// clients by client_id alone.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "core/http/types.h"
#include "oidc/form.h"
#include "oidc/oauth_error.h"
#include "oidcclients/client.h"

namespace pocketid::oidc {

class Provider;

// The form of a POST with a non-empty urlencoded body (query parameters ignored), or fosite's error for anything else.
std::variant<Form, OAuthError> PostedForm(const http::Request& req);

// "Basic base64(id:secret)" with each half form-decoded; nullopt when absent or malformed.
std::optional<std::pair<std::string, std::string>> BasicCredentials(const http::Request& req);

std::variant<oidcclients::Client, OAuthError> AuthenticateClient(Provider& p, const http::Request& req,
                                                                 const Form& form);

}  // namespace pocketid::oidc
