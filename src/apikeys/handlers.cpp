#include "apikeys/handlers.h"

#include <memory>

#include "apikeys/input.h"
#include "apikeys/store.h"
#include "core/crypto/random.h"
#include "core/http/json_body.h"
#include "core/http/pagination.h"

namespace pocketid::apikeys {

namespace {

constexpr size_t kTokenLength = 32;

struct Services {
  Deps deps;
  ApiKeyStore store;
};

http::ApiError ApiKeyNotFound() { return {404, "api_key_not_found", "API key not found", {}}; }
http::ApiError ApiKeyNotExpired() { return {409, "api_key_not_expired", "API key is not expired yet", {}}; }

http::Response Error(const http::Request& req, const http::ApiError& e) { return http::ErrorResponse(req, e); }
http::Response Internal(const http::Request& req, const Status& s, std::string_view what) {
  return http::ErrorResponse(req, http::InternalFromStatus(s, what));
}

// {apiKey, token}: the only time the token is shown.
http::Response KeyWithToken(int status, const ApiKey& key, const std::string& token) {
  return http::Response::Json(status, boost::json::object{{"apiKey", ApiKeyDto(key)}, {"token", token}});
}

http::Response ListKeys(Services& s, http::Request& req, const auth::Principal& principal) {
  auto page = s.store.List(principal.user.id, http::ParseListRequest(req));
  if (!page.ok()) return Internal(req, page.status(), "list API keys");
  boost::json::array data;
  for (const auto& key : page->items) data.push_back(ApiKeyDto(key));
  return http::Response::Json(200, http::PaginatedJson(std::move(data), page->page));
}

http::Response CreateKey(Services& s, http::Request& req, const auth::Principal& principal) {
  auto body = http::ParseJsonObjectBody(req);
  if (auto* e = std::get_if<http::ApiError>(&body)) return Error(req, *e);
  auto input = ParseCreateInput(std::get<boost::json::object>(body), db::Now());
  if (auto* e = std::get_if<http::ApiError>(&input)) return Error(req, *e);
  auto& in = std::get<CreateInput>(input);

  std::string token = crypto::RandomString(kTokenLength, crypto::kAlphanumeric);
  auto created = s.store.Create(principal.user.id, {in.name, in.description, in.expires_at, HashToken(token)});
  if (!created.ok()) {
    // Only the hash is unique; Pocket ID reports a clash with this (misleading) property name.
    if (created.status().code() == StatusCode::kAlreadyExists) {
      return Error(req, http::ApiError::AlreadyInUse("API key name"));
    }
    return Internal(req, created.status(), "create API key");
  }
  return KeyWithToken(201, *created, token);
}

http::Response RenewKey(Services& s, http::Request& req, const auth::Principal& principal) {
  auto body = http::ParseJsonObjectBody(req);
  if (auto* e = std::get_if<http::ApiError>(&body)) return Error(req, *e);
  const db::Timestamp now = db::Now();
  auto input = ParseRenewInput(std::get<boost::json::object>(body), now);
  if (auto* e = std::get_if<http::ApiError>(&input)) return Error(req, *e);

  std::string token = crypto::RandomString(kTokenLength, crypto::kAlphanumeric);
  auto renewed = s.store.Renew(principal.user.id, req.PathParam("id"), HashToken(token),
                               std::get<RenewInput>(input).expires_at, now);
  if (!renewed.ok()) return Internal(req, renewed.status(), "renew API key");
  switch (renewed->outcome) {
    case RenewOutcome::kNotFound:
      return Error(req, ApiKeyNotFound());
    case RenewOutcome::kNotExpired:
      return Error(req, ApiKeyNotExpired());
    case RenewOutcome::kRenewed:
      break;
  }
  return KeyWithToken(200, renewed->key, token);
}

http::Response RevokeKey(Services& s, http::Request& req, const auth::Principal& principal) {
  auto deleted = s.store.Delete(principal.user.id, req.PathParam("id"));
  if (!deleted.ok()) return Internal(req, deleted.status(), "delete API key");
  if (!*deleted) return Error(req, ApiKeyNotFound());
  return http::Response::NoContent();
}

}  // namespace

void RegisterRoutes(http::Router& router, Deps deps) {
  auto services = std::make_shared<Services>(Services{deps, ApiKeyStore(deps.database)});
  using M = http::Method;
  using Guarded = http::Response (*)(Services&, http::Request&, const auth::Principal&);
  // Authentication comes first, as Pocket ID's middleware runs before any binding or lookup.
  auto guarded = [&](M method, std::string_view path, auth::AuthPolicy policy, Guarded fn) {
    router.Add(method, path, [services, policy, fn](http::Request& req) {
      auto principal = services->deps.authenticator.Authenticate(req, policy);
      if (auto* e = std::get_if<http::ApiError>(&principal)) return Error(req, *e);
      return fn(*services, req, std::get<auth::Principal>(principal));
    });
  };
  // Any signed-in user manages their own keys; an API key may list and revoke keys but never mint or renew one.
  guarded(M::kGet, "/api/api-keys", auth::AuthPolicy::Self(), ListKeys);
  guarded(M::kPost, "/api/api-keys", auth::AuthPolicy::BrowserSelf(), CreateKey);
  guarded(M::kPost, "/api/api-keys/:id/renew", auth::AuthPolicy::BrowserSelf(), RenewKey);
  guarded(M::kDelete, "/api/api-keys/:id", auth::AuthPolicy::Self(), RevokeKey);
}

}  // namespace pocketid::apikeys
