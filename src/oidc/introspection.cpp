// POST /api/oidc/introspect (RFC 7662, protocol.md §1.11): a client asks whether one of its tokens is active.
// Callers authenticate with HTTP Basic (confidential clients), one of their own access tokens as bearer, or a
// federated client assertion as bearer together with `client_id`.
#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include "oidc/client_auth.h"
#include "oidc/provider.h"

namespace pocketid::oidc {

namespace {

http::Response Inactive() { return OAuthJsonResponse(200, R"({"active":false})"); }

// The calling client's id, or the 401 to send.
std::variant<std::string, OAuthError> IntrospectingClient(Provider& p, const http::Request& req, const Form& form) {
  auto header = req.Header("Authorization");
  if (header && header->size() > 7 && http::EqualsIgnoreCase(header->substr(0, 7), "Bearer ")) {
    std::string bearer(header->substr(7));
    if (std::string client_id = form.Get("client_id"); !client_id.empty()) {
      // A bearer plus client_id is a federated client assertion (protocol.md §1.17), whatever the bearer is.
      auto federated = p.client_assertions().Authenticate(p.clients(), p.database(), client_id, bearer);
      if (federated) {
        if (auto* client = std::get_if<oidcclients::Client>(&*federated)) return client->id;
      }
      return errors::RequestUnauthorized("The client assertion could not be validated.");
    }
    if (bearer == form.Get("token")) return errors::RequestUnauthorized("Bearer and introspection token are identical.");
    auto caller = FindActiveAccessToken(p, bearer);
    if (!caller.ok()) return errors::ServerError();
    if (!*caller) return errors::RequestUnauthorized("The request could not be authorized.");
    return (*caller)->client_id;
  }
  if (!header) return errors::RequestUnauthorized("HTTP Authorization header missing.");
  auto basic = BasicCredentials(req);
  if (!basic) return errors::RequestUnauthorized("HTTP Authorization header missing.");
  auto client = p.clients().FindById(basic->first);
  if (!client.ok()) return errors::ServerError();
  if (!*client) return errors::RequestUnauthorized("Unable to find OAuth 2.0 Client from HTTP basic authorization header.");
  if ((*client)->is_public || !oidcclients::SecretMatches(**client, basic->second, db::Now())) {
    return errors::RequestUnauthorized("OAuth 2.0 Client credentials are invalid.");
  }
  return (*client)->id;
}

}  // namespace

http::Response HandleIntrospect(Provider& p, http::Request& req) {
  if (req.method != http::Method::kPost) {
    return OAuthErrorResponse(errors::InvalidRequest("HTTP method is '" + req.method_name + "', expected 'POST'."));
  }
  if (req.body.empty()) return OAuthErrorResponse(errors::InvalidRequest("The POST body can not be empty."));
  auto form = RequestForm(req, /*include_query=*/false);
  if (!form) return OAuthErrorResponse(errors::InvalidRequest());
  auto caller = IntrospectingClient(p, req, *form);
  if (auto* e = std::get_if<OAuthError>(&caller)) return OAuthErrorResponse(*e);
  const std::string& caller_id = std::get<std::string>(caller);

  std::string token = form->Get("token");
  if (token.empty()) return Inactive();
  StatusOr<std::optional<StoredRequest>> found = std::optional<StoredRequest>();
  if (form->Get("token_type_hint") == "refresh_token") {
    found = FindActiveRefreshToken(p, token);
    if (found.ok() && !*found) found = FindActiveAccessToken(p, token);
  } else {
    found = FindActiveAccessToken(p, token);
    if (found.ok() && !*found) found = FindActiveRefreshToken(p, token);
  }
  if (!found.ok()) {
    spdlog::error("introspect: {}", found.status().ToString());
    return OAuthErrorResponse(errors::ServerError());
  }
  if (!*found || (*found)->client_id != caller_id) return Inactive();
  const StoredRequest& r = **found;
  std::string subject = r.session.subject.empty() ? "client-" + r.client_id : r.session.subject;
  boost::json::object body{{"active", true}, {"client_id", r.client_id}};
  if (!r.granted_scope.empty()) body["scope"] = JoinSpaces(r.granted_scope);
  if (r.session.access_token_expires_at) body["exp"] = *r.session.access_token_expires_at;
  body["iat"] = r.requested_at;
  body["sub"] = subject;
  boost::json::array aud;
  for (const auto& a : r.granted_audience) aud.emplace_back(a);
  body["aud"] = std::move(aud);
  body["iss"] = p.issuer();
  body["username"] = subject;
  return OAuthJsonResponse(200, boost::json::serialize(body));
}

}  // namespace pocketid::oidc
