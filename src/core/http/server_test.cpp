#include "core/http/server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include <gtest/gtest.h>

namespace pocketid::http {
namespace {

// A blocking test client over a raw socket, so the tests see exactly what goes over the wire.
class RawClient {
 public:
  static RawClient Tcp(const std::string& bound) {
    auto colon = bound.rfind(':');
    int port = std::stoi(bound.substr(colon + 1));
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    ::inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    return RawClient(fd);
  }
  static RawClient Unix(const std::string& path) {
    int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path.c_str());
    EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    return RawClient(fd);
  }
  RawClient(RawClient&& o) noexcept : fd_(std::exchange(o.fd_, -1)), pending_(std::move(o.pending_)) {}
  ~RawClient() {
    if (fd_ >= 0) ::close(fd_);
  }
  void Send(const std::string& data) { ASSERT_EQ(::send(fd_, data.data(), data.size(), MSG_NOSIGNAL), (ssize_t)data.size()); }
  // Reads one response: headers, then Content-Length bytes (none for HEAD).
  std::string ReadResponse(bool head = false) {
    std::string out = std::exchange(pending_, {});  // bytes of a later (pipelined) response read last time
    char buf[4096];
    size_t header_end = std::string::npos;
    size_t want = 0;
    for (;;) {
      if (header_end == std::string::npos) {
        header_end = out.find("\r\n\r\n");
        if (header_end != std::string::npos) {
          auto cl = out.find("Content-Length: ");
          size_t len = (cl != std::string::npos && cl < header_end) ? std::stoul(out.substr(cl + 16)) : 0;
          want = header_end + 4 + (head ? 0 : len);
        }
      }
      if (header_end != std::string::npos && out.size() >= want) {
        pending_ = out.substr(want);
        out.resize(want);
        return out;
      }
      ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) return out;
      out.append(buf, static_cast<size_t>(n));
    }
  }
  bool ClosedByPeer() {
    char c;
    return ::recv(fd_, &c, 1, 0) == 0;
  }

 private:
  explicit RawClient(int fd) : fd_(fd) {}
  int fd_;
  std::string pending_;
};

class ServerTest : public ::testing::Test {
 protected:
  void Start(ServerOptions o, Handler h) {
    o.handle_signals = false;
    server_ = std::make_unique<Server>(std::move(o), std::move(h));
    ASSERT_TRUE(server_->Listen().ok());
    thread_ = std::thread([this] { server_->Run(); });
  }
  void TearDown() override {
    if (thread_.joinable()) {
      server_->Stop();
      thread_.join();
    }
  }
  ServerOptions Loopback() {
    ServerOptions o;
    o.host = "127.0.0.1";
    o.port = "0";
    o.threads = 2;
    return o;
  }
  std::unique_ptr<Server> server_;
  std::thread thread_;
};

Handler Echo() {
  return [](Request& req) {
    return Response::Text(200, std::string(MethodName(req.method)) + " " + req.path + " q=" + req.query + " body=" +
                                   req.body);
  };
}

TEST_F(ServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  Start(Loopback(), Echo());
  auto c = RawClient::Tcp(server_->BoundAddress());
  c.Send("GET /a%20b?x=1 HTTP/1.1\r\nHost: t\r\n\r\n");
  std::string r1 = c.ReadResponse();
  EXPECT_NE(r1.find("HTTP/1.1 200 OK"), std::string::npos);
  EXPECT_NE(r1.find("GET /a b q=x=1 body="), std::string::npos);
  c.Send("POST /p HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello");
  std::string r2 = c.ReadResponse();
  EXPECT_NE(r2.find("POST /p q= body=hello"), std::string::npos);
}

TEST_F(ServerTest, HeadHasLengthButNoBody) {
  Start(Loopback(), Echo());
  auto c = RawClient::Tcp(server_->BoundAddress());
  c.Send("HEAD /x HTTP/1.1\r\nHost: t\r\n\r\n");
  std::string r = c.ReadResponse(/*head=*/true);
  EXPECT_NE(r.find("HTTP/1.1 200 OK"), std::string::npos);
  EXPECT_NE(r.find("Content-Length: 15"), std::string::npos);  // "GET /x q= body=" would be the body
  EXPECT_EQ(r.substr(r.find("\r\n\r\n") + 4), "");
  // The connection still works afterwards: no stray body bytes were sent.
  c.Send("GET /y HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_NE(c.ReadResponse().find("GET /y"), std::string::npos);
}

TEST_F(ServerTest, HeaderValuesCannotSplitTheResponse) {
  Start(Loopback(), [](Request& req) { return Response::Redirect(301, req.path); });
  auto c = RawClient::Tcp(server_->BoundAddress());
  c.Send("GET /a%0D%0ASet-Cookie:%20x=1 HTTP/1.1\r\nHost: t\r\n\r\n");
  std::string r = c.ReadResponse();
  EXPECT_NE(r.find("Location: /a  Set-Cookie: x=1\r\n"), std::string::npos) << r;
  EXPECT_EQ(r.find("\r\nSet-Cookie"), std::string::npos);
}

TEST_F(ServerTest, RejectsOversizedHeadersAndBodies) {
  ServerOptions o = Loopback();
  o.max_header_bytes = 1024;
  o.max_body_bytes = 16;
  Start(o, Echo());
  auto c = RawClient::Tcp(server_->BoundAddress());
  c.Send("GET / HTTP/1.1\r\nHost: t\r\nX-Big: " + std::string(2000, 'a') + "\r\n\r\n");
  EXPECT_NE(c.ReadResponse().find("431"), std::string::npos);
  auto d = RawClient::Tcp(server_->BoundAddress());
  d.Send("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\n" + std::string(100, 'b'));
  EXPECT_NE(d.ReadResponse().find("413"), std::string::npos);
  auto e = RawClient::Tcp(server_->BoundAddress());
  e.Send("NOT HTTP AT ALL\r\n\r\n");
  EXPECT_NE(e.ReadResponse().find("400"), std::string::npos);
}

TEST_F(ServerTest, GracefulStopFinishesInFlightAndClosesIdle) {
  std::atomic<bool> entered{false};
  Start(Loopback(), [&](Request& req) {
    if (req.path == "/slow") {
      entered = true;
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
    }
    return Response::Text(200, "done");
  });
  auto idle = RawClient::Tcp(server_->BoundAddress());
  idle.Send("GET /fast HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_NE(idle.ReadResponse().find("done"), std::string::npos);

  auto busy = RawClient::Tcp(server_->BoundAddress());
  busy.Send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n");
  while (!entered) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  server_->Stop();
  std::string r = busy.ReadResponse();
  EXPECT_NE(r.find("200 OK"), std::string::npos);
  EXPECT_NE(r.find("Connection: close"), std::string::npos);
  EXPECT_TRUE(idle.ClosedByPeer());
  thread_.join();  // Run() returns once the connections are done, well before the 5 s grace period
}

TEST_F(ServerTest, PipelinedRequestsInOnePacketAreAnsweredInOrder) {
  Start(Loopback(), Echo());
  auto c = RawClient::Tcp(server_->BoundAddress());
  c.Send("GET /one HTTP/1.1\r\nHost: t\r\n\r\nPOST /two HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabc"
         "GET /three HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_NE(c.ReadResponse().find("GET /one"), std::string::npos);
  EXPECT_NE(c.ReadResponse().find("POST /two q= body=abc"), std::string::npos);
  EXPECT_NE(c.ReadResponse().find("GET /three"), std::string::npos);
}

TEST_F(ServerTest, AnswerToAPipelinedRequestIsNotHeldBackByAnIncompleteNextOne) {
  Start(Loopback(), Echo());
  auto c = RawClient::Tcp(server_->BoundAddress());
  c.Send("GET /first HTTP/1.1\r\nHost: t\r\n\r\nGET /second HTTP/1.1\r\n");  // the second is unfinished
  EXPECT_NE(c.ReadResponse().find("GET /first"), std::string::npos);
  c.Send("Host: t\r\n\r\n");
  EXPECT_NE(c.ReadResponse().find("GET /second"), std::string::npos);
}

TEST_F(ServerTest, RequestArrivingByteByByteIsAssembled) {
  Start(Loopback(), Echo());
  auto c = RawClient::Tcp(server_->BoundAddress());
  std::string request = "POST /slowly?a=1 HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\n\r\nbody";
  for (char ch : request) {
    c.Send(std::string(1, ch));
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  EXPECT_NE(c.ReadResponse().find("POST /slowly q=a=1 body=body"), std::string::npos);
}

TEST_F(ServerTest, IdleKeepAliveConnectionIsClosedAfterTheIdleTimeout) {
  ServerOptions o = Loopback();
  o.idle_timeout = std::chrono::milliseconds(150);
  Start(o, Echo());
  auto c = RawClient::Tcp(server_->BoundAddress());
  c.Send("GET /a HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_NE(c.ReadResponse().find("GET /a"), std::string::npos);
  auto before = std::chrono::steady_clock::now();
  EXPECT_TRUE(c.ClosedByPeer());
  EXPECT_GE(std::chrono::steady_clock::now() - before, std::chrono::milliseconds(100));
}

TEST_F(ServerTest, IncompleteHeaderIsCutOffAtTheHeaderTimeoutEvenWithALongIdleTimeout) {
  ServerOptions o = Loopback();
  o.idle_timeout = std::chrono::seconds(60);
  o.header_timeout = std::chrono::milliseconds(150);
  Start(o, Echo());
  auto c = RawClient::Tcp(server_->BoundAddress());
  c.Send("GET /a HTTP/1.1\r\nHost: t\r\n");  // never finished
  auto before = std::chrono::steady_clock::now();
  EXPECT_TRUE(c.ClosedByPeer());
  EXPECT_LT(std::chrono::steady_clock::now() - before, std::chrono::seconds(10));
}

TEST_F(ServerTest, ListensOnUnixSocket) {
  auto path = std::filesystem::temp_directory_path() / ("pid-http-" + std::to_string(::getpid()) + ".sock");
  ServerOptions o;
  o.unix_socket = path.string();
  o.unix_socket_mode = 0660;
  Start(o, Echo());
  EXPECT_EQ(std::filesystem::status(path).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write |
                std::filesystem::perms::group_read | std::filesystem::perms::group_write);
  auto c = RawClient::Unix(path.string());
  c.Send("GET /u HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_NE(c.ReadResponse().find("GET /u"), std::string::npos);
}

TEST(ServerListenTest, ReportsAddressInUse) {
  ServerOptions o;
  o.host = "127.0.0.1";
  o.port = "0";
  Server first(o, Echo());
  ASSERT_TRUE(first.Listen().ok());
  std::string bound = first.BoundAddress();
  o.port = bound.substr(bound.rfind(':') + 1);
  Server second(o, Echo());
  Status s = second.Listen();
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("listen tcp 127.0.0.1:" + o.port), std::string::npos);
  EXPECT_NE(s.message().find("in use"), std::string::npos);
}

}  // namespace
}  // namespace pocketid::http
