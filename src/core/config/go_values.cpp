#include "core/config/go_values.h"

#include <array>
#include <cmath>
#include <limits>

namespace pocketid::config {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Unit multipliers accepted by time.ParseDuration, in nanoseconds.
std::optional<long double> DurationUnit(std::string_view unit) {
  static constexpr std::array<std::pair<std::string_view, long double>, 8> kUnits = {{
      {"ns", 1.0L},
      {"us", 1e3L},
      {"\xC2\xB5s", 1e3L},  // U+00B5 micro sign
      {"\xCE\xBCs", 1e3L},  // U+03BC Greek mu
      {"ms", 1e6L},
      {"s", 1e9L},
      {"m", 60e9L},
      {"h", 3600e9L},
  }};
  for (const auto& [name, ns] : kUnits) {
    if (name == unit) return ns;
  }
  return std::nullopt;
}

}  // namespace

std::optional<bool> ParseGoBool(std::string_view s) {
  if (s == "1" || s == "t" || s == "T" || s == "TRUE" || s == "true" || s == "True") return true;
  if (s == "0" || s == "f" || s == "F" || s == "FALSE" || s == "false" || s == "False") return false;
  return std::nullopt;
}

std::optional<int32_t> ParseGoInt32(std::string_view s) {
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) return std::nullopt;
  int64_t value = 0;
  for (char c : s) {
    if (!IsDigit(c)) return std::nullopt;
    value = value * 10 + (c - '0');
    if (value > int64_t{1} << 31) return std::nullopt;  // cannot fit either sign any more
  }
  if (negative) value = -value;
  if (value < std::numeric_limits<int32_t>::min() || value > std::numeric_limits<int32_t>::max()) {
    return std::nullopt;
  }
  return static_cast<int32_t>(value);
}

UintParse ParseGoUint32(std::string_view s, int base) {
  if (s.empty()) return {std::nullopt, "invalid syntax"};
  uint64_t value = 0;
  bool overflow = false;
  for (char c : s) {
    if (!IsDigit(c) || c - '0' >= base) return {std::nullopt, "invalid syntax"};
    value = value * static_cast<uint64_t>(base) + static_cast<uint64_t>(c - '0');
    if (value > std::numeric_limits<uint32_t>::max()) {
      overflow = true;
      value = std::numeric_limits<uint32_t>::max();  // keep scanning: Go reports bad syntax first
    }
  }
  if (overflow) return {std::nullopt, "value out of range"};
  return {static_cast<uint32_t>(value), ""};
}

std::optional<int64_t> ParseGoDuration(std::string_view s) {
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return 0;  // the only unit-less value Go accepts
  if (s.empty()) return std::nullopt;
  long double total = 0;
  while (!s.empty()) {
    // Number: digits, optionally a fraction; at least one digit overall.
    size_t i = 0;
    long double number = 0;
    bool any_digit = false;
    for (; i < s.size() && IsDigit(s[i]); ++i, any_digit = true) number = number * 10 + (s[i] - '0');
    if (i < s.size() && s[i] == '.') {
      long double scale = 0.1L;
      for (++i; i < s.size() && IsDigit(s[i]); ++i, any_digit = true, scale /= 10) number += (s[i] - '0') * scale;
    }
    if (!any_digit) return std::nullopt;
    // Unit: everything up to the next digit or '.'.
    size_t unit_end = i;
    while (unit_end < s.size() && !IsDigit(s[unit_end]) && s[unit_end] != '.') ++unit_end;
    std::optional<long double> unit = DurationUnit(s.substr(i, unit_end - i));
    if (!unit) return std::nullopt;
    total += number * *unit;
    if (total > static_cast<long double>(std::numeric_limits<int64_t>::max())) return std::nullopt;
    s.remove_prefix(unit_end);
  }
  auto ns = static_cast<int64_t>(std::llround(total));
  return negative ? -ns : ns;
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string_view TrimAsciiSpace(std::string_view s) {
  constexpr std::string_view kSpace = " \t\n\v\f\r";
  size_t begin = s.find_first_not_of(kSpace);
  if (begin == std::string_view::npos) return {};
  size_t end = s.find_last_not_of(kSpace);
  return s.substr(begin, end - begin + 1);
}

}  // namespace pocketid::config
