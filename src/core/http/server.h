// The HTTP/1.1 server: Boost.Beast on one Asio io_context run by N threads, C++20 coroutines, one coroutine per
// connection. Everything Beast/Asio stays in server.cpp; callers pass a Handler over plain types.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/http/router.h"
#include "core/status/status.h"

namespace pocketid::http {

struct ServerOptions {
  std::string host = "0.0.0.0";
  std::string port = "1411";
  std::string unix_socket;                  // when set, listen here instead of host:port
  std::optional<unsigned> unix_socket_mode;  // chmod bits for the socket file
  int threads = 1;
  std::size_t max_header_bytes = 1 << 20;  // Pocket ID: MaxHeaderBytes 1 MiB
  std::size_t max_body_bytes = 10 << 20;   // Go's default cap for urlencoded bodies
  std::chrono::milliseconds header_timeout{10'000};  // ReadHeaderTimeout, counted from a request's first read
  std::chrono::milliseconds body_timeout{60'000};    // reading a body, writing a response
  std::chrono::milliseconds idle_timeout{120'000};   // keep-alive connection with no request in flight
  std::chrono::milliseconds shutdown_grace{5'000};   // in-flight requests get this long after SIGTERM/SIGINT
  bool handle_signals = true;              // stop gracefully on SIGTERM/SIGINT
};

class Server {
 public:
  Server(ServerOptions options, Handler handler);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens. The error message reads like Go's ("listen tcp 0.0.0.0:1411: address already in use").
  Status Listen();
  // "127.0.0.1:1411" or the socket path; valid after Listen(). With port "0" it shows the port picked.
  std::string BoundAddress() const;
  // Serves until Stop() (or a signal) and every connection has finished. Runs `threads` threads, this one included.
  void Run();
  // Thread-safe. Stops accepting, lets in-flight requests finish, closes idle keep-alive connections.
  void Stop();

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace pocketid::http
