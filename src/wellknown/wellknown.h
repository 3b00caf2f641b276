// GET /.well-known/openid-configuration, /.well-known/oauth-authorization-server and /.well-known/jwks.json
// (protocol.md §1.3, §1.4). The documents depend only on configuration and the signing key, so they are
// serialised once and served as prepared bytes.
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "core/crypto/jose.h"
#include "core/http/router.h"

namespace pocketid::wellknown {

struct DiscoveryInputs {
  std::string app_url;           // issuer, and the browser-facing endpoints
  std::string internal_app_url;  // back-channel endpoints (token, userinfo, introspection, jwks, par)
  crypto::JwsAlgorithm algorithm = crypto::JwsAlgorithm::kRS256;
  bool cimd_enabled = false;  // app config cimdUrlAllowlist is non-empty
};

// The discovery JSON, keys in alphabetical order as Pocket ID's Go map marshals them.
std::string DiscoveryDocument(const DiscoveryInputs& inputs);
// {"keys":[<public JWK>]}
std::string JwksDocument(const crypto::SigningKey& key);

class WellKnownEndpoints {
 public:
  WellKnownEndpoints(DiscoveryInputs inputs, const crypto::SigningKey& key);
  void Register(http::Router& router);
  // Rebuilds the discovery document when the CIMD allowlist changes between empty and non-empty.
  void SetCimdEnabled(bool enabled);

 private:
  DiscoveryInputs inputs_;
  std::string jwks_;
  std::atomic<std::shared_ptr<const std::string>> discovery_;
};

}  // namespace pocketid::wellknown
