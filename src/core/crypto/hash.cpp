#include "core/crypto/hash.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/hmac.h>

#include "core/crypto/ossl_internal.h"

namespace pocketid::crypto {
namespace {

using internal::Bytes;

std::string Digest(const EVP_MD* md, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  // A built-in digest failing means OpenSSL itself is broken; there is no meaningful recovery.
  if (EVP_Digest(data.data(), data.size(), out, &len, md, nullptr) != 1) internal::Fatal("EVP_Digest failed");
  return std::string(reinterpret_cast<char*>(out), len);
}

std::string Hmac(const EVP_MD* md, std::string_view key, std::string_view msg) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  static const unsigned char kEmpty = 0;  // HMAC() wants a non-null key pointer even for an empty key
  const unsigned char* key_ptr = key.empty() ? &kEmpty : Bytes(key);
  if (HMAC(md, key_ptr, static_cast<int>(key.size()), Bytes(msg), msg.size(), out, &len) == nullptr) {
    internal::Fatal("HMAC failed");
  }
  return std::string(reinterpret_cast<char*>(out), len);
}

}  // namespace

std::string Sha256(std::string_view data) { return Digest(EVP_sha256(), data); }
std::string Sha384(std::string_view data) { return Digest(EVP_sha384(), data); }
std::string Sha512(std::string_view data) { return Digest(EVP_sha512(), data); }

std::string HmacSha256(std::string_view key, std::string_view msg) { return Hmac(EVP_sha256(), key, msg); }
std::string HmacSha3_256(std::string_view key, std::string_view msg) { return Hmac(EVP_sha3_256(), key, msg); }
std::string HmacSha512_256(std::string_view key, std::string_view msg) { return Hmac(EVP_sha512_256(), key, msg); }

StatusOr<std::string> HkdfSha256(std::string_view ikm, std::string_view salt, std::string_view info, size_t length) {
  if (length == 0 || length > 255 * 32) return InvalidArgumentError("HKDF-SHA256 length must be 1..8160 bytes");
  internal::KdfPtr kdf(EVP_KDF_fetch(nullptr, OSSL_KDF_NAME_HKDF, nullptr));
  if (!kdf) return InternalError(internal::OpenSslError("HKDF unavailable"));
  internal::KdfCtxPtr ctx(EVP_KDF_CTX_new(kdf.get()));
  if (!ctx) return InternalError(internal::OpenSslError("EVP_KDF_CTX_new failed"));

  // OSSL_PARAM wants non-const pointers; OpenSSL only reads these buffers.
  char digest[] = "SHA256";
  OSSL_PARAM params[5];
  size_t n = 0;
  params[n++] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0);
  params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, const_cast<char*>(ikm.data()), ikm.size());
  if (!salt.empty()) {  // absent salt == HashLen zero bytes, per RFC 5869
    params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, const_cast<char*>(salt.data()), salt.size());
  }
  params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, const_cast<char*>(info.data()), info.size());
  params[n] = OSSL_PARAM_construct_end();

  std::string out(length, '\0');
  if (EVP_KDF_derive(ctx.get(), internal::MutableBytes(out), length, params) != 1) {
    return InternalError(internal::OpenSslError("HKDF derive failed"));
  }
  return out;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace pocketid::crypto
