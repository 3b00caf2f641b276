#include "users/handlers.h"

#include <algorithm>
#include <cctype>

#include <cctype>

#include <spdlog/spdlog.h>

#include "core/http/json_body.h"
#include "core/http/pagination.h"
#include "storage/file_storage.h"
#include "users/admin_store.h"
#include "users/validation.h"

namespace pocketid::users {

namespace {

using http::ApiError;
using http::Request;
using http::Response;

Response Error(const Request& req, const ApiError& e) { return http::ErrorResponse(req, e); }
Response Internal(const Request& req, const Status& s, std::string_view context) {
  return Error(req, http::InternalFromStatus(s, context));
}

Response DtoResponse(const Deps& d, const Request& req, const User& user, int status = 200) {
  auto dto = d.users.Dto(user);
  if (!dto.ok()) return Internal(req, dto.status(), "user dto");
  return Response::Json(status, *dto);
}

// kAlreadyExists from the store names the taken column.
Response SaveError(const Request& req, const Status& s, std::string_view context) {
  if (s.code() == StatusCode::kAlreadyExists) return Error(req, ApiError::AlreadyInUse(s.message()));
  return Internal(req, s, context);
}

// Pocket ID reads the ldapEnabled setting; LDAP_ENABLED-style process config counts too.
bool LdapEnabled(const Deps& d, const appconfig::Settings& settings) {
  return d.ldap_enabled_env || settings.GetBool("ldapEnabled");
}

// The error response when the caller may not use an admin route; nullopt lets the handler go on.
std::optional<Response> RequireAdmin(const Deps& d, Request& req) {
  auto principal = d.authenticator.Authenticate(req, auth::AuthPolicy::Admin());
  if (auto* e = std::get_if<ApiError>(&principal)) return Error(req, *e);
  return std::nullopt;
}

// PUT /api/users/me and PUT /api/users/:id: one update, with the rules of who may change what.
Response UpdateUser(const Deps& d, Request& req, std::string_view user_id, bool self) {
  auto body = http::ParseJsonObjectBody(req);
  if (auto* e = std::get_if<ApiError>(&body)) return Error(req, *e);
  auto settings = d.app_config.Load();
  if (!settings.ok()) return Internal(req, settings.status(), "app config");
  auto input = ParseProfile(std::get<boost::json::object>(body), settings->GetBool("requireUserEmail"),
                            {.default_display_name = false});
  if (auto* e = std::get_if<ApiError>(&input)) return Error(req, *e);

  UpdateRules rules{.self = self,
                    .allow_own_account_edit = settings->GetBool("allowOwnAccountEdit"),
                    .ldap_enabled = LdapEnabled(d, *settings),
                    .emails_verified = settings->GetBool("emailsVerified")};
  UserAdminStore store(d.database);
  auto updated = store.Update(user_id, std::get<ProfileInput>(input).user, rules);
  if (!updated.ok()) return SaveError(req, updated.status(), "update user");
  if (!*updated) return Error(req, ApiError::UserNotFound());
  return DtoResponse(d, req, **updated);
}

Response GetMe(const Deps& d, Request& req) {
  auto principal = d.authenticator.Authenticate(req, auth::AuthPolicy::Self());
  if (auto* e = std::get_if<ApiError>(&principal)) return Error(req, *e);
  return DtoResponse(d, req, std::get<auth::Principal>(principal).user);
}

Response UpdateMe(const Deps& d, Request& req) {
  auto principal = d.authenticator.Authenticate(req, auth::AuthPolicy::Self());
  if (auto* e = std::get_if<ApiError>(&principal)) return Error(req, *e);
  return UpdateUser(d, req, std::get<auth::Principal>(principal).user.id, /*self=*/true);
}

// GET /api/users
Response List(const Deps& d, Request& req) {
  if (auto denied = RequireAdmin(d, req)) return *denied;
  UserAdminStore store(d.database);
  auto page = store.List(req.QueryParam("search").value_or(""), http::ParseListRequest(req));
  if (!page.ok()) return Internal(req, page.status(), "list users");
  auto dtos = d.users.Dtos(page->users);
  if (!dtos.ok()) return Internal(req, dtos.status(), "user dtos");
  return Response::Json(200, http::PaginatedJson(std::move(*dtos), page->page));
}

// GET /api/users/:id
Response Get(const Deps& d, Request& req) {
  if (auto denied = RequireAdmin(d, req)) return *denied;
  auto user = d.users.FindById(req.PathParam("id"));
  if (!user.ok()) return Internal(req, user.status(), "user lookup");
  if (!*user) return Error(req, ApiError::UserNotFound());
  return DtoResponse(d, req, **user);
}

// POST /api/users
Response Create(const Deps& d, Request& req) {
  if (auto denied = RequireAdmin(d, req)) return *denied;
  auto settings = d.app_config.Load();
  if (!settings.ok()) return Internal(req, settings.status(), "app config");
  auto body = http::ParseJsonObjectBody(req);
  if (auto* e = std::get_if<ApiError>(&body)) return Error(req, *e);
  auto input = ParseProfile(std::get<boost::json::object>(body), settings->GetBool("requireUserEmail"),
                            {.default_display_name = false});
  if (auto* e = std::get_if<ApiError>(&input)) return Error(req, *e);
  const ProfileInput& in = std::get<ProfileInput>(input);

  auto defaults =
      ParseSignupDefaults(settings->Get("signupDefaultUserGroupIDs"), settings->Get("signupDefaultCustomClaims"));
  if (!defaults.ok()) return Internal(req, defaults.status(), "sign-up defaults");
  UserAdminStore store(d.database);
  auto created = store.Create(in.user, in.user_group_ids, *defaults);
  if (!created.ok()) return SaveError(req, created.status(), "create user");
  return DtoResponse(d, req, *created, 201);
}

// PUT /api/users/:id
Response Update(const Deps& d, Request& req) {
  if (auto denied = RequireAdmin(d, req)) return *denied;
  return UpdateUser(d, req, req.PathParam("id"), /*self=*/false);
}

// DELETE /api/users/:id
Response Delete(const Deps& d, Request& req) {
  if (auto denied = RequireAdmin(d, req)) return *denied;
  auto settings = d.app_config.Load();
  if (!settings.ok()) return Internal(req, settings.status(), "app config");
  std::string id(req.PathParam("id"));
  UserAdminStore store(d.database);
  auto outcome = store.Delete(id, LdapEnabled(d, *settings));
  if (!outcome.ok()) return Internal(req, outcome.status(), "delete user");
  switch (*outcome) {
    case DeleteOutcome::kNotFound:
      return Error(req, ApiError::UserNotFound());
    case DeleteOutcome::kLdapUser:
      return Error(req, ApiError{403, "ldap_user_update", "LDAP users can't be updated", {}});
    case DeleteOutcome::kDeleted:
      break;
  }
  // The profile picture goes after the row (storage is outside the transaction); a failure leaves only a stray
  // file behind, so it is logged rather than reported.
  auto files = storage::MakeFileStorage(d.config, d.database);
  // Stored ids are lowercase; PostgreSQL also matched an uppercase spelling of the id in the path.
  std::transform(id.begin(), id.end(), id.begin(), [](unsigned char c) { return std::tolower(c); });
  Status removed = files.ok() ? (*files)->Delete("profile-pictures/" + id + ".png") : files.status();
  if (!removed.ok()) spdlog::warn("deleting the profile picture of user {}: {}", id, removed.message());
  return Response::NoContent();
}

// UserGroupDto of a group loaded without its users, claims and clients (GET /api/users/:id/groups).
boost::json::object GroupDtoJson(const GroupSummary& g) {
  return boost::json::object{{"id", g.id},
                             {"friendlyName", g.friendly_name},
                             {"name", g.name},
                             {"customClaims", boost::json::array()},
                             {"ldapId", g.ldap_id ? boost::json::value(*g.ldap_id) : boost::json::value(nullptr)},
                             {"createdAt", db::FormatRfc3339(g.created_at)},
                             {"users", boost::json::array()},
                             {"allowedOidcClients", boost::json::array()}};
}

// GET /api/users/:id/groups
Response Groups(const Deps& d, Request& req) {
  if (auto denied = RequireAdmin(d, req)) return *denied;
  UserAdminStore store(d.database);
  auto groups = store.GroupsOfUser(req.PathParam("id"));
  if (!groups.ok()) return Internal(req, groups.status(), "user groups");
  if (!*groups) return Error(req, ApiError::UserNotFound());
  boost::json::array out;
  for (const auto& g : **groups) out.push_back(GroupDtoJson(g));
  return Response::Json(200, out);
}

// PUT /api/users/:id/user-groups
Response SetGroups(const Deps& d, Request& req) {
  if (auto denied = RequireAdmin(d, req)) return *denied;
  auto body = http::ParseJsonObjectBody(req);
  if (auto* e = std::get_if<ApiError>(&body)) return Error(req, *e);
  auto ids = ParseUserGroupIds(std::get<boost::json::object>(body));
  if (auto* e = std::get_if<ApiError>(&ids)) return Error(req, *e);
  UserAdminStore store(d.database);
  auto user = store.SetGroups(req.PathParam("id"), std::get<std::vector<std::string>>(ids));
  if (!user.ok()) return Internal(req, user.status(), "set user groups");
  if (!*user) return Error(req, ApiError::UserNotFound());
  return DtoResponse(d, req, **user);
}

}  // namespace

void RegisterRoutes(http::Router& router, Deps deps) {
  using http::Method;
  auto bind = [deps](Response (*fn)(const Deps&, Request&)) {
    return [deps, fn](Request& req) { return fn(deps, req); };
  };
  router.Add(Method::kGet, "/api/users/me", bind(GetMe));
  router.Add(Method::kPut, "/api/users/me", bind(UpdateMe));
  router.Add(Method::kGet, "/api/users", bind(List));
  router.Add(Method::kPost, "/api/users", bind(Create));
  router.Add(Method::kGet, "/api/users/:id", bind(Get));
  router.Add(Method::kPut, "/api/users/:id", bind(Update));
  router.Add(Method::kDelete, "/api/users/:id", bind(Delete));
  router.Add(Method::kGet, "/api/users/:id/groups", bind(Groups));
  router.Add(Method::kPut, "/api/users/:id/user-groups", bind(SetGroups));
}

}  // namespace pocketid::users
