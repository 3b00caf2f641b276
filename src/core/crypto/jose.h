// Our small JOSE layer over OpenSSL 3: JWS algorithms, signing/verification keys as JWKs, compact JWTs.
//
// Scope is what Pocket ID needs (protocol.md §2.3–2.6): RS256/384/512, ES256/384/512 and EdDSA (Ed25519).
// No JWE, no HMAC algorithms, no "none".
#pragma once

#include <boost/json/object.hpp>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/status/status.h"

namespace pocketid::crypto {

enum class JwsAlgorithm { kRS256, kRS384, kRS512, kES256, kES384, kES512, kEdDSA };

inline constexpr JwsAlgorithm kAllJwsAlgorithms[] = {
    JwsAlgorithm::kRS256, JwsAlgorithm::kRS384, JwsAlgorithm::kRS512, JwsAlgorithm::kES256,
    JwsAlgorithm::kES384, JwsAlgorithm::kES512, JwsAlgorithm::kEdDSA,
};

// "RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "EdDSA".
std::string_view AlgorithmName(JwsAlgorithm alg);

// Inverse of AlgorithmName; nullopt for anything else (including "none" and HS*). Exact match unless
// case_insensitive.
std::optional<JwsAlgorithm> ParseAlgorithm(std::string_view name, bool case_insensitive = false);

namespace internal {
struct KeyMaterial;
struct SigningKeyState;
}  // namespace internal

// A public key that checks JWS signatures. Cheap to copy (shared, immutable); safe to use from many threads.
class VerificationKey {
 public:
  // Accepts a public or private JWK (private members are ignored): kty RSA (>= 1024 bits), EC (P-256,
  // P-384, P-521) or OKP (Ed25519); "use", if present, must be "sig"; "alg", if present, must fit the key. Base64
  // members are decoded leniently (either alphabet, optional padding, short EC coordinates left-padded) because they
  // come from other implementations.
  static StatusOr<VerificationKey> FromJwk(const boost::json::object& jwk);

  const std::string& kid() const;  // "" when the JWK had none
  // The JWK's "alg" if it named one; Verify then refuses every other algorithm.
  std::optional<JwsAlgorithm> algorithm() const;

  // Checks a raw JWS signature (EC: R||S, RFC 7518 §3.4) over signing_input. Errors are kUnauthenticated:
  // the algorithm does not fit this key, or the signature does not verify.
  Status Verify(JwsAlgorithm alg, std::string_view signing_input, std::string_view signature) const;

 private:
  friend class SigningKey;
  explicit VerificationKey(std::shared_ptr<const internal::KeyMaterial> key);
  std::shared_ptr<const internal::KeyMaterial> key_;
};

// A private signing key with its kid and algorithm. Cheap to copy (shares one immutable, parsed EVP_PKEY);
// Sign may be called from many threads at once.
class SigningKey {
 public:
  // RS256→RSA-2048, RS384→RSA-3072, RS512→RSA-4096, ES256→P-256, ES384→P-384, ES512→P-521,
  // EdDSA→Ed25519; kid = base64url of 8 random bytes (11 chars); use "sig".
  static StatusOr<SigningKey> Generate(JwsAlgorithm alg);

  // Parses and validates a private JWK (protocol.md §2.6): non-empty "kid", "use" == "sig", private part
  // present (RSA needs d, p, q, dp, dq and qi); a missing "alg" defaults from kty (RSA→RS256, EC→ES256,
  // OKP→EdDSA); an "alg" that does not fit the key is rejected (ES384 on P-256, EdDSA on non-Ed25519, ...).
  // The private and public halves must belong together. Errors are kInvalidArgument.
  static StatusOr<SigningKey> FromPrivateJwk(std::string_view json);

  const std::string& kid() const;
  JwsAlgorithm algorithm() const;

  // The private JWK exactly as Pocket ID (Go jwx + json.Encoder) writes it: members in alphabetical order,
  // big integers as unpadded base64url without leading zero bytes (EC coordinates and d fixed-width per
  // curve), followed by "\n". This is the plaintext stored in kv["jwt_private_key.json"].
  std::string PrivateJwkJson() const;

  // Public members only (kty, kid, use, alg + n,e | crv,x,y | crv,x), alphabetical order.
  boost::json::object PublicJwk() const;
  std::string PublicJwkJson() const;  // same members, no trailing newline

  VerificationKey Public() const;

  // The raw JWS signature over signing_input (EC: fixed-width R||S of 64/96/132 bytes; Ed25519: pure,
  // no prehash).
  StatusOr<std::string> Sign(std::string_view signing_input) const;

 private:
  explicit SigningKey(std::shared_ptr<const internal::SigningKeyState> state);
  std::shared_ptr<const internal::SigningKeyState> state_;
};

// Compact JWS with header {"alg","kid","typ"} (in that order, as Go jwx writes it; "typ" is left out when
// typ is empty) and the claims serialised by Boost.JSON.
StatusOr<std::string> SignJwt(const SigningKey& key, const boost::json::object& claims, std::string_view typ = "JWT");

struct JwtParts {
  boost::json::object header;
  boost::json::object claims;
};
using VerifiedJwt = JwtParts;

// Verifies a compact JWS and returns its header and claims. The algorithm is pinned: the header's "alg"
// must equal expected_alg ("none" and anything else are rejected before the signature is looked at); a
// "crit" header is rejected. Time, issuer and audience are NOT checked: callers do that.
// Every failure is kUnauthenticated.
StatusOr<VerifiedJwt> VerifyJwt(std::string_view compact, const VerificationKey& key, JwsAlgorithm expected_alg);

// The header and claims of a compact JWS WITHOUT checking its signature: for reading who claims to have signed it
// before the key is chosen, or a token this server just minted. Every failure is kUnauthenticated.
StatusOr<JwtParts> DecodeJwtUnverified(std::string_view compact);

}  // namespace pocketid::crypto
