// CollectedClientData (WebAuthn L2 §5.8.1): the browser's JSON record of the ceremony, signed indirectly
// through its SHA-256 hash.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status/status.h"

namespace pocketid::webauthn {

inline constexpr std::string_view kCeremonyCreate = "webauthn.create";
inline constexpr std::string_view kCeremonyGet = "webauthn.get";

struct CollectedClientData {
  std::string type;
  std::string challenge;  // base64url as the browser copied it from the options
  std::string origin;
  bool cross_origin = false;
  std::string top_origin;                          // empty when absent
  std::optional<std::string> token_binding_status;  // tokenBinding.status when tokenBinding is present
};

// Parses clientDataJSON. Unknown members are ignored and JSON null counts as absent (like Go's
// encoding/json); a member of the wrong type, invalid JSON or a tokenBinding with an unknown status is
// kInvalidArgument.
StatusOr<CollectedClientData> ParseClientData(std::string_view json);

// WebAuthn L2 §7.1 steps 7-10 / §7.2 steps 11-14, as go-webauthn performs them: type equals
// `expected_type`; challenge equals `expected_challenge` (constant-time); origin is one of `origins`
// (exact string comparison: the browser serialises origins canonically); crossOrigin is not true and no
// topOrigin is given (Pocket ID allows no cross-origin use). Failures are kUnauthenticated.
Status VerifyClientData(const CollectedClientData& client_data, std::string_view expected_type,
                        std::string_view expected_challenge, const std::vector<std::string>& origins);

}  // namespace pocketid::webauthn
