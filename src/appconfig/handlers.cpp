#include "appconfig/handlers.h"

#include "core/http/api_error.h"

namespace pocketid::appconfig {

void RegisterPublicRoutes(http::Router& router, AppConfig& app_config, bool ui_config_disabled) {
  router.Add(http::Method::kGet, "/api/application-configuration",
             [&app_config, ui_config_disabled](http::Request& req) {
               auto list = app_config.PublicList(ui_config_disabled);
               if (!list.ok()) return http::ErrorResponse(req, http::InternalFromStatus(list.status(), "app config"));
               return http::Response::Json(200, *list);
             });
}

}  // namespace pocketid::appconfig
