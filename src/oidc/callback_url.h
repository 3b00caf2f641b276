// Callback (redirect) URL patterns of OIDC clients (protocol.md §1.12): matching a requested redirect_uri or
// post_logout_redirect_uri against a client's registered patterns, and validating patterns when an admin saves a
// client (management.md §1.5 `callback_url_pattern`). Pure functions: no I/O, no allocation beyond the result.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pocketid::oidc {

// The first registered pattern that `requested` matches decides; the result is the *requested* URL (what the
// client will be redirected to), nullopt when nothing matches. Rules (protocol.md §1.12):
//  - "*" matches anything; identical strings match;
//  - fragments are stripped from both sides;
//  - query: same keys with the same number of values, each value matched as a shell glob ('*');
//  - scheme / userinfo / host / port: one '*' wildcard may stand anywhere in each; the port must otherwise match;
//  - path: '*' within one segment, '**' across segments; percent-encoded dot segments, CR/LF, NUL, '@' tricks
//    never match;
//  - RFC 8252 loopback: a requested http URL on localhost / 127.0.0.1 / [::1] also matches a pattern without
//    a port, whatever its port.
std::optional<std::string> MatchCallbackUrl(const std::vector<std::string>& patterns, std::string_view requested);

// fosite's exact matching used first at /authorize: string equality with a registered URI, or the RFC 8252
// loopback rule (http://127.0.0.1 / http://[::1] registered without port, requested with any port).
bool ExactRedirectMatch(const std::vector<std::string>& registered, std::string_view requested);

// Admin-side validation of one pattern: "*" alone, or an absolute URL with a scheme that is not javascript/data,
// valid after wildcard normalisation. nullopt = valid, else the message for a validation_failed field error
// (e.g. "must be a valid callback URL pattern").
std::optional<std::string> ValidateCallbackUrlPattern(std::string_view pattern);

// ALLOW_INSECURE_CALLBACK_URLS=false: plain http is allowed only for localhost, *.localhost and loopback IPs.
bool IsSecureRedirect(std::string_view url);

}  // namespace pocketid::oidc
