#include "audit/user_agent.h"

#include <gtest/gtest.h>

namespace pocketid::audit {
namespace {

struct Case {
  const char* ua;
  const char* device;  // what Pocket ID shows: mileusna/useragent's Name + " on " + OS + " " + OSVersion
};

// Browser names and OS names as mileusna/useragent v1.3.5's own test table has them; the versions follow its
// rules (Windows NT's number as written, Linux's architecture, Apple's underscores as dots).
const Case kCases[] = {
    // Desktop
    {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 "
     "Safari/537.36",
     "Chrome on Windows 10.0"},
    {"Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/59.0.3071.115 Safari/537.36",
     "Chrome on Windows 6.1"},
    {"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0", "Firefox on Windows 10.0"},
    {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 "
     "Safari/537.36 Edg/120.0.0.0",
     "Edge on Windows 10.0"},
    {"Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/52.0.2743.116 Safari/537.36 "
     "Edge/15.15063",
     "Edge on Windows 10.0"},
    {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 "
     "Safari/537.36 OPR/106.0.0.0",
     "Opera on Windows 10.0"},
    {"Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 6.1; WOW64; Trident/4.0; SLCC2; .NET CLR 2.0.50727)",
     "Internet Explorer on Windows 6.1"},
    {"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 "
     "Safari/605.1.15",
     "Safari on macOS 10.15.7"},
    {"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/87.0.4280.88 "
     "Safari/537.36",
     "Chrome on macOS 10.15.7"},
    {"Mozilla/5.0 (Macintosh; Intel Mac OS X 10.12; rv:54.0) Gecko/20100101 Firefox/54.0", "Firefox on macOS 10.12"},
    {"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_12_6) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/60.0.3112.91 "
     "Safari/537.36 Vivaldi/1.92.917.39",
     "Vivaldi on macOS 10.12.6"},
    {"Mozilla/5.0 (X11; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/121.0", "Firefox on Linux x86_64"},
    {"Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0", "Firefox on Linux x86_64"},
    {"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
     "Chrome on Linux x86_64"},
    {"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/98.0.4758.0 "
     "Safari/537.36",
     "Headless Chrome on Linux x86_64"},
    {"Mozilla/5.0 (X11; CrOS x86_64 14150.74.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/94.0.4606.114 "
     "Safari/537.36",
     "Chrome on ChromeOS x86_64"},
    {"Mozilla/5.0 (compatible; Konqueror/4.5; FreeBSD) KHTML/4.5.4 (like Gecko)", "Konqueror on FreeBSD "},
    // Mobile
    {"Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 "
     "Mobile/15E148 Safari/604.1",
     "Safari on iOS 17.1"},
    {"Mozilla/5.0 (iPhone; CPU iPhone OS 10_3_2 like Mac OS X) AppleWebKit/603.1.30 (KHTML, like Gecko) "
     "CriOS/60.0.3112.89 Mobile/14F89 Safari/602.1",
     "Chrome on iOS 10.3.2"},
    {"Mozilla/5.0 (iPhone; CPU iPhone OS 10_3_2 like Mac OS X) AppleWebKit/603.2.4 (KHTML, like Gecko) "
     "FxiOS/8.1.1b4948 Mobile/14F89 Safari/603.2.4",
     "Firefox on iOS 10.3.2"},
    {"Mozilla/5.0 (iPad; CPU OS 10_3_2 like Mac OS X) AppleWebKit/603.2.4 (KHTML, like Gecko) Version/10.0 "
     "Mobile/14F89 Safari/602.1",
     "Safari on iOS 10.3.2"},
    {"Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile "
     "Safari/537.36",
     "Chrome on Android 10"},
    {"Mozilla/5.0 (Linux; Android 4.3; GT-I9300 Build/JSS15J) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/59.0.3071.125 Mobile Safari/537.36",
     "Chrome on Android 4.3"},
    {"Mozilla/5.0 (Android 9; Mobile; rv:64.0) Gecko/64.0 Firefox/64.0", "Firefox on Android 9"},
    {"Mozilla/5.0 (Linux; Android 6.0.1; SAMSUNG SM-A310F/A310FXXU2BQB1 Build/MMB29K) AppleWebKit/537.36 (KHTML, "
     "like Gecko) SamsungBrowser/5.4 Chrome/51.0.2704.106 Mobile Safari/537.36",
     "Samsung Browser on Android 6.0.1"},
    {"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/22.0 "
     "Chrome/111.0.5563.116 Safari/537.36",
     "Samsung Browser on Android x86_64"},
    {"Mozilla/5.0 (Linux; Android 10; ONEPLUS A6003) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/73.0.3683.0 "
     "Mobile Safari/537.36 EdgA/44.11.4.4140",
     "Edge on Android 10"},
    {"Mozilla/5.0 (Linux; Android 4.3; GT-I9300 Build/JSS15J) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/55.0.2883.91 Mobile Safari/537.36 OPR/42.9.2246.119956",
     "Opera on Android 4.3"},
    {"Opera/9.80 (Android; Opera Mini/28.0.2254/66.318; U; en) Presto/2.12.423 Version/12.16",
     "Opera Mini on Android "},
    {"Mozilla/5.0 (Linux; U; Android 4.3; en-us; GT-I9300 Build/JSS15J) AppleWebKit/534.30 (KHTML, like Gecko) "
     "Version/4.0 Mobile Safari/534.30",
     "Android browser on Android 4.3"},
    {"Mozilla/5.0 (Linux; Android 10) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/96.0.4664.54 Mobile "
     "DuckDuckGo/5 Safari/537.36",
     "Mobile DuckDuckGo on Android 10"},
    {"Mozilla/4.0 (compatible; MSIE 7.0; Windows Phone OS 7.0; Trident/3.1; IEMobile/7.0; NOKIA; Lumia 630)",
     "Internet Explorer on Windows Phone 7.0"},
    // Tools and bots: no OS, so the string ends in " on " plus a space.
    {"curl/8.4.0", "curl on  "},
    {"Go-http-client/1.1", "Go-http-client on  "},
    {"node", "node on  "},
    {"node-fetch/1.0 (+https://github.com/bitinn/node-fetch)", "node-fetch on  "},
    {"Wget/1.12 (linux-gnu)", "Wget on  "},
    {"Seafile/9.0.2 (Linux)", "Seafile on Linux "},
    {"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "Googlebot on  "},
    {"Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)", "Discordbot on  "},
    {"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.1.1 "
     "Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)",
     "Applebot on  10.15.5"},
    {"BUbiNG (+http://law.di.unimi.it/BUbiNG.html)", "BUbiNG on  "},
    {"", " on  "},
    {"something odd", "something odd on  "},
};

TEST(UserAgentTest, DeviceStringsMatchPocketId) {
  for (const auto& c : kCases) EXPECT_EQ(DeviceFromUserAgent(c.ua), c.device) << c.ua;
}

TEST(UserAgentTest, ParsedParts) {
  auto ua = ParseUserAgent("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                           "Chrome/120.0.0.0 Safari/537.36");
  EXPECT_EQ(ua.name, "Chrome");
  EXPECT_EQ(ua.os, "Windows");
  EXPECT_EQ(ua.os_version, "10.0");
}

}  // namespace
}  // namespace pocketid::audit
