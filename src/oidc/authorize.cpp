// GET|POST /authorize (protocol.md §1.5): validate the request as fosite does, apply Pocket ID's policy (PKCE flag,
// groups, consent, reauthentication, prompt, max_age), park it in an interaction when the browser has steps to do,
// else issue an authorization code and send the browser back to the client.
#include <algorithm>
#include <variant>

#include <boost/json.hpp>

#include <spdlog/spdlog.h>

#include "core/crypto/random.h"
#include "oidc/authorize_request.h"
#include "oidc/callback_url.h"
#include "oidc/form.h"
#include "oidc/grant_store.h"
#include "auth/reauthentication.h"
#include "oidc/provider.h"
#include "oidc/response_modes.h"

namespace pocketid::oidc {

namespace {

// Pocket ID's own error page: 302 to the SPA with the message.
http::Response ErrorPage(std::string_view message) {
  return http::Response::Redirect(302, "/interaction/error?error=" + QueryEscape(message));
}

http::Response InteractionRedirect(std::string_view id) {
  return http::Response::Redirect(302, "/interaction?interaction=" + QueryEscape(id));
}

http::Response InternalErrorPage(const Status& status, std::string_view context) {
  spdlog::error("authorize: {}: {}", context, status.ToString());
  return ErrorPage(errors::ServerError().Message());
}

struct Requirements {
  bool consent = false;
  bool reauthentication = false;
  bool authentication = false;
  bool account_selection = false;
  bool any() const { return consent || reauthentication || authentication || account_selection; }
};

// The parameters an interaction keeps: first value of each key except request, request_uri and interaction.
std::vector<std::pair<std::string, std::string>> InteractionParameters(const Form& form) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [k, v] : form.pairs()) {
    if (k == "request" || k == "request_uri" || k == "interaction") continue;
    bool seen = std::any_of(out.begin(), out.end(), [&](const auto& e) { return e.first == k; });
    if (!seen) out.emplace_back(k, v);
  }
  return out;
}

StatusOr<std::string> CreateInteraction(Provider& p, const AuthorizeRequest& r, std::optional<std::string> user_id,
                                        const Requirements& req) {
  Interaction i;
  i.id = r.id;
  i.created_at = db::Now().unix_seconds;
  i.consent_required = req.consent;
  i.reauthentication_required = req.reauthentication;
  i.authentication_required = req.authentication;
  i.account_selection_required = req.account_selection;
  i.scopes = r.scopes;
  i.client_id = r.client.id;
  i.user_id = std::move(user_id);
  i.requested_at = r.requested_at;
  i.parameters = InteractionParameters(r.form);
  PID_RETURN_IF_ERROR(p.interactions().Create(i));
  return i.id;
}

// The grant the code stands for: the request, who signed in and how, and the ID-token claims frozen now.
StatusOr<StoredRequest> GrantForCode(Provider& p, const AuthorizeRequest& r, const users::User& user,
                                     const auth::Principal& principal, int64_t auth_time, int64_t now) {
  StoredRequest stored;
  stored.id = r.id;
  stored.requested_at = r.requested_at;
  stored.client_id = r.client.id;
  stored.requested_scope = r.scopes;
  stored.granted_scope = r.grant.scopes;
  stored.granted_audience = {r.grant.audience};
  stored.form = r.form;
  stored.authorize = true;
  stored.response_types = {"code"};
  stored.redirect_uri = r.sent_redirect_uri;
  stored.state = r.state;
  stored.response_mode = r.response_mode.empty() ? "query" : r.response_mode;
  stored.default_response_mode = "query";
  GrantSession& s = stored.session;
  s.subject = user.id;
  s.authentication_method = principal.authentication_method;
  s.id_token_jti = crypto::NewUuidV4();
  s.nonce = r.form.Get("nonce");
  s.auth_time = auth_time != 0 ? auth_time : now;
  s.requested_at = r.requested_at;
  if (r.form.Has("acr_values")) s.acr = "0";
  s.alg = std::string(crypto::AlgorithmName(p.minter().key().algorithm()));
  s.authorize_code_expires_at = now + kAuthorizeCodeLifetimeSeconds;
  PID_ASSIGN_OR_RETURN(s.id_token_extra, p.claims().UserClaims(user, r.grant.scopes));
  return stored;
}

// Step 4d: the request's resource and scopes as a user-delegated grant (stored in r.grant), or the OAuth error.
StatusOr<std::optional<OAuthError>> ResolveUserGrant(Provider& p, AuthorizeRequest& r) {
  auto resource = ResourceParameter(r.form);
  if (auto* e = std::get_if<OAuthError>(&resource)) return std::optional<OAuthError>(*e);
  PID_ASSIGN_OR_RETURN(auto resolved, ResolveResource(p.database(), r.client, std::get<std::string>(resource), r.scopes,
                                                      apis::SubjectType::kUser));
  if (auto* e = std::get_if<OAuthError>(&resolved)) return std::optional<OAuthError>(*e);
  r.grant = std::move(std::get<ResourceGrant>(resolved));
  return std::optional<OAuthError>();
}

// A pushed request (PAR) is single use: it is deleted as it is read. Its parameters replace the query's.
std::variant<Form, OAuthError> ConsumePushedRequest(Provider& p, const std::string& request_uri,
                                                    const std::string& client_id) {
  const OAuthError invalid = errors::InvalidRequestUri("Invalid PAR session");
  auto lease = p.database().Acquire();
  if (!lease.ok()) return errors::ServerError();
  auto row = grants::Find(**lease, kKindPushedRequest, request_uri);
  if (!row.ok()) return errors::ServerError();
  if (!*row || ((*row)->expires_at && *(*row)->expires_at <= db::Now().unix_seconds)) return invalid;
  auto deleted = grants::Delete(**lease, kKindPushedRequest, request_uri);
  if (!deleted.ok()) return errors::ServerError();
  if (!*deleted) return invalid;
  if ((*row)->request.client_id != client_id) {
    return errors::InvalidRequest("The 'client_id' must match the one sent in the pushed authorization request.");
  }
  return std::move((*row)->request.form);
}

http::Response Deliver(const http::Request& req, const AuthorizeRequest& r, const OAuthError& error,
                       const std::string& issuer) {
  if (error.error == "access_denied") return ErrorPage(error.Message());
  return RespondToClient(req, r.Target(), ErrorParams(error, r.state, issuer));
}

}  // namespace

http::Response HandleAuthorize(Provider& p, http::Request& req) {
  auto parsed_form = RequestForm(req);
  if (!parsed_form) {
    return ErrorPage(errors::InvalidRequest("Unable to parse HTTP body, make sure to send a properly formatted form request body.").Message());
  }
  Form form = std::move(*parsed_form);

  // 1. Resuming an interaction: its stored parameters replace the request's.
  std::optional<Interaction> resumed;
  if (std::string id = form.Get("interaction"); !id.empty()) {
    auto found = p.interactions().Find(id);
    if (!found.ok()) return InternalErrorPage(found.status(), "interaction lookup");
    if (!*found) return ErrorPage("The interaction session is invalid or has expired.");
    resumed = std::move(**found);
    Form replaced;
    for (const auto& [k, v] : resumed->parameters) replaced.Add(k, v);
    replaced.Add("interaction", resumed->id);
    form = std::move(replaced);
  }

  // 2. A pushed authorization request: the query only names it.
  bool pushed = false;
  if (std::string uri = form.Get("request_uri"); uri.starts_with(kParPrefix)) {
    auto restored = ConsumePushedRequest(p, uri, form.Get("client_id"));
    if (auto* e = std::get_if<OAuthError>(&restored)) return ErrorPage(e->Message());
    form = std::move(std::get<Form>(restored));
    pushed = true;
  }

  auto parsed = ParseUntilRedirect(p, std::move(form), std::move(resumed));
  if (auto* f = std::get_if<Failure>(&parsed)) return ErrorPage(f->error.Message());
  AuthorizeRequest& r = std::get<AuthorizeRequest>(parsed);
  const std::string& issuer = p.issuer();
  int64_t now = db::Now().unix_seconds;
  r.requested_at = now;
  r.id = crypto::NewUuidV4();

  if (auto err = ValidateAfterRedirect(r)) return Deliver(req, r, *err, issuer);

  // 4a. Per-client PKCE flag.
  if (r.client.pkce_enabled && r.form.Get("code_challenge").empty()) {
    return Deliver(req, r, errors::InvalidRequest("This client requires PKCE, but the 'code_challenge' parameter is missing."), issuer);
  }

  auto principal_result = p.authenticator().AuthenticateOptional(req);
  if (auto* e = std::get_if<http::ApiError>(&principal_result)) return ErrorPage(e->message);
  const auto& principal = std::get<std::optional<auth::Principal>>(principal_result);

  // 4b. A resumed interaction must match the request it came from.
  if (r.resumed) {
    if (r.resumed->client_id != r.client.id) {
      return Deliver(req, r, errors::InvalidRequest("The interaction session does not belong to this client."), issuer);
    }
    if (r.resumed->user_id && !principal) return Deliver(req, r, errors::LoginRequired(), issuer);
    for (const auto& s : r.scopes) {
      if (!HasScope(r.resumed->scopes, s)) {
        return Deliver(req, r, errors::InvalidRequest("The requested scopes exceed the scopes of the interaction session."), issuer);
      }
    }
    r.id = r.resumed->id;
    r.requested_at = r.resumed->requested_at != 0 ? r.resumed->requested_at : now;
  }
  // 4c. PAR required by the client.
  if (r.client.requires_pushed_authorization_requests && !r.resumed && !pushed) {
    return Deliver(req, r, errors::Unrecognizable(), issuer);
  }
  // 4d. The resource and the scopes resolve before anyone signs in. With a resource, every failure looks the same.
  auto resolved = ResolveUserGrant(p, r);
  if (!resolved.ok()) return InternalErrorPage(resolved.status(), "resolving the resource");
  if (*resolved) {
    if (!r.form.Get("resource").empty()) {
      return Deliver(req, r, errors::InvalidRequest("The 'resource' or 'scope' parameter is invalid."), issuer);
    }
    return Deliver(req, r, **resolved, issuer);
  }

  // 4e. Not signed in.
  if (!principal) {
    if (r.HasPrompt("none")) return Deliver(req, r, errors::LoginRequired(), issuer);
    Requirements need{r.HasPrompt("consent"), r.HasPrompt("login") || r.client.requires_reauthentication, true,
                      r.HasPrompt("select_account")};
    auto id = CreateInteraction(p, r, std::nullopt, need);
    if (!id.ok()) return InternalErrorPage(id.status(), "creating the interaction");
    return InteractionRedirect(*id);
  }
  const users::User& user = principal->user;

  // 4f. Group restriction.
  auto allowed = p.clients().UserMayUse(r.client, user.id);
  if (!allowed.ok()) return InternalErrorPage(allowed.status(), "group restriction");
  if (!*allowed) return ErrorPage("You are not allowed to access this service.");

  auto keys = ConsentKeysForGrant(r.grant.audience, r.grant.resource, r.grant.scopes);
  int64_t auth_time = principal->authentication_time;
  Requirements need;
  if (r.resumed) {
    // g. A resumed interaction bound to another user is switched to this one (its requirements recomputed).
    if (r.resumed->user_id && *r.resumed->user_id != user.id) {
      auto authorized = p.consents().AlreadyAuthorized(user.id, r.client.id, keys);
      if (!authorized.ok()) return InternalErrorPage(authorized.status(), "consent lookup");
      auto exceeded = MaxAgeExceeded(r.form.Get("max_age"), auth_time, now);
      if (auto* e = std::get_if<OAuthError>(&exceeded)) return Deliver(req, r, *e, issuer);
      UserSteps steps = StepsForUser(r.client, r.HasPrompt("consent"), r.HasPrompt("login"), *authorized,
                                     std::get<bool>(exceeded));
      r.resumed->user_id = user.id;
      r.resumed->authentication_required = false;
      r.resumed->consent_required = steps.consent;
      r.resumed->reauthentication_required = steps.reauthentication;
      r.resumed->reauthenticated_at.reset();
      if (auto st = p.interactions().Update(*r.resumed); !st.ok()) return InternalErrorPage(st, "interaction update");
    }
    // h. The interaction's own flags win; its reauthentication time becomes the auth time.
    need = {r.resumed->consent_required, r.resumed->reauthentication_required, r.resumed->authentication_required,
            r.resumed->account_selection_required};
    if (r.resumed->reauthenticated_at) auth_time = *r.resumed->reauthenticated_at;
    // max_age is still validated for its format.
    auto exceeded = MaxAgeExceeded(r.form.Get("max_age"), auth_time, now);
    if (auto* e = std::get_if<OAuthError>(&exceeded)) return Deliver(req, r, *e, issuer);
  } else {
    auto authorized = p.consents().AlreadyAuthorized(user.id, r.client.id, keys);
    if (!authorized.ok()) return InternalErrorPage(authorized.status(), "consent lookup");
    auto exceeded = MaxAgeExceeded(r.form.Get("max_age"), auth_time, now);
    if (auto* e = std::get_if<OAuthError>(&exceeded)) return Deliver(req, r, *e, issuer);
    UserSteps steps = StepsForUser(r.client, r.HasPrompt("consent"), r.HasPrompt("login"), *authorized,
                                   std::get<bool>(exceeded));
    need.consent = steps.consent;
    need.reauthentication = steps.reauthentication;
    need.account_selection = r.HasPrompt("select_account");
  }

  // j. prompt=none cannot show anything.
  if (r.HasPrompt("none") && need.consent) return Deliver(req, r, errors::ConsentRequired(), issuer);
  if (r.HasPrompt("none") && need.reauthentication) return Deliver(req, r, errors::LoginRequired(), issuer);

  // k. A fresh reauthentication cookie satisfies the reauthentication requirement.
  if (need.reauthentication) {
    if (auto cookie = req.Cookie(p.cookies().reauthentication_token); cookie && !cookie->empty()) {
      auto consumed = auth::ConsumeReauthenticationToken(p.database(), *cookie, user.id);
      if (!consumed.ok()) return InternalErrorPage(consumed.status(), "reauthentication token");
      if (*consumed) {
        need.reauthentication = false;
        auth_time = **consumed;
      }
    }
  }

  // l. Steps left: park (or keep) the interaction.
  if (need.any()) {
    if (r.resumed) return InteractionRedirect(r.resumed->id);
    auto id = CreateInteraction(p, r, user.id, need);
    if (!id.ok()) return InternalErrorPage(id.status(), "creating the interaction");
    return InteractionRedirect(*id);
  }

  // m. Granted. Everything it writes (interaction gone, consent, audit row, PKCE hint, the code) is one
  // transaction: one commit per authorization.
  if (auto err = CheckCodeRequest(p, r)) return Deliver(req, r, *err, issuer);
  auto grant = GrantForCode(p, r, user, *principal, auth_time, now);
  if (!grant.ok()) return InternalErrorPage(grant.status(), "building the grant");
  OpaqueToken code = p.opaque_tokens().Generate(kAuthorizeCodePrefix);
  bool interaction_used = false;
  const audit::Location where = p.audit().Locate(req.client_ip);  // looked up before a connection is taken
  Status granted = p.database().InTransaction([&](db::Connection& conn) -> Status {
    if (r.resumed) {
      PID_ASSIGN_OR_RETURN(bool deleted, InteractionStore::DeleteWith(conn, r.resumed->id));
      if (!deleted) {
        interaction_used = true;
        return Status::Ok();
      }
    }
    PID_ASSIGN_OR_RETURN(bool already, ConsentStore::RecordWith(conn, user.id, r.client.id, keys));
    PID_RETURN_IF_ERROR(audit::AuditLog::WriteWith(
        conn, {already ? "CLIENT_AUTHORIZATION" : "NEW_CLIENT_AUTHORIZATION", user.id, req.client_ip,
               req.Header("User-Agent").value_or(""), {{"clientName", r.client.name}}},
        where));
    // n. Remember that this client can do PKCE (the admin UI then suggests turning it on).
    if (!r.form.Get("code_challenge").empty() && !r.client.pkce_enabled && !r.client.pkce_supported) {
      PID_RETURN_IF_ERROR(oidcclients::ClientStore::MarkPkceSupportedWith(conn, r.client.id));
    }
    return grants::Insert(conn, kKindAuthorizeCode, code.signature, *grant, now + kAuthorizeCodeLifetimeSeconds);
  });
  if (!granted.ok()) return InternalErrorPage(granted, "granting the authorization");
  if (interaction_used) {
    return Deliver(req, r, errors::InvalidRequest("The interaction session has already been used."), issuer);
  }
  Form params;
  params.Add("code", code.token);
  params.Add("scope", JoinSpaces(r.grant.scopes));
  params.Add("state", r.state);
  params.Add("iss", issuer);
  return RespondToClient(req, r.Target(), std::move(params));
}

}  // namespace pocketid::oidc
