#include "audit/user_agent.h"

#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <vector>

namespace pocketid::audit {

namespace {

// One "Key/Value" (or bare "Key") piece of a UA string.
struct Token {
  std::string key;
  std::string value;
};

bool IsIgnored(std::string_view s) {
  for (std::string_view w : {"KHTML, like Gecko", "U", "compatible", "Mozilla", "WOW64", "en", "en-us", "en-gb",
                             "ru-ru", "Browser"}) {
    if (s == w) return true;
  }
  return false;
}

std::string_view TrimSpace(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

// A bare token may carry its version after the last space ("Windows NT 10.0", "Android 13", "Linux x86_64").
Token SplitVersion(std::string_view s) {
  auto space = s.rfind(' ');
  if (space == std::string_view::npos) return {std::string(s), ""};
  std::string_view head = s.substr(0, space);
  for (std::string_view k : {"Linux", "Windows NT", "Windows Phone OS", "MSIE", "Android", "OpenHarmony"}) {
    if (head == k) return {std::string(head), std::string(s.substr(space + 1))};
  }
  for (std::string_view k : {"CrOS x86_64", "CrOS aarch64", "CrOS armv7l"}) {
    if (head == k) {  // "CrOS x86_64 14541.0.0": the architecture is what ends up as the version
      auto arch = head.rfind(' ');
      return {std::string(head.substr(0, arch)), std::string(head.substr(arch + 1))};
    }
  }
  return {std::string(s), ""};
}

class Tokens {
 public:
  explicit Tokens(std::string_view ua) { Split(ua); }

  bool Has(std::string_view key) const { return Find(key) != nullptr; }
  bool HasAny(std::initializer_list<std::string_view> keys) const {
    return std::any_of(keys.begin(), keys.end(), [&](std::string_view k) { return Has(k); });
  }
  // The value of `key`, "" when absent.
  std::string Get(std::string_view key) const {
    const Token* t = Find(key);
    return t ? t->value : "";
  }
  bool AnyKeyStartsWith(std::string_view prefix) const {
    return std::any_of(list_.begin(), list_.end(), [&](const Token& t) { return t.key.starts_with(prefix); });
  }

  // The first token that names something other than the usual platform words; in the first round only tokens
  // with a version count.
  std::string BestMatch(bool with_version_only) const {
    static constexpr std::string_view kSkip[] = {"Chrome",  "Firefox",    "Safari",     "Version",   "Mobile",
                                                 "Mobile Safari", "Mozilla", "AppleWebKit", "Windows NT",
                                                 "Windows Phone OS", "Android", "Macintosh", "Linux", "GSA", "CrOS",
                                                 "Tablet",  "OpenHarmony"};
    for (int round = 0; round < (with_version_only ? 1 : 2); ++round) {
      for (const auto& t : list_) {
        if (std::find(std::begin(kSkip), std::end(kSkip), t.key) != std::end(kSkip)) continue;
        if (!t.key.empty() && std::isdigit(static_cast<unsigned char>(t.key[0]))) continue;
        if (round == 1 || !t.value.empty()) return t.key;
      }
    }
    return "";
  }

  // The first run of digits, dots and underscores (underscores read as dots) in a token mentioning "OS".
  std::string AppleOsVersion() const {
    for (const auto& t : list_) {
      if (t.key.find("OS") == std::string::npos) continue;
      if (auto v = VersionIn(t.value); !v.empty()) return v;
      if (auto v = VersionIn(t.key); !v.empty()) return v;
    }
    return "";
  }

  std::string InstagramVersion() const {
    for (const auto& t : list_) {
      if (!t.key.starts_with("Instagram")) continue;
      if (auto v = VersionIn(t.value); !v.empty()) return v;
      if (auto v = VersionIn(t.key); !v.empty()) return v;
    }
    return "";
  }

  // The device name after the Android token is dropped from the list (a "...tablet..." one becomes "Tablet"), so
  // it is never taken for the browser.
  void DropAndroidDevice() {
    auto it = std::find_if(list_.begin(), list_.end(), [](const Token& t) { return t.key == "Android"; });
    if (it == list_.end() || it + 1 == list_.end()) return;
    auto next = it + 1;
    const std::string& dev = next->key;
    if (dev.size() == 2 || (dev.size() == 5 && dev[2] == '-')) return;  // a language tag
    for (std::string_view k : {"Chrome", "Firefox", "Safari", "Opera Mini", "Presto", "Version", "Mobile",
                               "Mobile Safari", "Mozilla", "AppleWebKit", "Windows NT", "Windows Phone OS", "Android",
                               "Macintosh", "Linux", "CrOS"}) {
      if (dev == k) return;
    }
    std::string lower = dev;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower.find("tablet") != std::string::npos) {
      next->key = "Tablet";
    } else {
      list_.erase(next);
    }
  }

 private:
  static std::string VersionIn(std::string_view s) {
    auto is_version_char = [](char c) { return c == '_' || c == '.' || (c >= '0' && c <= '9'); };
    auto begin = std::find_if(s.begin(), s.end(), is_version_char);
    if (begin == s.end()) return "";
    auto end = std::find_if_not(begin, s.end(), is_version_char);
    std::string v(begin, end);
    std::replace(v.begin(), v.end(), '_', '.');
    return v;
  }

  const Token* Find(std::string_view key) const {
    for (const auto& t : list_) {
      if (t.key == key) return &t;
    }
    return nullptr;
  }

  // Splits on ( ) [ ] ; and on the space after a "/version"; "Key/Value" pairs, bare words, and URLs (kept
  // aside: they never name the browser).
  void Split(std::string_view ua) {
    std::string buff, val;
    bool slash = false, in_url = false;
    auto add = [&] {
      if (!buff.empty()) {
        std::string_view s = TrimSpace(buff);
        if (!IsIgnored(s)) {
          if (in_url) return;  // the URL keeps accumulating until the next separator, as in mileusna/useragent
          if (val.empty()) {
            list_.push_back(SplitVersion(s));
          } else {
            list_.push_back({std::string(s), std::string(TrimSpace(val))});
          }
        }
      }
      buff.clear();
      val.clear();
      slash = false;
      in_url = false;
    };
    for (size_t i = 0; i < ua.size(); ++i) {
      char c = ua[i];
      bool last = i + 1 == ua.size();
      if (c == ')' || c == ';' || c == '(' || c == '[' || c == ']') {
        add();
      } else if (c == ':') {
        if (buff.ends_with("http") || buff.ends_with("https")) {
          buff += c;
        } else if (!last && ua[i + 1] != ' ') {
          buff += ' ';  // "rv:109.0" reads as "rv 109.0"
        }
      } else if (slash && c == ' ') {
        add();
      } else if (slash) {
        val += c;
      } else if (c == '/' && !in_url) {
        if (!last && ua[i + 1] == '/' && (buff.ends_with("http:") || buff.ends_with("https:"))) {
          buff += c;
          in_url = true;
        } else if (IsIgnored(buff)) {
          buff.clear();
        } else {
          slash = true;
        }
      } else {
        buff += c;
      }
    }
    add();
  }

  std::vector<Token> list_;
};

void DetectOs(Tokens& t, ParsedUserAgent& ua) {
  auto set = [&](std::string_view os, std::string version) {
    ua.os = std::string(os);
    ua.os_version = std::move(version);
  };
  if (t.Has("Android")) {
    set("Android", t.Get("Android"));
    t.DropAndroidDevice();
  } else if (t.Has("iPhone") || t.Has("iPad")) {
    set("iOS", t.AppleOsVersion());
  } else if (t.Has("Windows NT")) {
    set("Windows", t.Get("Windows NT"));
  } else if (t.Has("Windows Phone OS")) {
    set("Windows Phone", t.Get("Windows Phone OS"));
  } else if (t.Has("Macintosh")) {
    set("macOS", t.AppleOsVersion());
  } else if (t.Has("Linux")) {
    set("Linux", t.Get("Linux"));
  } else if (t.Has("FreeBSD")) {
    set("FreeBSD", t.Get("FreeBSD"));
  } else if (t.Has("CrOS")) {
    set("ChromeOS", t.Get("CrOS"));
  } else if (t.Has("BlackBerry")) {
    set("BlackBerry", t.Get("BlackBerry"));
  } else if (t.Has("OpenHarmony")) {
    set("Harmony", t.Get("OpenHarmony"));
  }
}

// The browser's name: the first rule that matches, in mileusna/useragent's order.
std::string DetectName(const Tokens& t, ParsedUserAgent& ua) {
  struct ByVersion {
    std::string_view key;   // a token whose value must be non-empty
    std::string_view name;  // what it means
  };
  if (t.Has("Googlebot")) return "Googlebot";
  if (t.HasAny({"GoogleProber", "GoogleProducer"})) return t.BestMatch(false);
  if (t.Has("Bytespider")) return "Bytespider";
  if (t.Has("Applebot")) {
    ua.os.clear();
    return "Applebot";
  }
  static constexpr ByVersion kFirst[] = {
      {"Opera Mini", "Opera Mini"}, {"OPR", "Opera"},  {"OPT", "Opera Touch"}, {"OPiOS", "Opera"},
      {"CriOS", "Chrome"},          {"FxiOS", "Firefox"}, {"Firefox", "Firefox"}, {"Vivaldi", "Vivaldi"},
  };
  for (const auto& r : kFirst) {
    if (!t.Get(r.key).empty()) return std::string(r.name);
  }
  if (t.Has("MSIE")) return "Internet Explorer";
  static constexpr ByVersion kSecond[] = {
      {"EdgiOS", "Edge"},       {"Edge", "Edge"},           {"Edg", "Edge"},
      {"EdgA", "Edge"},         {"bingbot", "Bingbot"},     {"YandexBot", "YandexBot"},
      {"YandexAdNet", "YandexAdNet"},
  };
  for (const auto& r : kSecond) {
    if (!t.Get(r.key).empty()) return std::string(r.name);
  }
  if (!t.Get("SamsungBrowser").empty()) {
    ua.os = "Android";
    return "Samsung Browser";
  }
  if (!t.Get("HeadlessChrome").empty()) return "Headless Chrome";
  if (t.HasAny({"AdsBot-Google-Mobile", "Mediapartners-Google", "AdsBot-Google"})) return "Google Ads Bot";
  if (t.Has("Yahoo Ad monitoring")) return "Yahoo Ad monitoring";
  if (t.Has("XiaoMi")) return t.Get("XiaoMi").starts_with("MiuiBrowser") ? "Miui Browser" : "";
  if (t.Has("FBAN") || t.Has("FB_IAB")) return "Facebook App";
  if (t.AnyKeyStartsWith("Instagram")) return "Instagram App";
  if (t.Has("BytedanceWebview")) return "TikTok App";
  if (!t.Get("HuaweiBrowser").empty()) return "Huawei Browser";
  if (t.Has("BlackBerry")) return "BlackBerry";
  if (t.Has("NetFront")) return "NetFront";
  if (t.Has("Chrome") && t.Has("Safari")) {
    if (auto other = t.BestMatch(true); !other.empty()) return other;  // Chrome-based browsers add their own token
    return "Chrome";
  }
  if (t.Has("Chrome") || t.Has("Brave Chrome")) return "Chrome";
  if (t.Has("Safari")) return "Safari";
  if (ua.os == "Android" && !t.Get("Version").empty()) return "Android browser";
  if (auto other = t.BestMatch(false); !other.empty()) return other;
  return "";  // the caller uses the whole string
}

}  // namespace

ParsedUserAgent ParseUserAgent(std::string_view user_agent) {
  ParsedUserAgent ua;
  Tokens tokens(user_agent);
  DetectOs(tokens, ua);
  ua.name = DetectName(tokens, ua);
  if (ua.name.empty() && !tokens.Has("XiaoMi") && !tokens.HasAny({"GoogleProber", "GoogleProducer"})) {
    ua.name = std::string(user_agent);
  }
  return ua;
}

std::string DeviceFromUserAgent(std::string_view user_agent) {
  ParsedUserAgent ua = ParseUserAgent(user_agent);
  return ua.name + " on " + ua.os + " " + ua.os_version;
}

}  // namespace pocketid::audit
