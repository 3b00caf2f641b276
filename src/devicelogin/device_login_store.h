// Sign-in requests of "sign in with another device" (protocol.md §5.5) in `device_login_requests`: a signed-out
// browser asks for a "P…" code, a signed-in user approves or denies it on /device, and the browser exchanges the
// approved request for a session. Rows live 5 minutes; any replica can serve any step.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/db/database.h"
#include "core/status/status.h"

namespace pocketid::devicelogin {

inline constexpr int64_t kRequestLifetimeSeconds = 5 * 60;

// A pending request as the approving user sees it.
struct PendingRequest {
  std::string code;
  std::string ip_address;
  std::string user_agent;
  std::string country;
  std::string city;
  int64_t expires_at = 0;
};

struct CreatedRequest {
  std::string code;   // also the request id in the API (rows keep only its digest)
  std::string token;  // the requesting browser's secret (its cookie); only its SHA-256 is stored
  int64_t expires_at = 0;
};

// Where an exchange stands for the browser holding the token.
enum class ExchangeState { kInvalid, kPending, kDenied, kApproved };
struct ExchangeView {
  ExchangeState state = ExchangeState::kInvalid;
  std::string user_id;  // when approved
};

enum class Decision { kApprove, kDeny };

class DeviceLoginStore {
 public:
  explicit DeviceLoginStore(db::Database& database) : database_(database) {}

  StatusOr<CreatedRequest> Create(std::string_view ip_address, std::string_view user_agent, std::string_view country,
                                  std::string_view city);
  // The unexpired pending request a typed code names (normalised as on /device); nullopt otherwise.
  StatusOr<std::optional<PendingRequest>> FindPending(std::string_view typed_code);
  // Settles a pending, unexpired request for `user_id` (approved_at records when it was decided, either way); false
  // when there is none (or another decision came first).
  StatusOr<bool> Decide(std::string_view typed_code, Decision decision, std::string_view user_id);
  // The request `id` as seen with `token`: invalid for an unknown or expired request or another browser's token.
  StatusOr<ExchangeView> View(std::string_view id, std::string_view token);
  // Uses up an approved request (single use); false when it is gone or not approved.
  StatusOr<bool> Consume(std::string_view id, std::string_view token);

 private:
  db::Database& database_;
};

}  // namespace pocketid::devicelogin
