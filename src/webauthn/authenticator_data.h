// Authenticator data (WebAuthn L2 §6.1): the authenticator-signed bytes of every ceremony.
//
//   rpIdHash(32) | flags(1) | signCount(4, big-endian)
//   [AT] aaguid(16) | credentialIdLength(2) | credentialId | credentialPublicKey (COSE_Key, CBOR)
//   [ED] extensions (CBOR map)
//
// The COSE key has no length prefix: its end is where the CBOR decoder stopped, and the extensions (or
// nothing) follow.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/status/status.h"

namespace pocketid::webauthn {

inline constexpr uint8_t kFlagUserPresent = 0x01;           // UP
inline constexpr uint8_t kFlagUserVerified = 0x04;          // UV
inline constexpr uint8_t kFlagBackupEligible = 0x08;        // BE
inline constexpr uint8_t kFlagBackupState = 0x10;           // BS
inline constexpr uint8_t kFlagAttestedCredentialData = 0x40;  // AT
inline constexpr uint8_t kFlagExtensionData = 0x80;         // ED

inline constexpr size_t kMaxCredentialIdLength = 1023;

struct AttestedCredentialData {
  std::string aaguid;         // 16 bytes
  std::string credential_id;  // 1..1023 bytes
  std::string public_key;     // the COSE_Key bytes exactly as sent
};

struct AuthenticatorData {
  std::string rp_id_hash;  // 32 bytes
  uint8_t flags = 0;
  uint32_t sign_count = 0;
  std::optional<AttestedCredentialData> attested_credential;  // present iff AT is set
  std::string extensions;                                      // the CBOR map's bytes; empty unless ED

  bool user_present() const { return (flags & kFlagUserPresent) != 0; }
  bool user_verified() const { return (flags & kFlagUserVerified) != 0; }
  bool backup_eligible() const { return (flags & kFlagBackupEligible) != 0; }
  bool backup_state() const { return (flags & kFlagBackupState) != 0; }
  bool has_attested_credential_data() const { return (flags & kFlagAttestedCredentialData) != 0; }
  bool has_extensions() const { return (flags & kFlagExtensionData) != 0; }
};

// Parses and structurally validates authenticator data: the COSE key and the extensions must be well-formed
// CBOR maps (the key itself is validated later, by CosePublicKey), and no byte may be left over. Errors are
// kInvalidArgument "authenticator data: ...".
StatusOr<AuthenticatorData> ParseAuthenticatorData(std::string_view raw);

// WebAuthn L2 §7.1 steps 13-15 / §7.2 steps 15-17: rpIdHash == SHA-256(rp_id) ("RP ID hash mismatch"),
// UP set, and UV set when required. kUnauthenticated, except a missing UV flag, which is
// kFailedPrecondition "user verification required but flag not set by authenticator" (webauthn/errors.h).
Status VerifyRpIdAndUserFlags(const AuthenticatorData& auth_data, std::string_view rp_id,
                              bool require_user_verification);

// BS (backup state) without BE (backup eligible) is invalid (WebAuthn L3 §6.1.3). kUnauthenticated.
Status VerifyBackupFlags(const AuthenticatorData& auth_data);

// 16 AAGUID bytes as "8-4-4-4-12" lower-case hex (the key of Pocket ID's aaguids.json).
std::string FormatAaguid(std::string_view aaguid);

}  // namespace pocketid::webauthn
