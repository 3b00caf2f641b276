#include "webauthn/assertion.h"

#include "core/crypto/hash.h"
#include "webauthn/authenticator_data.h"
#include "webauthn/client_data.h"
#include "webauthn/cose.h"

namespace pocketid::webauthn {
namespace {

Status VerifySignature(const AssertionExpectations& expectations, std::string_view client_data_json,
                       std::string_view authenticator_data, std::string_view signature) {
  auto key = CosePublicKey::Parse(expectations.credential_public_key);
  if (!key.ok()) return UnauthenticatedError("stored " + key.status().message());
  std::string signed_data(authenticator_data);
  signed_data.append(crypto::Sha256(client_data_json));
  return key->Verify(signed_data, signature);
}

Status VerifyBackupEligibility(const AuthenticatorData& auth_data, bool stored_backup_eligible) {
  if (auth_data.backup_eligible() != stored_backup_eligible) {
    return UnauthenticatedError("backup eligible flag differs from the stored credential's");
  }
  return VerifyBackupFlags(auth_data);
}

VerifiedAssertion MakeResult(const AuthenticatorData& ad) {
  VerifiedAssertion out;
  out.flags = ad.flags;
  out.sign_count = ad.sign_count;
  out.user_present = ad.user_present();
  out.user_verified = ad.user_verified();
  out.backup_eligible = ad.backup_eligible();
  out.backup_state = ad.backup_state();
  return out;
}

}  // namespace

StatusOr<VerifiedAssertion> VerifyAssertion(const AssertionExpectations& expectations,
                                            std::string_view client_data_json, std::string_view authenticator_data,
                                            std::string_view signature) {
  PID_ASSIGN_OR_RETURN(const CollectedClientData client_data, ParseClientData(client_data_json));
  PID_ASSIGN_OR_RETURN(const AuthenticatorData auth_data, ParseAuthenticatorData(authenticator_data));
  PID_RETURN_IF_ERROR(VerifyClientData(client_data, kCeremonyGet, expectations.challenge, expectations.origins));
  PID_RETURN_IF_ERROR(
      VerifyRpIdAndUserFlags(auth_data, expectations.rp_id, expectations.require_user_verification));
  // The signature comes before the BE/BS checks, as in go-webauthn: the flags are only worth judging once
  // they are known to come from the authenticator.
  PID_RETURN_IF_ERROR(VerifySignature(expectations, client_data_json, authenticator_data, signature));
  PID_RETURN_IF_ERROR(VerifyBackupEligibility(auth_data, expectations.stored_backup_eligible));
  return MakeResult(auth_data);
}

}  // namespace pocketid::webauthn
