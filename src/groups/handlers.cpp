#include "groups/handlers.h"

#include <memory>

#include <boost/json.hpp>

#include "appconfig/app_config.h"
#include "core/http/json_body.h"
#include "core/http/pagination.h"
#include "groups/group_dto.h"
#include "groups/group_input.h"
#include "groups/group_store.h"

namespace pocketid::groups {

namespace {

// What the handlers share: built once in RegisterRoutes, owned by the route closures.
struct Services {
  Deps deps;
  GroupStore store;
  appconfig::AppConfig settings;
};

http::Response Error(const http::Request& req, const http::ApiError& e) { return http::ErrorResponse(req, e); }
http::Response Internal(const http::Request& req, const Status& s, std::string_view what) {
  return Error(req, http::InternalFromStatus(s, what));
}

http::ApiError GroupNotFound() { return http::ApiError::NotFound("User group", "User group not found"); }

http::ApiError RefusalError(Refusal r) {
  switch (r) {
    case Refusal::kNotFound:
      return GroupNotFound();
    case Refusal::kLdapGroup:
      return {403, "ldap_user_group_update", "LDAP user groups can't be updated", {}};
    case Refusal::kNameTaken:
      return http::ApiError::AlreadyInUse("name");
  }
  return http::ApiError::Internal();
}

http::Response OutcomeResponse(const http::Request& req, const StatusOr<Outcome<GroupDetails>>& outcome, int status,
                               std::string_view what) {
  if (!outcome.ok()) return Internal(req, outcome.status(), what);
  if (const auto* r = std::get_if<Refusal>(&*outcome)) return Error(req, RefusalError(*r));
  return http::Response::Json(status, GroupDto(std::get<GroupDetails>(*outcome)));
}

// ldapEnabled, read before any transaction so no pooled connection is held meanwhile.
http::ApiResult<bool> LdapEnabled(Services& s) {
  auto enabled = s.settings.GetBool("ldapEnabled");
  if (!enabled.ok()) return http::InternalFromStatus(enabled.status(), "app config");
  return *enabled;
}

http::Response ListGroups(Services& s, http::Request& req) {
  auto page = s.store.List(req.QueryParam("search").value_or(""), http::ParseListRequest(req));
  if (!page.ok()) return Internal(req, page.status(), "list groups");
  boost::json::array data;
  for (const auto& item : page->items) data.push_back(GroupMinimalDto(item));
  return http::Response::Json(200, http::PaginatedJson(std::move(data), page->page));
}

http::Response GetGroup(Services& s, http::Request& req) {
  auto group = s.store.Get(req.PathParam("id"));
  if (!group.ok()) return Internal(req, group.status(), "get group");
  if (!*group) return Error(req, GroupNotFound());
  return http::Response::Json(200, GroupDto(**group));
}

http::Response CreateGroup(Services& s, http::Request& req) {
  auto body = http::ParseJsonObjectBody(req);
  if (auto* e = std::get_if<http::ApiError>(&body)) return Error(req, *e);
  auto input = ParseGroupInput(std::get<boost::json::object>(body));
  if (auto* e = std::get_if<http::ApiError>(&input)) return Error(req, *e);
  return OutcomeResponse(req, s.store.Create(std::get<GroupInput>(input)), 201, "create group");
}

http::Response UpdateGroup(Services& s, http::Request& req) {
  auto ldap = LdapEnabled(s);
  if (auto* e = std::get_if<http::ApiError>(&ldap)) return Error(req, *e);
  auto body = http::ParseJsonObjectBody(req);
  if (auto* e = std::get_if<http::ApiError>(&body)) return Error(req, *e);
  auto input = ParseGroupInput(std::get<boost::json::object>(body));
  if (auto* e = std::get_if<http::ApiError>(&input)) return Error(req, *e);
  return OutcomeResponse(req, s.store.Update(req.PathParam("id"), std::get<GroupInput>(input), std::get<bool>(ldap)),
                         200, "update group");
}

http::Response DeleteGroup(Services& s, http::Request& req) {
  auto ldap = LdapEnabled(s);
  if (auto* e = std::get_if<http::ApiError>(&ldap)) return Error(req, *e);
  auto refusal = s.store.Delete(req.PathParam("id"), std::get<bool>(ldap));
  if (!refusal.ok()) return Internal(req, refusal.status(), "delete group");
  if (*refusal) return Error(req, RefusalError(**refusal));
  return http::Response::NoContent();
}

http::ApiResult<std::vector<std::string>> IdListBody(const http::Request& req, std::string_view field) {
  auto body = http::ParseJsonObjectBody(req);
  if (auto* e = std::get_if<http::ApiError>(&body)) return *e;
  return ParseIdList(std::get<boost::json::object>(body), field);
}

http::Response SetMembers(Services& s, http::Request& req) {
  auto ids = IdListBody(req, "userIds");
  if (auto* e = std::get_if<http::ApiError>(&ids)) return Error(req, *e);
  return OutcomeResponse(req, s.store.SetMembers(req.PathParam("id"), std::get<std::vector<std::string>>(ids)), 200,
                         "group members");
}

http::Response SetAllowedClients(Services& s, http::Request& req) {
  auto ids = IdListBody(req, "oidcClientIds");
  if (auto* e = std::get_if<http::ApiError>(&ids)) return Error(req, *e);
  return OutcomeResponse(req,
                         s.store.SetAllowedClients(req.PathParam("id"), std::get<std::vector<std::string>>(ids)),
                         200, "group clients");
}

}  // namespace

void RegisterRoutes(http::Router& router, Deps deps) {
  auto services = std::make_shared<Services>(Services{deps, GroupStore(deps.database), appconfig::AppConfig(deps.database)});
  using Handler = http::Response (*)(Services&, http::Request&);
  auto admin = [&](http::Method method, std::string_view path, Handler fn) {  // every route is admin only
    router.Add(method, path, auth::Guarded(deps.authenticator, auth::AuthPolicy::Admin(),
                                           [services, fn](http::Request& req) { return fn(*services, req); }));
  };
  using M = http::Method;
  admin(M::kGet, "/api/user-groups", ListGroups);
  admin(M::kPost, "/api/user-groups", CreateGroup);
  admin(M::kGet, "/api/user-groups/:id", GetGroup);
  admin(M::kPut, "/api/user-groups/:id", UpdateGroup);
  admin(M::kDelete, "/api/user-groups/:id", DeleteGroup);
  admin(M::kPut, "/api/user-groups/:id/users", SetMembers);
  admin(M::kPut, "/api/user-groups/:id/allowed-oidc-clients", SetAllowedClients);
}

}  // namespace pocketid::groups
