// The browser session JWT (protocol.md §2.5): signed with the current signing key, stateless, carried in the
// access-token cookie or an Authorization header.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <string>
#include <vector>

#include "core/crypto/jose.h"
#include "core/status/status.h"

namespace pocketid::auth {

// How the user proved who they are: "phr" (passkey) or "otp" (login code, device login, setup).
inline constexpr std::string_view kAmrPasskey = "phr";
inline constexpr std::string_view kAmrOneTime = "otp";

struct SessionClaims {
  std::string user_id;
  int64_t issued_at = 0;  // also the authentication time used for OIDC auth_time / max_age
  int64_t expires_at = 0;
  bool is_admin = false;
  std::vector<std::string> amr;
};

class SessionTokens {
 public:
  SessionTokens(crypto::SigningKey key, std::string app_url);

  StatusOr<std::string> Issue(std::string_view user_id, bool is_admin, std::string_view amr,
                              std::chrono::seconds lifetime) const;
  // Signature with the current key, iss, aud, type = access-token, exp/iat with one minute of leeway.
  StatusOr<SessionClaims> Verify(std::string_view token) const;
  StatusOr<SessionClaims> VerifyAt(std::string_view token, int64_t now_unix) const;

 private:
  // Signature checks dominate the cost of every signed-in request (an ES256 verify costs about three signatures), so
  // tokens that verified once are remembered until they expire; the time checks still run on every use. The key
  // never changes while the server runs (key-rotate needs a restart), so a cached result cannot go stale.
  struct VerifiedToken {
    SessionClaims claims;
    std::optional<int64_t> not_before;
  };
  struct VerifiedCache {
    std::mutex mu;
    // Looked up by string_view (transparent hash): no copy of the token per request.
    struct Hash {
      using is_transparent = void;
      size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    std::unordered_map<std::string, VerifiedToken, Hash, std::equal_to<>> entries;
  };
  StatusOr<VerifiedToken> VerifySignatureAndClaims(std::string_view token) const;

  crypto::SigningKey key_;
  crypto::VerificationKey public_key_;
  std::string app_url_;
  std::shared_ptr<VerifiedCache> cache_ = std::make_shared<VerifiedCache>();
};

}  // namespace pocketid::auth
