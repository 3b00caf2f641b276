// Internal to pid_crypto: the key representation shared by jwk.cpp (parsing, generation, export) and
// jws.cpp (signing, verification). Not part of the public API.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/crypto/jose.h"
#include "core/crypto/ossl_internal.h"
#include "core/status/status.h"

namespace pocketid::crypto::internal {

enum class KeyType { kRsa, kEc, kOkp };
enum class Curve { kNone, kP256, kP384, kP521, kEd25519 };

// One parsed key. Immutable after construction, so it is shared between threads without locking.
struct KeyMaterial {
  PkeyPtr pkey;
  KeyType type = KeyType::kRsa;
  Curve curve = Curve::kNone;
  std::string kid;
  std::optional<JwsAlgorithm> alg;
};

// Everything a SigningKey hands out, computed once at creation.
struct SigningKeyState {
  KeyMaterial key;  // key.alg is always set
  std::string private_jwk_json;
  std::string public_jwk_json;
  boost::json::object public_jwk;
};

bool AlgorithmFitsKey(JwsAlgorithm alg, KeyType type, Curve curve);

// Byte width of a curve's field elements (EC coordinates, R and S): 32 / 48 / 66; 32 for Ed25519.
size_t CurveFieldBytes(Curve curve);

StatusOr<std::string> SignWithKey(const KeyMaterial& key, JwsAlgorithm alg, std::string_view signing_input);
Status VerifyWithKey(const KeyMaterial& key, JwsAlgorithm alg, std::string_view signing_input,
                     std::string_view signature);

// Appends `s` as a JSON string literal byte-for-byte as Go's encoding/json encodes a string with its default
// settings (HTML escaping on): <, >, & → \u003c \u003e \u0026; \b \f \n \r \t; other controls \u00xx;
// U+2028/U+2029 escaped; invalid UTF-8 → \ufffd. jwx encodes each JWK member value with such an inner
// encoder, so the outer SetEscapeHTML(false) never reaches them.
void AppendGoJsonString(std::string& out, std::string_view s);

}  // namespace pocketid::crypto::internal
