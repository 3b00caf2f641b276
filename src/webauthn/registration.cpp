#include "webauthn/registration.h"

#include <algorithm>

#include "core/crypto/hash.h"
#include "webauthn/attestation.h"
#include "webauthn/authenticator_data.h"
#include "webauthn/cbor.h"
#include "webauthn/client_data.h"
#include "webauthn/cose.h"

namespace pocketid::webauthn {
namespace {

Status Malformed(std::string what) { return InvalidArgumentError("attestation object: " + what); }

// The attestationObject's three members (WebAuthn L2 §6.5.4), as views into the decoded CBOR value.
struct AttestationObject {
  std::string_view format;
  std::string_view auth_data_raw;
  const CborValue* statement = nullptr;
};

const CborValue& EmptyMap() {
  static const CborValue empty = DecodeCbor(std::string_view("\xa0", 1), nullptr).value();
  return empty;
}

StatusOr<AttestationObject> ReadAttestationObject(const CborValue& root) {
  if (root.kind() != CborValue::Kind::kMap) return Malformed("not a CBOR map");
  const CborValue* fmt = root.Find("fmt");
  if (fmt == nullptr || fmt->kind() != CborValue::Kind::kText) return Malformed("missing or invalid fmt");
  const CborValue* auth_data = root.Find("authData");
  if (auth_data == nullptr || auth_data->kind() != CborValue::Kind::kBytes) {
    return Malformed("missing or invalid authData");
  }
  AttestationObject out;
  out.format = fmt->text();
  out.auth_data_raw = auth_data->bytes();
  out.statement = root.Find("attStmt");
  if (out.statement == nullptr) out.statement = &EmptyMap();  // go-webauthn: attStmt may be omitted
  if (out.statement->kind() != CborValue::Kind::kMap) return Malformed("attStmt is not a map");
  return out;
}

Status CheckAlgorithmAllowed(int64_t alg, const std::vector<int>& allowed) {
  if (std::find(allowed.begin(), allowed.end(), alg) == allowed.end()) {
    return UnauthenticatedError("credential public key algorithm " + CoseAlgorithmName(alg) + " is not allowed");
  }
  return Status::Ok();
}

RegisteredCredential MakeResult(const AuthenticatorData& ad, const CosePublicKey& key, std::string type,
                                std::string_view format) {
  const AttestedCredentialData& att = *ad.attested_credential;
  RegisteredCredential out;
  out.credential_id = att.credential_id;
  out.public_key = att.public_key;
  out.algorithm = key.algorithm();
  out.attestation_type = std::move(type);
  out.attestation_format = std::string(format);
  out.aaguid = att.aaguid;
  out.aaguid_string = FormatAaguid(att.aaguid);
  out.sign_count = ad.sign_count;
  out.flags = ad.flags;
  out.user_present = ad.user_present();
  out.user_verified = ad.user_verified();
  out.backup_eligible = ad.backup_eligible();
  out.backup_state = ad.backup_state();
  return out;
}

}  // namespace

StatusOr<RegisteredCredential> VerifyRegistration(const RegistrationExpectations& expectations,
                                                  std::string_view client_data_json,
                                                  std::string_view attestation_object) {
  // Parse everything first: a response that cannot be parsed is malformed whatever else is wrong with it.
  PID_ASSIGN_OR_RETURN(const CollectedClientData client_data, ParseClientData(client_data_json));
  auto root = DecodeCbor(attestation_object, nullptr);  // bytes after the map are rejected
  if (!root.ok()) return Malformed(root.status().message());
  PID_ASSIGN_OR_RETURN(const AttestationObject att, ReadAttestationObject(*root));
  PID_ASSIGN_OR_RETURN(const AuthenticatorData auth_data, ParseAuthenticatorData(att.auth_data_raw));

  // §7.1 steps 7-10: client data.
  PID_RETURN_IF_ERROR(VerifyClientData(client_data, kCeremonyCreate, expectations.challenge, expectations.origins));
  // Step 11: the hash every attestation signature covers.
  const std::string client_data_hash = crypto::Sha256(client_data_json);
  // Steps 13-15 (+ L3 backup flags): authenticator data.
  PID_RETURN_IF_ERROR(
      VerifyRpIdAndUserFlags(auth_data, expectations.rp_id, expectations.require_user_verification));
  PID_RETURN_IF_ERROR(VerifyBackupFlags(auth_data));
  if (!auth_data.attested_credential) {
    return UnauthenticatedError("attested credential data flag not set");
  }
  // Step 16: the credential key and its algorithm.
  auto key = CosePublicKey::Parse(auth_data.attested_credential->public_key);
  if (!key.ok()) return key.status().WithPrefix("credential public key");
  PID_RETURN_IF_ERROR(CheckAlgorithmAllowed(key->algorithm(), expectations.allowed_algorithms));
  // Steps 18-19: the attestation statement.
  const AttestationInput input{att.format, att.statement, att.auth_data_raw, &auth_data, &*key, client_data_hash};
  PID_ASSIGN_OR_RETURN(std::string type, VerifyAttestationStatement(input));
  return MakeResult(auth_data, *key, std::move(type), att.format);
}

}  // namespace pocketid::webauthn
