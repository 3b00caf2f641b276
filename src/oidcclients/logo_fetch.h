// Downloading a client logo from `logoUrl` / `darkLogoUrl` (management.md §1.5): http/https only, never to a
// private, loopback or link-local address (checked for the first URL and for every redirect, at most 10
// requests, and the connection is pinned to the checked addresses so DNS cannot change its answer in between),
// 15 s for the whole download, at most 2 MiB, the image type from the URL's extension or else the Content-Type.
#pragma once

#include <boost/asio/ip/address.hpp>
#include <chrono>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/config/ip_network.h"
#include "core/http/api_error.h"

namespace pocketid::oidcclients {

// Pocket ID's SSRF notion of "private": loopback, RFC 1918, 100.64/10, unique-local and link-local (unicast and
// multicast) addresses, the unspecified address, and the LOCAL_IPV6_RANGES networks. IPv4-mapped IPv6 addresses
// are judged as the IPv4 address they carry.
bool IsPrivateAddress(const boost::asio::ip::address& address, std::span<const config::IpNetwork> local_ipv6_ranges);

struct FetchedLogo {
  std::string ext;  // "png", "svg", ...
  std::string data;
};

class LogoFetcher {
 public:
  // True when connecting to the address must be refused.
  using AddressFilter = std::function<bool(const boost::asio::ip::address&)>;

  struct Options {
    AddressFilter forbidden;  // required
    std::chrono::milliseconds timeout{15000};
    int max_requests = 10;  // the first request and the redirects together
  };

  explicit LogoFetcher(Options options) : options_(std::move(options)) {}
  // The production fetcher: private addresses (with LOCAL_IPV6_RANGES) are forbidden.
  static LogoFetcher Public(std::vector<config::IpNetwork> local_ipv6_ranges);

  // Errors, as Pocket ID: 400 validation_failed (field logoUrl) for a URL that is not public http(s) or that
  // redirects to one or too often; 422 logo_download_failed (unresolvable, unreachable, status not 200),
  // logo_too_large, logo_type_not_supported.
  http::ApiResult<FetchedLogo> Fetch(std::string_view url) const;

 private:
  Options options_;
};

}  // namespace pocketid::oidcclients
