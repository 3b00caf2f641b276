// RFC 8707 resource indicators and RFC 6749 scope tokens as Pocket ID (and its fosite fork) validate them. Shared by
// the admin API (an API's `resource`, its permission keys) and the OIDC side (the `resource` request parameter).
// Pure functions.
#pragma once

#include <string>
#include <string_view>

namespace pocketid::apis {

// An absolute URI (a scheme) without whitespace or a fragment that Go's url.Parse accepts.
bool IsValidResourceIndicator(std::string_view raw);

// IsValidResourceIndicator, and not a javascript: or data: URI (what the admin API accepts as an API's resource).
bool IsAcceptableApiResource(std::string_view raw);

// Trailing slashes removed: every trailing-slash variant of a resource names the same API.
std::string CanonicalResource(std::string_view resource);

// RFC 6749 scope-token characters only: printable ASCII without space, '"' and '\'; not empty.
bool IsValidScopeToken(std::string_view scope);

// openid, profile, email, email_verified, groups, offline_access in any case: Pocket ID's own scopes and claims.
bool IsReservedPermissionKey(std::string_view key);

}  // namespace pocketid::apis
