// Interaction sessions (protocol.md §1.5.2, §1.6): an authorization request parked while the browser signs in,
// re-authenticates, picks an account or consents. Only the id travels through the browser.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "core/db/database.h"
#include "core/status/status.h"
#include "oidc/oauth_error.h"
#include "oidcclients/client.h"

namespace pocketid::oidc {

inline constexpr int64_t kInteractionLifetimeSeconds = 3600;

struct Interaction {
  std::string id;
  int64_t created_at = 0;
  bool consent_required = false;
  bool reauthentication_required = false;
  bool authentication_required = false;
  bool account_selection_required = false;
  std::vector<std::string> scopes;
  std::string client_id;
  std::optional<std::string> user_id;
  int64_t requested_at = 0;
  std::optional<int64_t> reauthenticated_at;
  // Every authorize parameter with its first value, minus request, request_uri and interaction.
  std::vector<std::pair<std::string, std::string>> parameters;

  // Ordered authenticate, select_account, reauthenticate, consent (only the required ones).
  std::vector<std::string> RequiredSteps() const;
  std::string Parameter(std::string_view key) const;
};

// max_age (protocol.md §1.2 step 4i): whether a sign-in at `auth_time` (0 = unknown: always too old) is older than
// the parameter allows; an error when it is not a non-negative integer. No parameter never requires anything.
std::variant<bool, OAuthError> MaxAgeExceeded(std::string_view raw, int64_t auth_time, int64_t now);

// What a signed-in user still owes an authorization (steps 4g-4i). Consent: asked for with prompt=consent, or the
// user has not granted these scopes and the client does not skip consent. Reauthentication: prompt=login, a client
// that always requires it, or an exceeded max_age.
struct UserSteps {
  bool consent = false;
  bool reauthentication = false;
};
UserSteps StepsForUser(const oidcclients::Client& client, bool prompt_consent, bool prompt_login,
                       bool already_authorized, bool max_age_exceeded);

class InteractionStore {
 public:
  explicit InteractionStore(db::Database& database) : database_(database) {}

  Status Create(const Interaction& interaction);
  // nullopt when unknown or older than an hour.
  StatusOr<std::optional<Interaction>> Find(std::string_view id);
  // Writes flags, user and reauthentication time back.
  Status Update(const Interaction& interaction);
  // True when this call deleted it (so an interaction completes at most once). Inside the caller's transaction.
  static StatusOr<bool> DeleteWith(db::Connection& conn, std::string_view id);

 private:
  db::Database& database_;
};

}  // namespace pocketid::oidc
