// OAuth 2.0 errors as fosite writes them (protocol.md §1.2): an error code with its fixed description and HTTP
// status, plus an optional hint. JSON bodies for the token-style endpoints, redirect parameters for /authorize.
#pragma once

#include <string>
#include <string_view>

#include "core/http/api_error.h"
#include "core/http/types.h"

namespace pocketid::oidc {

struct OAuthError {
  std::string error;        // "invalid_request", ...
  int status = 400;
  std::string description;  // the fixed text for `error`
  std::string hint;         // request-specific detail, may be empty

  // "<description> <hint>" with every '"' replaced by '\'' (what error_description carries).
  std::string FullDescription() const;
  // The redirect-time message for Pocket ID's error page: the hint, else the description.
  std::string Message() const;
  // The error as Pocket ID's REST handler renders a fosite error: its code and status, the full description.
  http::ApiError AsApiError() const { return {status, error, FullDescription(), {}}; }
  OAuthError WithDescription(std::string d) const {
    OAuthError e = *this;
    e.description = std::move(d);
    return e;
  }
};

namespace errors {
OAuthError InvalidRequest(std::string hint = {});
OAuthError UnauthorizedClient(std::string hint = {});
OAuthError AccessDenied(std::string hint = {});
OAuthError UnsupportedResponseType(std::string hint = {});
OAuthError UnsupportedResponseMode(std::string hint = {});
OAuthError InvalidScope(std::string hint = {});
OAuthError ServerError(std::string hint = {});
OAuthError UnsupportedGrantType(std::string hint = {});
OAuthError InvalidGrant(std::string hint = {});
OAuthError InvalidClient(std::string hint = {});
OAuthError InvalidState(std::string hint = {});
OAuthError InsufficientEntropy(std::string hint = {});
OAuthError RequestUnauthorized(std::string hint = {});
OAuthError TokenInactive(std::string hint = {});
OAuthError LoginRequired(std::string hint = {});
OAuthError ConsentRequired(std::string hint = {});
OAuthError InvalidRequestUri(std::string hint = {});
OAuthError InvalidRequestObject(std::string hint = {});
OAuthError RegistrationNotSupported(std::string hint = {});
OAuthError InvalidTarget(std::string hint = {});
OAuthError AuthorizationPending(std::string hint = {});
OAuthError ExpiredToken(std::string hint = {});
// What any non-OAuth error becomes when written by fosite: {"error":"error","error_description":"The error is
// unrecognizable"} with status 500.
OAuthError Unrecognizable();
}  // namespace errors

// The JSON error response with fosite's headers (Content-Type application/json;charset=UTF-8, no-store, no-cache).
http::Response OAuthErrorResponse(const OAuthError& error);

// A 200 JSON body with the same headers fosite's writers set (token, introspection).
http::Response OAuthJsonResponse(int status, std::string body);

}  // namespace pocketid::oidc
