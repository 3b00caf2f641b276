// Internal to pid_crypto: RAII owners for OpenSSL objects and small helpers shared by the .cpp files.
// Not part of the public API: for src/core/crypto and src/webauthn (COSE keys), which work with OpenSSL directly.
#pragma once

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/param_build.h>

#include <memory>
#include <string>
#include <string_view>

namespace pocketid::crypto::internal {

// unique_ptr deleter that calls an OpenSSL free function.
template <auto FreeFn>
struct OsslDeleter {
  template <typename T>
  void operator()(T* p) const {
    FreeFn(p);
  }
};

using PkeyPtr = std::unique_ptr<EVP_PKEY, OsslDeleter<EVP_PKEY_free>>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, OsslDeleter<EVP_PKEY_CTX_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, OsslDeleter<EVP_MD_CTX_free>>;
using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, OsslDeleter<EVP_CIPHER_CTX_free>>;
using KdfPtr = std::unique_ptr<EVP_KDF, OsslDeleter<EVP_KDF_free>>;
using KdfCtxPtr = std::unique_ptr<EVP_KDF_CTX, OsslDeleter<EVP_KDF_CTX_free>>;
using ParamBldPtr = std::unique_ptr<OSSL_PARAM_BLD, OsslDeleter<OSSL_PARAM_BLD_free>>;
using ParamsPtr = std::unique_ptr<OSSL_PARAM, OsslDeleter<OSSL_PARAM_free>>;
using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, OsslDeleter<ECDSA_SIG_free>>;
using BnCtxPtr = std::unique_ptr<BN_CTX, OsslDeleter<BN_CTX_free>>;
// BN_clear_free: big numbers here are often private key material.
using BignumPtr = std::unique_ptr<BIGNUM, OsslDeleter<BN_clear_free>>;

inline const unsigned char* Bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }
inline unsigned char* MutableBytes(std::string& s) { return reinterpret_cast<unsigned char*>(s.data()); }

// "<what>: <first OpenSSL error>" (or just <what>), and empties this thread's OpenSSL error queue so a
// stale entry cannot be misreported by a later, unrelated call.
std::string OpenSslError(std::string_view what);

// Empties this thread's OpenSSL error queue (after an expected failure such as a bad signature).
void ClearOpenSslErrors();

// For failures that cannot be handled (the CSPRNG or a basic digest failing): print and abort.
[[noreturn]] void Fatal(std::string_view what);

}  // namespace pocketid::crypto::internal
