#include "oidc/authorize_request.h"

#include <algorithm>

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include "core/crypto/encoding.h"
#include "oidc/api_resources.h"
#include "oidc/callback_url.h"
#include "oidc/provider.h"

namespace pocketid::oidc {

namespace {

// `request` (RFC 9101): only unsigned objects (alg none) are accepted; their claims override the form.
std::optional<OAuthError> MergeRequestObject(Form& form) {
  std::string object = form.Get("request");
  if (object.empty()) return std::nullopt;
  if (!form.Get("request_uri").empty()) {
    return errors::InvalidRequest(
        "OpenID Connect parameters 'request' and 'request_uri' were both given, but you can use at most one.");
  }
  auto parts_end = object.find('.');
  auto second = parts_end == std::string::npos ? std::string::npos : object.find('.', parts_end + 1);
  if (second == std::string::npos) {
    return errors::InvalidRequestObject("Unable to verify the request object because its claims could not be validated, check if the expiry time is set correctly.");
  }
  auto header = crypto::Base64UrlDecode(std::string_view(object).substr(0, parts_end));
  auto payload = crypto::Base64UrlDecode(std::string_view(object).substr(parts_end + 1, second - parts_end - 1));
  boost::system::error_code ec;
  boost::json::value h = header.ok() ? boost::json::parse(*header, ec) : boost::json::value();
  if (!header.ok() || ec || !h.is_object()) {
    return errors::InvalidRequestObject("Unable to decode the request object.");
  }
  auto alg = h.as_object().find("alg");
  std::string alg_name = alg != h.as_object().end() && alg->value().is_string() ? std::string(alg->value().as_string()) : "";
  if (alg_name != "none") {
    return errors::InvalidRequestObject(
        "The request object uses signing algorithm '" + alg_name +
        "', but the authorization server only supports [none].");
  }
  boost::json::value claims = payload.ok() ? boost::json::parse(*payload, ec) : boost::json::value();
  if (!payload.ok() || ec || !claims.is_object()) {
    return errors::InvalidRequestObject("Unable to decode the request object.");
  }
  std::string query_scope = form.Get("scope");
  for (const auto& [k, v] : claims.as_object()) {
    std::string value;
    if (v.is_string()) {
      value = std::string(v.as_string());
    } else if (v.is_int64() || v.is_uint64() || v.is_double() || v.is_bool()) {
      value = boost::json::serialize(v);
    } else {
      continue;
    }
    form.Set(k, std::move(value));
  }
  // The scope is the union of the query's and the object's.
  if (!query_scope.empty()) {
    auto merged = SplitSpaces(form.Get("scope"));
    for (auto& s : SplitSpaces(query_scope)) {
      if (std::find(merged.begin(), merged.end(), s) == merged.end()) merged.push_back(s);
    }
    form.Set("scope", JoinSpaces(merged));
  }
  return std::nullopt;
}

}  // namespace

std::variant<AuthorizeRequest, Failure> ParseUntilRedirect(Provider& p, Form form, std::optional<Interaction> resumed) {
  AuthorizeRequest r;
  r.resumed = std::move(resumed);
  auto client = p.clients().FindById(form.Get("client_id"));
  if (!client.ok()) return Failure{errors::ServerError()};
  if (!*client) return Failure{errors::InvalidClient("The requested OAuth 2.0 Client does not exist.")};
  r.client = std::move(**client);

  if (HasScope(SplitSpaces(form.Get("scope")), "openid")) {
    if (auto err = MergeRequestObject(form)) return Failure{*err};
  }
  r.state = form.Get("state");

  r.response_mode = form.Get("response_mode");
  if (!r.response_mode.empty() && r.response_mode != "query" && r.response_mode != "fragment" &&
      r.response_mode != "form_post") {
    return Failure{errors::UnsupportedResponseMode("Request with unsupported response_mode \"" + r.response_mode + "\".")};
  }

  auto scopes = SplitSpaces(form.Get("scope"));
  r.sent_redirect_uri = form.Get("redirect_uri");
  if (r.sent_redirect_uri.empty()) {
    if (HasScope(scopes, "openid")) {
      return Failure{errors::InvalidRequest("The 'redirect_uri' parameter is required when using OpenID Connect 1.0.")};
    }
    if (r.client.callback_urls.size() != 1 || r.client.callback_urls[0].find('*') != std::string::npos) {
      return Failure{errors::InvalidRequest("The 'redirect_uri' parameter is required when the client has several registered redirect URIs.")};
    }
    r.redirect_uri = r.client.callback_urls[0];
  } else {
    if (r.sent_redirect_uri.find('#') != std::string::npos) {
      return Failure{errors::InvalidRequest("The redirect URI '" + r.sent_redirect_uri +
                                            "' contains an illegal character (for example #) or is otherwise invalid.")};
    }
    if (!ExactRedirectMatch(r.client.callback_urls, r.sent_redirect_uri) &&
        !MatchCallbackUrl(r.client.callback_urls, r.sent_redirect_uri)) {
      return Failure{errors::InvalidRequest("The redirect_uri '" + r.sent_redirect_uri +
                                            "' is not registered for this client.")};
    }
    r.redirect_uri = r.sent_redirect_uri;
  }
  auto requestable = RequestableScopes(p.database(), r.client, scopes);
  if (!requestable.ok()) {
    spdlog::error("authorize: client scopes: {}", requestable.status().ToString());
    return Failure{errors::ServerError()};
  }
  r.scopes = std::move(*requestable);
  r.form = std::move(form);
  return r;
}

std::optional<OAuthError> ValidateAfterRedirect(AuthorizeRequest& r) {
  if (r.form.Has("registration")) return errors::RegistrationNotSupported();
  std::string response_type = r.form.Get("response_type");
  if (SplitSpaces(response_type).empty()) {
    return errors::UnsupportedResponseType("`The request is missing the 'response_type' parameter.");
  }
  if (response_type != "code") {
    return errors::UnsupportedResponseType("The client is not allowed to request response_type '" + response_type + "'.");
  }
  r.prompt = SplitSpaces(r.form.Get("prompt"));
  if (HasScope(r.scopes, "openid")) {
    for (const auto& v : r.prompt) {
      if (v != "none" && v != "login" && v != "consent" && v != "select_account") {
        return errors::InvalidRequest("Used unknown value '[" + JoinSpaces(r.prompt) + "]' for prompt parameter");
      }
    }
    if (r.HasPrompt("none") && r.prompt.size() > 1) {
      return errors::InvalidRequest(
          "Parameter 'prompt' was set to 'none', but contains other values as well which is not allowed.");
    }
  } else {
    r.prompt.clear();
  }
  if (r.state.size() < 8) {
    return errors::InvalidState("Request parameter 'state' must be at least be 8 characters long to ensure sufficient entropy.");
  }
  return std::nullopt;
}

std::optional<OAuthError> CheckCodeRequest(Provider& p, const AuthorizeRequest& r) {
  std::string method = r.form.Get("code_challenge_method");
  if (!method.empty() && method != "S256" && method != "plain") {
    return errors::InvalidRequest("The code_challenge_method is not supported, use S256 instead.");
  }
  if (r.client.is_public && r.form.Get("code_challenge").empty()) {
    return errors::InvalidRequest(
        "This client must include a code_challenge when performing the authorize code flow, but it is missing.");
  }
  std::string nonce = r.form.Get("nonce");
  if (!nonce.empty() && nonce.size() < 8 && HasScope(r.scopes, "openid")) {
    return errors::InsufficientEntropy(
        "Parameter 'nonce' is set but does not satisfy the minimum entropy of 8 characters.");
  }
  if (!p.deps().config.allow_insecure_callback_urls && !IsSecureRedirect(r.redirect_uri)) {
    spdlog::warn("HTTP callback URL rejected; set ALLOW_INSECURE_CALLBACK_URLS=true to allow it");
    return errors::InvalidRequest(
        "Redirect URL is using an insecure protocol, http is only allowed for hosts with suffix 'localhost', for "
        "example: http://myapp.localhost/.");
  }
  return std::nullopt;
}

}  // namespace pocketid::oidc
