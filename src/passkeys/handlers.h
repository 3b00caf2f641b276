// The passkey endpoints (protocol.md §4): registration and discoverable login ceremonies, and managing one's
// own passkeys (and, for admins, anybody's).
#pragma once

#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "auth/authenticator.h"
#include "auth/sign_in.h"
#include "core/http/router.h"
#include "passkeys/store.h"

namespace pocketid::passkeys {

// The relying party, from APP_URL: RP ID is its host name, the only allowed origin is APP_URL itself.
struct RelyingParty {
  std::string id;
  std::vector<std::string> origins;
  static RelyingParty FromAppUrl(std::string_view app_url);
};

struct Deps {
  RelyingParty rp;
  CredentialStore& credentials;
  CeremonyStore& ceremonies;
  users::UserRepository& users;
  auth::Authenticator& authenticator;
  auth::SignInContext sign_in;
  audit::AuditLog& audit;
};

void RegisterRoutes(http::Router& router, Deps deps);

}  // namespace pocketid::passkeys
