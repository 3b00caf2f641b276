#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

#include "core/crypto/encoding.h"
#include "core/crypto/hash.h"
#include "core/crypto/random.h"
#include "core/db/db_test_util.h"
#include "core/db/migrate.h"
#include "oidcclients/logo.h"
#include "oidcclients/logo_fetch.h"

namespace pocketid::oidcclients {
namespace {

namespace ip = boost::asio::ip;
using db::testing::StatusText;

// The shared image fixtures: $PID_FIXTURES_DIR (scripts/test.sh), else ../shared/fixtures beside the repository.
std::filesystem::path ImagesDir() {
  if (const char* env = std::getenv("PID_FIXTURES_DIR"); env != nullptr && *env != '\0') {
    return std::filesystem::path(env) / "images";
  }
  const char* source = std::getenv("PID_SOURCE_DIR");
  return std::filesystem::path(source != nullptr ? source : ".") / ".." / "shared" / "fixtures" / "images";
}

std::string Fixture(const std::string& name) {
  std::ifstream in(ImagesDir() / name, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(LogoTest, TypesAndPaths) {
  EXPECT_EQ(FileExtension("logo.PNG"), "PNG");
  EXPECT_EQ(FileExtension("archive.tar.gz"), "gz");
  EXPECT_EQ(FileExtension("png"), "png");  // Pocket ID: no dot means the whole name
  EXPECT_EQ(FileExtension("/images/logo"), "/images/logo");
  EXPECT_EQ(FileExtension("/a.b/logo"), "/a.b/logo");
  EXPECT_EQ(FileExtension("trailing."), "");
  EXPECT_EQ(ImageMimeType("svg"), "image/svg+xml");
  EXPECT_EQ(ImageMimeType("jpeg"), "image/jpeg");
  EXPECT_EQ(ImageMimeType("PNG"), "");
  EXPECT_EQ(ImageMimeType("exe"), "");
  EXPECT_EQ(ImageExtensionFromMimeType("Image/PNG; charset=binary"), "png");
  EXPECT_EQ(ImageExtensionFromMimeType("image/vnd.microsoft.icon"), "ico");
  EXPECT_EQ(ImageExtensionFromMimeType("text/html"), "");
  EXPECT_EQ(LogoPath("my-app", true, "png"), "oidc-client-images/my-app.png");
  EXPECT_EQ(LogoPath("my-app", false, "svg"), "oidc-client-images/my-app-dark.svg");
  // URL client ids (CIMD) are stored under their hash.
  const std::string url = "https://app.example.com/client.json";
  EXPECT_EQ(LogoPath(url, true, "png"), "oidc-client-images/cimd-" + crypto::HexEncode(crypto::Sha256(url)) + ".png");
}

TEST(LogoTest, StripsJpegExif) {
  std::string jpeg = Fixture("clouds.jpg");
  ASSERT_GT(jpeg.size(), 1000u);
  ASSERT_NE(jpeg.find(std::string("Exif\0\0", 6)), std::string::npos);
  std::string stripped = StripImageMetadata(jpeg, "JPG");
  EXPECT_EQ(stripped.size(), jpeg.size() - 204);  // the 202-byte APP1 segment and its marker
  EXPECT_EQ(stripped.find(std::string("Exif\0\0", 6)), std::string::npos);
  EXPECT_EQ(stripped.substr(0, 2), "\xFF\xD8");
  EXPECT_EQ(stripped.substr(stripped.size() - 2), "\xFF\xD9");
  EXPECT_NE(stripped.find("JFIF"), std::string::npos);  // other segments stay
  // Not a JPEG after all: unchanged.
  EXPECT_EQ(StripImageMetadata("not an image", "jpg"), "not an image");
  EXPECT_EQ(StripImageMetadata(jpeg.substr(0, 100), "jpg"), jpeg.substr(0, 100));
}

TEST(LogoTest, StripsPngAndWebpMetadata) {
  std::string png = Fixture("cloud-logo.png");
  EXPECT_EQ(StripImageMetadata(png, "png"), png);  // nothing to strip
  // Insert an eXIf chunk after IHDR (8 + 25 bytes).
  std::string exif_chunk = std::string("\0\0\0\4eXIf", 8) + "abcd" + std::string("\1\2\3\4", 4);
  std::string with_exif = png.substr(0, 33) + exif_chunk + png.substr(33);
  EXPECT_EQ(StripImageMetadata(with_exif, "png"), png);

  auto chunk = [](std::string type, std::string payload) {
    std::string c = type;
    uint32_t n = static_cast<uint32_t>(payload.size());
    c += std::string{static_cast<char>(n & 0xff), static_cast<char>((n >> 8) & 0xff), static_cast<char>((n >> 16) & 0xff),
                     static_cast<char>(n >> 24)};
    c += payload;
    if (payload.size() % 2) c.push_back('\0');
    return c;
  };
  std::string vp8x = chunk("VP8X", std::string("\x0c\0\0\0\0\0\0\0\0\0", 10));
  std::string body = vp8x + chunk("VP8 ", "abc") + chunk("EXIF", "exif!") + chunk("XMP ", "<x/>");
  auto riff = [](const std::string& b) {
    uint32_t n = static_cast<uint32_t>(b.size() + 4);
    return std::string("RIFF") +
           std::string{static_cast<char>(n & 0xff), static_cast<char>((n >> 8) & 0xff), static_cast<char>((n >> 16) & 0xff),
                       static_cast<char>(n >> 24)} +
           "WEBP" + b;
  };
  std::string expected_vp8x = chunk("VP8X", std::string(10, '\0'));
  EXPECT_EQ(StripImageMetadata(riff(body), "webp"), riff(expected_vp8x + chunk("VP8 ", "abc")));
}

TEST(LogoFetchTest, PrivateAddresses) {
  auto a = [](const char* s) { return ip::make_address(s); };
  for (const char* priv : {"127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "100.64.0.1",
                           "169.254.169.254", "224.0.0.251", "0.0.0.0", "::1", "::", "fd00::1", "fe80::1", "ff02::1",
                           "::ffff:127.0.0.1", "::ffff:10.0.0.1"}) {
    EXPECT_TRUE(IsPrivateAddress(a(priv), {})) << priv;
  }
  for (const char* pub : {"1.1.1.1", "172.32.0.1", "100.128.0.1", "8.8.8.8", "2606:4700::1111", "::ffff:8.8.8.8"}) {
    EXPECT_FALSE(IsPrivateAddress(a(pub), {})) << pub;
  }
  auto range = config::ParseCidr("2001:db8::/32");
  ASSERT_TRUE(range.ok());
  std::vector<config::IpNetwork> ranges{*range};
  EXPECT_TRUE(IsPrivateAddress(a("2001:db8::5"), ranges));
  EXPECT_FALSE(IsPrivateAddress(a("2001:db9::5"), ranges));
}

// A one-thread HTTP/1.1 server on 127.0.0.1 answering each path with a canned raw response.
class CannedServer {
 public:
  CannedServer() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::listen(fd_, 16);
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }
  ~CannedServer() {
    stop_ = true;
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    thread_.join();
  }

  std::string Url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port_) + path; }
  void Set(const std::string& path, std::string raw) {
    std::lock_guard lock(mu_);
    responses_[path] = std::move(raw);
  }
  int requests() const { return requests_; }
  std::string last_request() {
    std::lock_guard lock(mu_);
    return last_request_;
  }

  static std::string Ok(const std::string& type, const std::string& body) {
    return "HTTP/1.1 200 OK\r\nContent-Type: " + type + "\r\nContent-Length: " + std::to_string(body.size()) +
           "\r\nConnection: close\r\n\r\n" + body;
  }
  static std::string Redirect(const std::string& location) {
    return "HTTP/1.1 302 Found\r\nLocation: " + location + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
  }

 private:
  void Serve() {
    while (!stop_) {
      int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) return;
      std::string request;
      char buf[4096];
      while (request.find("\r\n\r\n") == std::string::npos) {
        ssize_t n = ::read(c, buf, sizeof buf);
        if (n <= 0) break;
        request.append(buf, static_cast<size_t>(n));
      }
      ++requests_;
      std::string path = request.substr(4, request.find(' ', 4) - 4);
      std::string response;
      {
        std::lock_guard lock(mu_);
        last_request_ = request;
        auto it = responses_.find(path);
        response = it != responses_.end() ? it->second
                                          : "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
      }
      for (size_t sent = 0; sent < response.size();) {
        ssize_t n = ::send(c, response.data() + sent, response.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) break;
        sent += static_cast<size_t>(n);
      }
      ::close(c);
    }
  }

  int fd_ = -1;
  uint16_t port_ = 0;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<int> requests_{0};
  std::mutex mu_;
  std::map<std::string, std::string> responses_;
  std::string last_request_;
};

// The test server lives on loopback, so these fetchers only forbid 127.0.0.2 (to exercise the redirect check).
LogoFetcher LoopbackFetcher() {
  LogoFetcher::Options o;
  o.forbidden = [](const ip::address& a) { return a == ip::make_address("127.0.0.2"); };
  o.timeout = std::chrono::milliseconds(5000);
  return LogoFetcher(std::move(o));
}

FetchedLogo Fetched(const http::ApiResult<FetchedLogo>& r) {
  if (auto* e = std::get_if<http::ApiError>(&r)) ADD_FAILURE() << e->code << ": " << e->message;
  return std::holds_alternative<FetchedLogo>(r) ? std::get<FetchedLogo>(r) : FetchedLogo{};
}

std::string ErrorCode(const http::ApiResult<FetchedLogo>& r) {
  return std::holds_alternative<http::ApiError>(r) ? std::get<http::ApiError>(r).code : "ok";
}

TEST(LogoFetchTest, RefusesNonPublicUrls) {
  LogoFetcher fetcher = LogoFetcher::Public({});
  for (const char* url : {"http://127.0.0.1/logo.png", "https://[::1]/logo.png", "http://localhost/logo.png",
                          "http://10.0.0.8/x.png", "http://169.254.169.254/latest/meta-data", "ftp://example.com/a.png",
                          "file:///etc/passwd", "/relative.png", "not a url", "http:///nohost.png"}) {
    auto r = fetcher.Fetch(url);
    ASSERT_TRUE(std::holds_alternative<http::ApiError>(r)) << url;
    const auto& e = std::get<http::ApiError>(r);
    EXPECT_EQ(e.status, 400) << url;
    EXPECT_EQ(e.code, "validation_failed") << url;
    EXPECT_EQ(e.message, "Logo URL is not allowed");
    EXPECT_EQ(e.details.at("fields").as_array()[0].as_object().at("field"), "logoUrl");
  }
  // A name that does not resolve is a failed download, not a bad URL.
  auto r = fetcher.Fetch("https://does-not-exist.invalid/logo.png");
  EXPECT_EQ(ErrorCode(r), "logo_download_failed");
  EXPECT_EQ(std::get<http::ApiError>(r).status, 422);
}

TEST(LogoFetchTest, DownloadsAndDetectsTheType) {
  CannedServer server;
  std::string png = Fixture("cloud-logo.png");
  server.Set("/logo.png", CannedServer::Ok("application/octet-stream", png));
  server.Set("/logo", CannedServer::Ok("image/svg+xml; charset=utf-8", "<svg/>"));
  server.Set("/logo.txt", CannedServer::Ok("text/plain", "hello"));
  server.Set("/start", CannedServer::Redirect("/logo.png"));
  LogoFetcher fetcher = LoopbackFetcher();

  const auto direct = Fetched(fetcher.Fetch(server.Url("/logo.png")));
  EXPECT_EQ(direct.ext, "png");
  EXPECT_EQ(direct.data, png);
  EXPECT_NE(server.last_request().find("User-Agent: pocket-id/oidc-logo-fetcher"), std::string::npos);
  EXPECT_NE(server.last_request().find("Accept: image/*"), std::string::npos);

  EXPECT_EQ(Fetched(fetcher.Fetch(server.Url("/logo"))).ext, "svg");  // from the Content-Type
  EXPECT_EQ(ErrorCode(fetcher.Fetch(server.Url("/logo.txt"))), "logo_type_not_supported");
  EXPECT_EQ(ErrorCode(fetcher.Fetch(server.Url("/missing.png"))), "logo_download_failed");

  // The extension comes from the URL that was asked for, the bytes from where it redirected.
  server.Set("/start.png", CannedServer::Redirect("/logo"));
  const auto redirected = Fetched(fetcher.Fetch(server.Url("/start.png")));
  EXPECT_EQ(redirected.ext, "png");
  EXPECT_EQ(redirected.data, "<svg/>");
  EXPECT_EQ(ErrorCode(fetcher.Fetch(server.Url("/start"))), "logo_type_not_supported");
}

TEST(LogoFetchTest, ChecksEveryRedirectAndCountsThem) {
  CannedServer server;
  server.Set("/to-forbidden.png", CannedServer::Redirect("http://127.0.0.2:1/x.png"));
  for (int i = 0; i < 12; ++i) {
    server.Set("/hop" + std::to_string(i) + ".png", CannedServer::Redirect("/hop" + std::to_string(i + 1) + ".png"));
  }
  server.Set("/hop9.png", CannedServer::Ok("image/png", "png-bytes"));
  LogoFetcher fetcher = LoopbackFetcher();

  auto forbidden = fetcher.Fetch(server.Url("/to-forbidden.png"));
  EXPECT_EQ(ErrorCode(forbidden), "validation_failed");

  // hop0 → ... → hop9: nine redirects, ten requests, is allowed.
  EXPECT_EQ(Fetched(fetcher.Fetch(server.Url("/hop0.png"))).data, "png-bytes");
  server.Set("/hop9.png", CannedServer::Redirect("/hop10.png"));
  server.Set("/hop10.png", CannedServer::Ok("image/png", "png-bytes"));
  int before = server.requests();
  auto too_many = fetcher.Fetch(server.Url("/hop0.png"));
  EXPECT_EQ(ErrorCode(too_many), "validation_failed");
  EXPECT_EQ(server.requests() - before, 10);
}

TEST(LogoFetchTest, RefusesLargeLogos) {
  CannedServer server;
  std::string big(kMaxLogoBytes + 1, 'x');
  server.Set("/big.png", CannedServer::Ok("image/png", big));
  // No Content-Length: the limit applies while reading.
  server.Set("/chunked.png", "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nConnection: close\r\n\r\n" + big);
  server.Set("/ok.png", CannedServer::Ok("image/png", std::string(kMaxLogoBytes, 'x')));
  LogoFetcher fetcher = LoopbackFetcher();
  auto r = fetcher.Fetch(server.Url("/big.png"));
  EXPECT_EQ(ErrorCode(r), "logo_too_large");
  EXPECT_EQ(std::get<http::ApiError>(r).message, "Downloaded logo must not exceed 2 MB");
  EXPECT_EQ(ErrorCode(fetcher.Fetch(server.Url("/chunked.png"))), "logo_too_large");
  EXPECT_EQ(Fetched(fetcher.Fetch(server.Url("/ok.png"))).data.size(), kMaxLogoBytes);
}

}  // namespace
}  // namespace pocketid::oidcclients
