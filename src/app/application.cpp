#include "app/application.h"

#include "app/health.h"
#include "apikeys/handlers.h"
#include "apis/handlers.h"
#include "appconfig/handlers.h"
#include "audit/handlers.h"
#include "auth/handlers.h"
#include "customclaims/handlers.h"
#include "devicelogin/handlers.h"
#include "groups/handlers.h"
#include "oidcclients/handlers.h"
#include "onetimeaccess/handlers.h"
#include "passkeys/handlers.h"
#include "profilepictures/handlers.h"
#include "signup/setup.h"
#include "users/handlers.h"

#ifndef PID_VERSION
#define PID_VERSION "unknown"
#endif

namespace pocketid::app {

Application::Application(const config::EnvConfig& cfg, db::Database& database, crypto::SigningKey signing_key)
    : cfg_(cfg),
      database_(database),
      cookies_(auth::CookieNames::ForAppUrl(cfg.app_url)),
      app_config_(database),
      users_(database),
      session_tokens_(signing_key, cfg.app_url),
      authenticator_(session_tokens_, database, cookies_, cfg.static_api_key),
      geoip_({.db_path = cfg.geolite_db_path, .local_ipv6_ranges = cfg.local_ipv6_ranges}),
      audit_(database, &geoip_),
      login_codes_(database),
      passkey_credentials_(database),
      passkey_ceremonies_(database),
      wellknown_({cfg.app_url, cfg.internal_app_url}, signing_key),
      oidc_clients_(database),
      // ENCRYPTION_KEY is validated (>= 16 bytes) before the server starts, so HKDF cannot fail here.
      oidc_provider_({cfg, database, oidc_clients_, users_, authenticator_, cookies_, audit_, signing_key,
                      oidc::OpaqueTokens::FromEncryptionKey(cfg.encryption_key).value()}),
      site_(spa::EmbeddedAssets()) {
  RegisterRoutes();
}

void Application::RegisterRoutes() {
  RegisterHealthRoutes(router_, database_);
  wellknown_.Register(router_);
  appconfig::RegisterPublicRoutes(router_, app_config_, cfg_.ui_config_disabled);

  auth::SignInContext sign_in{session_tokens_, app_config_, users_, cookies_};
  auth::RegisterLogoutRoute(router_, authenticator_, cookies_);
  users::RegisterRoutes(router_, {database_, users_, authenticator_, app_config_, audit_, cfg_});
  signup::RegisterSetupRoutes(router_, {database_, users_, app_config_, sign_in});
  onetimeaccess::RegisterRoutes(router_, {login_codes_, users_, authenticator_, sign_in, audit_});
  devicelogin::RegisterRoutes(router_, {database_, users_, authenticator_, sign_in, audit_, cfg_.app_url});
  passkeys::RegisterRoutes(router_, {passkeys::RelyingParty::FromAppUrl(cfg_.app_url), passkey_credentials_,
                                     passkey_ceremonies_, users_, authenticator_, sign_in, audit_});

  oidc_provider_.RegisterRoutes(router_);
  oidcclients::RegisterRoutes(router_, {database_, oidc_clients_, users_, authenticator_, audit_, cfg_});
  groups::RegisterRoutes(router_, {database_, authenticator_, cfg_});
  apis::RegisterRoutes(router_, {database_, authenticator_, cfg_});
  customclaims::RegisterRoutes(router_, {database_, authenticator_});
  profilepictures::RegisterRoutes(router_, {database_, users_, authenticator_, app_config_, cfg_});
  apikeys::RegisterRoutes(router_, {database_, authenticator_});
  audit::RegisterRoutes(router_, {database_, authenticator_});

  router_.Add(http::Method::kGet, "/api/version/current", [this](http::Request& req) {
    auto principal = authenticator_.Authenticate(req, auth::AuthPolicy::Self());
    if (auto* e = std::get_if<http::ApiError>(&principal)) return http::ErrorResponse(req, *e);
    return http::Response::Json(200, boost::json::object{{"currentVersion", PID_VERSION}});
  });
}

}  // namespace pocketid::app
