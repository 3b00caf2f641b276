// AES-256-GCM in Pocket ID's layout: nonce(12) || ciphertext || tag(16).
#pragma once

#include <string>
#include <string_view>

#include "core/status/status.h"

namespace pocketid::crypto {

inline constexpr size_t kAesGcmKeySize = 32;
inline constexpr size_t kAesGcmNonceSize = 12;
inline constexpr size_t kAesGcmTagSize = 16;

// Encrypts with a fresh random nonce. key32 must be exactly 32 bytes (kInvalidArgument otherwise).
StatusOr<std::string> AesGcmEncrypt(std::string_view key32, std::string_view plaintext, std::string_view aad = {});

// Opens nonce||ciphertext||tag. Any authentication failure or too-short input is kDataLoss with exactly
// "failed to decrypt data" (Pocket ID's message; deliberately no detail). A wrong key length is
// kInvalidArgument.
StatusOr<std::string> AesGcmDecrypt(std::string_view key32, std::string_view sealed, std::string_view aad = {});

}  // namespace pocketid::crypto
