// libFuzzer target for pid_webauthn's parsers of untrusted input (scripts/fuzz.sh builds and runs it).
//
// Input: one selector byte, then the payload. Selectors:
//   0  DecodeCbor (with and without `consumed`)
//   1  ParseAuthenticatorData
//   2  CosePublicKey::Parse (+ Verify on success)
//   3  ParseRegistrationResponseJson
//   4  ParseAuthenticationResponseJson
//   5  ParseClientData
//   6  VerifyRegistration: payload = chunks [clientDataJSON][attestationObject]
//   7  VerifyAssertion:    payload = chunks [clientDataJSON][authenticatorData][COSE key][signature]
// A chunk is a 2-byte big-endian length and that many bytes; the last chunk takes what is left. For 6 and 7
// the expectations take challenge and origin from the client data itself, so the fuzzer gets past those
// comparisons and reaches the CBOR, COSE, certificate and signature code.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "webauthn/assertion.h"
#include "webauthn/authenticator_data.h"
#include "webauthn/cbor.h"
#include "webauthn/client_data.h"
#include "webauthn/cose.h"
#include "webauthn/errors.h"
#include "webauthn/registration.h"
#include "webauthn/response_json.h"

namespace {

using namespace pocketid::webauthn;

std::vector<std::string_view> Chunks(std::string_view in, size_t n) {
  std::vector<std::string_view> out;
  for (size_t i = 0; i + 1 < n; ++i) {
    if (in.size() < 2) {
      out.emplace_back();
      continue;
    }
    size_t len = (static_cast<size_t>(static_cast<unsigned char>(in[0])) << 8) | static_cast<unsigned char>(in[1]);
    in.remove_prefix(2);
    len = std::min(len, in.size());
    out.push_back(in.substr(0, len));
    in.remove_prefix(len);
  }
  out.push_back(in);
  return out;
}

void FuzzCbor(std::string_view in) {
  size_t consumed = 0;
  auto v = DecodeCbor(in, &consumed);
  if (v.ok() && (consumed == 0 || consumed > in.size() || v->encoded().size() != consumed)) __builtin_trap();
  auto strict = DecodeCbor(in, nullptr);
  if (strict.ok() != (v.ok() && consumed == in.size())) __builtin_trap();
}

void FuzzAuthenticatorData(std::string_view in) {
  auto ad = ParseAuthenticatorData(in);
  if (!ad.ok()) return;
  if (ad->attested_credential) (void)CosePublicKey::Parse(ad->attested_credential->public_key);
  (void)VerifyRpIdAndUserFlags(*ad, "id.example.com", true);
  (void)VerifyBackupFlags(*ad);
  (void)FormatAaguid(ad->attested_credential ? ad->attested_credential->aaguid : std::string());
}

void FuzzCose(std::string_view in) {
  auto key = CosePublicKey::Parse(in);
  if (key.ok()) (void)key->Verify("data", in.substr(0, 72));
}

void FuzzRegistration(std::string_view in) {
  const auto c = Chunks(in, 2);
  RegistrationExpectations e{"", "id.example.com", {}, true, {-7, -35, -36, -257, -258, -259, -37, -38, -39, -8}};
  if (auto cd = ParseClientData(c[0]); cd.ok()) {
    e.challenge = cd->challenge;
    e.origins = {cd->origin};
    e.require_user_verification = (in.size() & 1) != 0;
  }
  auto r = VerifyRegistration(e, c[0], c[1]);
  if (!r.ok()) (void)ClassifyFailure(r.status());
}

void FuzzAssertion(std::string_view in) {
  const auto c = Chunks(in, 4);
  AssertionExpectations e{"", "id.example.com", {}, true, std::string(c[2]), (in.size() & 2) != 0};
  if (auto cd = ParseClientData(c[0]); cd.ok()) {
    e.challenge = cd->challenge;
    e.origins = {cd->origin};
    e.require_user_verification = (in.size() & 1) != 0;
  }
  auto r = VerifyAssertion(e, c[0], c[1], c[3]);
  if (!r.ok()) (void)ClassifyFailure(r.status());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 8) {
    case 0:
      FuzzCbor(in);
      break;
    case 1:
      FuzzAuthenticatorData(in);
      break;
    case 2:
      FuzzCose(in);
      break;
    case 3:
      (void)ParseRegistrationResponseJson(in);
      break;
    case 4:
      (void)ParseAuthenticationResponseJson(in);
      break;
    case 5:
      (void)ParseClientData(in);
      break;
    case 6:
      FuzzRegistration(in);
      break;
    case 7:
      FuzzAssertion(in);
      break;
  }
  return 0;
}
