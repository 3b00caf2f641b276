// Everything a running server owns, built once at start-up: the services of each domain and the router that
// exposes them. Handlers hold references into this object, so it lives as long as the server.
#pragma once

#include <memory>
#include <optional>

#include "appconfig/app_config.h"
#include "audit/audit_log.h"
#include "auth/authenticator.h"
#include "auth/cookies.h"
#include "auth/session_tokens.h"
#include "core/config/env_config.h"
#include "core/db/database.h"
#include "core/http/router.h"
#include "geoip/locator.h"
#include "oidc/provider.h"
#include "oidcclients/client.h"
#include "onetimeaccess/login_codes.h"
#include "passkeys/store.h"
#include "spa/spa.h"
#include "users/user.h"
#include "wellknown/wellknown.h"

namespace pocketid::app {

class Application {
 public:
  Application(const config::EnvConfig& cfg, db::Database& database, crypto::SigningKey signing_key);

  http::Router& router() { return router_; }
  const spa::StaticSite& site() const { return site_; }
  const geoip::Locator& geoip() const { return geoip_; }

 private:
  void RegisterRoutes();

  const config::EnvConfig& cfg_;
  db::Database& database_;
  auth::CookieNames cookies_;
  appconfig::AppConfig app_config_;
  users::UserRepository users_;
  auth::SessionTokens session_tokens_;
  auth::Authenticator authenticator_;
  geoip::Locator geoip_;
  audit::AuditLog audit_;
  onetimeaccess::LoginCodes login_codes_;
  passkeys::CredentialStore passkey_credentials_;
  passkeys::CeremonyStore passkey_ceremonies_;
  wellknown::WellKnownEndpoints wellknown_;
  oidcclients::ClientStore oidc_clients_;
  oidc::Provider oidc_provider_;
  spa::StaticSite site_;
  http::Router router_;
};

}  // namespace pocketid::app
