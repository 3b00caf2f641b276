#include "core/crypto/aead.h"

#include <openssl/crypto.h>

#include <climits>

#include "core/crypto/ossl_internal.h"
#include "core/crypto/random.h"

namespace pocketid::crypto {
namespace {

using internal::Bytes;
using internal::MutableBytes;

constexpr char kDecryptFailed[] = "failed to decrypt data";

Status CheckKey(std::string_view key) {
  if (key.size() != kAesGcmKeySize) return InvalidArgumentError("AES-256-GCM key must be 32 bytes");
  return Status::Ok();
}

// EVP update calls take int lengths.
bool FitsInt(std::string_view s) { return s.size() <= static_cast<size_t>(INT_MAX); }

}  // namespace

StatusOr<std::string> AesGcmEncrypt(std::string_view key32, std::string_view plaintext, std::string_view aad) {
  PID_RETURN_IF_ERROR(CheckKey(key32));
  if (!FitsInt(plaintext) || !FitsInt(aad)) return InvalidArgumentError("AES-GCM input too large");
  const std::string nonce = RandomBytes(kAesGcmNonceSize);
  internal::CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  if (!ctx) return InternalError(internal::OpenSslError("EVP_CIPHER_CTX_new failed"));
  // The default GCM IV length is 12 bytes, which is our nonce size.
  if (EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, Bytes(key32), Bytes(nonce)) != 1) {
    return InternalError(internal::OpenSslError("AES-GCM init failed"));
  }
  int len = 0;
  if (!aad.empty() && EVP_EncryptUpdate(ctx.get(), nullptr, &len, Bytes(aad), static_cast<int>(aad.size())) != 1) {
    return InternalError(internal::OpenSslError("AES-GCM aad failed"));
  }
  std::string out(kAesGcmNonceSize + plaintext.size() + kAesGcmTagSize, '\0');
  out.replace(0, kAesGcmNonceSize, nonce);
  unsigned char* ct = MutableBytes(out) + kAesGcmNonceSize;
  if (EVP_EncryptUpdate(ctx.get(), ct, &len, Bytes(plaintext), static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), ct + len, &len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kAesGcmTagSize, ct + plaintext.size()) != 1) {
    return InternalError(internal::OpenSslError("AES-GCM encrypt failed"));
  }
  return out;
}

StatusOr<std::string> AesGcmDecrypt(std::string_view key32, std::string_view sealed, std::string_view aad) {
  PID_RETURN_IF_ERROR(CheckKey(key32));
  if (sealed.size() < kAesGcmNonceSize + kAesGcmTagSize || !FitsInt(sealed) || !FitsInt(aad)) {
    return DataLossError(kDecryptFailed);
  }
  const std::string_view nonce = sealed.substr(0, kAesGcmNonceSize);
  const std::string_view ct = sealed.substr(kAesGcmNonceSize, sealed.size() - kAesGcmNonceSize - kAesGcmTagSize);
  std::string tag(sealed.substr(sealed.size() - kAesGcmTagSize));  // the ctrl wants a mutable pointer

  internal::CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  if (!ctx) return InternalError(internal::OpenSslError("EVP_CIPHER_CTX_new failed"));
  if (EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, Bytes(key32), Bytes(nonce)) != 1) {
    return InternalError(internal::OpenSslError("AES-GCM init failed"));
  }
  std::string plain(ct.size(), '\0');
  int len = 0;
  const bool ok =
      (aad.empty() || EVP_DecryptUpdate(ctx.get(), nullptr, &len, Bytes(aad), static_cast<int>(aad.size())) == 1) &&
      EVP_DecryptUpdate(ctx.get(), MutableBytes(plain), &len, Bytes(ct), static_cast<int>(ct.size())) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kAesGcmTagSize, tag.data()) == 1 &&
      EVP_DecryptFinal_ex(ctx.get(), MutableBytes(plain) + len, &len) == 1;
  if (!ok) {
    internal::ClearOpenSslErrors();
    OPENSSL_cleanse(plain.data(), plain.size());  // never leak unauthenticated plaintext
    return DataLossError(kDecryptFailed);
  }
  return plain;
}

}  // namespace pocketid::crypto
