// Parsers that reproduce the Go standard library's accepted syntax, so a value that Pocket ID accepts (or
// rejects) is accepted (or rejected) here too.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pocketid::config {

// Go strconv.ParseBool: 1,t,T,TRUE,true,True,0,f,F,FALSE,false,False. Anything else is nullopt.
std::optional<bool> ParseGoBool(std::string_view s);

// Go strconv.ParseInt(s, 10, 32): optional sign, decimal digits only, within int32.
std::optional<int32_t> ParseGoInt32(std::string_view s);

// Go strconv.ParseUint(s, base, 32) for base 2..10 (no prefixes, no underscores). On failure returns the
// Go error tail: "invalid syntax" or "value out of range".
struct UintParse {
  std::optional<uint32_t> value;
  std::string error;
};
UintParse ParseGoUint32(std::string_view s, int base);

// Go time.ParseDuration ("1h30m", "1.5h", "-45s", "0"). Returns nanoseconds; nullopt on bad syntax or overflow.
std::optional<int64_t> ParseGoDuration(std::string_view s);

// ASCII lower-casing (Go strings.ToLower on the ASCII values these variables hold).
std::string AsciiLower(std::string_view s);

// Go strings.TrimSpace for ASCII whitespace.
std::string_view TrimAsciiSpace(std::string_view s);

}  // namespace pocketid::config
