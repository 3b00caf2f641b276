// The browser's PublicKeyCredential JSON (WebAuthn L3 §5.1.8/§5.1.9: RegistrationResponseJSON and
// AuthenticationResponseJSON, as @simplewebauthn/browser posts them) parsed into raw bytes.
//
// Binary members are base64url; like go-webauthn's URLEncodedBase64, padding is optional and JSON null
// means absent. `id` must decode to the same bytes as `rawId`. Errors are kInvalidArgument.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status/status.h"

namespace pocketid::webauthn {

struct RegistrationResponse {
  std::string id;                    // the base64url text as sent
  std::string raw_id;                // credential ID bytes
  std::string type;                  // always "public-key"
  std::string client_data_json;      // decoded bytes
  std::string attestation_object;    // decoded bytes
  std::vector<std::string> transports;   // as sent, "cable" renamed "hybrid" (go-webauthn)
  std::string client_extension_results;  // the JSON object re-serialised; "{}" when absent
  std::string authenticator_attachment;  // "platform", "cross-platform", or empty for anything else
};

struct AuthenticationResponse {
  std::string id;
  std::string raw_id;
  std::string type;
  std::string client_data_json;
  std::string authenticator_data;
  std::string signature;
  std::string user_handle;  // decoded bytes; empty when absent or null
  std::string client_extension_results;
  std::string authenticator_attachment;
};

StatusOr<RegistrationResponse> ParseRegistrationResponseJson(std::string_view json);
StatusOr<AuthenticationResponse> ParseAuthenticationResponseJson(std::string_view json);

// base64url with optional '=' padding (go-webauthn's URLEncodedBase64): the URL alphabet only, trailing
// '=' ignored, non-zero unused bits tolerated.
StatusOr<std::string> DecodeBase64UrlLenient(std::string_view text);

}  // namespace pocketid::webauthn
