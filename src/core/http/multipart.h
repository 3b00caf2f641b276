// A small, strict multipart/form-data reader (RFC 7578) for upload endpoints (client logos, application images,
// profile pictures). The whole body is already in memory (the server caps its size), so parts are copied out of
// it; CRLF line endings only, no header folding, at most kMaxMultipartParts parts.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status/status.h"

namespace pocketid::http {

inline constexpr size_t kMaxMultipartParts = 64;

struct MultipartPart {
  std::string name;                     // Content-Disposition `name`
  std::optional<std::string> filename;  // `filename`, base name only (as Go's Part.FileName); unset when absent
  std::string content_type;             // the part's Content-Type, "" when absent
  std::string body;
};

// Parses `body` sent with `content_type` (the request's Content-Type header). kInvalidArgument when the type is
// not multipart/form-data with a boundary, or the body is malformed.
StatusOr<std::vector<MultipartPart>> ParseMultipartFormData(std::string_view content_type, std::string_view body);

// The first part named `name` that is a file, i.e. has a non-empty filename (Go's FormFile); nullptr if none.
const MultipartPart* FindFilePart(const std::vector<MultipartPart>& parts, std::string_view name);

// A header value's main token and its `key=value` parameters (keys lower-cased, quoted values unescaped), as
// Go's mime.ParseMediaType reads Content-Type and Content-Disposition. nullopt when malformed.
struct HeaderValue {
  std::string token;  // lower-cased
  std::vector<std::pair<std::string, std::string>> params;
  std::optional<std::string> Param(std::string_view key) const;
};
std::optional<HeaderValue> ParseHeaderValue(std::string_view value);

}  // namespace pocketid::http
