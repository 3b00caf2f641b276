#include "webauthn/authenticator_data.h"

#include "core/crypto/encoding.h"
#include "core/crypto/hash.h"
#include "webauthn/cbor.h"

namespace pocketid::webauthn {
namespace {

constexpr size_t kRpIdHashLength = 32;
constexpr size_t kHeaderLength = 37;  // rpIdHash + flags + signCount
constexpr size_t kAaguidLength = 16;
constexpr size_t kAttestedHeaderLength = kHeaderLength + kAaguidLength + 2;

Status Malformed(std::string what) { return InvalidArgumentError("authenticator data: " + what); }

uint32_t ReadBigEndian32(std::string_view b) {
  uint32_t v = 0;
  for (size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(b[i]);
  return v;
}

// Decodes a CBOR map at the front of `rest`; returns its length.
StatusOr<size_t> MapLength(std::string_view rest, std::string_view what) {
  size_t consumed = 0;
  auto value = DecodeCbor(rest, &consumed);
  if (!value.ok()) return Malformed(std::string(what) + ": " + value.status().message());
  if (value->kind() != CborValue::Kind::kMap) return Malformed(std::string(what) + " is not a CBOR map");
  return consumed;
}

// Parses the attested credential data at raw[37..]; returns how many bytes it used.
StatusOr<size_t> ParseAttested(std::string_view raw, AttestedCredentialData& out) {
  if (raw.size() < kAttestedHeaderLength) {
    return Malformed("attested credential data flag set but the data is truncated");
  }
  out.aaguid = std::string(raw.substr(kHeaderLength, kAaguidLength));
  const size_t id_len = (static_cast<size_t>(static_cast<unsigned char>(raw[kHeaderLength + kAaguidLength])) << 8) |
                        static_cast<unsigned char>(raw[kHeaderLength + kAaguidLength + 1]);
  if (id_len > kMaxCredentialIdLength) {
    return Malformed("credential ID length " + std::to_string(id_len) + " exceeds " +
                     std::to_string(kMaxCredentialIdLength));
  }
  if (id_len == 0) return Malformed("credential ID is empty");
  if (raw.size() - kAttestedHeaderLength < id_len) return Malformed("credential ID is truncated");
  out.credential_id = std::string(raw.substr(kAttestedHeaderLength, id_len));
  const size_t key_start = kAttestedHeaderLength + id_len;
  PID_ASSIGN_OR_RETURN(const size_t key_len, MapLength(raw.substr(key_start), "credential public key"));
  out.public_key = std::string(raw.substr(key_start, key_len));
  return kAaguidLength + 2 + id_len + key_len;
}

}  // namespace

StatusOr<AuthenticatorData> ParseAuthenticatorData(std::string_view raw) {
  if (raw.size() < kHeaderLength) {
    return Malformed(std::to_string(raw.size()) + " bytes is shorter than the " + std::to_string(kHeaderLength) +
                     "-byte minimum");
  }
  AuthenticatorData out;
  out.rp_id_hash = std::string(raw.substr(0, kRpIdHashLength));
  out.flags = static_cast<uint8_t>(raw[kRpIdHashLength]);
  out.sign_count = ReadBigEndian32(raw.substr(kRpIdHashLength + 1, 4));
  size_t pos = kHeaderLength;
  if (out.has_attested_credential_data()) {
    AttestedCredentialData attested;
    PID_ASSIGN_OR_RETURN(const size_t used, ParseAttested(raw, attested));
    out.attested_credential = std::move(attested);
    pos += used;
  }
  if (out.has_extensions()) {
    if (pos == raw.size()) return Malformed("extension data flag set but no extensions follow");
    PID_ASSIGN_OR_RETURN(const size_t ext_len, MapLength(raw.substr(pos), "extensions"));
    out.extensions = std::string(raw.substr(pos, ext_len));
    pos += ext_len;
  }
  if (pos != raw.size()) return Malformed(std::to_string(raw.size() - pos) + " trailing bytes");
  return out;
}

Status VerifyRpIdAndUserFlags(const AuthenticatorData& auth_data, std::string_view rp_id,
                              bool require_user_verification) {
  // Not secret, but comparing in constant time costs nothing.
  if (!crypto::ConstantTimeEquals(auth_data.rp_id_hash, crypto::Sha256(rp_id))) {
    return UnauthenticatedError("RP ID hash mismatch");
  }
  if (!auth_data.user_present()) {
    return UnauthenticatedError("user presence required but flag not set by authenticator");
  }
  if (require_user_verification && !auth_data.user_verified()) {
    return FailedPreconditionError("user verification required but flag not set by authenticator");
  }
  return Status::Ok();
}

Status VerifyBackupFlags(const AuthenticatorData& auth_data) {
  if (auth_data.backup_state() && !auth_data.backup_eligible()) {
    return UnauthenticatedError("backup state flag set but backup eligible flag not set");
  }
  return Status::Ok();
}

std::string FormatAaguid(std::string_view aaguid) {
  const std::string hex = crypto::HexEncode(aaguid);
  if (hex.size() != 32) return hex;
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) + "-" +
         hex.substr(20);
}

}  // namespace pocketid::webauthn
