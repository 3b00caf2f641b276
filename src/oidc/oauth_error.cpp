#include "oidc/oauth_error.h"

#include <algorithm>

#include <boost/json.hpp>

namespace pocketid::oidc {

std::string OAuthError::FullDescription() const {
  std::string text = hint.empty() ? description : description + " " + hint;
  std::replace(text.begin(), text.end(), '"', '\'');
  return text;
}

std::string OAuthError::Message() const { return hint.empty() ? description : hint; }

namespace errors {

namespace {
OAuthError Make(std::string_view error, int status, std::string_view description, std::string hint) {
  return OAuthError{std::string(error), status, std::string(description), std::move(hint)};
}
}  // namespace

OAuthError InvalidRequest(std::string hint) {
  return Make("invalid_request", 400,
              "The request is missing a required parameter, includes an invalid parameter value, includes a "
              "parameter more than once, or is otherwise malformed.",
              std::move(hint));
}
OAuthError UnauthorizedClient(std::string hint) {
  return Make("unauthorized_client", 400, "The client is not authorized to request a token using this method.",
              std::move(hint));
}
OAuthError AccessDenied(std::string hint) {
  return Make("access_denied", 403, "The resource owner or authorization server denied the request.", std::move(hint));
}
OAuthError UnsupportedResponseType(std::string hint) {
  return Make("unsupported_response_type", 400,
              "The authorization server does not support obtaining a token using this method.", std::move(hint));
}
OAuthError UnsupportedResponseMode(std::string hint) {
  return Make("unsupported_response_mode", 400,
              "The authorization server does not support obtaining a response using this response mode.",
              std::move(hint));
}
OAuthError InvalidScope(std::string hint) {
  return Make("invalid_scope", 400, "The requested scope is invalid, unknown, or malformed.", std::move(hint));
}
OAuthError ServerError(std::string hint) {
  return Make("server_error", 500,
              "The authorization server encountered an unexpected condition that prevented it from fulfilling the "
              "request.",
              std::move(hint));
}
OAuthError UnsupportedGrantType(std::string hint) {
  return Make("unsupported_grant_type", 400,
              "The authorization grant type is not supported by the authorization server.", std::move(hint));
}
OAuthError InvalidGrant(std::string hint) {
  return Make("invalid_grant", 400,
              "The provided authorization grant (e.g., authorization code, resource owner credentials) or refresh "
              "token is invalid, expired, revoked, does not match the redirection URI used in the authorization "
              "request, or was issued to another client.",
              std::move(hint));
}
OAuthError InvalidClient(std::string hint) {
  return Make("invalid_client", 401,
              "Client authentication failed (e.g., unknown client, no client authentication included, or "
              "unsupported authentication method).",
              std::move(hint));
}
OAuthError InvalidState(std::string hint) {
  return Make("invalid_state", 400,
              "The state is missing or does not have enough characters and is therefore considered too weak.",
              std::move(hint));
}
OAuthError InsufficientEntropy(std::string hint) {
  return Make("insufficient_entropy", 400,
              "The request used a security parameter (e.g., anti-replay, anti-csrf) with insufficient entropy.",
              std::move(hint));
}
OAuthError RequestUnauthorized(std::string hint) {
  return Make("request_unauthorized", 401, "The request could not be authorized.", std::move(hint));
}
OAuthError TokenInactive(std::string hint) {
  return Make("token_inactive", 401, "Token is inactive because it is malformed, expired or otherwise invalid.",
              std::move(hint));
}
OAuthError LoginRequired(std::string hint) {
  return Make("login_required", 400, "The Authorization Server requires End-User authentication.", std::move(hint));
}
OAuthError ConsentRequired(std::string hint) {
  return Make("consent_required", 400, "The Authorization Server requires End-User consent.", std::move(hint));
}
OAuthError InvalidRequestUri(std::string hint) {
  return Make("invalid_request_uri", 400,
              "The request_uri in the Authorization Request returns an error or contains invalid data.",
              std::move(hint));
}
OAuthError InvalidRequestObject(std::string hint) {
  return Make("invalid_request_object", 400, "The request parameter contains an invalid Request Object.",
              std::move(hint));
}
OAuthError RegistrationNotSupported(std::string hint) {
  return Make("registration_not_supported", 400, "The OP does not support use of the registration parameter.",
              std::move(hint));
}
OAuthError InvalidTarget(std::string hint) {
  return Make("invalid_target", 400, "The requested resource is invalid, missing, unknown, or malformed.",
              std::move(hint));
}
OAuthError AuthorizationPending(std::string hint) {
  return Make("authorization_pending", 400,
              "The authorization request is still pending as the end user hasn't yet completed the user-interaction "
              "steps.",
              std::move(hint));
}
OAuthError ExpiredToken(std::string hint) {
  return Make("expired_token", 400, "The device_code has expired, and the device authorization session has concluded.",
              std::move(hint));
}
OAuthError Unrecognizable() { return Make("error", 500, "The error is unrecognizable", {}); }

}  // namespace errors

http::Response OAuthJsonResponse(int status, std::string body) {
  http::Response res{status, {}, std::move(body)};
  res.headers.Add("Content-Type", "application/json;charset=UTF-8");
  res.headers.Add("Cache-Control", "no-store");
  res.headers.Add("Pragma", "no-cache");
  return res;
}

http::Response OAuthErrorResponse(const OAuthError& error) {
  boost::json::object body{{"error", error.error}, {"error_description", error.FullDescription()}};
  return OAuthJsonResponse(error.status, boost::json::serialize(body));
}

}  // namespace pocketid::oidc
