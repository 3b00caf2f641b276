// Which initials a user's generated avatar shows (management.md §1.1), and whether they can name a cache file.
#pragma once

#include <string>
#include <string_view>

namespace pocketid::profilepictures {

// First character (code point, leading whitespace skipped) of the first name plus that of the last name,
// upper-cased; when both are empty and the username has at least two bytes, its first two characters upper-cased.
// Malformed UTF-8 reads as U+FFFD, as Go's range loop does.
std::string Initials(std::string_view first_name, std::string_view last_name, std::string_view username);

// Whether `initials` can be the file name of the cached avatar `profile-pictures/defaults/<initials>.png`: not
// empty, and no path separators, dots or control characters (names may contain anything).
bool CacheableInitials(std::string_view initials);

}  // namespace pocketid::profilepictures
