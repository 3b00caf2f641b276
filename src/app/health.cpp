#include "app/health.h"

#include <spdlog/spdlog.h>

namespace pocketid::app {

void RegisterHealthRoutes(http::Router& router, db::Database& database) {
  auto handler = [&database](http::Request& req) {
    if (Status s = database.Ping(); !s.ok()) {
      spdlog::error("health check failed: {}", s.message());
      return http::AppErrorResponse(req, 503, "database_unavailable", "Database is unavailable");
    }
    return http::Response::NoContent();
  };
  router.Add(http::Method::kGet, "/healthz", handler);
  router.Add(http::Method::kGet, "/health", handler);
}

}  // namespace pocketid::app
