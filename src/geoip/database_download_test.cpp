#include "geoip/database_download.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "geoip/locator.h"
#include "geoip/refresher.h"
#include "geoip/test_support.h"

namespace pocketid::geoip {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using testing::CityTestDatabase;
using testing::HttpTestServer;
using testing::ReadFile;
using testing::TempDir;
using testing::WriteFile;

const Location kLondon{"United Kingdom", "London"};

// MaxMind's layout: GeoLite2-City_<date>/{COPYRIGHT.txt, LICENSE.txt, GeoLite2-City.mmdb}, made with tar(1).
std::string MakeTarGz(const TempDir& dir, bool with_database, const std::string& folder = "GeoLite2-City_20250101") {
  fs::path root = dir.path() / "archive";
  fs::create_directories(root / folder);
  WriteFile(root / folder / "LICENSE.txt", "license text");
  if (with_database) fs::copy_file(CityTestDatabase(), root / folder / "GeoLite2-City.mmdb");
  WriteFile(root / folder / "COPYRIGHT.txt", "copyright");
  fs::path out = dir.path() / "db.tar.gz";
  std::string cmd = "tar -czf '" + out.string() + "' -C '" + root.string() + "' " + folder;
  EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
  fs::remove_all(root);
  return ReadFile(out);
}

std::vector<std::string> FilesIn(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

bool WaitUntil(const std::function<bool()>& done, std::chrono::milliseconds limit = 10s) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return done();
}

TEST(DownloadUrlTest, ReplacesThePlaceholderWithTheLicenseKey) {
  EXPECT_EQ(DownloadUrl(config::kDefaultGeoLiteDbUrl, "KEY"),
            "https://download.maxmind.com/app/geoip_download?edition_id=GeoLite2-City&license_key=KEY&suffix=tar.gz");
  EXPECT_EQ(DownloadUrl("http://mirror/db.mmdb", "KEY"), "http://mirror/db.mmdb");
}

TEST(AutoRefreshTest, DisabledOnlyWithoutKeyOnTheDefaultUrl) {
  EXPECT_FALSE(AutoRefreshEnabled("", config::kDefaultGeoLiteDbUrl));
  EXPECT_TRUE(AutoRefreshEnabled("key", config::kDefaultGeoLiteDbUrl));
  EXPECT_TRUE(AutoRefreshEnabled("", "http://mirror.local/GeoLite2-City.mmdb"));
}

TEST(ExtractDatabaseTest, RawDatabaseIsTakenAsIs) {
  std::string raw = ReadFile(CityTestDatabase());
  ASSERT_FALSE(raw.empty());
  auto out = ExtractDatabase(raw);
  ASSERT_TRUE(out.ok()) << out.status().message();
  EXPECT_EQ(*out, raw);
}

TEST(ExtractDatabaseTest, TarGzYieldsTheCityDatabase) {
  TempDir dir;
  auto out = ExtractDatabase(MakeTarGz(dir, true));
  ASSERT_TRUE(out.ok()) << out.status().message();
  EXPECT_EQ(*out, ReadFile(CityTestDatabase()));
}

TEST(ExtractDatabaseTest, LongFolderNamesWork) {
  TempDir dir;
  std::string folder(120, 'd');  // longer than the 100-byte name field: GNU long name / ustar prefix
  auto out = ExtractDatabase(MakeTarGz(dir, true, folder));
  ASSERT_TRUE(out.ok()) << out.status().message();
  EXPECT_EQ(*out, ReadFile(CityTestDatabase()));
}

TEST(ExtractDatabaseTest, RejectsWhatIsNotADatabase) {
  TempDir dir;
  EXPECT_EQ(ExtractDatabase(MakeTarGz(dir, false)).status().code(), StatusCode::kNotFound);
  EXPECT_FALSE(ExtractDatabase("<html>Invalid license key</html>").ok());
  EXPECT_FALSE(ExtractDatabase("").ok());
  std::string gz = MakeTarGz(dir, true);
  EXPECT_FALSE(ExtractDatabase(std::string_view(gz).substr(0, gz.size() / 2)).ok());  // truncated
  std::string corrupt = gz;
  for (size_t i = 20; i < corrupt.size() && i < 400; ++i) corrupt[i] = static_cast<char>(corrupt[i] ^ 0x5A);
  EXPECT_FALSE(ExtractDatabase(corrupt).ok());
  std::string raw = ReadFile(CityTestDatabase());
  EXPECT_FALSE(ExtractDatabase(raw, raw.size() - 1).ok());  // over the size limit
}

TEST(InstallDatabaseTest, ReplacesTheTargetAndLeavesNoTemporaryFile) {
  TempDir dir;
  fs::path target = dir.path() / "sub" / "GeoLite2-City.mmdb";
  ASSERT_TRUE(InstallDatabase(ReadFile(CityTestDatabase()), target.string()).ok());
  EXPECT_EQ(ReadFile(target), ReadFile(CityTestDatabase()));
  EXPECT_EQ(FilesIn(target.parent_path()), std::vector<std::string>{"GeoLite2-City.mmdb"});
}

TEST(InstallDatabaseTest, AFileThatDoesNotOpenNeverReplacesTheTarget) {
  TempDir dir;
  fs::path target = dir.path() / "GeoLite2-City.mmdb";
  WriteFile(target, "previous");
  // Carries the metadata marker, so it passes ExtractDatabase, but libmaxminddb cannot open it.
  std::string fake = std::string(1000, 'x') + "\xAB\xCD\xEF" "MaxMind.com" + std::string(10, '\0');
  ASSERT_TRUE(ExtractDatabase(fake).ok());
  EXPECT_FALSE(InstallDatabase(fake, target.string()).ok());
  EXPECT_EQ(ReadFile(target), "previous");
  EXPECT_EQ(FilesIn(dir.path()), std::vector<std::string>{"GeoLite2-City.mmdb"});
}

TEST(DownloadDatabaseTest, TarGzFromAnHttpServer) {
  TempDir dir;
  HttpTestServer server;
  server.Respond(200, MakeTarGz(dir, true));
  fs::path target = dir.path() / "data" / "GeoLite2-City.mmdb";
  Status s = DownloadDatabase({DownloadUrl(server.Url("/geoip?license_key=%s"), "abc"), 10s, nullptr}, target.string());
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(server.last_target(), "/geoip?license_key=abc");
  EXPECT_EQ(ReadFile(target), ReadFile(CityTestDatabase()));
  EXPECT_EQ(Locator({.db_path = target.string()}).Lookup("81.2.69.142"), kLondon);
}

TEST(DownloadDatabaseTest, RawDatabaseFromAnHttpServer) {
  TempDir dir;
  HttpTestServer server;
  server.Respond(200, ReadFile(CityTestDatabase()));
  fs::path target = dir.path() / "GeoLite2-City.mmdb";
  Status s = DownloadDatabase({server.Url("/GeoLite2-City.mmdb"), 10s, nullptr}, target.string());
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(ReadFile(target), ReadFile(CityTestDatabase()));
}

TEST(DownloadDatabaseTest, GarbageOrErrorsLeaveTheTargetAlone) {
  TempDir dir;
  HttpTestServer server;
  fs::path target = dir.path() / "GeoLite2-City.mmdb";
  WriteFile(target, "previous");
  server.Respond(200, "<html>not a database</html>");
  EXPECT_FALSE(DownloadDatabase({server.Url("/db"), 10s, nullptr}, target.string()).ok());
  server.Respond(401, "Invalid license key");
  Status unauthorized = DownloadDatabase({server.Url("/db"), 10s, nullptr}, target.string());
  EXPECT_FALSE(unauthorized.ok());
  EXPECT_NE(unauthorized.message().find("HTTP 401"), std::string::npos) << unauthorized.message();
  EXPECT_EQ(ReadFile(target), "previous");
  EXPECT_EQ(FilesIn(dir.path()), std::vector<std::string>{"GeoLite2-City.mmdb"});
  // Nobody listening.
  EXPECT_FALSE(DownloadDatabase({"http://127.0.0.1:1/db", 5s, nullptr}, target.string()).ok());
}

TEST(RefresherTest, DownloadsAMissingDatabaseAndReloadsTheLocator) {
  TempDir dir;
  HttpTestServer server;
  server.Respond(200, MakeTarGz(dir, true));
  fs::path target = dir.path() / "GeoLite2-City.mmdb";
  Locator locator({.db_path = target.string(), .recheck_interval = std::chrono::hours(1)});
  EXPECT_EQ(locator.Lookup("81.2.69.142"), (Location{}));
  Refresher refresher({.db_path = target.string(), .url = server.Url("/db?k=%s"), .license_key = "secret",
                       .jitter = 0ms, .retry_after = 50ms},
                      &locator);
  ASSERT_TRUE(WaitUntil([&] { return refresher.successes() == 1; }));
  EXPECT_EQ(server.last_target(), "/db?k=secret");
  EXPECT_EQ(locator.Lookup("81.2.69.142"), kLondon);  // reloaded right away, not at the next recheck
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(refresher.attempts(), 1);  // fresh now: the next refresh is 14 days away
}

TEST(RefresherTest, AFreshDatabaseIsNotDownloaded) {
  TempDir dir;
  HttpTestServer server;
  fs::path target = dir.path() / "GeoLite2-City.mmdb";
  fs::copy_file(CityTestDatabase(), target);
  {
    Refresher refresher({.db_path = target.string(), .url = server.Url("/db"), .jitter = 0ms}, nullptr);
    std::this_thread::sleep_for(200ms);
    EXPECT_EQ(refresher.attempts(), 0);
  }
  EXPECT_EQ(server.requests(), 0);
}

TEST(RefresherTest, AStaleDatabaseIsDownloadedAgain) {
  TempDir dir;
  HttpTestServer server;
  server.Respond(200, ReadFile(CityTestDatabase()));
  fs::path target = dir.path() / "GeoLite2-City.mmdb";
  WriteFile(target, "old");
  fs::last_write_time(target, fs::file_time_type::clock::now() - std::chrono::hours(15 * 24));
  Refresher refresher({.db_path = target.string(), .url = server.Url("/db"), .jitter = 0ms}, nullptr);
  ASSERT_TRUE(WaitUntil([&] { return refresher.successes() == 1; }));
  EXPECT_EQ(ReadFile(target), ReadFile(CityTestDatabase()));
}

TEST(RefresherTest, RetriesAfterAFailureWithoutReplacingTheFile) {
  TempDir dir;
  HttpTestServer server;
  server.Respond(200, "garbage body");
  fs::path target = dir.path() / "GeoLite2-City.mmdb";
  Refresher refresher({.db_path = target.string(), .url = server.Url("/db"), .jitter = 0ms, .retry_after = 30ms},
                      nullptr);
  ASSERT_TRUE(WaitUntil([&] { return refresher.attempts() >= 3; }));
  EXPECT_EQ(refresher.successes(), 0);
  EXPECT_FALSE(fs::exists(target));
  EXPECT_TRUE(FilesIn(dir.path()).empty());  // no temporary files left behind
  server.Respond(200, ReadFile(CityTestDatabase()));
  ASSERT_TRUE(WaitUntil([&] { return refresher.successes() == 1; }));
  EXPECT_TRUE(fs::exists(target));
}

TEST(RefresherTest, StopsPromptlyWhileWaiting) {
  TempDir dir;
  HttpTestServer server;
  server.Respond(500, "down");
  auto started = std::chrono::steady_clock::now();
  {
    Refresher refresher({.db_path = (dir.path() / "x.mmdb").string(), .url = server.Url("/db"), .jitter = 0ms},
                        nullptr);  // fails, then waits an hour before retrying
    ASSERT_TRUE(WaitUntil([&] { return refresher.attempts() == 1; }));
  }
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
}

TEST(StartRefresherTest, NoThreadWithoutALicenseKeyOnTheDefaultUrl) {
  config::EnvConfig cfg;
  EXPECT_EQ(StartRefresher(cfg, nullptr), nullptr);
}

}  // namespace
}  // namespace pocketid::geoip
