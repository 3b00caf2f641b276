// User codes typed on the /device page: "E…" for the OAuth device authorization flow (protocol.md §1.14), "P…" for
// signing in on another device (§5.5). Both use the same alphabet and normalisation.
#pragma once

#include <string>
#include <string_view>

namespace pocketid::auth {

// `prefix` + 7 characters without the look-alikes I, L and O, e.g. "EK7M2QXA".
std::string NewUserCode(char prefix);

// What a typed code is looked up as: trimmed, upper-cased, I → 1 and O → 0.
std::string NormalizeUserCode(std::string_view typed);

}  // namespace pocketid::auth
