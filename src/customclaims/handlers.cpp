#include "customclaims/handlers.h"

#include <boost/json.hpp>

#include "customclaims/claim_store.h"
#include "customclaims/claim_request.h"

namespace pocketid::customclaims {

namespace {

http::Response Error(const http::Request& req, const http::ApiError& e) { return http::ErrorResponse(req, e); }

boost::json::array ClaimsJson(const std::vector<Claim>& claims) {
  boost::json::array out;
  for (const auto& c : claims) out.push_back(boost::json::object{{"key", c.key}, {"value", c.value}});
  return out;
}

http::Response GetSuggestions(const Deps& d, http::Request& req) {
  auto keys = Suggestions(d.database);
  if (!keys.ok()) return Error(req, http::InternalFromStatus(keys.status(), "claim suggestions"));
  boost::json::array out;
  for (auto& k : *keys) out.emplace_back(std::move(k));
  return http::Response::Json(200, out);
}

struct OwnerKind {
  StatusOr<bool> (*exists)(db::Connection&, std::string_view);
  Status (*replace)(db::Connection&, std::string_view, std::span<const Claim>);
  StatusOr<std::vector<Claim>> (*read)(db::Connection&, std::string_view);
  http::ApiError (*not_found)();
};

const OwnerKind kUserOwner{UserExistsWith, ReplaceForUserWith, ForUserWith, http::ApiError::UserNotFound};
const OwnerKind kGroupOwner{GroupExistsWith, ReplaceForGroupWith, ForGroupWith,
                            [] { return http::ApiError::NotFound("User group", "User group not found"); }};

// PUT /api/custom-claims/{user,user-group}/:id. As in Pocket ID: the body is validated first, then (inside the
// transaction) a missing owner is 404 before the claim rules are applied.
http::Response ReplaceClaims(const Deps& d, http::Request& req, const OwnerKind& kind, std::string_view param) {
  auto parsed = ParseClaimListBody(req);
  if (auto* e = std::get_if<http::ApiError>(&parsed)) return Error(req, *e);
  const auto& claims = std::get<std::vector<Claim>>(parsed);
  const std::string owner_id(req.PathParam(param));

  std::optional<http::ApiError> refused;
  std::vector<Claim> stored;
  Status s = d.database.InTransaction([&](db::Connection& conn) -> Status {
    PID_ASSIGN_OR_RETURN(bool exists, kind.exists(conn, owner_id));
    if (!exists) {
      refused = kind.not_found();
      return Status::Ok();
    }
    if (auto invalid = FindInvalidClaim(claims)) {
      refused = InvalidClaimError(*invalid);
      return Status::Ok();
    }
    PID_RETURN_IF_ERROR(kind.replace(conn, owner_id, claims));
    PID_ASSIGN_OR_RETURN(stored, kind.read(conn, owner_id));
    return Status::Ok();
  });
  if (!s.ok()) return Error(req, http::InternalFromStatus(s, "replace custom claims"));
  if (refused) return Error(req, *refused);
  return http::Response::Json(200, ClaimsJson(stored));
}

}  // namespace

void RegisterRoutes(http::Router& router, Deps deps) {
  auto admin = [&](http::Method method, std::string_view path, auto fn) {  // every route is admin only
    router.Add(method, path, auth::Guarded(deps.authenticator, auth::AuthPolicy::Admin(),
                                           [deps, fn](http::Request& req) { return fn(deps, req); }));
  };
  admin(http::Method::kGet, "/api/custom-claims/suggestions",
        [](const Deps& d, http::Request& req) { return GetSuggestions(d, req); });
  admin(http::Method::kPut, "/api/custom-claims/user/:userId",
        [](const Deps& d, http::Request& req) { return ReplaceClaims(d, req, kUserOwner, "userId"); });
  admin(http::Method::kPut, "/api/custom-claims/user-group/:userGroupId",
        [](const Deps& d, http::Request& req) { return ReplaceClaims(d, req, kGroupOwner, "userGroupId"); });
}

}  // namespace pocketid::customclaims
