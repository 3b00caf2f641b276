// Unicode NFC normalisation of request strings: Pocket ID normalises the fields tagged `unorm:"nfc"` after binding
// (management.md §0.2), so "é" typed as e + U+0301 is stored and compared as the single code point U+00E9.
#pragma once

#include <string>
#include <string_view>

namespace pocketid::text {

// `text` in Normalization Form C (ICU). Invalid UTF-8 is returned unchanged.
std::string NormalizeNfc(std::string_view text);

}  // namespace pocketid::text
