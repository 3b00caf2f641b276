// Attestation statement verification (WebAuthn L2 §8): formats "none" and "packed".
//
// Pocket ID uses no metadata service and no trust roots, so an x5c chain is not validated up to a root;
// the leaf certificate must still meet §8.2.1 and carry the signature. Attestation type strings are
// go-webauthn's (they are stored in webauthn_credentials.attestation_type and returned to the SPA).
#pragma once

#include <string>
#include <string_view>

#include "core/status/status.h"
#include "webauthn/authenticator_data.h"
#include "webauthn/cbor.h"
#include "webauthn/cose.h"

namespace pocketid::webauthn {

inline constexpr std::string_view kAttestationTypeNone = "none";
inline constexpr std::string_view kAttestationTypeSelf = "basic_surrogate";  // packed, no x5c
inline constexpr std::string_view kAttestationTypeBasic = "basic_full";      // packed with x5c

// The AAGUID certificate extension id-fido-gen-ce-aaguid (WebAuthn L2 §8.2.1).
inline constexpr const char* kAaguidExtensionOid = "1.3.6.1.4.1.45724.1.1.4";

struct AttestationInput {
  std::string_view format;          // attestationObject "fmt"
  const CborValue* statement;       // attestationObject "attStmt" (a map; an absent one is an empty map)
  std::string_view auth_data_raw;   // the authenticator data bytes as signed
  const AuthenticatorData* auth_data;
  const CosePublicKey* credential_key;
  std::string_view client_data_hash;  // SHA-256(clientDataJSON)
};

// Verifies the attestation statement and returns the attestation type. Unsupported formats are
// kUnauthenticated "unsupported attestation format <fmt>"; a statement of the wrong shape is
// kInvalidArgument; a failed check is kUnauthenticated.
StatusOr<std::string> VerifyAttestationStatement(const AttestationInput& input);

}  // namespace pocketid::webauthn
