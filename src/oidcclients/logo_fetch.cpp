#include "oidcclients/logo_fetch.h"

#include <netdb.h>
#include <sys/socket.h>

#include <memory>

#include <boost/url/parse.hpp>
#include <spdlog/spdlog.h>

#include "core/curl/libcurl_api.h"
#include "oidcclients/logo.h"

namespace pocketid::oidcclients {

namespace {

namespace ip = boost::asio::ip;

constexpr const char* kUserAgent = "pocket-id/oidc-logo-fetcher";

http::ApiError InvalidLogoUrl(std::string_view why) {
  spdlog::info("logo URL refused: {}", why);
  http::ApiError e{400, "validation_failed", "Logo URL is not allowed", {}};
  boost::json::array fields;
  fields.push_back(boost::json::object{
      {"field", "logoUrl"}, {"code", "invalid_value"}, {"message", "must be a public HTTP or HTTPS URL"}});
  e.details["fields"] = std::move(fields);
  return e;
}

http::ApiError DownloadFailed(std::string_view why) {
  spdlog::info("logo download failed: {}", why);
  return {422, "logo_download_failed", "Logo could not be downloaded", {}};
}

http::ApiError TooLarge() {
  http::ApiError e{422, "logo_too_large", "Downloaded logo must not exceed 2 MB", {}};
  e.details["max_size"] = "2 MB";
  return e;
}

http::ApiError TypeNotSupported() {
  return {422, "logo_type_not_supported", "Downloaded logo has an unsupported file type", {}};
}

bool InNetworks(const ip::address& a, std::initializer_list<std::pair<const char*, int>> nets) {
  for (const auto& [net, prefix] : nets) {
    auto n = config::ParseCidr(std::string(net) + "/" + std::to_string(prefix));
    if (n.ok() && n->Contains(a)) return true;
  }
  return false;
}

struct SlistDeleter {
  const curl::LibcurlApi* libcurl;
  void operator()(curl_slist* l) const { libcurl->curl_slist_free_all(l); }
};

struct Target {
  std::string url;
  std::string scheme;  // lower-case
  std::string host;    // without brackets
  bool host_is_literal = false;
  uint16_t port = 0;
  std::string path;
};

// Go's url.Parse + the scheme/host check. nullopt when the URL is not absolute http(s) with a host.
std::optional<Target> ParseTarget(std::string_view url) {
  auto u = boost::urls::parse_uri(url);
  if (!u) return std::nullopt;
  Target t;
  t.url = std::string(url);
  t.scheme = std::string(u->scheme());
  for (char& c : t.scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if ((t.scheme != "http" && t.scheme != "https") || !u->has_authority()) return std::nullopt;
  switch (u->host_type()) {
    case boost::urls::host_type::ipv4:
      t.host = u->host_ipv4_address().to_string();
      t.host_is_literal = true;
      break;
    case boost::urls::host_type::ipv6:
      t.host = u->host_ipv6_address().to_string();
      t.host_is_literal = true;
      break;
    case boost::urls::host_type::name:
      t.host = u->host_name();
      break;
    default:
      return std::nullopt;
  }
  if (t.host.empty()) return std::nullopt;
  t.port = u->has_port() ? u->port_number() : (t.scheme == "https" ? 443 : 80);
  if (u->has_port() && t.port == 0) return std::nullopt;
  t.path = u->path();
  return t;
}

// Every address the name resolves to (a literal resolves to itself). Empty on failure.
std::vector<ip::address> Resolve(const Target& t) {
  std::vector<ip::address> out;
  if (t.host_is_literal) {
    boost::system::error_code ec;
    auto a = ip::make_address(t.host, ec);
    if (!ec) out.push_back(a);
    return out;
  }
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  if (::getaddrinfo(t.host.c_str(), nullptr, &hints, &res) != 0) return out;
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> guard(res, ::freeaddrinfo);
  for (addrinfo* ai = res; ai != nullptr; ai = ai->ai_next) {
    char text[NI_MAXHOST];
    if (::getnameinfo(ai->ai_addr, ai->ai_addrlen, text, sizeof text, nullptr, 0, NI_NUMERICHOST) != 0) continue;
    boost::system::error_code ec;
    auto a = ip::make_address(text, ec);
    if (!ec) out.push_back(a);
  }
  return out;
}

// What one request brought back.
struct Hop {
  long status = 0;
  std::string body;
  std::string content_type;
  std::string redirect_url;
  bool too_large = false;
};

struct WriteState {
  const curl::LibcurlApi* libcurl = nullptr;
  CURL* curl = nullptr;
  Hop* hop = nullptr;
  bool started = false;
};

size_t OnBody(char* data, size_t size, size_t n, void* userdata) {
  auto* s = static_cast<WriteState*>(userdata);
  size_t bytes = size * n;
  if (!s->started) {
    s->started = true;
    s->libcurl->curl_easy_getinfo(s->curl, CURLINFO_RESPONSE_CODE, &s->hop->status);
    if (s->hop->status != 200) return 0;  // only a 200's body is wanted (Pocket ID reads nothing else)
    curl_off_t length = -1;
    s->libcurl->curl_easy_getinfo(s->curl, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length);
    if (length > static_cast<curl_off_t>(kMaxLogoBytes)) {
      s->hop->too_large = true;
      return 0;
    }
  }
  if (s->hop->body.size() + bytes > kMaxLogoBytes) {
    s->hop->too_large = true;
    return 0;
  }
  s->hop->body.append(data, bytes);
  return bytes;
}

// One GET without following redirects, connecting only to `addresses`.
std::optional<http::ApiError> Perform(const Target& t, const std::vector<ip::address>& addresses,
                                      std::chrono::milliseconds budget, Hop& hop) {
  auto loaded = curl::LoadLibcurl();
  if (!loaded.ok()) return DownloadFailed(loaded.status().message());
  const curl::LibcurlApi& libcurl = **loaded;
  curl::EasyHandle curl = curl::NewEasyHandle(libcurl);
  if (!curl) return DownloadFailed("curl_easy_init failed");
  std::unique_ptr<curl_slist, SlistDeleter> resolve(nullptr, SlistDeleter{&libcurl});
  if (!t.host_is_literal) {
    std::string pinned = t.host + ":" + std::to_string(t.port) + ":";
    for (size_t i = 0; i < addresses.size(); ++i) {
      if (i > 0) pinned += ",";
      pinned += addresses[i].is_v6() ? "[" + addresses[i].to_string() + "]" : addresses[i].to_string();
    }
    resolve.reset(libcurl.curl_slist_append(nullptr, pinned.c_str()));
  }
  std::unique_ptr<curl_slist, SlistDeleter> headers(libcurl.curl_slist_append(nullptr, "Accept: image/*"),
                                                    SlistDeleter{&libcurl});
  WriteState state{&libcurl, curl.get(), &hop, false};
  CURL* c = curl.get();
  libcurl.curl_easy_setopt(c, CURLOPT_URL, t.url.c_str());
  libcurl.curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  libcurl.curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  if (resolve) libcurl.curl_easy_setopt(c, CURLOPT_RESOLVE, resolve.get());
  libcurl.curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  libcurl.curl_easy_setopt(c, CURLOPT_USERAGENT, kUserAgent);
  libcurl.curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(std::max<int64_t>(budget.count(), 1)));
  libcurl.curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  libcurl.curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &OnBody);
  libcurl.curl_easy_setopt(c, CURLOPT_WRITEDATA, &state);
  CURLcode rc = libcurl.curl_easy_perform(c);
  libcurl.curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &hop.status);
  if (char* type = nullptr; libcurl.curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &type) == CURLE_OK && type) {
    hop.content_type = type;
  }
  if (char* location = nullptr;
      libcurl.curl_easy_getinfo(c, CURLINFO_REDIRECT_URL, &location) == CURLE_OK && location) {
    hop.redirect_url = location;
  }
  // Aborting in the write callback (status not 200, too large) is expected, not a transport failure.
  if (rc != CURLE_OK && !(rc == CURLE_WRITE_ERROR && (hop.too_large || hop.status != 200))) {
    return DownloadFailed(libcurl.curl_easy_strerror(rc));
  }
  return std::nullopt;
}

bool IsRedirect(long status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

}  // namespace

bool IsPrivateAddress(const ip::address& address, std::span<const config::IpNetwork> local_ipv6_ranges) {
  ip::address a = address;
  if (a.is_v6() && a.to_v6().is_v4_mapped()) a = ip::make_address_v4(ip::v4_mapped, a.to_v6());
  if (a.is_v4()) {
    return InNetworks(a, {{"127.0.0.0", 8},
                          {"10.0.0.0", 8},
                          {"172.16.0.0", 12},
                          {"192.168.0.0", 16},
                          {"100.64.0.0", 10},
                          {"169.254.0.0", 16},
                          {"224.0.0.0", 24},
                          {"0.0.0.0", 32}});
  }
  for (const auto& net : local_ipv6_ranges) {
    if (net.Contains(a)) return true;
  }
  return InNetworks(a, {{"::1", 128}, {"fc00::", 7}, {"fe80::", 10}, {"ff02::", 16}, {"::", 128}});
}

LogoFetcher LogoFetcher::Public(std::vector<config::IpNetwork> local_ipv6_ranges) {
  Options o;
  o.forbidden = [ranges = std::move(local_ipv6_ranges)](const ip::address& a) { return IsPrivateAddress(a, ranges); };
  return LogoFetcher(std::move(o));
}

http::ApiResult<FetchedLogo> LogoFetcher::Fetch(std::string_view url) const {
  auto first = ParseTarget(url);
  if (!first) return InvalidLogoUrl("URL must use HTTP or HTTPS and include a host");
  const auto deadline = std::chrono::steady_clock::now() + options_.timeout;

  Target target = *first;
  Hop hop;
  for (int request = 0;; ++request) {
    if (request >= options_.max_requests) return InvalidLogoUrl("stopped after 10 redirects");
    auto addresses = Resolve(target);
    if (addresses.empty()) return DownloadFailed("cannot resolve hostname " + target.host);
    for (const auto& a : addresses) {
      if (options_.forbidden(a)) return InvalidLogoUrl("private IP addresses are not allowed");
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return DownloadFailed("timed out");
    hop = Hop{};
    if (auto error = Perform(target, addresses, left, hop)) return *error;
    if (!IsRedirect(hop.status) || hop.redirect_url.empty()) break;
    auto next = ParseTarget(hop.redirect_url);
    if (!next) return DownloadFailed("unsupported redirect to " + hop.redirect_url);
    target = std::move(*next);
  }

  if (hop.status != 200) return DownloadFailed("logo server returned status " + std::to_string(hop.status));
  if (hop.too_large) return TooLarge();
  // The extension of the URL that was asked for wins; else the type the server declared.
  std::string ext = FileExtension(first->path);
  if (ext.empty() || ImageMimeType(ext).empty()) ext = std::string(ImageExtensionFromMimeType(hop.content_type));
  if (ext.empty()) return TypeNotSupported();
  return FetchedLogo{ext, StripImageMetadata(std::move(hop.body), ext)};
}

}  // namespace pocketid::oidcclients
