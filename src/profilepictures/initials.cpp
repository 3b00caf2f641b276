#include "profilepictures/initials.h"

#include <vector>

namespace pocketid::profilepictures {

namespace {

// One code point from the front of `s` (advanced past it); U+FFFD and one byte for malformed input.
char32_t NextCodePoint(std::string_view& s) {
  const auto b0 = static_cast<unsigned char>(s[0]);
  const int extra = b0 < 0x80 ? 0 : (b0 & 0xE0) == 0xC0 ? 1 : (b0 & 0xF0) == 0xE0 ? 2 : (b0 & 0xF8) == 0xF0 ? 3 : -1;
  if (extra < 0 || static_cast<size_t>(extra) + 1 > s.size()) {
    s.remove_prefix(1);
    return 0xFFFD;
  }
  char32_t cp = extra == 0 ? b0 : extra == 1 ? (b0 & 0x1F) : extra == 2 ? (b0 & 0x0F) : (b0 & 0x07);
  for (int k = 1; k <= extra; ++k) {
    const auto b = static_cast<unsigned char>(s[static_cast<size_t>(k)]);
    if ((b & 0xC0) != 0x80) {
      s.remove_prefix(1);
      return 0xFFFD;
    }
    cp = cp << 6 | (b & 0x3F);
  }
  static constexpr char32_t kMin[] = {0, 0x80, 0x800, 0x10000};
  if (cp < kMin[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    s.remove_prefix(1);
    return 0xFFFD;
  }
  s.remove_prefix(static_cast<size_t>(extra) + 1);
  return cp;
}

void AppendUtf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | cp >> 6);
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | cp >> 12);
    out += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | cp >> 18);
    out += static_cast<char>(0x80 | (cp >> 12 & 0x3F));
    out += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Go's unicode.IsSpace.
bool IsSpace(char32_t c) {
  return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

// Unicode's simple upper-case mapping for the scripts names are most often written in (Latin, Greek, Cyrillic,
// Armenian, full-width Latin); other code points are returned unchanged.
char32_t ToUpper(char32_t c) {
  if (c >= 'a' && c <= 'z') return c - 0x20;
  if (c < 0x80) return c;
  if (c == 0xB5) return 0x39C;                                                  // micro sign → Greek Mu
  if ((c >= 0xE0 && c <= 0xFE && c != 0xF7)) return c - 0x20;                   // Latin-1
  if (c == 0xFF) return 0x178;
  if (c == 0x131) return 'I';                                                   // dotless i
  if (c == 0x17F) return 'S';                                                   // long s
  if ((c >= 0x100 && c <= 0x12F) || (c >= 0x132 && c <= 0x137) || (c >= 0x14A && c <= 0x177)) {
    return c % 2 == 1 ? c - 1 : c;                                              // Latin Extended-A, even = upper
  }
  if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) return c % 2 == 0 ? c - 1 : c;  // odd = upper
  if (c == 0x3AC) return 0x386;                                                 // Greek with tonos
  if (c >= 0x3AD && c <= 0x3AF) return c - 0x25;
  if (c == 0x3CC) return 0x38C;
  if (c == 0x3CD || c == 0x3CE) return c - 0x3F;
  if (c == 0x3C2) return 0x3A3;                                                 // final sigma
  if (c >= 0x3B1 && c <= 0x3CB) return c - 0x20;
  if (c >= 0x430 && c <= 0x44F) return c - 0x20;                                // Cyrillic
  if (c >= 0x450 && c <= 0x45F) return c - 0x50;
  if (c >= 0x460 && c <= 0x481) return c % 2 == 1 ? c - 1 : c;
  if (c >= 0x561 && c <= 0x586) return c - 0x30;                                // Armenian
  if (c >= 0xFF41 && c <= 0xFF5A) return c - 0x20;                              // full-width Latin
  return c;
}

// The first non-space code point of `s`, if any.
bool FirstCharacter(std::string_view s, char32_t& out) {
  while (!s.empty()) {
    const char32_t cp = NextCodePoint(s);
    if (!IsSpace(cp)) {
      out = cp;
      return true;
    }
  }
  return false;
}

}  // namespace

std::string Initials(std::string_view first_name, std::string_view last_name, std::string_view username) {
  std::vector<char32_t> chars;
  char32_t c = 0;
  if (FirstCharacter(first_name, c)) chars.push_back(c);
  if (FirstCharacter(last_name, c)) chars.push_back(c);
  if (chars.empty() && username.size() >= 2) {
    // Usernames are ASCII when validated; whole code points keep an LDAP-provided one valid UTF-8.
    std::string_view rest = username;
    for (int i = 0; i < 2 && !rest.empty(); ++i) chars.push_back(NextCodePoint(rest));
  }
  std::string out;
  for (char32_t cp : chars) AppendUtf8(out, ToUpper(cp));
  return out;
}

bool CacheableInitials(std::string_view initials) {
  if (initials.empty()) return false;
  for (char ch : initials) {
    const auto b = static_cast<unsigned char>(ch);
    if (b < 0x20 || b == 0x7F || ch == '/' || ch == '\\' || ch == '.') return false;
  }
  return true;
}

}  // namespace pocketid::profilepictures
