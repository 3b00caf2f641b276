// POST /api/oidc/par (RFC 9126, protocol.md §1.8): a client pushes its authorization request first (authenticated
// like at the token endpoint), gets a single-use request_uri valid for 90 s, and sends the browser to /authorize with
// only client_id and request_uri. Validation is exactly /authorize's.
#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include "core/crypto/encoding.h"
#include "core/crypto/random.h"
#include "oidc/authorize_request.h"
#include "oidc/client_auth.h"
#include "oidc/grant_store.h"
#include "oidc/provider.h"

namespace pocketid::oidc {

namespace {
constexpr int64_t kPushedRequestLifetimeSeconds = 90;
}  // namespace

http::Response HandlePar(Provider& p, http::Request& req) {
  if (req.body.empty()) return OAuthErrorResponse(errors::InvalidRequest("The POST body can not be empty."));
  auto form = RequestForm(req, /*include_query=*/false);
  if (!form) return OAuthErrorResponse(errors::InvalidRequest());
  auto client = AuthenticateClient(p, req, *form);
  if (auto* e = std::get_if<OAuthError>(&client)) return OAuthErrorResponse(*e);
  const auto& c = std::get<oidcclients::Client>(client);

  if (form->Has("request_uri")) {
    return OAuthErrorResponse(errors::InvalidRequest("The request must not contain 'request_uri'."));
  }
  // The pushed parameters are what /authorize will use: never the client's credentials.
  Form pushed = *form;
  pushed.Remove("client_secret");
  pushed.Remove("client_assertion");
  pushed.Remove("client_assertion_type");
  pushed.Set("client_id", c.id);

  auto parsed = ParseUntilRedirect(p, pushed, std::nullopt);
  if (auto* f = std::get_if<Failure>(&parsed)) return OAuthErrorResponse(f->error);
  AuthorizeRequest& r = std::get<AuthorizeRequest>(parsed);
  if (auto err = ValidateAfterRedirect(r)) return OAuthErrorResponse(*err);
  if (c.pkce_enabled && r.form.Get("code_challenge").empty()) {
    return OAuthErrorResponse(
        errors::InvalidRequest("This client requires PKCE, but the 'code_challenge' parameter is missing."));
  }
  if (auto err = CheckCodeRequest(p, r)) return OAuthErrorResponse(*err);

  int64_t now = db::Now().unix_seconds;
  std::string request_uri = std::string(kParPrefix) + crypto::Base64UrlEncode(crypto::RandomBytes(32));
  StoredRequest stored;
  stored.id = crypto::NewUuidV4();
  stored.requested_at = now;
  stored.client_id = c.id;
  stored.requested_scope = r.scopes;
  stored.form = std::move(pushed);
  stored.redirect_uri = r.sent_redirect_uri;
  stored.state = r.state;
  auto lease = p.database().Acquire();
  Status saved = lease.ok() ? grants::Insert(**lease, kKindPushedRequest, request_uri, stored,
                                             now + kPushedRequestLifetimeSeconds)
                            : lease.status();
  if (!saved.ok()) {
    spdlog::error("par: storing the request: {}", saved.ToString());
    return OAuthErrorResponse(errors::ServerError());
  }
  boost::json::object body{{"request_uri", request_uri}, {"expires_in", kPushedRequestLifetimeSeconds}};
  return OAuthJsonResponse(201, boost::json::serialize(body));
}

}  // namespace pocketid::oidc
