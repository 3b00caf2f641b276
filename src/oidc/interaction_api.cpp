// The interaction API the SPA drives (protocol.md §1.6): read a parked authorization request, and complete its
// steps one at a time (authenticate, select_account, reauthenticate, consent).
#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include "core/http/json_body.h"
#include "oidc/api_resources.h"
#include "oidc/form.h"
#include "auth/reauthentication.h"
#include "oidc/provider.h"

namespace pocketid::oidc {

namespace {

http::ApiError InteractionNotFound() {
  return http::ApiError::NotFound("OIDC interaction", "OIDC interaction not found or expired");
}

http::ApiError StepMessage(std::string message) { return {400, "validation_failed", std::move(message), {}}; }

std::string AuthorizeRedirectUrl(std::string_view id) { return "/authorize?interaction=" + QueryEscape(id); }

bool HasPrompt(const Interaction& i, std::string_view v) {
  auto prompt = SplitSpaces(i.Parameter("prompt"));
  return std::find(prompt.begin(), prompt.end(), v) != prompt.end();
}

// Consent and reauthentication needs of `user_id` for this interaction (after authenticating or switching users).
// A malformed max_age is remembered in `bad_max_age` and reported once the step is done, as Pocket ID does.
StatusOr<UserSteps> UserRequirements(Provider& p, const Interaction& i, const oidcclients::Client& client,
                                     std::string_view user_id, int64_t auth_time, bool& bad_max_age) {
  PID_ASSIGN_OR_RETURN(bool authorized,
                       p.consents().AlreadyAuthorized(user_id, i.client_id, InteractionConsentKeys(i)));
  auto exceeded = MaxAgeExceeded(i.Parameter("max_age"), auth_time, db::Now().unix_seconds);
  if (std::holds_alternative<OAuthError>(exceeded)) bad_max_age = true;
  const bool too_old = std::holds_alternative<bool>(exceeded) && std::get<bool>(exceeded);
  return StepsForUser(client, HasPrompt(i, "consent"), HasPrompt(i, "login"), authorized, too_old);
}

// 200 with the interaction DTO (wrapped in {"<wrap_in>": ...} when given), with the display text of its API scopes.
http::Response InteractionResponse(Provider& p, const http::Request& req, const Interaction& i,
                                   const oidcclients::Client& client, std::string_view wrap_in = {}) {
  auto scope_info = ScopeInfo(p.database(), i.Parameter("resource"), i.scopes);
  if (!scope_info.ok()) return http::ErrorResponse(req, http::InternalFromStatus(scope_info.status(), "scope info"));
  boost::json::object dto = InteractionDto(i, client, std::move(*scope_info));
  if (wrap_in.empty()) return http::Response::Json(200, std::move(dto));
  return http::Response::Json(200, boost::json::object{{wrap_in, std::move(dto)}});
}

}  // namespace

http::Response HandleGetInteraction(Provider& p, http::Request& req) {
  auto found = p.interactions().Find(req.PathParam("id"));
  if (!found.ok()) return http::ErrorResponse(req, http::InternalFromStatus(found.status(), "interaction lookup"));
  if (!*found) return http::ErrorResponse(req, InteractionNotFound());
  auto client = p.clients().FindById((*found)->client_id);
  if (!client.ok()) return http::ErrorResponse(req, http::InternalFromStatus(client.status(), "interaction client"));
  if (!*client) return http::ErrorResponse(req, InteractionNotFound());
  return InteractionResponse(p, req, **found, **client);
}

http::Response HandleCompleteInteraction(Provider& p, http::Request& req) {
  auto principal = p.authenticator().Authenticate(req, auth::AuthPolicy::BrowserSelf());
  if (auto* e = std::get_if<http::ApiError>(&principal)) return http::ErrorResponse(req, *e);
  const auto& me = std::get<auth::Principal>(principal);

  auto body = http::ParseJsonObjectBody(req);
  if (auto* e = std::get_if<http::ApiError>(&body)) return http::ErrorResponse(req, *e);
  auto step_field = http::OptionalStringField(std::get<boost::json::object>(body), "step");
  if (auto* e = std::get_if<http::ApiError>(&step_field)) return http::ErrorResponse(req, *e);
  const std::string step = std::get<std::optional<std::string>>(step_field).value_or("");

  auto found = p.interactions().Find(req.PathParam("id"));
  if (!found.ok()) return http::ErrorResponse(req, http::InternalFromStatus(found.status(), "interaction lookup"));
  if (!*found) return http::ErrorResponse(req, InteractionNotFound());
  Interaction i = std::move(**found);
  auto client_lookup = p.clients().FindById(i.client_id);
  if (!client_lookup.ok() || !*client_lookup) return http::ErrorResponse(req, InteractionNotFound());
  const oidcclients::Client& client = **client_lookup;
  const std::string& user_id = me.user.id;
  bool bad_max_age = false;

  auto switch_user = [&]() -> Status {
    i.user_id = user_id;
    PID_ASSIGN_OR_RETURN(auto need, UserRequirements(p, i, client, user_id, me.authentication_time, bad_max_age));
    i.authentication_required = false;
    i.consent_required = need.consent;
    i.reauthentication_required = need.reauthentication;
    i.reauthenticated_at.reset();
    return Status::Ok();
  };

  // An interaction bound to someone else is taken over by the caller (requirements recomputed once).
  const bool switched = i.user_id && *i.user_id != user_id;
  if (switched) {
    if (auto st = switch_user(); !st.ok()) return http::ErrorResponse(req, http::InternalFromStatus(st, "interaction"));
  }
  auto steps = i.RequiredSteps();
  if (steps.empty()) return http::Response::Json(200, boost::json::object{{"redirectUrl", AuthorizeRedirectUrl(i.id)}});
  // Only the current step may be completed (so an unknown step name can never get further than this).
  if (steps.front() != step) {
    return http::ErrorResponse(req, StepMessage("Expected interaction step " + steps.front() + " but got " + step));
  }
  if (step != "select_account" && i.user_id && *i.user_id != user_id) {
    return http::ErrorResponse(req,
                               errors::InvalidRequest("The interaction session belongs to another user.").AsApiError());
  }

  if (step == "authenticate") {
    i.user_id = user_id;
    i.authentication_required = false;
    auto need = UserRequirements(p, i, client, user_id, me.authentication_time, bad_max_age);
    if (!need.ok()) return http::ErrorResponse(req, http::InternalFromStatus(need.status(), "interaction"));
    i.consent_required = i.consent_required || need->consent;
    i.reauthentication_required = i.reauthentication_required || need->reauthentication;
    i.account_selection_required = i.account_selection_required || HasPrompt(i, "select_account");
  } else if (step == "select_account") {
    if (!switched) {
      if (auto st = switch_user(); !st.ok()) return http::ErrorResponse(req, http::InternalFromStatus(st, "interaction"));
    }
    i.account_selection_required = false;
  } else if (step == "reauthenticate") {
    i.user_id = user_id;
    auto cookie = req.Cookie(p.cookies().reauthentication_token);
    if (!cookie || cookie->empty()) {
      return http::ErrorResponse(req, http::ApiError::Validation("reauthenticationToken", "required", "is required"));
    }
    auto consumed = auth::ConsumeReauthenticationToken(p.database(), *cookie, user_id);
    if (!consumed.ok()) return http::ErrorResponse(req, http::InternalFromStatus(consumed.status(), "reauthentication"));
    if (!*consumed) return http::ErrorResponse(req, {401, "reauthentication_required", "Reauthentication is required", {}});
    i.reauthentication_required = false;
    i.reauthenticated_at = **consumed;
  } else {  // consent
    i.user_id = user_id;
    auto already = p.consents().Record(user_id, i.client_id, InteractionConsentKeys(i));
    if (!already.ok()) return http::ErrorResponse(req, http::InternalFromStatus(already.status(), "consent"));
    if (!*already) {
      p.audit().Write({"NEW_CLIENT_AUTHORIZATION", user_id, req.client_ip, req.Header("User-Agent").value_or(""),
                       {{"clientName", client.name}}});
    }
    i.consent_required = false;
  }
  if (bad_max_age) {
    return http::ErrorResponse(
        req, errors::InvalidRequest("Parameter 'max_age' must be a non-negative integer.").AsApiError());
  }
  if (auto st = p.interactions().Update(i); !st.ok()) {
    return http::ErrorResponse(req, http::InternalFromStatus(st, "interaction update"));
  }
  if (i.RequiredSteps().empty()) {
    return http::Response::Json(200, boost::json::object{{"redirectUrl", AuthorizeRedirectUrl(i.id)}});
  }
  return InteractionResponse(p, req, i, client, "interaction");
}

}  // namespace pocketid::oidc
