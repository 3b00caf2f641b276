// Byte-string encodings: base64 (URL and standard alphabets) and hex.
//
// Bytes are carried in std::string / std::string_view throughout pid_crypto.
#pragma once

#include <string>
#include <string_view>

#include "core/status/status.h"

namespace pocketid::crypto {

// base64url without padding (RFC 4648 §5; Go's base64.RawURLEncoding), as JOSE uses it.
std::string Base64UrlEncode(std::string_view bytes);

// Strict inverse of Base64UrlEncode: URL alphabet only, no '=' padding, no whitespace, and the unused low
// bits of the last character must be zero, so every byte string has exactly one accepted encoding (no
// malleable tokens). Errors are kInvalidArgument "illegal base64 data at input byte N".
StatusOr<std::string> Base64UrlDecode(std::string_view text);

// Lenient decoder for base64 written by other JOSE implementations (JWK members such as "n", "x"):
// either alphabet, padding optional, non-zero trailing bits ignored. Never use it for token segments.
StatusOr<std::string> Base64DecodeLenient(std::string_view text);

// Standard alphabet with '=' padding (Go's base64.StdEncoding), used for stored encrypted values.
std::string Base64StdEncode(std::string_view bytes);

// Mirrors Go's base64.StdEncoding.DecodeString: padding required, '\r' and '\n' skipped, non-zero
// trailing bits tolerated (Go's non-strict mode), anything else rejected.
StatusOr<std::string> Base64StdDecode(std::string_view text);

// Lowercase hex.
std::string HexEncode(std::string_view bytes);

}  // namespace pocketid::crypto
