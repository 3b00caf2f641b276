// Digests, HMACs, HKDF and constant-time comparison. All inputs and outputs are raw bytes.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/status/status.h"

namespace pocketid::crypto {

std::string Sha256(std::string_view data);
std::string Sha384(std::string_view data);
std::string Sha512(std::string_view data);

std::string HmacSha256(std::string_view key, std::string_view msg);
// HMAC over SHA3-256: the signing-key KEK (protocol.md §2.6).
std::string HmacSha3_256(std::string_view key, std::string_view msg);
// HMAC over SHA-512/256 (EVP "SHA512-256"): fosite's opaque-token signatures (protocol.md §2.2).
std::string HmacSha512_256(std::string_view key, std::string_view msg);

// RFC 5869 HKDF with SHA-256. An empty salt means "no salt" (RFC: a string of HashLen zeros), as Go's
// hkdf.New(sha256.New, ikm, nil, info) does. length must be 1..8160 (255 * 32), else kInvalidArgument.
StatusOr<std::string> HkdfSha256(std::string_view ikm, std::string_view salt, std::string_view info, size_t length);

// Compares in time that depends only on the lengths (which are not secret for MACs and token hashes).
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace pocketid::crypto
