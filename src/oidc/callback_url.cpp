#include "oidc/callback_url.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <utility>

#include <boost/url/ipv4_address.hpp>
#include <boost/url/ipv6_address.hpp>

// Design: both the requested URL and each pattern are split by one strict parser into the parts that are compared
// (scheme, userinfo, host, port, path, query). The parser rejects everything a browser (WHATWG URL) and an RFC 3986
// parser could read differently, so a match on the parts means a match on where the user agent will actually go.
// Wildcards are compiled to a tiny glob language and matched by a dynamic program over text positions
// (O(pattern x text), no backtracking, no recursion).

namespace pocketid::oidc {

namespace {

// ---------------------------------------------------------------------------------------------------------------
// Characters

bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsHexDigit(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool IsControl(unsigned char c) { return c < 0x20 || c == 0x7F; }
bool IsNonAscii(unsigned char c) { return c >= 0x80; }
char ToLowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string ToLower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), ToLowerAscii);
  return out;
}

int HexValue(char c) {
  if (IsDigit(c)) return c - '0';
  return ToLowerAscii(c) - 'a' + 10;
}

bool IsUnreserved(char c) { return IsAlpha(c) || IsDigit(c) || c == '-' || c == '.' || c == '_' || c == '~'; }
bool IsSubDelim(char c) { return std::string_view("!$&'()*+,;=").find(c) != std::string_view::npos; }

// Decodes %XX escapes (and '+' as space in query mode, like Go's url.QueryUnescape); nullopt on a malformed escape.
std::optional<std::string> PercentDecode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%') {
      if (i + 2 >= s.size() || !IsHexDigit(s[i + 1]) || !IsHexDigit(s[i + 2])) return std::nullopt;
      out += static_cast<char>(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2]));
      i += 2;
    } else if (plus_is_space && s[i] == '+') {
      out += ' ';
    } else {
      out += s[i];
    }
  }
  return out;
}

bool ContainsControl(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return IsControl(static_cast<unsigned char>(c)); });
}

// ---------------------------------------------------------------------------------------------------------------
// Schemes

bool IsSpecialScheme(std::string_view scheme) {
  return scheme == "http" || scheme == "https" || scheme == "ws" || scheme == "wss" || scheme == "ftp" ||
         scheme == "file";
}

std::string_view DefaultPort(std::string_view scheme) {
  if (scheme == "http" || scheme == "ws") return "80";
  if (scheme == "https" || scheme == "wss") return "443";
  if (scheme == "ftp") return "21";
  return "";
}

// Schemes that run code in the browser instead of navigating; never a redirect target.
bool IsActiveContentScheme(std::string_view scheme) {
  return scheme == "javascript" || scheme == "data" || scheme == "vbscript";
}

// ---------------------------------------------------------------------------------------------------------------
// Globs: '*' (authority parts), '*' / '**' (path) and Go path.Match syntax (query values), all compiled to tokens.

enum class GlobOp {
  kLiteral,          // one exact byte
  kAnyRun,           // zero or more bytes of anything ('*' in the authority, '**' in the path)
  kSegmentRun,       // one or more bytes other than '/' ('*' in the path, URLPattern's segment wildcard)
  kNonSlashRun,      // zero or more bytes other than '/' ('*' of path.Match)
  kNonSlashRune,     // one rune other than '/' ('?' of path.Match)
  kRuneClass,        // one rune in (or, negated, not in) a set of ranges ('[...]' of path.Match)
};

struct GlobToken {
  GlobOp op;
  char literal = 0;
  bool negated = false;
  std::vector<std::pair<char32_t, char32_t>> ranges;
};

using Glob = std::vector<GlobToken>;

struct Rune {
  char32_t value;
  size_t length;
};

// UTF-8 decoding as Go's utf8.DecodeRuneInString: any invalid sequence is U+FFFD of length 1.
Rune DecodeRune(std::string_view s) {
  constexpr Rune kInvalid{0xFFFD, 1};
  auto byte = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  unsigned char lead = byte(0);
  if (lead < 0x80) return {lead, 1};
  size_t length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 0;
  if (length == 0 || lead > 0xF4 || s.size() < length) return kInvalid;
  char32_t value = lead & (0x7F >> length);
  for (size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xC0) != 0x80) return kInvalid;
    value = (value << 6) | (byte(i) & 0x3F);
  }
  constexpr std::array<char32_t, 5> kMinimum{0, 0, 0x80, 0x800, 0x10000};
  if (value < kMinimum[length] || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return kInvalid;
  return {value, length};
}

bool ClassContains(const GlobToken& token, char32_t rune) {
  bool in_ranges = std::any_of(token.ranges.begin(), token.ranges.end(),
                               [&](const auto& range) { return range.first <= rune && rune <= range.second; });
  return in_ranges != token.negated;
}

// One step of the matcher: from the set of text positions reachable before `token` to those reachable after it.
std::vector<bool> Advance(const GlobToken& token, std::string_view text, const std::vector<bool>& reach) {
  const size_t n = text.size();
  std::vector<bool> next(n + 1, false);
  switch (token.op) {
    case GlobOp::kLiteral:
      for (size_t i = 0; i < n; ++i) next[i + 1] = reach[i] && text[i] == token.literal;
      break;
    case GlobOp::kAnyRun:
      next[0] = reach[0];
      for (size_t j = 1; j <= n; ++j) next[j] = next[j - 1] || reach[j];
      break;
    case GlobOp::kSegmentRun:
      for (size_t j = 1; j <= n; ++j) next[j] = (reach[j - 1] || next[j - 1]) && text[j - 1] != '/';
      break;
    case GlobOp::kNonSlashRun:
      next[0] = reach[0];
      for (size_t j = 1; j <= n; ++j) next[j] = reach[j] || (next[j - 1] && text[j - 1] != '/');
      break;
    case GlobOp::kNonSlashRune:
    case GlobOp::kRuneClass:
      for (size_t i = 0; i < n; ++i) {
        if (!reach[i]) continue;
        Rune rune = DecodeRune(text.substr(i));
        bool accepted = token.op == GlobOp::kNonSlashRune ? text[i] != '/' : ClassContains(token, rune.value);
        if (accepted) next[i + rune.length] = true;
      }
      break;
  }
  return next;
}

bool GlobMatches(const Glob& glob, std::string_view text) {
  std::vector<bool> reach(text.size() + 1, false);
  reach[0] = true;
  for (const GlobToken& token : glob) reach = Advance(token, text, reach);
  return reach[text.size()];
}

GlobToken Literal(char c) { return {GlobOp::kLiteral, c, false, {}}; }
GlobToken Op(GlobOp op) { return {op, 0, false, {}}; }

// Scheme, userinfo, host and port: '*' is any run of characters (URLPattern's full wildcard).
Glob CompileAuthorityGlob(std::string_view pattern) {
  Glob glob;
  for (char c : pattern) {
    if (c != '*') {
      glob.push_back(Literal(c));
    } else if (glob.empty() || glob.back().op != GlobOp::kAnyRun) {
      glob.push_back(Op(GlobOp::kAnyRun));
    }
  }
  return glob;
}

// Path: '**' may cross segments, '*' stays within one segment and matches at least one character.
Glob CompilePathGlob(std::string_view pattern) {
  Glob glob;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] != '*') {
      glob.push_back(Literal(pattern[i]));
    } else if (i + 1 < pattern.size() && pattern[i + 1] == '*') {
      glob.push_back(Op(GlobOp::kAnyRun));
      ++i;
    } else {
      glob.push_back(Op(GlobOp::kSegmentRun));
    }
  }
  return glob;
}

// One end of a path.Match character range: a rune, or an escaped rune; '-' and ']' must be escaped.
std::optional<char32_t> ReadClassRune(std::string_view pattern, size_t& i) {
  if (i >= pattern.size() || pattern[i] == '-' || pattern[i] == ']') return std::nullopt;
  if (pattern[i] == '\\' && ++i >= pattern.size()) return std::nullopt;
  Rune rune = DecodeRune(pattern.substr(i));
  i += rune.length;
  return rune.value;
}

// '[' [ '^' ] { lo [ '-' hi ] } ']' starting after the '['; nullopt when malformed (Go's ErrBadPattern).
std::optional<GlobToken> CompileRuneClass(std::string_view pattern, size_t& i) {
  GlobToken token = Op(GlobOp::kRuneClass);
  if (i < pattern.size() && pattern[i] == '^') {
    token.negated = true;
    ++i;
  }
  while (i >= pattern.size() || pattern[i] != ']' || token.ranges.empty()) {
    auto lo = ReadClassRune(pattern, i);
    if (!lo) return std::nullopt;
    char32_t hi = *lo;
    if (i < pattern.size() && pattern[i] == '-') {
      auto end = ReadClassRune(pattern, ++i);
      if (!end) return std::nullopt;
      hi = *end;
    }
    token.ranges.emplace_back(*lo, hi);
  }
  ++i;  // the closing ']'
  return token;
}

// Query values use Go's path.Match syntax ('*', '?', '[...]', '\' escapes); nullopt when malformed.
std::optional<Glob> CompileShellGlob(std::string_view pattern) {
  Glob glob;
  for (size_t i = 0; i < pattern.size();) {
    char c = pattern[i++];
    if (c == '*') {
      glob.push_back(Op(GlobOp::kNonSlashRun));
    } else if (c == '?') {
      glob.push_back(Op(GlobOp::kNonSlashRune));
    } else if (c == '[') {
      auto token = CompileRuneClass(pattern, i);
      if (!token) return std::nullopt;
      glob.push_back(std::move(*token));
    } else if (c == '\\') {
      if (i >= pattern.size()) return std::nullopt;
      glob.push_back(Literal(pattern[i++]));
    } else {
      glob.push_back(Literal(c));
    }
  }
  return glob;
}

// ---------------------------------------------------------------------------------------------------------------
// Parsing

// Which side of the comparison a string is: patterns may hold '*' wildcards and may leave the path out.
enum class Side { kRequested, kPattern };

using QueryParams = std::map<std::string, std::vector<std::string>>;

// The parts of a URL that callback matching compares. For patterns the strings may contain '*'.
struct UrlParts {
  std::string scheme;              // lower case
  bool has_authority = false;      // "scheme://authority..." rather than "scheme:path"
  std::string username;            // raw text; "" when absent
  std::string password;            // raw text; "" when absent
  std::string host;                // lower case; IPv6 literals in canonical "[...]" form
  std::string port;                // canonical decimal; "" when absent or the scheme's default
  std::optional<std::string> path; // percent-encoding canonicalized; nullopt = pattern without path (any path)
  QueryParams query;               // decoded key -> values in order
};

bool IsSchemeChar(char c, Side side) {
  return IsAlpha(c) || IsDigit(c) || c == '+' || c == '-' || c == '.' || (side == Side::kPattern && c == '*');
}

std::optional<std::string> ParseScheme(std::string_view scheme, Side side) {
  if (scheme.empty()) return std::nullopt;
  if (!IsAlpha(scheme[0]) && !(side == Side::kPattern && scheme[0] == '*')) return std::nullopt;
  for (char c : scheme) {
    if (!IsSchemeChar(c, side)) return std::nullopt;
  }
  return ToLower(scheme);
}

// A percent escape that decodes to a control character or a path/authority delimiter hides structure from one
// parser but not another; such text never takes part in a match.
bool IsCleanEncodedText(std::string_view raw) {
  auto decoded = PercentDecode(raw, false);
  if (!decoded || ContainsControl(*decoded)) return false;
  return decoded->find_first_of("/\\") == std::string::npos;
}

// username / password: RFC 3986 userinfo characters only (so no '@', '/', '\', '[', ']').
bool IsValidUserinfoPart(std::string_view part) {
  for (char c : part) {
    if (!IsUnreserved(c) && !IsSubDelim(c) && c != ':' && c != '%') return false;
  }
  return IsCleanEncodedText(part);
}

std::optional<std::string> CanonicalIpv6(std::string_view literal) {
  auto address = boost::urls::parse_ipv6_address(literal);
  if (!address) return std::nullopt;
  return "[" + address->to_string() + "]";
}

// WHATWG reads a host whose last label is a number ("127.1", "0x7f.1", "2130706433") as an IPv4 address; only the
// canonical dotted-quad form is accepted so that the text compared is the address the browser connects to.
bool LooksNumeric(std::string_view host) {
  size_t last_dot = host.rfind('.');
  std::string_view label = last_dot == std::string_view::npos ? host : host.substr(last_dot + 1);
  if (label.size() >= 2 && label[0] == '0' && (label[1] == 'x' || label[1] == 'X')) return true;
  return !label.empty() && std::all_of(label.begin(), label.end(), IsDigit);
}

bool IsHostChar(char c, Side side) {
  return IsAlpha(c) || IsDigit(c) || c == '-' || c == '.' || c == '_' || c == '~' ||
         (side == Side::kPattern && c == '*');
}

// A registered name: ASCII letters, digits, "-._~" in non-empty labels (no percent escapes, no IDN).
std::optional<std::string> ParseRegisteredName(std::string_view host, Side side) {
  if (!std::all_of(host.begin(), host.end(), [&](char c) { return IsHostChar(c, side); })) return std::nullopt;
  if (host.front() == '.' || host.back() == '.' || host.find("..") != std::string_view::npos) return std::nullopt;
  bool has_wildcard = host.find('*') != std::string_view::npos;
  if (!has_wildcard && LooksNumeric(host) && !boost::urls::parse_ipv4_address(host)) return std::nullopt;
  return ToLower(host);
}

std::optional<std::string> ParseHost(std::string_view host, std::string_view scheme, Side side) {
  if (host.empty()) {
    // Only URLs whose scheme has no host requirement may leave it empty ("myapp:///cb", "file:///x").
    if (IsSpecialScheme(scheme) && scheme != "file") return std::nullopt;
    return std::string();
  }
  if (host.front() == '[') {
    if (host.size() < 2 || host.back() != ']') return std::nullopt;
    return CanonicalIpv6(host.substr(1, host.size() - 2));
  }
  return ParseRegisteredName(host, side);
}

// Digits (and '*' in patterns); literal ports are canonicalized and the scheme's default port dropped.
std::optional<std::string> ParsePort(std::string_view port, std::string_view scheme, Side side) {
  if (port.empty()) return std::string();
  bool has_wildcard = false;
  for (char c : port) {
    if (side == Side::kPattern && c == '*') {
      has_wildcard = true;
    } else if (!IsDigit(c)) {
      return std::nullopt;
    }
  }
  if (has_wildcard) return std::string(port);
  uint32_t value = 0;
  for (char c : port) {
    value = value * 10 + static_cast<uint32_t>(c - '0');
    if (value > 65535) return std::nullopt;
  }
  std::string canonical = std::to_string(value);
  if (canonical == DefaultPort(scheme)) return std::string();
  return canonical;
}

bool ParseAuthority(std::string_view authority, Side side, UrlParts& parts) {
  size_t at = authority.find('@');
  if (at != std::string_view::npos) {
    // A second '@' is how "user@evil.com@example.com" hides one host behind another: never accepted.
    if (authority.find('@', at + 1) != std::string_view::npos) return false;
    std::string_view userinfo = authority.substr(0, at);
    size_t colon = userinfo.find(':');
    std::string_view username = userinfo.substr(0, colon);
    std::string_view password = colon == std::string_view::npos ? "" : userinfo.substr(colon + 1);
    if (!IsValidUserinfoPart(username) || !IsValidUserinfoPart(password)) return false;
    parts.username = username;
    parts.password = password;
    authority.remove_prefix(at + 1);
  }
  std::string_view host = authority;
  std::string_view port;
  size_t host_end = authority.starts_with('[') ? authority.find(']') : 0;  // IPv6 colons are not the port's
  if (host_end == std::string_view::npos) return false;
  size_t port_colon = authority.find(':', host_end);
  if (port_colon != std::string_view::npos) {
    host = authority.substr(0, port_colon);
    port = authority.substr(port_colon + 1);
  }
  auto parsed_host = ParseHost(host, parts.scheme, side);
  auto scheme_for_port = parts.scheme.find('*') == std::string::npos ? parts.scheme : std::string();
  auto parsed_port = ParsePort(port, scheme_for_port, side);
  if (!parsed_host || !parsed_port) return false;
  parts.host = std::move(*parsed_host);
  parts.port = std::move(*parsed_port);
  return true;
}

// WHATWG percent-encodes these in paths; doing the same on both sides makes raw and encoded forms compare equal.
bool NeedsPathEncoding(unsigned char c) {
  return IsNonAscii(c) || c == '"' || c == '<' || c == '>' || c == '`' || c == '{' || c == '}';
}

std::string EncodePathCharacters(std::string_view path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : path) {
    if (NeedsPathEncoding(c)) {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

// Dot segments (also "%2e%2e"), empty segments ("//evil.com"), encoded slashes and controls would let the target
// differ from what was compared, depending on who normalizes the path; such paths never match.
std::optional<std::string> ParsePath(std::string_view path) {
  if (path.find("//") != std::string_view::npos) return std::nullopt;
  for (size_t start = 0; start <= path.size();) {
    size_t end = std::min(path.find('/', start), path.size());
    std::string_view segment = path.substr(start, end - start);
    if (!IsCleanEncodedText(segment)) return std::nullopt;
    auto decoded = PercentDecode(segment, false);
    if (*decoded == "." || *decoded == "..") return std::nullopt;
    start = end + 1;
  }
  return EncodePathCharacters(path);
}

// Go's url.ParseQuery: '&'-separated, empty pieces skipped, "k" means "k=", ';' is an error; keys and values are
// decoded ('+' is a space). Decoded control characters (e.g. "%0d%0a") make the query unusable.
std::optional<QueryParams> ParseQuery(std::string_view query) {
  QueryParams params;
  while (!query.empty()) {
    size_t amp = std::min(query.find('&'), query.size());
    std::string_view piece = query.substr(0, amp);
    query.remove_prefix(std::min(amp + 1, query.size()));
    if (piece.find(';') != std::string_view::npos) return std::nullopt;
    if (piece.empty()) continue;
    size_t eq = piece.find('=');
    auto key = PercentDecode(piece.substr(0, eq), true);
    auto value = PercentDecode(eq == std::string_view::npos ? "" : piece.substr(eq + 1), true);
    if (!key || !value || ContainsControl(*key) || ContainsControl(*value)) return std::nullopt;
    params[*key].push_back(std::move(*value));
  }
  return params;
}

// Inputs are untrusted: raw whitespace or control characters (which WHATWG silently strips or rejects) never match.
bool HasRawControlOrSpace(std::string_view url) {
  return std::any_of(url.begin(), url.end(), [](char c) {
    auto byte = static_cast<unsigned char>(c);
    return IsControl(byte) || byte == ' ';
  });
}

// For http(s)-like schemes WHATWG reads '\' as '/'. A '\' inside what RFC 3986 would call the authority, together
// with an '@' there ("https://good.com\@evil.com"), is read differently by different parsers: rejected.
std::optional<std::string> NormalizeBackslashes(std::string_view rest) {
  if (rest.starts_with("//")) {
    std::string_view after_slashes = rest.substr(2);
    std::string_view rfc_authority = after_slashes.substr(0, after_slashes.find('/'));
    bool ambiguous = rfc_authority.find('\\') != std::string_view::npos &&
                     rfc_authority.find('@') != std::string_view::npos;
    if (ambiguous) return std::nullopt;
  }
  std::string out(rest);
  std::replace(out.begin(), out.end(), '\\', '/');
  return out;
}

// "scheme:" has been read; parses the hierarchical part (authority and path, no query or fragment).
bool ParseHierarchicalPart(std::string_view rest, Side side, UrlParts& parts) {
  std::string normalized(rest);
  if (side == Side::kRequested && IsSpecialScheme(parts.scheme)) {
    auto without_backslashes = NormalizeBackslashes(rest);
    if (!without_backslashes) return false;
    normalized = std::move(*without_backslashes);
  }
  std::string_view text = normalized;
  parts.has_authority = text.substr(0, 2) == "//";
  // WHATWG reads "https:example.com" or "https:/example.com" as an authority: demand the unambiguous "//".
  if (!parts.has_authority && IsSpecialScheme(parts.scheme)) return false;
  if (parts.has_authority) {
    text.remove_prefix(2);
    size_t slash = std::min(text.find('/'), text.size());
    if (!ParseAuthority(text.substr(0, slash), side, parts)) return false;
    text.remove_prefix(slash);
  }
  if (side == Side::kPattern && parts.has_authority && text.empty()) return true;  // no path: any path
  auto path = ParsePath(text);
  if (!path) return false;
  if (path->empty() && parts.has_authority && IsSpecialScheme(parts.scheme)) *path = "/";
  parts.path = std::move(*path);
  return true;
}

std::optional<UrlParts> ParseUrl(std::string_view url, Side side) {
  if (HasRawControlOrSpace(url)) return std::nullopt;
  url = url.substr(0, url.find('#'));  // fragments never take part in matching
  size_t question = std::min(url.find('?'), url.size());
  std::string_view query = url.substr(std::min(question + 1, url.size()));
  url = url.substr(0, question);

  size_t colon = url.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  UrlParts parts;
  auto scheme = ParseScheme(url.substr(0, colon), side);
  if (!scheme) return std::nullopt;
  parts.scheme = std::move(*scheme);
  if (side == Side::kPattern && url.find('\\') != std::string_view::npos) return std::nullopt;
  if (!ParseHierarchicalPart(url.substr(colon + 1), side, parts)) return std::nullopt;
  auto params = ParseQuery(query);
  if (!params) return std::nullopt;
  parts.query = std::move(*params);
  return parts;
}

// ---------------------------------------------------------------------------------------------------------------
// Matching

bool AuthorityPartMatches(std::string_view pattern, std::string_view value) {
  return GlobMatches(CompileAuthorityGlob(pattern), value);
}

// Same keys, same number of values per key, values matched pairwise in order as path.Match globs.
bool QueryMatches(const QueryParams& pattern, const QueryParams& requested) {
  if (pattern.size() != requested.size()) return false;
  for (const auto& [key, pattern_values] : pattern) {
    auto found = requested.find(key);
    if (found == requested.end() || found->second.size() != pattern_values.size()) return false;
    for (size_t i = 0; i < pattern_values.size(); ++i) {
      auto glob = CompileShellGlob(pattern_values[i]);
      if (!glob || !GlobMatches(*glob, found->second[i])) return false;
    }
  }
  return true;
}

// "10.0.0.*" is meant as an address range: it must not match the name "10.0.0.1.evil.com".
bool IsIpv4Pattern(std::string_view pattern) {
  bool only_address_chars = std::all_of(pattern.begin(), pattern.end(), [](char c) {
    return IsDigit(c) || c == '.' || c == '*';
  });
  return only_address_chars && std::any_of(pattern.begin(), pattern.end(), IsDigit);
}

bool HostMatches(std::string_view pattern, std::string_view host) {
  bool ipv4_pattern = IsIpv4Pattern(pattern);
  if (ipv4_pattern && !boost::urls::parse_ipv4_address(host)) return false;
  return AuthorityPartMatches(pattern, host);
}

bool PartsMatch(const UrlParts& pattern, const UrlParts& requested) {
  return AuthorityPartMatches(pattern.scheme, requested.scheme) &&
         pattern.has_authority == requested.has_authority &&
         AuthorityPartMatches(pattern.username, requested.username) &&
         AuthorityPartMatches(pattern.password, requested.password) &&
         HostMatches(pattern.host, requested.host) &&
         AuthorityPartMatches(pattern.port, requested.port) &&
         (!pattern.path || GlobMatches(CompilePathGlob(*pattern.path), requested.path.value_or(""))) &&
         QueryMatches(pattern.query, requested.query);
}

bool IsLoopbackIp(std::string_view host) {
  if (auto v4 = boost::urls::parse_ipv4_address(host)) return v4->is_loopback();
  if (host.size() < 2 || host.front() != '[') return false;
  auto v6 = boost::urls::parse_ipv6_address(host.substr(1, host.size() - 2));
  if (!v6) return false;
  return v6->is_loopback() || (v6->is_v4_mapped() && v6->to_bytes()[12] == 127);
}

// RFC 8252 §7.3 applies to plain-http redirects to this machine.
bool IsLoopbackHttp(const UrlParts& url) {
  return url.scheme == "http" && (url.host == "localhost" || IsLoopbackIp(url.host));
}

bool PatternMatches(std::string_view pattern, const UrlParts& requested) {
  if (pattern == "*") return true;
  auto parsed = ParseUrl(pattern, Side::kPattern);
  if (!parsed) return false;
  if (PartsMatch(*parsed, requested)) return true;
  if (!IsLoopbackHttp(requested)) return false;
  UrlParts any_port = requested;
  any_port.port.clear();
  return PartsMatch(*parsed, any_port);
}

std::string_view RawQuery(std::string_view url) {
  url = url.substr(0, url.find('#'));
  size_t question = url.find('?');
  return question == std::string_view::npos ? std::string_view() : url.substr(question + 1);
}

// fosite's isMatchingAsLoopback: same loopback IP, path and raw query; the port (on both sides) is ignored.
bool MatchesAsLoopback(std::string_view registered, const UrlParts& requested, std::string_view requested_query) {
  auto parts = ParseUrl(registered, Side::kRequested);
  return parts && parts->scheme == "http" && parts->host == requested.host && parts->path == requested.path &&
         parts->username == requested.username && parts->password == requested.password &&
         RawQuery(registered) == requested_query;
}

}  // namespace

std::optional<std::string> MatchCallbackUrl(const std::vector<std::string>& patterns, std::string_view requested) {
  // Identical strings match before any parsing, as in Pocket ID (the pattern is trusted admin input).
  if (std::find(patterns.begin(), patterns.end(), requested) != patterns.end()) return std::string(requested);
  auto parsed = ParseUrl(requested, Side::kRequested);
  if (!parsed || IsActiveContentScheme(parsed->scheme)) return std::nullopt;
  for (const std::string& pattern : patterns) {
    if (PatternMatches(pattern, *parsed)) return std::string(requested);
  }
  return std::nullopt;
}

bool ExactRedirectMatch(const std::vector<std::string>& registered, std::string_view requested) {
  if (requested.empty()) return false;
  if (std::find(registered.begin(), registered.end(), requested) != registered.end()) return true;
  auto parsed = ParseUrl(requested, Side::kRequested);
  if (!parsed || parsed->scheme != "http" || !IsLoopbackIp(parsed->host)) return false;
  return std::any_of(registered.begin(), registered.end(), [&](const std::string& uri) {
    return MatchesAsLoopback(uri, *parsed, RawQuery(requested));
  });
}

std::optional<std::string> ValidateCallbackUrlPattern(std::string_view pattern) {
  // Pocket ID reports the custom validator tag generically (management.md: "others -> tag name, 'is invalid'").
  static constexpr std::string_view kInvalid = "is invalid";
  if (pattern == "*") return std::nullopt;
  auto parts = ParseUrl(pattern, Side::kPattern);
  if (!parts || IsActiveContentScheme(parts->scheme)) return std::string(kInvalid);
  for (const auto& [key, values] : parts->query) {
    for (const std::string& value : values) {
      if (!CompileShellGlob(value)) return std::string(kInvalid);
    }
  }
  return std::nullopt;
}

bool IsSecureRedirect(std::string_view url) {
  size_t colon = url.find(':');
  auto scheme = ParseScheme(url.substr(0, colon == std::string_view::npos ? 0 : colon), Side::kRequested);
  if (!scheme) return false;
  if (*scheme != "http") return true;  // only plain http is insecure; custom schemes stay allowed
  auto parts = ParseUrl(url, Side::kRequested);
  if (!parts) return false;
  const std::string& host = parts->host;
  bool localhost_name = host == "localhost" || (host.size() > 10 && host.ends_with(".localhost"));
  return localhost_name || IsLoopbackIp(host);
}

}  // namespace pocketid::oidc
