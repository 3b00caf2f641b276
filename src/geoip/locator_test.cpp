#include "geoip/locator.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <thread>
#include <vector>

#include "geoip/test_support.h"

namespace pocketid::geoip {
namespace {

namespace fs = std::filesystem;
using testing::CityTestDatabase;
using testing::TempDir;

const Location kLan{"Internal Network", "LAN"};
const Location kTailscale{"Internal Network", "Tailscale"};
const Location kLondon{"United Kingdom", "London"};
const Location kNowhere{"", ""};

std::vector<config::IpNetwork> Ranges(std::initializer_list<const char*> cidrs) {
  std::vector<config::IpNetwork> out;
  for (const char* c : cidrs) out.push_back(*config::ParseCidr(c));
  return out;
}

// Replaces `target` the way a downloader does: write elsewhere, rename over.
void ReplaceAtomically(const fs::path& target, const fs::path& source) {
  fs::path tmp = target.string() + ".incoming";
  fs::copy_file(source, tmp, fs::copy_options::overwrite_existing);
  fs::rename(tmp, target);
}

TEST(InternalNetworkLocationTest, PocketIdLabels) {
  struct Case {
    const char* ip;
    std::optional<Location> want;
  };
  const Case cases[] = {
      {"10.1.2.3", kLan},         {"172.16.0.1", kLan},     {"172.31.255.255", kLan}, {"172.32.0.1", std::nullopt},
      {"192.168.1.10", kLan},     {"127.0.0.1", kLan},      {"127.8.9.10", kLan},     {"169.254.1.1", kLan},
      {"224.0.0.251", kLan},      {"0.0.0.0", kLan},        {"::1", kLan},            {"::", kLan},
      {"fe80::1", kLan},          {"febf::1", kLan},        {"fec0::1", std::nullopt}, {"fc00::1", kLan},
      {"fd12:3456::1", kLan},     {"ff02::1", kLan},        {"100.64.0.1", kTailscale}, {"100.127.255.254", kTailscale},
      {"100.128.0.1", std::nullopt}, {"::ffff:10.0.0.1", kLan}, {"::ffff:100.100.1.1", kTailscale},
      {"81.2.69.142", std::nullopt}, {"2001:db8::1", std::nullopt}, {"not-an-ip", std::nullopt}, {"", std::nullopt},
  };
  for (const auto& c : cases) EXPECT_EQ(InternalNetworkLocation(c.ip), c.want) << c.ip;
}

TEST(InternalNetworkLocationTest, LocalIpv6RangesAreLan) {
  auto ranges = Ranges({"2001:db8:1::/48"});
  EXPECT_EQ(InternalNetworkLocation("2001:db8:1:2::5", ranges), kLan);
  EXPECT_EQ(InternalNetworkLocation("2001:db8:2::5", ranges), std::nullopt);
  // An IPv4 range in LOCAL_IPV6_RANGES never labels IPv4 clients (Pocket ID checks only IPv6 addresses there).
  auto v4 = Ranges({"81.2.69.0/24"});
  EXPECT_EQ(InternalNetworkLocation("81.2.69.142", v4), std::nullopt);
}

TEST(LocatorTest, LooksUpTheMaxMindTestDatabase) {
  ASSERT_TRUE(fs::exists(CityTestDatabase())) << CityTestDatabase();
  Locator locator({.db_path = CityTestDatabase().string()});
  ASSERT_TRUE(locator.HasDatabase());
  EXPECT_EQ(locator.Lookup("81.2.69.142"), kLondon);
  EXPECT_EQ(locator.Lookup("::ffff:81.2.69.142"), kLondon);
  EXPECT_EQ(locator.Lookup("2.125.160.216"), (Location{"United Kingdom", "Boxford"}));
  EXPECT_EQ(locator.Lookup("89.160.20.112"), (Location{"Sweden", "Linköping"}));
  EXPECT_EQ(locator.Lookup("8.8.8.8"), kNowhere);  // not in the test database
  EXPECT_EQ(locator.Lookup("garbage"), kNowhere);
  EXPECT_EQ(locator.Lookup(""), kNowhere);
  // Internal labels win over the database.
  EXPECT_EQ(locator.Lookup("192.168.0.1"), kLan);
  EXPECT_EQ(locator.Lookup("100.64.1.1"), kTailscale);
}

TEST(LocatorTest, LocalIpv6RangesComeBeforeTheDatabase) {
  Locator locator({.db_path = CityTestDatabase().string(), .local_ipv6_ranges = Ranges({"2a02:cf40::/32"})});
  EXPECT_EQ(locator.Lookup("2a02:cf40::1"), kLan);
}

TEST(LocatorTest, MissingDatabaseGivesEmptyLocations) {
  TempDir dir;
  Locator locator({.db_path = (dir.path() / "GeoLite2-City.mmdb").string()});
  EXPECT_FALSE(locator.HasDatabase());
  EXPECT_EQ(locator.Lookup("81.2.69.142"), kNowhere);
  EXPECT_EQ(locator.Lookup("10.0.0.1"), kLan);
  Locator no_path({});
  EXPECT_EQ(no_path.Lookup("81.2.69.142"), kNowhere);
}

TEST(LocatorTest, UnreadableFileIsNoDatabase) {
  TempDir dir;
  fs::path path = dir.path() / "GeoLite2-City.mmdb";
  testing::WriteFile(path, "this is not a MaxMind database");
  Locator locator({.db_path = path.string()});
  EXPECT_FALSE(locator.HasDatabase());
  EXPECT_EQ(locator.Lookup("81.2.69.142"), kNowhere);
}

TEST(LocatorTest, PicksUpAReplacedFile) {
  TempDir dir;
  fs::path path = dir.path() / "GeoLite2-City.mmdb";
  Locator locator({.db_path = path.string(), .recheck_interval = std::chrono::milliseconds(0)});
  EXPECT_EQ(locator.Lookup("81.2.69.142"), kNowhere);

  ReplaceAtomically(path, CityTestDatabase());  // appears
  EXPECT_EQ(locator.Lookup("81.2.69.142"), kLondon);

  // A broken replacement is not loaded: the database already open stays in use.
  testing::WriteFile(dir.path() / "broken", "garbage");
  ReplaceAtomically(path, dir.path() / "broken");
  EXPECT_EQ(locator.Lookup("81.2.69.142"), kLondon);

  ReplaceAtomically(path, CityTestDatabase());  // a good one again
  EXPECT_EQ(locator.Lookup("81.2.69.142"), kLondon);
  EXPECT_TRUE(locator.HasDatabase());

  fs::remove(path);  // gone: no more locations
  EXPECT_EQ(locator.Lookup("81.2.69.142"), kNowhere);
  EXPECT_FALSE(locator.HasDatabase());
}

TEST(LocatorTest, RechecksTheFileAtMostOncePerInterval) {
  TempDir dir;
  fs::path path = dir.path() / "GeoLite2-City.mmdb";
  Locator locator({.db_path = path.string(), .recheck_interval = std::chrono::hours(1)});
  EXPECT_EQ(locator.Lookup("81.2.69.142"), kNowhere);  // this lookup spends the first check
  ReplaceAtomically(path, CityTestDatabase());
  EXPECT_EQ(locator.Lookup("81.2.69.142"), kNowhere);  // not looked at again yet
  locator.Reload();                                     // the refresher's explicit reload
  EXPECT_EQ(locator.Lookup("81.2.69.142"), kLondon);
}

TEST(LocatorTest, LookupsRaceWithReplacementsSafely) {
  TempDir dir;
  fs::path path = dir.path() / "GeoLite2-City.mmdb";
  fs::copy_file(CityTestDatabase(), path);
  Locator locator({.db_path = path.string(), .recheck_interval = std::chrono::milliseconds(0)});
  std::atomic<bool> done{false};
  std::atomic<int> wrong{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&] {
      while (!done) {
        auto where = locator.Lookup("81.2.69.142");
        if (!(where == kLondon) && !(where == kNowhere)) ++wrong;
      }
    });
  }
  for (int i = 0; i < 50; ++i) ReplaceAtomically(path, CityTestDatabase());
  done = true;
  for (auto& r : readers) r.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_EQ(locator.Lookup("81.2.69.142"), kLondon);
}

}  // namespace
}  // namespace pocketid::geoip
