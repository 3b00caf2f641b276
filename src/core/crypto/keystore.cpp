#include "core/crypto/keystore.h"

#include <openssl/crypto.h>

#include "core/crypto/aead.h"
#include "core/crypto/encoding.h"
#include "core/crypto/hash.h"

namespace pocketid::crypto {
namespace {

Status CheckEncryptionKey(std::string_view encryption_key) {
  if (encryption_key.empty()) return FailedPreconditionError("encryption key is empty in the configuration");
  return Status::Ok();
}

// Wipes the decrypted JWK (private key material) when it goes out of scope.
struct WipedString {
  std::string value;
  ~WipedString() { OPENSSL_cleanse(value.data(), value.size()); }
};

}  // namespace

std::string SigningKeyKek(std::string_view encryption_key, std::string_view instance_id) {
  std::string seed = "pocketid/";
  seed += instance_id;
  seed += "/jwk-kek";
  return HmacSha3_256(encryption_key, seed);
}

StatusOr<std::string> EncryptPrivateJwk(const SigningKey& key, std::string_view encryption_key,
                                        std::string_view instance_id) {
  PID_RETURN_IF_ERROR(CheckEncryptionKey(encryption_key));
  WipedString plain{key.PrivateJwkJson()};
  PID_ASSIGN_OR_RETURN(const std::string sealed,
                       AesGcmEncrypt(SigningKeyKek(encryption_key, instance_id), plain.value));
  return Base64StdEncode(sealed);
}

StatusOr<SigningKey> DecryptPrivateJwk(std::string_view stored_value, std::string_view encryption_key,
                                       std::string_view instance_id) {
  PID_RETURN_IF_ERROR(CheckEncryptionKey(encryption_key));
  auto sealed = Base64StdDecode(stored_value);
  if (!sealed.ok()) {
    return DataLossError("failed to read encrypted private key: not a valid base64-encoded value: " +
                         sealed.status().message());
  }
  auto plain = AesGcmDecrypt(SigningKeyKek(encryption_key, instance_id), *sealed);
  if (!plain.ok()) return DataLossError("failed to decrypt private key: " + plain.status().message());
  WipedString json{std::move(plain).value()};
  auto key = SigningKey::FromPrivateJwk(json.value);
  if (!key.ok()) return DataLossError("failed to parse encrypted private key: " + key.status().message());
  return key;
}

}  // namespace pocketid::crypto
