#include "oidc/callback_url.h"

#include <gtest/gtest.h>

#include <cctype>
#include <string>
#include <vector>

namespace pocketid::oidc {
namespace {

// One pattern, one requested URL, whether it matches. Rows marked [go] are ported verbatim from Pocket ID's
// backend/internal/utils/callback_url_util_test.go; [spec] rows come from protocol.md §1.12; [cpp] rows pin down
// the stricter C++ decisions (see callback_url.cpp).
struct MatchCase {
  const char* name;
  const char* pattern;
  const char* requested;
  bool matches;
};

// Test names for parameterised suites: the description with non-alphanumerics folded to '_', plus the row index
// (Go's tables repeat some names).
template <typename Case>
std::string RowName(const testing::TestParamInfo<Case>& info) {
  std::string name;
  for (const char* c = info.param.name; *c != '\0'; ++c) {
    name += std::isalnum(static_cast<unsigned char>(*c)) ? *c : '_';
  }
  return name + "_" + std::to_string(info.index);
}

class SinglePatternTest : public testing::TestWithParam<MatchCase> {};

TEST_P(SinglePatternTest, MatchesAsExpected) {
  const MatchCase& c = GetParam();
  auto result = MatchCallbackUrl({c.pattern}, c.requested);
  if (c.matches) {
    ASSERT_TRUE(result.has_value()) << c.pattern << " should match " << c.requested;
    EXPECT_EQ(*result, c.requested);  // the requested URL, not the pattern, becomes the redirect target
  } else {
    EXPECT_FALSE(result.has_value()) << c.pattern << " should not match " << c.requested;
  }
}

// [go] TestMatchCallbackURL
const MatchCase kGoMatchCallbackUrl[] = {
    {"exact match", "https://example.com/callback", "https://example.com/callback", true},
    {"no match", "https://example.org/callback", "https://example.com/callback", false},
    {"exact match - IPv4", "https://10.1.0.1/callback", "https://10.1.0.1/callback", true},
    {"exact match - IPv6", "https://[2001:db8:1:1::a:1]/callback", "https://[2001:db8:1:1::a:1]/callback", true},
    {"scheme mismatch", "https://example.com/callback", "http://example.com/callback", false},
    {"wildcard scheme", "*://example.com/callback", "https://example.com/callback", true},
    {"hostname mismatch", "https://example.com/callback", "https://malicious.com/callback", false},
    {"wildcard subdomain", "https://*.example.com/callback", "https://subdomain.example.com/callback", true},
    {"partial wildcard in hostname prefix", "https://app*.example.com/callback", "https://app1.example.com/callback",
     true},
    {"partial wildcard in hostname suffix", "https://*-prod.example.com/callback",
     "https://api-prod.example.com/callback", true},
    {"partial wildcard in hostname middle", "https://app-*-server.example.com/callback",
     "https://app-staging-server.example.com/callback", true},
    {"subdomain wildcard doesn't match domain hijack attempt", "https://*.example.com/callback",
     "https://malicious.site?url=abc.example.com/callback", false},
    {"hostname mismatch with confusable characters", "https://example.com/callback", "https://examp1e.com/callback",
     false},
    {"hostname mismatch with homograph attack", "https://example.com/callback", "https://еxample.com/callback",
     false},
    {"port mismatch", "https://example.com:8080/callback", "https://example.com:9090/callback", false},
    {"wildcard port", "https://example.com:*/callback", "https://example.com:8080/callback", true},
    {"partial wildcard in port prefix", "https://example.com:80*/callback", "https://example.com:8080/callback", true},
    {"wildcard port - IPv4", "https://10.1.0.1:*/callback", "https://10.1.0.1:8080/callback", true},
    {"partial wildcard in port prefix - IPv4", "https://10.1.0.1:80*/callback", "https://10.1.0.1:8080/callback",
     true},
    {"wildcard port - IPv6", "https://[2001:db8:1:1::a:1]:*/callback", "https://[2001:db8:1:1::a:1]:8080/callback",
     true},
    {"partial wildcard in port prefix - IPv6", "https://[2001:db8:1:1::a:1]:80*/callback",
     "https://[2001:db8:1:1::a:1]:8080/callback", true},
    {"path mismatch", "https://example.com/callback", "https://example.com/other", false},
    {"wildcard path segment", "https://example.com/api/*/callback", "https://example.com/api/v1/callback", true},
    {"wildcard entire path", "https://example.com/*", "https://example.com/callback", true},
    {"wildcard entire path - IPv4", "https://10.1.0.1/*", "https://10.1.0.1/callback", true},
    {"wildcard entire path - IPv6", "https://[2001:db8:1:1::a:1]/*", "https://[2001:db8:1:1::a:1]/callback", true},
    {"partial wildcard in path prefix", "https://example.com/test*", "https://example.com/testcase", true},
    {"partial wildcard in path suffix", "https://example.com/*-callback", "https://example.com/oauth-callback", true},
    {"partial wildcard in path middle", "https://example.com/api-*-v1/callback",
     "https://example.com/api-internal-v1/callback", true},
    {"multiple partial wildcards in path", "https://example.com/*/test*/callback",
     "https://example.com/v1/testing/callback", true},
    {"multiple wildcard segments in path", "https://example.com/**/callback",
     "https://example.com/api/v1/foo/bar/callback", true},
    {"multiple wildcard segments in path", "https://example.com/**/v1/**/callback",
     "https://example.com/api/v1/foo/bar/callback", true},
    {"partial wildcard matching full path segment", "https://example.com/foo-*", "https://example.com/foo-bar", true},
    {"username mismatch", "https://user:pass@example.com/callback", "https://admin:pass@example.com/callback", false},
    {"missing credentials", "https://user:pass@example.com/callback", "https://example.com/callback", false},
    {"wildcard password", "https://user:*@example.com/callback", "https://user:secret123@example.com/callback", true},
    {"partial wildcard in username", "https://admin*:pass@example.com/callback",
     "https://admin123:pass@example.com/callback", true},
    {"partial wildcard in password", "https://user:pass*@example.com/callback",
     "https://user:password123@example.com/callback", true},
    {"wildcard password doesn't allow domain hijack", "https://user:*@example.com/callback",
     "https://user:password@malicious.site#example.com/callback", false},
    {"credentials with @ in password trying to hijack hostname", "https://user:pass@example.com/callback",
     "https://user:pass@evil.com@example.com/callback", false},
    {"extra query parameter", "https://example.com/callback?code=*",
     "https://example.com/callback?code=abc123&extra=value", false},
    {"missing query parameter", "https://example.com/callback?code=*&state=*",
     "https://example.com/callback?code=abc123", false},
    {"query parameter after fragment", "https://example.com/callback?code=123",
     "https://example.com/callback#section?code=123", false},
    {"query parameter name mismatch", "https://example.com/callback?code=*",
     "https://example.com/callback?token=abc123", false},
    {"wildcard query parameter", "https://example.com/callback?code=*", "https://example.com/callback?code=abc123",
     true},
    {"multiple query parameters", "https://example.com/callback?code=*&state=*",
     "https://example.com/callback?code=abc123&state=xyz789", true},
    {"query parameters in different order", "https://example.com/callback?state=*&code=*",
     "https://example.com/callback?code=abc123&state=xyz789", true},
    {"exact query parameter value", "https://example.com/callback?mode=production",
     "https://example.com/callback?mode=production", true},
    {"query parameter value mismatch", "https://example.com/callback?mode=production",
     "https://example.com/callback?mode=development", false},
    {"mixed exact and wildcard query parameters", "https://example.com/callback?mode=production&code=*",
     "https://example.com/callback?mode=production&code=abc123", true},
    {"mixed exact and wildcard with wrong exact value", "https://example.com/callback?mode=production&code=*",
     "https://example.com/callback?mode=development&code=abc123", false},
    {"multiple values for same parameter", "https://example.com/callback?param=*&param=*",
     "https://example.com/callback?param=value1&param=value2", true},
    {"unexpected query parameters", "https://example.com/callback", "https://example.com/callback?extra=value", false},
    {"query parameter with redirect to external site", "https://example.com/callback?code=*",
     "https://example.com/callback?code=123&redirect=https://evil.com", false},
    {"open redirect via encoded URL in query param", "https://example.com/callback?state=*",
     "https://example.com/callback?state=abc&next=//evil.com", false},
    {"fragment ignored when both pattern and input have fragment", "https://example.com/callback#fragment",
     "https://example.com/callback#fragment", true},
    {"fragment ignored when pattern has fragment but input doesn't", "https://example.com/callback#fragment",
     "https://example.com/callback", true},
    {"fragment ignored when input has fragment but pattern doesn't", "https://example.com/callback",
     "https://example.com/callback#section", true},
    {"path traversal attempt", "https://example.com/callback", "https://example.com/../admin/callback", false},
    {"backslash instead of forward slash", "https://example.com/callback", "https://example.com\\callback", true},
    {"double slash in hostname (protocol smuggling)", "https://example.com/callback",
     "https://example.com//evil.com/callback", false},
    {"CRLF injection attempt in path", "https://example.com/callback",
     "https://example.com/callback%0d%0aLocation:%20https://evil.com", false},
    {"null byte injection", "https://example.com/callback", "https://example.com/callback%00.evil.com", false},
};
INSTANTIATE_TEST_SUITE_P(GoMatchCallbackUrl, SinglePatternTest, testing::ValuesIn(kGoMatchCallbackUrl),
                         RowName<MatchCase>);

// [go] TestMatchCallbackURL_ColonIsNotAWildcard: only '*' and '**' are wildcards.
const MatchCase kGoColonIsNotAWildcard[] = {
    {"host label is literal", "https://:host.example.com/cb", "https://evil.example.com/cb", false},
    {"host label matches itself", "https://:host.example.com/cb", "https://:host.example.com/cb", true},
    {"path segment is literal", "https://app.example.com/a:b", "https://app.example.com/a:other", false},
    {"path segment matches itself", "https://app.example.com/a:b", "https://app.example.com/a:b", true},
    {"userinfo is literal", "https://user:pass@app.example.com/cb", "https://user:other@app.example.com/cb", false},
    {"userinfo matches itself", "https://user:pass@app.example.com/cb", "https://user:pass@app.example.com/cb", true},
    {"port is matched exactly", "https://app.example.com:8080/cb", "https://app.example.com:8080/cb", true},
    {"port mismatch is rejected", "https://app.example.com:8080/cb", "https://app.example.com:9090/cb", false},
    {"ipv6 host", "https://[::1]/cb", "https://[::1]/cb", true},
    {"ipv6 host with port", "https://[::1]:8080/cb", "https://[::1]:8080/cb", true},
    {"single asterisk spans one segment", "https://app.example.com/*/cb", "https://app.example.com/x/cb", true},
    {"single asterisk does not span two", "https://app.example.com/*/cb", "https://app.example.com/x/y/cb", false},
    {"globstar spans many segments", "https://app.example.com/**", "https://app.example.com/a/b/c", true},
    {"asterisk in host", "https://*.example.com/cb", "https://sub.example.com/cb", true},
    // [cpp] the same literal-colon patterns against requests that only differ where a ':name' would have matched
    {"path colon is not a named group", "https://app.example.com/:id/cb", "https://app.example.com/42/cb", false},
    {"path colon literal in non-identical request", "https://app.example.com/*/:id", "https://app.example.com/x/:id",
     true},
};
INSTANTIATE_TEST_SUITE_P(GoColonIsNotAWildcard, SinglePatternTest, testing::ValuesIn(kGoColonIsNotAWildcard),
                         RowName<MatchCase>);

// [go] TestNormalizeToURLPatternStandard checks a Go-internal rewrite into URLPattern syntax; its inputs are ported
// as the matching behaviour that rewrite exists for.
const MatchCase kGoNormalizedPatterns[] = {
    {"exact URL unchanged", "https://example.com/callback", "https://example.com/callback/", false},
    {"single wildcard path segment", "https://example.com/api/*/callback", "https://example.com/api/v2/callback",
     true},
    {"single wildcard path segment is one segment", "https://example.com/api/*/callback",
     "https://example.com/api/a/b/callback", false},
    {"single wildcard in path suffix", "https://example.com/test*", "https://example.com/test-1", true},
    {"single wildcard in path suffix needs a character", "https://example.com/test*", "https://example.com/test",
     false},
    {"single wildcard in path suffix stays in segment", "https://example.com/test*", "https://example.com/test/x",
     false},
    {"globstar", "https://example.com/**/callback", "https://example.com/a/b/callback", true},
    {"mixed globstar and single wildcard", "https://example.com/**/v1/**/callback/*",
     "https://example.com/x/v1/y/z/callback/done", true},
    {"mixed globstar and single wildcard needs last segment", "https://example.com/**/v1/**/callback/*",
     "https://example.com/x/v1/y/z/callback/", false},
    // URLPattern leaves an unspecified pathname as a wildcard: a pattern without path accepts any path.
    {"URL without path matches any path", "https://example.com", "https://example.com/anything/at/all", true},
    {"URL without path matches root", "https://example.com", "https://example.com/", true},
    {"URL without path keeps host", "https://example.com", "https://example.com.evil.com/", false},
    {"relative path is not a pattern", "/foo/*/bar", "/foo/x/bar", false},
    {"wildcard in hostname", "https://*.example.com/callback", "https://a.example.com/callback", true},
    {"IPv6 hostname", "https://[2001:db8:1:1::a:1]/callback", "https://[2001:DB8:1:1:0:0:A:1]/callback", true},
    {"IPv6 hostname with port", "https://[::1]:8080/callback", "https://[0:0:0:0:0:0:0:1]:8080/callback", true},
    {"IPv6 hostname with other port", "https://[::1]:8080/callback", "https://[::1]:8081/callback", false},
    {"wildcard in query", "https://example.com/callback?code=*", "https://example.com/callback?code=xyz", true},
};
INSTANTIATE_TEST_SUITE_P(GoNormalizedPatterns, SinglePatternTest, testing::ValuesIn(kGoNormalizedPatterns),
                         RowName<MatchCase>);

// [go] TestLoopbackURLWithWildcardPort (an internal helper), ported as: the port-less pattern accepts the request
// iff the helper produced a loopback variant.
const MatchCase kGoLoopbackVariants[] = {
    {"localhost http with port strips port", "http://localhost/callback", "http://localhost:3000/callback", true},
    {"localhost http without port stays same", "http://localhost/callback", "http://localhost/callback", true},
    {"IPv4 loopback with port strips port", "http://127.0.0.1/callback", "http://127.0.0.1:8080/callback", true},
    {"IPv4 loopback without port stays same", "http://127.0.0.1/callback", "http://127.0.0.1/callback", true},
    {"IPv6 loopback with port strips port and keeps brackets", "http://[::1]/callback", "http://[::1]:8080/callback",
     true},
    {"IPv6 loopback preserves path query and fragment", "http://[::1]/auth/callback?code=123#state",
     "http://[::1]:8080/auth/callback?code=123#state", true},
    {"https loopback returns empty", "https://127.0.0.1/callback", "https://127.0.0.1:8080/callback", false},
    {"non loopback host returns empty", "http://example.com/callback", "http://example.com:8080/callback", false},
    {"non loopback IP returns empty", "http://192.168.1.10/callback", "http://192.168.1.10:8080/callback", false},
    {"malformed URL returns empty", "http://[::1]/callback", "http://[::1:8080/callback", false},
    {"relative URL returns empty", "http://localhost/callback", "/callback", false},
};
INSTANTIATE_TEST_SUITE_P(GoLoopbackVariants, SinglePatternTest, testing::ValuesIn(kGoLoopbackVariants),
                         RowName<MatchCase>);

// [spec] protocol.md §1.12: wildcard positions, loopback rule, query rules, '**', the "do not match" list.
const MatchCase kSpecExamples[] = {
    {"star matches anything", "*", "https://anything.example.org/some/path?x=1", true},
    {"star matches custom scheme", "*", "myapp://callback", true},
    {"scheme wildcard http", "*://host.example/cb", "http://host.example/cb", true},
    {"scheme wildcard custom", "*://host.example/cb", "myapp://host.example/cb", true},
    {"host wildcard prefix", "https://app*.example.com/cb", "https://app-7.example.com/cb", true},
    {"host wildcard prefix other domain", "https://app*.example.com/cb", "https://app.example.net/cb", false},
    {"port wildcard any port", "https://host.example:*/cb", "https://host.example:1/cb", true},
    {"port wildcard no port", "https://host.example:*/cb", "https://host.example/cb", true},
    {"port prefix wildcard other prefix", "https://host.example:80*/cb", "https://host.example:9080/cb", false},
    {"userinfo wildcard", "https://user:*@host.example/cb", "https://user:s3cr3t@host.example/cb", true},
    {"port must otherwise match exactly", "https://host.example/cb", "https://host.example:8443/cb", false},
    {"default port is no port", "https://host.example/cb", "https://host.example:443/cb", true},
    {"default port in pattern is no port", "https://host.example:443/cb", "https://host.example/cb", true},
    {"ipv6 colons are literal", "https://[2001:db8::1]/cb", "https://[2001:db8::2]/cb", false},
    {"globstar across segments", "https://example.com/**/callback", "https://example.com/a/b/c/callback", true},
    {"globstar needs a segment between slashes", "https://example.com/**/callback", "https://example.com/callback",
     false},
    {"globstar at end", "https://example.com/app/**", "https://example.com/app/x/y", true},
    {"globstar other prefix", "https://example.com/app/**", "https://example.com/other/x", false},
    {"star within one segment", "https://example.com/a/*", "https://example.com/a/b/c", false},
    {"literal colon in path", "https://example.com/a:b/*", "https://example.com/a:b/c", true},
    {"query order irrelevant", "https://example.com/cb?a=1&b=2", "https://example.com/cb?b=2&a=1", true},
    {"query extra parameter", "https://example.com/cb?a=1", "https://example.com/cb?a=1&b=2", false},
    {"query missing parameter", "https://example.com/cb?a=1&b=2", "https://example.com/cb?a=1", false},
    {"query value count differs", "https://example.com/cb?a=*", "https://example.com/cb?a=1&a=2", false},
    {"query value glob", "https://example.com/cb?a=x*z", "https://example.com/cb?a=xyyz", true},
    {"query values in order", "https://example.com/cb?a=1&a=2", "https://example.com/cb?a=2&a=1", false},
    {"query decoded before comparison", "https://example.com/cb?a=b%20c", "https://example.com/cb?a=b+c", true},
    {"query empty equals none", "https://example.com/cb", "https://example.com/cb?", true},
    {"fragment stripped from request", "https://example.com/cb", "https://example.com/cb#frag", true},
    {"do not match: traversal", "https://example.com/callback", "https://example.com/../admin/callback", false},
    {"do not match: double slash", "https://example.com/callback", "https://example.com//evil.com/callback", false},
    {"do not match: CRLF", "https://example.com/callback", "https://example.com/callback%0d%0a", false},
    {"do not match: NUL", "https://example.com/callback", "https://example.com/callback%00.evil.com", false},
    {"do not match: at in userinfo", "https://example.com/callback", "https://user:pass@evil.com@example.com/callback",
     false},
    {"do not match: host in query", "https://*.example.com/callback",
     "https://malicious.site?url=abc.example.com/callback", false},
    {"loopback 127.0.0.1 any port", "http://127.0.0.1/callback", "http://127.0.0.1:49152/callback", true},
    {"loopback localhost any port", "http://localhost/callback", "http://localhost:5173/callback", true},
    {"loopback ipv6 any port", "http://[::1]/callback", "http://[::1]:1/callback", true},
    {"loopback whole 127/8", "http://127.0.0.2/callback", "http://127.0.0.2:8080/callback", true},
    {"loopback not for https", "https://localhost/callback", "https://localhost:8443/callback", false},
    {"loopback does not ignore a pattern port", "http://127.0.0.1:3000/callback", "http://127.0.0.1:4000/callback",
     false},
    {"loopback does not change the host", "http://127.0.0.1/callback", "http://localhost:8080/callback", false},
    {"loopback does not apply to lan", "http://10.0.0.1/callback", "http://10.0.0.1:8080/callback", false},
};
INSTANTIATE_TEST_SUITE_P(SpecExamples, SinglePatternTest, testing::ValuesIn(kSpecExamples), RowName<MatchCase>);

// [cpp] Tricks that different URL parsers read differently, or that change the target after comparison.
const MatchCase kHostileRequests[] = {
    {"encoded dot-dot segment", "https://example.com/app/*", "https://example.com/app/%2e%2e", false},
    {"mixed encoded dot-dot", "https://example.com/app/**", "https://example.com/app/.%2E/admin", false},
    {"encoded dot segment", "https://example.com/app/**", "https://example.com/app/%2e/x", false},
    {"literal dot-dot under globstar", "https://example.com/app/**", "https://example.com/app/../admin", false},
    {"dots inside a name are fine", "https://example.com/app/**", "https://example.com/app/v1..2/x", true},
    {"encoded slash in segment", "https://example.com/app/*", "https://example.com/app/a%2f..%2fadmin", false},
    {"encoded backslash in segment", "https://example.com/app/*", "https://example.com/app/a%5C..%5Cadmin", false},
    {"encoded CRLF under globstar", "https://example.com/**", "https://example.com/cb%0d%0aSet-Cookie:x", false},
    {"encoded NUL under globstar", "https://example.com/**", "https://example.com/cb%00", false},
    {"encoded tab under globstar", "https://example.com/**", "https://example.com/cb%09", false},
    {"bad percent escape", "https://example.com/**", "https://example.com/cb%zz", false},
    {"truncated percent escape", "https://example.com/**", "https://example.com/cb%2", false},
    {"empty segment under globstar", "https://example.com/**", "https://example.com//evil.com/x", false},
    {"raw CR", "https://example.com/**", "https://example.com/cb\r\nLocation: https://evil.com", false},
    {"raw tab inside host", "https://example.com/**", "https://exa\tmple.com/cb", false},
    {"raw space", "https://example.com/**", "https://example.com/a b", false},
    {"leading space", "https://example.com/**", " https://example.com/a", false},
    {"at sign in host wildcard", "https://*.example.com/cb", "https://evil.com@a.example.com/cb", false},
    {"encoded at sign in host", "https://*.example.com/cb", "https://evil.com%40a.example.com/cb", false},
    {"percent in host", "https://*.example.com/cb", "https://a%2eexample.com/cb", false},
    {"userinfo hides host", "https://example.com/**", "https://example.com@evil.com/cb", false},
    {"two at signs with password wildcard", "https://user:*@example.com/cb",
     "https://user:x@evil.com@example.com/cb", false},
    {"backslash at sign parser differential", "https://example.com/**", "https://example.com\\@evil.com/cb", false},
    {"backslash before host", "https://evil.com/**", "https://example.com\\@evil.com/cb", false},
    {"backslashes as scheme slashes", "https://example.com/cb", "https:\\\\example.com\\cb", true},
    {"backslash in non-special path", "myapp://host/**", "myapp://host/a\\b", false},
    {"special scheme without slashes", "https://example.com/cb", "https:example.com/cb", false},
    {"special scheme with one slash", "https://example.com/cb", "https:/example.com/cb", false},
    {"special scheme with three slashes", "https://*/cb", "https:///evil.com/cb", false},
    {"empty host", "https://*/cb", "https:///cb", false},
    {"host wildcard spans labels", "https://*.example.com/cb", "https://a.b.example.com/cb", true},
    {"host suffix trick", "https://*.example.com/cb", "https://example.com.evil.com/cb", false},
    {"host trailing dot", "https://*.example.com/cb", "https://a.example.com./cb", false},
    {"host empty label", "https://*.example.com/cb", "https://.example.com/cb", false},
    {"host case folded", "https://app.example.com/cb", "https://APP.Example.COM/cb", true},
    {"scheme case folded", "https://app.example.com/cb", "HTTPS://app.example.com/cb", true},
    {"path case kept", "https://app.example.com/cb", "https://app.example.com/CB", false},
    {"non-ascii host", "https://*.example.com/cb", "https://bü.example.com/cb", false},
    {"short IPv4 form", "http://127.0.0.1/cb", "http://127.1:8080/cb", false},
    {"decimal IPv4 form", "http://127.0.0.1/cb", "http://2130706433:8080/cb", false},
    {"hex IPv4 form", "http://127.0.0.1/cb", "http://0x7f.0.0.1:8080/cb", false},
    {"octal-looking IPv4", "https://10.0.0.*/cb", "https://010.0.0.1/cb", false},
    {"IPv4 wildcard octet", "https://10.0.0.*/cb", "https://10.0.0.42/cb", true},
    {"IPv4 wildcard cannot reach a name", "https://10.0.0.*/cb", "https://10.0.0.1.evil.com/cb", false},
    {"IPv4 wildcard cannot reach a short form", "https://10.0.0.*/cb", "https://10.0.0.0x10/cb", false},
    {"host wildcard alone matches names", "https://*/cb", "https://example.com/cb", true},
    {"host wildcard alone matches addresses", "https://*/cb", "https://10.0.0.1/cb", true},
    {"host wildcard alone keeps the port", "https://*/cb", "https://example.com:8443/cb", false},
    {"name wildcard at the end is the admin's choice", "https://example.*/cb", "https://example.com.evil.com/cb",
     true},
    {"IPv6 zone id", "http://[::1]/cb", "http://[::1%25eth0]:80/cb", false},
    {"IPv4-mapped loopback", "http://[::ffff:127.0.0.1]/cb", "http://[::ffff:127.0.0.1]:9000/cb", true},
    {"port out of range", "https://example.com:*/cb", "https://example.com:65536/cb", false},
    {"port not a number", "https://example.com:*/cb", "https://example.com:8o8o/cb", false},
    {"port leading zeros are the same port", "https://example.com:8080/cb", "https://example.com:08080/cb", true},
    {"empty port is no port", "https://example.com/cb", "https://example.com:/cb", true},
    {"javascript under scheme wildcard", "*://example.com/**", "javascript://example.com/%0aalert(1)", false},
    {"javascript under scheme wildcard no newline", "*://example.com/**", "javascript://example.com/x", false},
    {"javascript under star", "*", "javascript:alert(1)", false},
    {"data under star", "*", "data:text/html,<script>alert(1)</script>", false},
    {"vbscript under star", "*", "VBScript:msgbox(1)", false},
    {"star needs a scheme", "*", "/relative/path", false},
    {"star needs a parsable URL", "*", "https://exa mple.com/", false},
    {"pattern userinfo absent means none", "https://example.com/cb", "https://user@example.com/cb", false},
    {"pattern empty password equals none", "https://user@example.com/cb", "https://user:@example.com/cb", true},
    {"unparsable pattern never matches", "https://exa[mple.com/cb", "https://exa[mple.com/cb/x", false},
    {"semicolon in request query", "https://example.com/cb?a=*", "https://example.com/cb?a=1;b=2", false},
    {"encoded CRLF in request query", "https://example.com/cb?a=*", "https://example.com/cb?a=%0d%0a", false},
    {"bad escape in request query", "https://example.com/cb?a=*", "https://example.com/cb?a=%zz", false},
    {"raw non-ascii in path equals encoded", "https://example.com/café", "https://example.com/caf%C3%A9", true},
    {"encoded equals raw non-ascii in path", "https://example.com/caf%C3%A9", "https://example.com/café", true},
    {"opaque custom scheme with wildcard", "myapp:callback/*", "myapp:callback/x", true},
    {"opaque is not authority", "myapp:/callback", "myapp:///callback", false},
    {"custom scheme authority without path", "myapp://callback", "myapp://callback/deep/link", true},
    {"custom scheme host mismatch", "myapp://callback", "myapp://evil/", false},
    {"file scheme", "file:///tmp/*", "file:///tmp/cb", true},
};
INSTANTIATE_TEST_SUITE_P(HostileRequests, SinglePatternTest, testing::ValuesIn(kHostileRequests), RowName<MatchCase>);

// [cpp] path.Match semantics for query values (protocol.md: "shell-glob semantics (Go path.Match)").
const MatchCase kQueryGlobs[] = {
    {"star does not cross slash", "https://e.com/cb?a=*", "https://e.com/cb?a=x/y", false},
    {"star matches empty", "https://e.com/cb?a=*", "https://e.com/cb?a=", true},
    {"star matches key without value", "https://e.com/cb?a=*", "https://e.com/cb?a", true},
    {"question mark is one rune", "https://e.com/cb?a=b%3Fd", "https://e.com/cb?a=b%C3%A9d", true},
    {"question mark is exactly one", "https://e.com/cb?a=b%3Fd", "https://e.com/cb?a=bd", false},
    {"question mark not slash", "https://e.com/cb?a=b%3Fd", "https://e.com/cb?a=b/d", false},
    {"class range", "https://e.com/cb?a=[a-c]1", "https://e.com/cb?a=b1", true},
    {"class range miss", "https://e.com/cb?a=[a-c]1", "https://e.com/cb?a=d1", false},
    {"negated class", "https://e.com/cb?a=[^a-c]1", "https://e.com/cb?a=d1", true},
    {"negated class miss", "https://e.com/cb?a=[^a-c]1", "https://e.com/cb?a=a1", false},
    {"escaped star is literal", "https://e.com/cb?a=x\\*", "https://e.com/cb?a=x*", true},
    {"escaped star is not a wildcard", "https://e.com/cb?a=x\\*", "https://e.com/cb?a=xy", false},
    {"malformed class never matches", "https://e.com/cb?a=[", "https://e.com/cb?a=%5B", false},
    {"key is not a glob", "https://e.com/cb?*=1", "https://e.com/cb?a=1", false},
    {"key compared decoded", "https://e.com/cb?a%20b=1", "https://e.com/cb?a+b=1", true},
    {"empty pieces ignored", "https://e.com/cb?a=1", "https://e.com/cb?&a=1&", true},
};
INSTANTIATE_TEST_SUITE_P(QueryGlobs, SinglePatternTest, testing::ValuesIn(kQueryGlobs), RowName<MatchCase>);

// One pattern list, one requested URL, whether (and so what) it matches.
struct ListCase {
  const char* name;
  std::vector<std::string> patterns;
  const char* requested;
  bool matches;
};

class PatternListTest : public testing::TestWithParam<ListCase> {};

TEST_P(PatternListTest, ReturnsRequestedUrlOnMatch) {
  const ListCase& c = GetParam();
  auto result = MatchCallbackUrl(c.patterns, c.requested);
  if (c.matches) {
    ASSERT_TRUE(result.has_value());
    EXPECT_EQ(*result, c.requested);
  } else {
    EXPECT_FALSE(result.has_value());
  }
}

// [go] TestGetCallbackURLFromList_LoopbackSpecialHandling, TestGetCallbackURLFromList_MultiplePatterns and
// TestMatchesAnyURLPattern (the CIMD allowlist uses the same matcher).
const ListCase kGoPatternLists[] = {
    {"127.0.0.1 with dynamic port - exact match", {"http://127.0.0.1/callback"}, "http://127.0.0.1:8080/callback",
     true},
    {"127.0.0.1 with same port - exact match", {"http://127.0.0.1:8080/callback"}, "http://127.0.0.1:8080/callback",
     true},
    {"127.0.0.1 with different port", {"http://127.0.0.1/callback"}, "http://127.0.0.1:9999/callback", true},
    {"IPv6 loopback with dynamic port - exact match", {"http://[::1]/callback"}, "http://[::1]:8080/callback", true},
    {"IPv6 loopback with same port - exact match", {"http://[::1]:8080/callback"}, "http://[::1]:8080/callback",
     true},
    {"IPv6 loopback with path match", {"http://[::1]/auth/*"}, "http://[::1]:8080/auth/callback", true},
    {"localhost with dynamic port", {"http://localhost/callback"}, "http://localhost:8080/callback", true},
    {"https loopback doesn't trigger special handling", {"https://127.0.0.1/callback"},
     "https://127.0.0.1:8080/callback", false},
    {"loopback with path match", {"http://127.0.0.1/auth/*"}, "http://127.0.0.1:3000/auth/callback", true},
    {"loopback with path port", {"http://127.0.0.1:*/auth/callback"}, "http://127.0.0.1:3000/auth/callback", true},
    {"IPv6 loopback with path port", {"http://[::1]:*/auth/callback"}, "http://[::1]:3000/auth/callback", true},
    {"loopback with path mismatch", {"http://127.0.0.1/callback"}, "http://127.0.0.1:8080/different", false},
    {"non-loopback IP", {"http://192.168.1.1/callback"}, "http://192.168.1.1:8080/callback", false},
    {"wildcard matches loopback", {"*"}, "http://127.0.0.1:8080/callback", true},
    {"wildcard matches IPv6 loopback", {"*"}, "http://[::1]:8080/callback", true},
    {"matches first pattern", {"https://example.com/callback", "https://example.org/callback"},
     "https://example.com/callback", true},
    {"matches second pattern", {"https://example.com/callback", "https://example.org/callback"},
     "https://example.org/callback", true},
    {"matches none", {"https://example.com/callback", "https://example.org/callback"}, "https://malicious.com/callback",
     false},
    {"matches wildcard pattern", {"https://example.com/callback", "https://*.example.org/callback"},
     "https://subdomain.example.org/callback", true},
    {"empty pattern list", {}, "https://example.com/callback", false},
    {"empty list denies", {}, "https://app.example.com/oauth/client", false},
    {"exact match", {"https://app.example.com/oauth/client"}, "https://app.example.com/oauth/client", true},
    {"wildcard path", {"https://app.example.com/**"}, "https://app.example.com/oauth/client", true},
    {"wildcard host segment", {"https://*.example.com/oauth/client"}, "https://app.example.com/oauth/client", true},
    {"star matches all", {"*"}, "https://anything.example.com/x", true},
    {"no match", {"https://other.example.com/**"}, "https://app.example.com/oauth/client", false},
    {"second pattern matches", {"https://a.example.com/**", "https://app.example.com/**"},
     "https://app.example.com/oauth/client", true},
    // [cpp] an unparsable pattern is skipped, later ones still count
    {"broken pattern skipped", {"https://exa[mple.com/cb", "https://example.com/cb"}, "https://example.com/cb", true},
    {"bad query pattern skipped", {"https://example.com/cb?a=[", "https://example.com/cb?a=*"},
     "https://example.com/cb?a=1", true},
    {"identical string even if unparsable", {"myapp:cb with space"}, "myapp:cb with space", true},
};
INSTANTIATE_TEST_SUITE_P(GoPatternLists, PatternListTest, testing::ValuesIn(kGoPatternLists), RowName<ListCase>);

TEST(MatchCallbackUrlTest, ReturnsTheRequestedUrlVerbatim) {
  // The fragment and port of the request survive; the pattern's text is never returned.
  EXPECT_EQ(MatchCallbackUrl({"http://localhost/cb"}, "http://localhost:7777/cb#x"), "http://localhost:7777/cb#x");
  EXPECT_EQ(MatchCallbackUrl({"https://*.example.com/**"}, "https://A.example.com/p?q=1"), std::nullopt);
  EXPECT_EQ(MatchCallbackUrl({"https://*.example.com/**?q=*"}, "https://A.example.com/p?q=1"),
            "https://A.example.com/p?q=1");
}

TEST(MatchCallbackUrlTest, RawNulNeverMatches) {
  std::string with_nul("https://example.com/a\0b", 23);
  EXPECT_FALSE(MatchCallbackUrl({"https://example.com/**"}, with_nul).has_value());
  EXPECT_FALSE(MatchCallbackUrl({"*"}, with_nul).has_value());
}

TEST(MatchCallbackUrlTest, LongInputsStayLinear) {
  // Many wildcards against a long request: the matcher must neither blow up nor overflow the stack.
  std::string pattern = "https://example.com/";
  for (int i = 0; i < 64; ++i) pattern += "*a";
  std::string requested = "https://example.com/" + std::string(5000, 'a') + "b";
  EXPECT_FALSE(MatchCallbackUrl({pattern}, requested).has_value());
  std::string query_pattern = "https://example.com/cb?x=";
  for (int i = 0; i < 64; ++i) query_pattern += "*a";
  EXPECT_FALSE(MatchCallbackUrl({query_pattern}, "https://example.com/cb?x=" + std::string(5000, 'a') + "b"));
}

// One registered list for fosite's exact matching, one requested URL, whether it matches.
struct ExactCase {
  const char* name;
  std::vector<std::string> registered;
  const char* requested;
  bool matches;
};

class ExactRedirectTest : public testing::TestWithParam<ExactCase> {};

TEST_P(ExactRedirectTest, MatchesAsExpected) {
  const ExactCase& c = GetParam();
  EXPECT_EQ(ExactRedirectMatch(c.registered, c.requested), c.matches);
}

// [go] fosite authorize_helper_test.go TestDoesClientWhiteListRedirect. Rows where fosite falls back to the single
// registered URI for an empty redirect_uri are the caller's rule: ExactRedirectMatch itself never matches "".
const ExactCase kFositeExactMatch[] = {
    {"empty registered", {""}, "https://foo.com/cb", false},
    {"custom scheme", {"wta://auth"}, "wta://auth", true},
    {"custom scheme empty host", {"wta:///auth"}, "wta:///auth", true},
    {"custom scheme with host", {"wta://foo/auth"}, "wta://foo/auth", true},
    {"other host", {"https://bar.com/cb"}, "https://foo.com/cb", false},
    {"empty request with one registered is caller logic", {"https://bar.com/cb"}, "", false},
    {"empty request and empty registered", {""}, "", false},
    {"identical", {"https://bar.com/cb"}, "https://bar.com/cb", true},
    {"longer path", {"https://bar.com/cb"}, "https://bar.com/cb123", false},
    {"ipv6 loopback any port", {"http://[::1]"}, "http://[::1]:1024", true},
    {"ipv6 loopback path differs", {"http://[::1]"}, "http://[::1]:1024/cb", false},
    {"ipv6 loopback with path", {"http://[::1]/cb"}, "http://[::1]:1024/cb", true},
    {"ipv6 loopback other host", {"http://[::1]"}, "http://foo.bar/bar", false},
    {"ipv4 loopback any port", {"http://127.0.0.1"}, "http://127.0.0.1:1024", true},
    {"ipv4 loopback with path", {"http://127.0.0.1/cb"}, "http://127.0.0.1:64000/cb", true},
    {"ipv4 loopback path differs", {"http://127.0.0.1"}, "http://127.0.0.1:64000/cb", false},
    {"ipv4 loopback identical", {"http://127.0.0.1"}, "http://127.0.0.1", true},
    {"ipv4 loopback path case kept", {"http://127.0.0.1/Cb"}, "http://127.0.0.1:8080/Cb", true},
    {"ipv4 loopback other host", {"http://127.0.0.1"}, "http://foo.bar/bar", false},
    {"invalid request", {"http://127.0.0.1"}, ":/invalid.uri)bar", false},
    {"path case differs", {"http://127.0.0.1:8080/cb"}, "http://127.0.0.1:8080/Cb", false},
    {"extra query", {"http://127.0.0.1:8080/cb"}, "http://127.0.0.1:8080/cb?foo=bar", false},
    {"same query", {"http://127.0.0.1:8080/cb?foo=bar"}, "http://127.0.0.1:8080/cb?foo=bar", true},
    {"query superset", {"http://127.0.0.1:8080/cb?foo=bar"}, "http://127.0.0.1:8080/cb?baz=bar&foo=bar", false},
    {"query order differs", {"http://127.0.0.1:8080/cb?foo=bar&baz=bar"}, "http://127.0.0.1:8080/cb?baz=bar&foo=bar",
     false},
    {"https registered http loopback requested", {"https://www.ory.sh/cb"}, "http://127.0.0.1:8080/cb", false},
    {"loopback registered https requested", {"http://127.0.0.1:8080/cb"}, "https://www.ory.sh/cb", false},
    {"web+application scheme", {"web+application://callback"}, "web+application://callback", true},
    {"encoded query identical", {"https://google.com/?foo=bar%20foo+baz"}, "https://google.com/?foo=bar%20foo+baz",
     true},
    // [cpp] the rule is for loopback IPs only and compares everything but the port
    {"registered port ignored too", {"http://127.0.0.1:3000/cb"}, "http://127.0.0.1:4000/cb", true},
    {"whole 127/8", {"http://127.0.0.9/cb"}, "http://127.0.0.9:4000/cb", true},
    {"localhost is not an IP", {"http://localhost/cb"}, "http://localhost:4000/cb", false},
    {"requested https not loopback rule", {"http://127.0.0.1/cb"}, "https://127.0.0.1:4000/cb", false},
    {"registered https not loopback rule", {"https://127.0.0.1/cb"}, "http://127.0.0.1:4000/cb", false},
    {"other loopback address", {"http://127.0.0.1/cb"}, "http://127.0.0.2:4000/cb", false},
    {"no wildcards here", {"http://127.0.0.1/*"}, "http://127.0.0.1:4000/x", false},
    {"no wildcard star", {"*"}, "https://example.com/cb", false},
    {"second registered", {"https://a.example/cb", "http://[::1]/cb"}, "http://[::1]:9/cb", true},
    {"traversal not equal", {"http://127.0.0.1/cb"}, "http://127.0.0.1:4000/x/../cb", false},
};
INSTANTIATE_TEST_SUITE_P(FositeExactMatch, ExactRedirectTest, testing::ValuesIn(kFositeExactMatch),
                         RowName<ExactCase>);

// One URL and whether it is an acceptable redirect with ALLOW_INSECURE_CALLBACK_URLS=false.
struct SecureCase {
  const char* name;
  const char* url;
  bool secure;
};

class SecureRedirectTest : public testing::TestWithParam<SecureCase> {};

TEST_P(SecureRedirectTest, ClassifiesAsExpected) {
  const SecureCase& c = GetParam();
  EXPECT_EQ(IsSecureRedirect(c.url), c.secure) << c.url;
}

// [go] fosite TestIsRedirectURISecure, TestIsLocalhost (as http URLs), TestIsLookbackAddress (as http hosts) and
// Pocket ID's TestRedirectSecureChecker.
const SecureCase kFositeSecureRedirect[] = {
    {"http google", "http://google.com", false},
    {"https google", "https://google.com", true},
    {"http localhost", "http://localhost", true},
    {"http sub localhost", "http://test.localhost", true},
    {"http ipv4 loopback", "http://127.0.0.1/", true},
    {"http ipv6 loopback", "http://[::1]/", true},
    {"http ipv4 loopback port", "http://127.0.0.1:8080/", true},
    {"http ipv6 loopback port", "http://[::1]:8080/", true},
    {"http suffix without dot", "http://testlocalhost", false},
    {"custom scheme", "wta://auth", true},
    {"is localhost foo bar", "http://foo.bar", false},
    {"is localhost port", "http://localhost:1234", true},
    {"is localhost ipv4 port", "http://127.0.0.1:1234", true},
    {"is localhost sub port", "http://test.localhost:1234", true},
    {"loopback 127.0.0.1", "http://127.0.0.1/cb", true},
    {"loopback 127.0.0.1 port", "http://127.0.0.1:1230/cb", true},
    {"loopback [::1]", "http://[::1]/cb", true},
    {"loopback [::1] port", "http://[::1]:1230/cb", true},
    {"loopback 127.0.0.255", "http://127.0.0.255/cb", true},
    {"loopback 127.0.0.255 port", "http://127.0.0.255:1230/cb", true},
    {"not loopback 128.0.0.1", "http://128.0.0.1/cb", false},
    {"not loopback 128.0.0.1 port", "http://128.0.0.1:1230/cb", false},
    {"invalid fourth octet", "http://127.0.0.11230/cb", false},
    {"invalid ipv4", "http://127x0x0x11230/cb", false},
    {"invalid ipv6", "http://[::1]1230/cb", false},
    {"pocket id loopback checker", "http://127.0.0.1:49813/callback", true},
    // [cpp]
    {"http upper case scheme", "HTTP://example.com/", false},
    {"http upper case localhost", "http://LOCALHOST:3000/", true},
    {"localhost as a label prefix", "http://localhost.evil.com/", false},
    {"localhost userinfo trick", "http://localhost@evil.com/", false},
    {"localhost backslash trick", "http://evil.com\\@localhost/", false},
    {"short loopback form", "http://127.1/", false},
    {"mapped loopback", "http://[::ffff:127.0.0.1]/", true},
    {"lan address", "http://192.168.0.10/", false},
    {"custom scheme with http-like host", "myapp://example.com/cb", true},
    {"https anything", "https://evil.com/cb", true},
    {"no scheme", "//example.com/cb", false},
    {"empty", "", false},
};
INSTANTIATE_TEST_SUITE_P(FositeSecureRedirect, SecureRedirectTest, testing::ValuesIn(kFositeSecureRedirect),
                         RowName<SecureCase>);

// One pattern and whether saving it is allowed.
struct ValidationCase {
  const char* name;
  const char* pattern;
  bool valid;
};

class PatternValidationTest : public testing::TestWithParam<ValidationCase> {};

TEST_P(PatternValidationTest, ValidatesAsExpected) {
  const ValidationCase& c = GetParam();
  auto error = ValidateCallbackUrlPattern(c.pattern);
  if (c.valid) {
    EXPECT_FALSE(error.has_value()) << c.pattern << ": " << error.value_or("");
  } else {
    ASSERT_TRUE(error.has_value()) << c.pattern;
    EXPECT_EQ(*error, "is invalid");  // management.md: custom validator tags report "is invalid"
  }
}

// [go] utils TestValidateCallbackURLPattern and dto TestValidateCallbackURLPattern.
const ValidationCase kGoPatternValidation[] = {
    {"exact URL", "https://example.com/callback", true},
    {"wildcard scheme", "*://example.com/callback", true},
    {"wildcard port", "https://example.com:*/callback", true},
    {"partial wildcard port", "https://example.com:80*/callback", true},
    {"wildcard userinfo", "https://user:*@example.com/callback", true},
    {"glob wildcard", "*", true},
    {"relative URL", "/callback", false},
    {"missing scheme separator", "https//example.com/callback", false},
    {"malformed wildcard host glob", "https://exa[mple.com/callback", false},
    {"malformed IPv6 host", "http://[::1", false},
    {"javascript scheme", "javascript:alert(1)", false},
    {"data scheme", "data:text/html;base64,PGgxPkhlbGxvPC9oMT4=", false},
    {"dto valid wildcard URL", "https://*.example.com/callback", true},
    {"dto valid custom scheme", "pocketid://callback", true},
    {"dto mixed case data scheme", "DaTa:text/html;base64,PGgxPkhlbGxvPC9oMT4=", false},
    // [spec] and [cpp]
    {"globstar path", "https://example.com/**/callback", true},
    {"fragment is ignored", "https://example.com/cb#frag", true},
    {"query wildcard", "https://example.com/cb?code=*&state=*", true},
    {"ipv6 with port wildcard", "https://[2001:db8::1]:*/cb", true},
    {"loopback without port", "http://127.0.0.1/callback", true},
    {"origin only", "https://example.com", true},
    {"opaque custom scheme", "com.example.app:/oauth2redirect", true},
    {"mixed case javascript", "JavaScript:alert(1)", false},
    {"vbscript", "vbscript:msgbox(1)", false},
    {"empty", "", false},
    {"double star alone", "**", false},
    {"space", "https://example.com/a b", false},
    {"control character", "https://example.com/a\tb", false},
    {"two at signs", "https://a@b@example.com/cb", false},
    {"backslash", "https://example.com\\cb", false},
    {"bad port", "https://example.com:80a/cb", false},
    {"port out of range", "https://example.com:70000/cb", false},
    {"wildcard inside ipv6", "https://[::*]/cb", false},
    {"empty host", "https:///cb", false},
    {"colon host label", "https://:host.example.com/cb", false},
    {"dot-dot segment", "https://example.com/a/../b", false},
    {"encoded slash", "https://example.com/a%2Fb", false},
    {"bad escape", "https://example.com/a%zz", false},
    {"malformed query glob", "https://example.com/cb?a=[", false},
    {"semicolon query", "https://example.com/cb?a=1;b=2", false},
    {"special scheme without slashes", "https:example.com", false},
};
INSTANTIATE_TEST_SUITE_P(GoPatternValidation, PatternValidationTest, testing::ValuesIn(kGoPatternValidation),
                         RowName<ValidationCase>);

}  // namespace
}  // namespace pocketid::oidc
