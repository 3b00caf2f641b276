#include "core/config/ip_network.h"

#include <arpa/inet.h>

#include <algorithm>
#include <optional>

namespace pocketid::config {
namespace {

constexpr std::array<uint8_t, 12> kV4MappedPrefix = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

struct ParsedIp {
  IpNetwork::Family family;
  std::array<uint8_t, 16> bytes{};
};

// inet_pton matches Go's net.ParseIP closely: dotted-quad IPv4 without leading zeros, RFC 4291 IPv6 text
// (embedded IPv4 allowed), no zone suffix.
std::optional<ParsedIp> ParseIp(std::string_view s) {
  std::string text(s);  // inet_pton needs a NUL-terminated string
  ParsedIp ip{};
  if (text.find(':') == std::string::npos) {
    ip.family = IpNetwork::Family::kV4;
    if (inet_pton(AF_INET, text.c_str(), ip.bytes.data()) != 1) return std::nullopt;
  } else {
    ip.family = IpNetwork::Family::kV6;
    if (inet_pton(AF_INET6, text.c_str(), ip.bytes.data()) != 1) return std::nullopt;
  }
  return ip;
}

bool IsV4Mapped(std::span<const uint8_t> bytes) {
  return bytes.size() == 16 && std::equal(kV4MappedPrefix.begin(), kV4MappedPrefix.end(), bytes.begin());
}

int BitLength(IpNetwork::Family family) { return family == IpNetwork::Family::kV4 ? 32 : 128; }

// Go's dtoi: decimal digits only (leading zeros allowed), at least one.
std::optional<int> ParsePrefix(std::string_view s) {
  if (s.empty() || s.size() > 4) return std::nullopt;
  int n = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  return n;
}

void ClearHostBits(IpNetwork& net) {
  int bytes = BitLength(net.family) / 8;
  for (int i = 0; i < bytes; ++i) {
    int keep = std::clamp(net.prefix_length - i * 8, 0, 8);
    net.address[i] &= static_cast<uint8_t>(0xff00 >> keep);
  }
}

bool PrefixMatches(const IpNetwork& net, std::span<const uint8_t> ip) {
  for (int i = 0; i * 8 < net.prefix_length; ++i) {
    int keep = std::min(net.prefix_length - i * 8, 8);
    auto mask = static_cast<uint8_t>(0xff00 >> keep);
    if ((ip[i] & mask) != net.address[i]) return false;
  }
  return true;
}

}  // namespace

bool IpNetwork::Contains(std::span<const uint8_t> ip) const {
  if (IsV4Mapped(ip)) ip = ip.subspan(12);
  if (ip.size() == 4) return family == Family::kV4 && PrefixMatches(*this, ip);
  if (ip.size() == 16) return family == Family::kV6 && PrefixMatches(*this, ip);
  return false;
}

bool IpNetwork::Contains(const boost::asio::ip::address& ip) const {
  if (ip.is_v4()) {
    auto bytes = ip.to_v4().to_bytes();
    return Contains(std::span<const uint8_t>(bytes.data(), bytes.size()));
  }
  auto bytes = ip.to_v6().to_bytes();
  return Contains(std::span<const uint8_t>(bytes.data(), bytes.size()));
}

std::string IpNetwork::ToString() const {
  char buf[INET6_ADDRSTRLEN] = {};
  inet_ntop(family == Family::kV4 ? AF_INET : AF_INET6, address.data(), buf, sizeof(buf));
  return std::string(buf) + "/" + std::to_string(prefix_length);
}

bool IpNetwork::IsIpv4MappedV6() const {
  return family == Family::kV6 && IsV4Mapped(std::span<const uint8_t>(address.data(), address.size()));
}

StatusOr<IpNetwork> ParseCidr(std::string_view s) {
  auto invalid = [s] { return InvalidArgumentError("invalid CIDR address: " + std::string(s)); };
  size_t slash = s.find('/');
  if (slash == std::string_view::npos) return invalid();
  std::optional<ParsedIp> ip = ParseIp(s.substr(0, slash));
  std::optional<int> prefix = ParsePrefix(s.substr(slash + 1));
  if (!ip || !prefix || *prefix > BitLength(ip->family)) return invalid();
  IpNetwork net{ip->family, ip->bytes, *prefix};
  ClearHostBits(net);
  return net;
}

StatusOr<IpNetwork> ParseIpOrCidr(std::string_view s) {
  if (s.find('/') != std::string_view::npos) {
    StatusOr<IpNetwork> net = ParseCidr(s);
    if (net.ok()) return net;
  } else if (std::optional<ParsedIp> ip = ParseIp(s)) {
    if (IsV4Mapped(ip->bytes)) {
      std::array<uint8_t, 16> v4{};
      std::copy_n(ip->bytes.begin() + 12, 4, v4.begin());
      return IpNetwork{IpNetwork::Family::kV4, v4, 32};
    }
    return IpNetwork{ip->family, ip->bytes, BitLength(ip->family)};
  }
  return InvalidArgumentError("invalid IP address or CIDR: " + std::string(s));
}

}  // namespace pocketid::config
