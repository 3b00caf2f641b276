// COSE_Key (RFC 9052/9053, RFC 8230) credential public keys and WebAuthn signature verification.
//
// WebAuthn signature formats (unlike JOSE): ECDSA signatures are ASN.1 DER, RSA signatures are the raw
// modulus-sized value (PKCS#1 v1.5 or PSS with any salt length), Ed25519 signatures are 64 raw bytes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "core/crypto/ossl_internal.h"
#include "core/status/status.h"
#include "webauthn/cbor.h"

namespace pocketid::webauthn {

// COSE algorithm identifiers Pocket ID offers in pubKeyCredParams (protocol.md §4.2).
inline constexpr int64_t kCoseES256 = -7;
inline constexpr int64_t kCoseEdDSA = -8;
inline constexpr int64_t kCoseES384 = -35;
inline constexpr int64_t kCoseES512 = -36;
inline constexpr int64_t kCosePS256 = -37;
inline constexpr int64_t kCosePS384 = -38;
inline constexpr int64_t kCosePS512 = -39;
inline constexpr int64_t kCoseRS256 = -257;
inline constexpr int64_t kCoseRS384 = -258;
inline constexpr int64_t kCoseRS512 = -259;

// COSE key types (kty) and elliptic curves (crv).
inline constexpr int64_t kCoseKeyTypeOkp = 1;
inline constexpr int64_t kCoseKeyTypeEc2 = 2;
inline constexpr int64_t kCoseKeyTypeRsa = 3;
inline constexpr int64_t kCoseCurveP256 = 1;
inline constexpr int64_t kCoseCurveP384 = 2;
inline constexpr int64_t kCoseCurveP521 = 3;
inline constexpr int64_t kCoseCurveEd25519 = 6;

bool IsSupportedCoseAlgorithm(int64_t alg);
// "ES256", "RS256", ...; "COSE algorithm <n>" for others.
std::string CoseAlgorithmName(int64_t alg);

// A validated credential public key. Immutable and move-only; safe to share between threads.
class CosePublicKey {
 public:
  // Parses a complete COSE_Key; bytes after the map are an error. Checks that kty, alg and crv agree,
  // coordinate and modulus sizes, and that EC points are on their curve. Errors are kInvalidArgument.
  static StatusOr<CosePublicKey> Parse(std::string_view cose_key);
  // The same over an already decoded CBOR map (the key inside authenticator data).
  static StatusOr<CosePublicKey> FromCbor(const CborValue& cose_key);

  int64_t algorithm() const { return alg_; }
  int64_t key_type() const { return kty_; }
  EVP_PKEY* pkey() const { return pkey_.get(); }

  // Verifies a WebAuthn signature over `data` with the key's own algorithm. A bad signature is
  // kUnauthenticated "signature verification failed".
  Status Verify(std::string_view data, std::string_view signature) const;

 private:
  CosePublicKey(crypto::internal::PkeyPtr pkey, int64_t kty, int64_t alg)
      : pkey_(std::move(pkey)), kty_(kty), alg_(alg) {}

  crypto::internal::PkeyPtr pkey_;
  int64_t kty_;
  int64_t alg_;
};

namespace internal {

// Verifies a WebAuthn-format signature with any OpenSSL public key (also an attestation certificate's)
// under COSE algorithm `alg`. The key's type must fit the algorithm's family (EC for ES*, RSA for RS*/PS*,
// Ed25519 for EdDSA); the EC curve is not tied to the hash, as in Go's x509.CheckSignature. Failures are
// kUnauthenticated.
Status VerifyWithCoseAlgorithm(EVP_PKEY* key, int64_t alg, std::string_view data, std::string_view signature);

}  // namespace internal
}  // namespace pocketid::webauthn
