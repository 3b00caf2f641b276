// Test helpers for the geoip tests: the MaxMind test database, scratch directories and a tiny HTTP server.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>

namespace pocketid::geoip::testing {

// $PID_FIXTURES_DIR/geoip/GeoLite2-City-Test.mmdb (else ../shared/fixtures beside the repository).
inline std::filesystem::path CityTestDatabase() {
  std::filesystem::path dir;
  if (const char* env = std::getenv("PID_FIXTURES_DIR"); env && *env) {
    dir = env;
  } else if (const char* src = std::getenv("PID_SOURCE_DIR"); src && *src) {
    dir = std::filesystem::path(src) / ".." / "shared" / "fixtures";
  } else {
    dir = "../shared/fixtures";
  }
  return dir / "geoip" / "GeoLite2-City-Test.mmdb";
}

inline std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void WriteFile(const std::filesystem::path& path, std::string_view data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
}

// A fresh directory under /tmp, removed with everything in it at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::string templ = (std::filesystem::temp_directory_path() / "pid-geoip-XXXXXX").string();
    path_ = ::mkdtemp(templ.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Answers every request on 127.0.0.1:<port> with the configured status and body, one connection at a time.
class HttpTestServer {
 public:
  HttpTestServer() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::listen(fd_, 8);
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }
  ~HttpTestServer() {
    stopping_ = true;
    ::shutdown(fd_, SHUT_RDWR);  // wakes accept()
    thread_.join();
    ::close(fd_);
  }

  void Respond(int status, std::string body) {
    std::lock_guard lock(mu_);
    status_ = status;
    body_ = std::move(body);
  }
  std::string Url(std::string_view path) const { return "http://127.0.0.1:" + std::to_string(port_) + std::string(path); }
  int requests() const { return requests_.load(); }
  std::string last_target() const {
    std::lock_guard lock(mu_);
    return last_target_;
  }

 private:
  void Serve() {
    while (!stopping_) {
      int client = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (client < 0) return;
      std::string request;
      char buf[4096];
      while (request.find("\r\n\r\n") == std::string::npos) {
        ssize_t n = ::recv(client, buf, sizeof buf, 0);
        if (n <= 0) break;
        request.append(buf, static_cast<size_t>(n));
      }
      std::string response;
      {
        std::lock_guard lock(mu_);
        auto first_space = request.find(' ');
        auto second_space = request.find(' ', first_space + 1);
        if (first_space != std::string::npos && second_space != std::string::npos) {
          last_target_ = request.substr(first_space + 1, second_space - first_space - 1);
        }
        response = "HTTP/1.1 " + std::to_string(status_) + " X\r\nContent-Length: " + std::to_string(body_.size()) +
                   "\r\nConnection: close\r\n\r\n" + body_;
      }
      ++requests_;
      for (size_t done = 0; done < response.size();) {
        ssize_t n = ::send(client, response.data() + done, response.size() - done, MSG_NOSIGNAL);
        if (n <= 0) break;
        done += static_cast<size_t>(n);
      }
      ::close(client);
    }
  }

  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> requests_{0};
  mutable std::mutex mu_;
  int status_ = 200;
  std::string body_;
  std::string last_target_;
  std::thread thread_;
};

}  // namespace pocketid::geoip::testing
