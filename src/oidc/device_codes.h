// User codes of the device authorization flow (protocol.md §1.14): what a person types on the /device page.
#pragma once

#include <string>
#include <string_view>

namespace pocketid::oidc {

// "E" + 7 characters without the look-alikes I, L and O, e.g. "EK7M2QXA".
std::string NewUserCode();

// What a typed code is looked up as: trimmed, upper-cased, I → 1 and O → 0.
std::string NormalizeUserCode(std::string_view typed);

}  // namespace pocketid::oidc
