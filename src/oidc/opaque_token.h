// fosite's opaque HMAC tokens (protocol.md §2.2): authorization codes (pocket_id_ac_), refresh tokens
// (pocket_id_rt_) and device codes (pocket_id_dc_). The database keys a token by its signature, so a stolen
// table row cannot be replayed as a token.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/status/status.h"

namespace pocketid::oidc {

inline constexpr std::string_view kAuthorizeCodePrefix = "pocket_id_ac_";
inline constexpr std::string_view kRefreshTokenPrefix = "pocket_id_rt_";
inline constexpr std::string_view kDeviceCodePrefix = "pocket_id_dc_";

struct OpaqueToken {
  std::string token;      // what the client gets
  std::string signature;  // what the database stores (the part after the '.')
};

class OpaqueTokens {
 public:
  // The global secret: HKDF-SHA256(ikm = ENCRYPTION_KEY, no salt, info "pocketid/fosite_global_secret"), 32 bytes.
  static StatusOr<OpaqueTokens> FromEncryptionKey(std::string_view encryption_key);

  OpaqueToken Generate(std::string_view prefix) const;
  // The signature of a well-formed token with this prefix whose HMAC verifies; nullopt otherwise.
  std::optional<std::string> Verify(std::string_view prefix, std::string_view token) const;
  // The signature a short value (a device flow's user code) is stored under: HMAC, so the table alone cannot
  // approve a code.
  std::string Signature(std::string_view value) const;

  const std::string& global_secret() const { return secret_; }

 private:
  explicit OpaqueTokens(std::string secret) : secret_(std::move(secret)) {}
  std::string secret_;
};

}  // namespace pocketid::oidc
