// Authentication ceremony verification (WebAuthn L2 §7.2), as go-webauthn's ValidateDiscoverableLogin does
// it for Pocket ID (protocol.md §4.3). Pure: the caller finds the credential (by rawId and userHandle),
// checks the session, and passes the stored public key and backup-eligible flag here.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status/status.h"

namespace pocketid::webauthn {

struct AssertionExpectations {
  std::string challenge;  // base64url, exactly as issued in the request options
  std::string rp_id;
  std::vector<std::string> origins;  // compared exactly with clientData.origin
  bool require_user_verification = true;
  std::string credential_public_key;  // the stored COSE_Key bytes
  bool stored_backup_eligible = false;
};

struct VerifiedAssertion {
  uint8_t flags = 0;
  uint32_t sign_count = 0;
  bool user_present = false;
  bool user_verified = false;
  bool backup_eligible = false;
  bool backup_state = false;
};

// Verifies an assertion (decoded clientDataJSON, authenticatorData and signature bytes). Checks, in order:
// clientData type "webauthn.get", challenge, origin, no crossOrigin/topOrigin, RP ID hash, UP, UV (when
// required), the signature over authenticatorData || SHA-256(clientDataJSON) with the stored key, the stored
// BE flag equal to the assertion's, and BE=0 with BS=1. Errors follow webauthn/errors.h; a stored key that
// cannot be parsed is kUnauthenticated (go-webauthn reports it as a signature failure).
StatusOr<VerifiedAssertion> VerifyAssertion(const AssertionExpectations& expectations,
                                            std::string_view client_data_json, std::string_view authenticator_data,
                                            std::string_view signature);

}  // namespace pocketid::webauthn
