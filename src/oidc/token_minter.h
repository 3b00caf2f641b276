// Signing OAuth access tokens (RFC 9068 JWTs, protocol.md §2.3) and ID tokens (§2.4) with the current key.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "core/crypto/jose.h"
#include "core/status/status.h"
#include "oidc/stored_request.h"

namespace pocketid::oidc {

struct MintedAccessToken {
  std::string jwt;
  std::string signature;  // the JWS signature segment: the row key of kind access_token
  int64_t expires_at = 0;
};

// left half of the SHA-2 digest named by the algorithm's digits (…384 → SHA-384, …512 → SHA-512, else SHA-256).
std::string AccessTokenHash(crypto::JwsAlgorithm alg, std::string_view access_token);

class TokenMinter {
 public:
  TokenMinter(crypto::SigningKey key, std::string issuer) : key_(std::move(key)), issuer_(std::move(issuer)) {}

  StatusOr<MintedAccessToken> AccessToken(std::string_view client_id, std::string_view subject,
                                          const std::vector<std::string>& scopes,
                                          const std::vector<std::string>& audience, int64_t now,
                                          int64_t lifetime_seconds) const;

  // The ID token for a grant: the session's frozen claims, aud = [client_id], at_hash of `access_token`.
  StatusOr<std::string> IdToken(const StoredRequest& request, std::string_view jti, std::string_view access_token,
                                int64_t now) const;

  const crypto::SigningKey& key() const { return key_; }
  const std::string& issuer() const { return issuer_; }

 private:
  crypto::SigningKey key_;
  std::string issuer_;
};

}  // namespace pocketid::oidc
