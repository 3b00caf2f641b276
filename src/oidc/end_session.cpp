// GET|POST /api/oidc/end-session (RP-initiated logout, protocol.md §1.13). Any failure falls back to the SPA's
// sign-out confirmation page without touching the session; only a verified id_token_hint signs the user out here.
#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include "auth/sign_in.h"
#include "oidc/callback_url.h"
#include "oidc/grant_store.h"
#include "oidc/provider.h"

namespace pocketid::oidc {

namespace {

constexpr int64_t kLeewaySeconds = 60;

std::string ClaimString(const boost::json::object& claims, std::string_view key) {
  auto it = claims.find(key);
  return it != claims.end() && it->value().is_string() ? std::string(it->value().as_string()) : std::string();
}

std::optional<int64_t> ClaimInt(const boost::json::object& claims, std::string_view key) {
  auto it = claims.find(key);
  if (it == claims.end()) return std::nullopt;
  if (it->value().is_int64()) return it->value().as_int64();
  if (it->value().is_double()) return static_cast<int64_t>(it->value().as_double());
  return std::nullopt;
}

struct LogoutTarget {
  std::string user_id;
  std::string client_id;
  std::string jti;
  std::string callback;  // "" = no logout callback configured
};

// Steps 2–4; nullopt (logged) on any failure.
std::optional<LogoutTarget> Validate(Provider& p, const http::Request& req, const Form& form) {
  std::string hint = form.Get("id_token_hint");
  if (hint.empty()) return std::nullopt;
  auto verified = crypto::VerifyJwt(hint, p.verification_key(), p.minter().key().algorithm());
  if (!verified.ok()) {
    spdlog::debug("end-session: id_token_hint does not verify");
    return std::nullopt;
  }
  const auto& claims = verified->claims;
  int64_t now = db::Now().unix_seconds;
  if (ClaimString(claims, "iss") != p.issuer()) return std::nullopt;
  if (auto iat = ClaimInt(claims, "iat"); iat && *iat > now + kLeewaySeconds) return std::nullopt;
  if (auto nbf = ClaimInt(claims, "nbf"); nbf && *nbf > now + kLeewaySeconds) return std::nullopt;
  if (ClaimString(claims, "type") != "id-token") return std::nullopt;
  LogoutTarget t;
  if (auto aud = claims.find("aud"); aud != claims.end()) {
    if (aud->value().is_array() && !aud->value().as_array().empty() && aud->value().as_array()[0].is_string()) {
      t.client_id = std::string(aud->value().as_array()[0].as_string());
    } else if (aud->value().is_string()) {
      t.client_id = std::string(aud->value().as_string());
    }
  }
  if (t.client_id.empty()) return std::nullopt;
  if (std::string param = form.Get("client_id"); !param.empty() && param != t.client_id) return std::nullopt;
  t.user_id = ClaimString(claims, "sub");
  t.jti = ClaimString(claims, "jti");
  if (t.user_id.empty() || t.jti.empty()) return std::nullopt;
  auto session = p.authenticator().AuthenticateOptional(req);
  if (auto* s = std::get_if<std::optional<auth::Principal>>(&session); s && *s && (*s)->user.id != t.user_id) {
    return std::nullopt;
  }
  auto authorized = p.consents().Exists(t.user_id, t.client_id);
  if (!authorized.ok() || !*authorized) return std::nullopt;
  auto client = p.clients().FindById(t.client_id);
  if (!client.ok() || !*client) return std::nullopt;
  const auto& logout_urls = (*client)->logout_callback_urls;
  std::string requested = form.Get("post_logout_redirect_uri");
  if (logout_urls.empty()) {
    t.callback.clear();
  } else if (requested.empty()) {
    t.callback = logout_urls.front();
  } else {
    auto matched = MatchCallbackUrl(logout_urls, requested);
    if (!matched) return std::nullopt;
    t.callback = *matched;
  }
  return t;
}

}  // namespace

http::Response HandleEndSession(Provider& p, http::Request& req) {
  const std::string fallback = p.issuer() + "/logout";
  auto form = RequestForm(req);
  if (!form) return http::Response::Redirect(302, fallback);
  auto target = Validate(p, req, *form);
  if (!target) return http::Response::Redirect(302, fallback);

  auto lease = p.database().Acquire();
  if (lease.ok()) {
    Status st = grants::RevokeForUserAndClient(**lease, target->user_id, target->client_id, target->jti);
    if (!st.ok()) spdlog::error("end-session: revoking tokens: {}", st.ToString());
  }
  std::string location = fallback;
  if (!target->callback.empty()) {
    location = target->callback;
    if (std::string state = form->Get("state"); !state.empty()) {
      location += (location.find('?') == std::string::npos ? "?" : "&");
      location += "state=" + QueryEscape(state);
    }
  }
  http::Response res = http::Response::Redirect(302, std::move(location));
  res.headers.Add("Set-Cookie", auth::ClearedSessionCookie(p.cookies()));
  return res;
}

}  // namespace pocketid::oidc
