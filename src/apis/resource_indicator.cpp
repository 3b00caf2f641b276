#include "apis/resource_indicator.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "core/config/go_values.h"

namespace pocketid::apis {

namespace {

bool IsAsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsHexDigit(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

// Go's unicode.IsSpace: the ASCII white space characters, U+0085, U+00A0 and the Unicode Z-category spaces.
bool ContainsSpace(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == ' ' || (c >= '\t' && c <= '\r')) return true;
    if (c == 0xC2 && i + 1 < s.size()) {
      unsigned char d = static_cast<unsigned char>(s[i + 1]);
      if (d == 0x85 || d == 0xA0) return true;
    }
    if (c == 0xE1 && s.substr(i, 3) == "\xE1\x9A\x80") return true;  // U+1680
    if (c == 0xE2 && i + 2 < s.size()) {
      unsigned char d = static_cast<unsigned char>(s[i + 1]);
      unsigned char e = static_cast<unsigned char>(s[i + 2]);
      if (d == 0x80 && ((e >= 0x80 && e <= 0x8A) || e == 0xA8 || e == 0xA9 || e == 0xAF)) return true;
      if (d == 0x81 && e == 0x9F) return true;  // U+205F
    }
    if (c == 0xE3 && s.substr(i, 3) == "\xE3\x80\x80") return true;  // U+3000
  }
  return false;
}

// The scheme part of Go's url.Parse: a letter, then letters, digits, '+', '-', '.' up to the first ':'. Returns the
// scheme, or empty when the text has none (a relative reference, which is not absolute).
std::string_view Scheme(std::string_view raw) {
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (IsAsciiAlpha(c)) continue;
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.') {
      if (i == 0) return {};
      continue;
    }
    if (c == ':' && i > 0) return raw.substr(0, i);
    return {};
  }
  return {};
}

// The authority of "<scheme>://<authority>/...": Go refuses an unclosed IPv6 bracket and a non-numeric port.
bool GoParsesAuthority(std::string_view after_scheme) {
  if (!after_scheme.starts_with("//")) return true;  // no authority (e.g. urn:…)
  std::string_view authority = after_scheme.substr(2, after_scheme.find_first_of("/?", 2) - 2);
  if (size_t at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
  std::string_view port;
  if (authority.starts_with('[')) {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return false;
    std::string_view rest = authority.substr(close + 1);
    if (!rest.empty() && !rest.starts_with(':')) return false;
    port = rest.empty() ? rest : rest.substr(1);
  } else if (size_t colon = authority.rfind(':'); colon != std::string_view::npos) {
    port = authority.substr(colon + 1);
  }
  return std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Go rejects control characters anywhere, malformed %-escapes outside the query and a malformed host or port.
bool GoParses(std::string_view raw) {
  if (std::any_of(raw.begin(), raw.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7F; })) {
    return false;
  }
  std::string_view before_query = raw.substr(0, raw.find('?'));
  for (size_t i = 0; i < before_query.size(); ++i) {
    if (before_query[i] != '%') continue;
    if (i + 2 >= before_query.size() || !IsHexDigit(before_query[i + 1]) || !IsHexDigit(before_query[i + 2])) {
      return false;
    }
  }
  return GoParsesAuthority(raw.substr(raw.find(':') + 1));
}

}  // namespace

bool IsValidResourceIndicator(std::string_view raw) {
  if (raw.empty() || raw.find('#') != std::string_view::npos || ContainsSpace(raw)) return false;
  return GoParses(raw) && !Scheme(raw).empty();
}

bool IsAcceptableApiResource(std::string_view raw) {
  if (!IsValidResourceIndicator(raw)) return false;
  std::string scheme = config::AsciiLower(Scheme(raw));
  return scheme != "javascript" && scheme != "data";
}

std::string CanonicalResource(std::string_view resource) {
  size_t end = resource.find_last_not_of('/');
  return std::string(end == std::string_view::npos ? std::string_view{} : resource.substr(0, end + 1));
}

bool IsValidScopeToken(std::string_view scope) {
  if (scope.empty()) return false;
  return std::all_of(scope.begin(), scope.end(), [](char ch) {
    unsigned char c = static_cast<unsigned char>(ch);
    return c == 0x21 || (c >= 0x23 && c <= 0x5B) || (c >= 0x5D && c <= 0x7E);
  });
}

bool IsReservedPermissionKey(std::string_view key) {
  static constexpr std::array<std::string_view, 6> kReserved{"openid",         "profile", "email",
                                                             "email_verified", "groups",  "offline_access"};
  std::string lower = config::AsciiLower(key);
  return std::find(kReserved.begin(), kReserved.end(), lower) != kReserved.end();
}

}  // namespace pocketid::apis
