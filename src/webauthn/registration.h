// Registration ceremony verification (WebAuthn L2 §7.1), as go-webauthn's CreateCredential does it for
// Pocket ID (protocol.md §4.2). Pure: no session, user or storage handling; the caller checks the session
// (expiry, user handle) and whether the credential ID is already registered.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status/status.h"

namespace pocketid::webauthn {

struct RegistrationExpectations {
  std::string challenge;  // base64url, exactly as issued in the creation options
  std::string rp_id;
  std::vector<std::string> origins;  // compared exactly with clientData.origin
  bool require_user_verification = true;
  std::vector<int> allowed_algorithms;  // the pubKeyCredParams offered (COSE identifiers)
};

struct RegisteredCredential {
  std::string credential_id;       // raw bytes
  std::string public_key;          // the COSE_Key bytes as sent by the authenticator
  int64_t algorithm = 0;           // COSE algorithm identifier
  std::string attestation_type;    // "none", "basic_surrogate" (packed self), "basic_full" (packed x5c)
  std::string attestation_format;  // "none", "packed"
  std::string aaguid;              // 16 raw bytes
  std::string aaguid_string;       // "8-4-4-4-12" lower-case hex
  uint32_t sign_count = 0;
  uint8_t flags = 0;
  bool user_present = false;
  bool user_verified = false;
  bool backup_eligible = false;
  bool backup_state = false;
};

// Verifies a registration response (decoded clientDataJSON and attestationObject bytes). Checks, in order:
// clientData type "webauthn.create", challenge, origin, no crossOrigin/topOrigin, RP ID hash, UP, UV (when
// required), BE=0 with BS=1, attested credential data present, credential key valid and its algorithm
// allowed, then the attestation statement ("none" or "packed"). Errors follow webauthn/errors.h.
StatusOr<RegisteredCredential> VerifyRegistration(const RegistrationExpectations& expectations,
                                                  std::string_view client_data_json,
                                                  std::string_view attestation_object);

}  // namespace pocketid::webauthn
