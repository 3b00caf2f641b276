#include "core/config/ip_network.h"

#include <gtest/gtest.h>

namespace pocketid::config {
namespace {

boost::asio::ip::address Addr(const char* s) { return boost::asio::ip::make_address(s); }

TEST(IpNetworkTest, ParseCidrMasksHostBits) {
  StatusOr<IpNetwork> net = ParseCidr("10.1.2.3/8");
  ASSERT_TRUE(net.ok()) << net.status().message();
  EXPECT_EQ(net->family, IpNetwork::Family::kV4);
  EXPECT_EQ(net->prefix_length, 8);
  EXPECT_EQ(net->ToString(), "10.0.0.0/8");
  EXPECT_EQ(ParseCidr("2001:db8:abcd::1/33")->ToString(), "2001:db8:8000::/33");
  EXPECT_EQ(ParseCidr("192.168.1.7/32")->ToString(), "192.168.1.7/32");
  EXPECT_EQ(ParseCidr("0.0.0.0/0")->ToString(), "0.0.0.0/0");
  EXPECT_EQ(ParseCidr("::/0")->ToString(), "::/0");
  EXPECT_EQ(ParseCidr("10.0.0.0/08")->prefix_length, 8);  // Go's dtoi allows leading zeros
}

TEST(IpNetworkTest, ParseCidrRejectsWhatGoRejects) {
  for (const char* bad : {"10.0.0.0", "10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/+8",
                          "fe80::1%eth0/64", "010.0.0.0/8", "1.2.3/8", "host/8", "/8"}) {
    StatusOr<IpNetwork> net = ParseCidr(bad);
    ASSERT_FALSE(net.ok()) << bad;
    EXPECT_EQ(net.status().message(), std::string("invalid CIDR address: ") + bad);
  }
}

TEST(IpNetworkTest, BareIpIsAHostNetwork) {
  EXPECT_EQ(ParseIpOrCidr("192.168.1.10")->ToString(), "192.168.1.10/32");
  EXPECT_EQ(ParseIpOrCidr("::1")->ToString(), "::1/128");
  EXPECT_EQ(ParseIpOrCidr("::ffff:10.0.0.1")->ToString(), "10.0.0.1/32");
  EXPECT_EQ(ParseIpOrCidr("10.0.0.0/8")->ToString(), "10.0.0.0/8");
  EXPECT_FALSE(ParseIpOrCidr("not-an-ip").ok());
  EXPECT_FALSE(ParseIpOrCidr("").ok());
  EXPECT_FALSE(ParseIpOrCidr("10.0.0.0/99").ok());
}

TEST(IpNetworkTest, ContainsV4) {
  IpNetwork net = *ParseCidr("10.0.0.0/8");
  EXPECT_TRUE(net.Contains(Addr("10.255.1.2")));
  EXPECT_FALSE(net.Contains(Addr("11.0.0.1")));
  EXPECT_TRUE(net.Contains(Addr("::ffff:10.1.1.1")));  // IPv4-mapped peer matches as IPv4
  EXPECT_FALSE(net.Contains(Addr("::1")));
  IpNetwork odd = *ParseCidr("192.168.0.0/23");
  EXPECT_TRUE(odd.Contains(Addr("192.168.1.255")));
  EXPECT_FALSE(odd.Contains(Addr("192.168.2.0")));
  const uint8_t bytes[] = {10, 9, 8, 7};
  EXPECT_TRUE(net.Contains(std::span<const uint8_t>(bytes)));
  const uint8_t wrong_size[] = {10, 9, 8};
  EXPECT_FALSE(net.Contains(std::span<const uint8_t>(wrong_size)));
}

TEST(IpNetworkTest, ContainsV6) {
  IpNetwork net = *ParseCidr("fd00::/8");
  EXPECT_TRUE(net.Contains(Addr("fd12:3456::1")));
  EXPECT_FALSE(net.Contains(Addr("fe80::1")));
  EXPECT_FALSE(net.Contains(Addr("10.0.0.1")));
  IpNetwork all6 = *ParseCidr("::/0");
  EXPECT_TRUE(all6.Contains(Addr("2001:db8::1")));
  EXPECT_FALSE(all6.Contains(Addr("1.2.3.4")));  // as Go: ::/0 does not cover IPv4 peers
  IpNetwork host = *ParseIpOrCidr("::1");
  EXPECT_TRUE(host.Contains(Addr("::1")));
  EXPECT_FALSE(host.Contains(Addr("::2")));
}

TEST(IpNetworkTest, Ipv4MappedRangeIsDetected) {
  EXPECT_TRUE(ParseCidr("::ffff:0:0/96")->IsIpv4MappedV6());
  EXPECT_FALSE(ParseCidr("::/0")->IsIpv4MappedV6());
  EXPECT_FALSE(ParseCidr("10.0.0.0/8")->IsIpv4MappedV6());
}

}  // namespace
}  // namespace pocketid::config
