// Sending an authorization response (success or error) back to the client (protocol.md §1.5 step 6, §1.5.1):
// 303 with the parameters in the query (the redirect URI's own query kept) or the fragment, or an auto-submitting
// form_post page with its own CSP.
#pragma once

#include <string>

#include "core/http/types.h"
#include "oidc/form.h"
#include "oidc/oauth_error.h"

namespace pocketid::oidc {

struct ClientRedirect {
  std::string redirect_uri;
  std::string response_mode;  // "query" | "fragment" | "form_post"
  std::string state;
};

http::Response RespondToClient(const http::Request& req, const ClientRedirect& target, Form params);

// error, error_description, state (always, maybe empty) and iss.
Form ErrorParams(const OAuthError& error, const std::string& state, const std::string& issuer);

// The form_post page body (values HTML-escaped).
std::string FormPostPage(const std::string& action, const Form& params);

}  // namespace pocketid::oidc
