// The "device" of an audit log entry (management.md §1.10): "<browser> on <OS> <OS version>", derived from the
// stored User-Agent exactly as Pocket ID's parser (github.com/mileusna/useragent v1.3.5) names things, e.g.
//   "Chrome on Windows 10.0", "Safari on macOS 10.15.7", "Firefox on Linux x86_64", "curl on  " (no OS: two spaces).
#pragma once

#include <string>
#include <string_view>

namespace pocketid::audit {

struct ParsedUserAgent {
  std::string name;        // browser or client ("Chrome", "Samsung Browser", "curl"; the whole string when unknown)
  std::string os;          // "Windows", "macOS", "iOS", "Android", "Linux", "ChromeOS", ... or ""
  std::string os_version;  // as the UA writes it ("10.0", "10.15.7", "x86_64" for Linux) or ""
};

ParsedUserAgent ParseUserAgent(std::string_view user_agent);

// name + " on " + os + " " + os_version.
std::string DeviceFromUserAgent(std::string_view user_agent);

}  // namespace pocketid::audit
