// How a WebAuthn failure is reported to the server, which maps it to a Pocket ID error code.
//
// The convention, used by every function in pid_webauthn:
//   kInvalidArgument     the response could not be parsed (bad JSON, base64, CBOR, authenticator data)
//                        → Pocket ID `invalid_webauthn_response`
//   kUnauthenticated     it parsed but a check failed (challenge, origin, RP ID, flags, signature, attestation)
//                        → `invalid_webauthn_response` when registering, `webauthn_authentication_failed`
//                          when signing in
//   kFailedPrecondition  used solely for "user verification required but flag not set by authenticator"
//                        → `passkey_user_verification_required`
// Anything else (kInternal: an OpenSSL failure that is not the input's fault) is kVerificationFailed.
#pragma once

#include "core/status/status.h"

namespace pocketid::webauthn {

enum class FailureKind { kMalformed, kVerificationFailed, kUserVerificationMissing };

// Only meaningful for a failed status; an OK status yields kVerificationFailed.
FailureKind ClassifyFailure(const Status& status);

}  // namespace pocketid::webauthn
