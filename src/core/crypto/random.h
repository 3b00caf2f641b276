// Randomness from OpenSSL's CSPRNG.
//
// These cannot fail: if the CSPRNG does, the process aborts with a message, because no caller could do
// anything sensible with "no randomness" (retrying or falling back would only hide a broken system).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace pocketid::crypto {

// n random bytes (RAND_bytes).
std::string RandomBytes(size_t n);

// A random (version 4, RFC 9562) UUID in lowercase, e.g. "3f0c2a9e-8d1b-4c7a-9e2f-0b1c2d3e4f5a".
std::string NewUuidV4();

// [a-zA-Z0-9]: generated secrets and single-use tokens.
inline constexpr std::string_view kAlphanumeric = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

// n characters drawn uniformly from `alphabet` (rejection sampling, so no modulo bias).
// Precondition: 1 <= alphabet.size() <= 256; violating it is a programming error and aborts.
std::string RandomString(size_t n, std::string_view alphabet);

}  // namespace pocketid::crypto
