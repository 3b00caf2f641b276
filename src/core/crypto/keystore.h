// Storage format of the signing key in kv["jwt_private_key.json"] (protocol.md §2.6):
// base64(StdEncoding) of AES-256-GCM(KEK, private JWK JSON), no AAD, with
// KEK = HMAC-SHA3-256(key = ENCRYPTION_KEY bytes, msg = "pocketid/<instance_id>/jwk-kek").
#pragma once

#include <string>
#include <string_view>

#include "core/crypto/jose.h"
#include "core/status/status.h"

namespace pocketid::crypto {

// The 32-byte key-encryption key for the stored signing key.
std::string SigningKeyKek(std::string_view encryption_key, std::string_view instance_id);

// The value to store: Base64Std(AesGcmEncrypt(kek, key.PrivateJwkJson())).
// An empty encryption_key is kFailedPrecondition (Pocket ID refuses it too).
StatusOr<std::string> EncryptPrivateJwk(const SigningKey& key, std::string_view encryption_key,
                                        std::string_view instance_id);

// Reads a stored value back. Errors, with Pocket ID's wording:
//  - not base64: kDataLoss "failed to read encrypted private key: not a valid base64-encoded value: ..."
//  - does not open (wrong ENCRYPTION_KEY or instance ID, corrupt): kDataLoss
//    "failed to decrypt private key: failed to decrypt data"
//  - not a valid signing JWK: kDataLoss "failed to parse encrypted private key: ..."
StatusOr<SigningKey> DecryptPrivateJwk(std::string_view stored_value, std::string_view encryption_key,
                                       std::string_view instance_id);

}  // namespace pocketid::crypto
