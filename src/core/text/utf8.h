// UTF-8 helpers for input validation.
#pragma once

#include <cstddef>
#include <string_view>

namespace pocketid::text {

// The number of code points (continuation bytes are not counted), as Go's validator measures string length.
inline size_t CountCodePoints(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

}  // namespace pocketid::text
