#include "apis/handlers.h"

#include <boost/json.hpp>
#include <memory>

#include "apis/api_dto.h"
#include "apis/api_input.h"
#include "apis/api_store.h"
#include "core/http/json_body.h"
#include "core/http/pagination.h"

namespace pocketid::apis {

namespace {

struct Services {
  Deps deps;
  ApiStore store;
};

http::Response Error(const http::Request& req, const http::ApiError& e) { return http::ErrorResponse(req, e); }
http::Response Internal(const http::Request& req, const Status& s, std::string_view what) {
  return Error(req, http::InternalFromStatus(s, what));
}

http::ApiError RefusalError(Refusal r) {
  switch (r) {
    case Refusal::kApiNotFound:
      return http::ApiError::NotFound("API", "API not found");
    case Refusal::kClientNotFound:
      return http::ApiError::NotFound("OIDC client", "OIDC client not found");
    case Refusal::kResourceTaken:
      return http::ApiError::AlreadyInUse("resource");
  }
  return http::ApiError::Internal();
}

// A store outcome as a response: the value through `to_json`, a refusal as its error, a failure as a 500.
template <typename T, typename ToJson>
http::Response Respond(const http::Request& req, StatusOr<Outcome<T>> outcome, int status, std::string_view what,
                       ToJson to_json) {
  if (!outcome.ok()) return Internal(req, outcome.status(), what);
  if (const auto* r = std::get_if<Refusal>(&*outcome)) return Error(req, RefusalError(*r));
  return http::Response::Json(status, to_json(std::get<T>(*outcome)));
}

http::Response RespondDeleted(const http::Request& req, const StatusOr<std::optional<Refusal>>& refusal,
                              std::string_view what) {
  if (!refusal.ok()) return Internal(req, refusal.status(), what);
  if (*refusal) return Error(req, RefusalError(**refusal));
  return http::Response::NoContent();
}

// Parses the JSON object body with `parse`; the error response, or the input.
template <typename Parse>
auto ParseBody(const http::Request& req, Parse parse) -> decltype(parse(std::declval<boost::json::object>())) {
  auto body = http::ParseJsonObjectBody(req);
  if (auto* e = std::get_if<http::ApiError>(&body)) return *e;
  return parse(std::get<boost::json::object>(body));
}

boost::json::object ApiPageJson(const ApiPage& page) {
  boost::json::array data;
  for (const auto& api : page.items) data.push_back(ApiDto(api));
  return http::PaginatedJson(std::move(data), page.page);
}

std::string Search(const http::Request& req) { return req.QueryParam("search").value_or(""); }

http::Response ListApis(Services& s, http::Request& req) {
  auto page = s.store.List(Search(req), http::ParseListRequest(req));
  if (!page.ok()) return Internal(req, page.status(), "list APIs");
  return http::Response::Json(200, ApiPageJson(*page));
}

http::Response GetApi(Services& s, http::Request& req) {
  auto api = s.store.Get(req.PathParam("id"));
  if (!api.ok()) return Internal(req, api.status(), "get API");
  if (!*api) return Error(req, RefusalError(Refusal::kApiNotFound));
  return http::Response::Json(200, ApiDto(**api));
}

http::Response CreateApi(Services& s, http::Request& req) {
  auto input = ParseBody(req, [&](const boost::json::object& o) { return ParseApiCreate(o, s.deps.config.app_url); });
  if (auto* e = std::get_if<http::ApiError>(&input)) return Error(req, *e);
  const auto& in = std::get<ApiCreateInput>(input);
  return Respond(req, s.store.Create(in.name, in.resource), 201, "create API", ApiDto);
}

http::Response RenameApi(Services& s, http::Request& req) {
  auto name = ParseBody(req, ParseApiRename);
  if (auto* e = std::get_if<http::ApiError>(&name)) return Error(req, *e);
  return Respond(req, s.store.Rename(req.PathParam("id"), std::get<std::string>(name)), 200, "rename API", ApiDto);
}

http::Response DeleteApi(Services& s, http::Request& req) {
  return RespondDeleted(req, s.store.Delete(req.PathParam("id")), "delete API");
}

http::Response ReplacePermissions(Services& s, http::Request& req) {
  auto permissions = ParseBody(req, ParsePermissions);
  if (auto* e = std::get_if<http::ApiError>(&permissions)) return Error(req, *e);
  return Respond(req,
                 s.store.ReplacePermissions(req.PathParam("id"), std::get<std::vector<PermissionInput>>(permissions)),
                 200, "API permissions", ApiDto);
}

http::Response SetCimdAccess(Services& s, http::Request& req) {
  auto input = ParseBody(req, ParseCimdAccess);
  if (auto* e = std::get_if<http::ApiError>(&input)) return Error(req, *e);
  const auto& in = std::get<CimdAccessInput>(input);
  return Respond(req, s.store.SetCimdAccess(req.PathParam("id"), in.enabled, in.permission_ids), 200, "API CIMD access",
                 ApiDto);
}

http::Response ListApiClients(Services& s, http::Request& req) {
  return Respond(req, s.store.ListClients(req.PathParam("id"), Search(req), http::ParseListRequest(req)), 200,
                 "API clients", [](const ApiClientPage& page) {
                   boost::json::array data;
                   for (const auto& row : page.items) data.push_back(ApiClientAccessDto(row));
                   return http::PaginatedJson(std::move(data), page.page);
                 });
}

http::Response ListAssignableClients(Services& s, http::Request& req) {
  return Respond(req, s.store.ListAssignableClients(req.PathParam("id"), Search(req), http::ParseListRequest(req)), 200,
                 "assignable clients", [](const ClientPage& page) {
                   boost::json::array data;
                   for (const auto& c : page.items) data.push_back(ApiClientDto(c));
                   return http::PaginatedJson(std::move(data), page.page);
                 });
}

http::Response SetClientGrant(Services& s, http::Request& req) {
  auto grant = ParseBody(req, ParseClientGrant);
  if (auto* e = std::get_if<http::ApiError>(&grant)) return Error(req, *e);
  return Respond(req,
                 s.store.SetClientGrant(req.PathParam("id"), req.IdPathParam("clientId"), std::get<ClientGrant>(grant)),
                 200, "API client grant", ClientGrantDto);
}

http::Response RemoveClientGrant(Services& s, http::Request& req) {
  return RespondDeleted(req, s.store.RemoveClientGrant(req.PathParam("id"), req.IdPathParam("clientId")),
                        "API client grant");
}

http::Response ListClientApis(Services& s, http::Request& req) {
  return Respond(req, s.store.ListClientApis(req.IdPathParam("clientId")), 200, "client APIs",
                 [](const std::vector<ClientApiAccess>& rows) {
                   boost::json::array out;
                   for (const auto& row : rows) out.push_back(ClientApiAccessDto(row));
                   return out;
                 });
}

http::Response ListAssignableApis(Services& s, http::Request& req) {
  return Respond(req, s.store.ListAssignableApis(req.IdPathParam("clientId"), Search(req), http::ParseListRequest(req)),
                 200, "assignable APIs", ApiPageJson);
}

}  // namespace

void RegisterRoutes(http::Router& router, Deps deps) {
  auto services = std::make_shared<Services>(Services{deps, ApiStore(deps.database)});
  using Handler = http::Response (*)(Services&, http::Request&);
  auto admin = [&](http::Method method, std::string_view path, Handler fn) {  // every route is admin only
    router.Add(method, path,
               auth::Guarded(deps.authenticator, auth::AuthPolicy::Admin(),
                             [services, fn](http::Request& req) { return fn(*services, req); }));
  };
  using M = http::Method;
  admin(M::kGet, "/api/apis", ListApis);
  admin(M::kPost, "/api/apis", CreateApi);
  admin(M::kGet, "/api/apis/:id", GetApi);
  admin(M::kPut, "/api/apis/:id", RenameApi);
  admin(M::kDelete, "/api/apis/:id", DeleteApi);
  admin(M::kPut, "/api/apis/:id/permissions", ReplacePermissions);
  admin(M::kPut, "/api/apis/:id/cimd-access", SetCimdAccess);
  admin(M::kGet, "/api/apis/:id/clients", ListApiClients);
  admin(M::kGet, "/api/apis/:id/assignable-clients", ListAssignableClients);
  admin(M::kPut, "/api/apis/:id/clients/:clientId", SetClientGrant);
  admin(M::kDelete, "/api/apis/:id/clients/:clientId", RemoveClientGrant);
  admin(M::kGet, "/api/api-access/:clientId/apis", ListClientApis);
  admin(M::kGet, "/api/api-access/:clientId/assignable-apis", ListAssignableApis);
}

}  // namespace pocketid::apis
