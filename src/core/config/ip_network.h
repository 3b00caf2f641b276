// IP networks (CIDR blocks) as Go's net.ParseCIDR / net.IPNet understand them: TRUST_PROXY, PROXY_PROTOCOL
// and LOCAL_IPV6_RANGES are lists of these.
#pragma once

#include <array>
#include <boost/asio/ip/address.hpp>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "core/status/status.h"

namespace pocketid::config {

struct IpNetwork {
  enum class Family { kV4, kV6 };

  Family family = Family::kV4;
  // The network address with host bits cleared (as Go's ParseCIDR returns it). IPv4 uses the first 4 bytes.
  std::array<uint8_t, 16> address{};
  int prefix_length = 0;

  // `ip` is 4 bytes (IPv4) or 16 bytes (IPv6). An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is matched as
  // the IPv4 address it carries, and an IPv4 address never matches an IPv6 network: Go's IPNet.Contains does
  // the same, so "::/0" alone does not trust IPv4 peers.
  bool Contains(std::span<const uint8_t> ip) const;
  bool Contains(const boost::asio::ip::address& ip) const;

  // "10.0.0.0/8", "2001:db8::/32".
  std::string ToString() const;

  // True when the (masked) address is an IPv4-mapped IPv6 address; Go's `IPNet.IP.To4() != nil` for v6 ranges.
  bool IsIpv4MappedV6() const;

  friend bool operator==(const IpNetwork&, const IpNetwork&) = default;
};

// Go net.ParseCIDR: "<ip>/<prefix>", no zones, decimal prefix within the family's bit length. The error
// message is Go's: `invalid CIDR address: <s>`.
StatusOr<IpNetwork> ParseCidr(std::string_view s);

// A CIDR, or a bare IP taken as a single host (/32 or /128). A bare IPv4-mapped IPv6 address becomes the
// IPv4 host it carries. Error message: `invalid IP address or CIDR: <s>`.
StatusOr<IpNetwork> ParseIpOrCidr(std::string_view s);

}  // namespace pocketid::config
