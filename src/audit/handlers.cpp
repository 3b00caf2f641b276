#include "audit/handlers.h"

#include <memory>

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include "audit/log_store.h"
#include "audit/user_agent.h"

namespace pocketid::audit {

namespace {

struct Services {
  Deps deps;
  LogStore store;
};

http::Response Internal(http::Request& req, const Status& status, std::string_view what) {
  spdlog::error("audit log: {}: {}", what, status.message());
  return http::ErrorResponse(req, http::ApiError::Internal());
}

// AuditLogDto (management.md §1.10).
boost::json::object LogDto(const LogEntry& e) {
  boost::json::object data;
  std::string actor_username;
  for (const auto& [k, v] : e.data) {
    data[k] = v;
    if (k == "actorUsername") actor_username = v;
  }
  return boost::json::object{
      {"id", e.id},
      {"createdAt", db::FormatRfc3339(e.created_at)},
      {"event", e.event},
      {"ipAddress", e.ip_address},
      {"country", e.country},
      {"city", e.city},
      {"device", DeviceFromUserAgent(e.user_agent)},
      {"userID", e.user_id},
      {"username", e.username},
      {"actorUsername", actor_username},
      {"data", std::move(data)},
  };
}

http::Response PageResponse(const LogPage& page) {
  boost::json::array data;
  for (const auto& e : page.items) data.push_back(LogDto(e));
  return http::Response::Json(200, http::PaginatedJson(std::move(data), page.page));
}

http::Response ListOwn(Services& s, http::Request& req, const auth::Principal& principal) {
  auto page = s.store.ListForUser(principal.user.id, http::ParseListRequest(req));
  if (!page.ok()) return Internal(req, page.status(), "list own audit logs");
  return PageResponse(*page);
}

http::Response ListAll(Services& s, http::Request& req, const auth::Principal&) {
  auto page = s.store.ListAll(http::ParseListRequest(req));
  if (!page.ok()) return Internal(req, page.status(), "list all audit logs");
  return PageResponse(*page);
}

http::Response ListClientNames(Services& s, http::Request& req, const auth::Principal&) {
  auto names = s.store.ClientNames();
  if (!names.ok()) return Internal(req, names.status(), "list client names");
  boost::json::array out;
  for (auto& n : *names) out.emplace_back(n);
  return http::Response::Json(200, std::move(out));
}

http::Response ListUsers(Services& s, http::Request& req, const auth::Principal&) {
  auto users = s.store.UsersWithLogs();
  if (!users.ok()) return Internal(req, users.status(), "list users with audit logs");
  boost::json::object out;
  for (auto& [id, username] : *users) out[id] = username;
  return http::Response::Json(200, std::move(out));
}

}  // namespace

void RegisterRoutes(http::Router& router, Deps deps) {
  auto services = std::make_shared<Services>(Services{deps, LogStore(deps.database)});
  using Guarded = http::Response (*)(Services&, http::Request&, const auth::Principal&);
  auto guarded = [&](std::string_view path, auth::AuthPolicy policy, Guarded fn) {
    router.Add(http::Method::kGet, path, [services, policy, fn](http::Request& req) {
      auto principal = services->deps.authenticator.Authenticate(req, policy);
      if (auto* e = std::get_if<http::ApiError>(&principal)) return http::ErrorResponse(req, *e);
      return fn(*services, req, std::get<auth::Principal>(principal));
    });
  };
  guarded("/api/audit-logs/all", auth::AuthPolicy::Admin(), ListAll);
  guarded("/api/audit-logs", auth::AuthPolicy::Self(), ListOwn);
  guarded("/api/audit-logs/filters/client-names", auth::AuthPolicy::Admin(), ListClientNames);
  guarded("/api/audit-logs/filters/users", auth::AuthPolicy::Admin(), ListUsers);
}

}  // namespace pocketid::audit
