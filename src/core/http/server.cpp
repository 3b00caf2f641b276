// The only translation unit that includes Boost.Beast / Asio.
#include "core/http/server.h"

#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <mutex>
#include <thread>
#include <unordered_set>
#include <vector>

#include <boost/asio.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>
#include <spdlog/spdlog.h>

namespace pocketid::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using unix_proto = asio::local::stream_protocol;
constexpr auto kUseAwaitable = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kReadChunk = 16 * 1024;
constexpr std::size_t kMaxBatchedResponseBytes = 64 * 1024;

namespace {

// State a connection shares with the server so a shutdown can close it while it waits for the next request.
struct ConnectionState {
  // Runs on the connection's strand only; cleared (on that strand) when the connection ends, so a close posted
  // by the shutdown path never touches a finished connection.
  std::function<void()> close_now;
  std::function<void(std::function<void()>)> post;  // posts onto the connection's strand
  std::atomic<bool> busy{false};
};

Request ToRequest(bhttp::request<bhttp::string_body>& in, const std::string& peer) {
  Request r;
  r.method_name = std::string(in.method_string());
  r.method = ParseMethod(r.method_name);
  if (r.method == Method::kHead) {
    r.method = Method::kGet;
    r.was_head = true;
  }
  r.target = std::string(in.target());
  std::string_view target = r.target;
  size_t q = target.find('?');
  std::string_view raw_path = target.substr(0, q);
  // Only a path with percent-escapes differs from its raw text once decoded (like Go's URL.Path); Boost.URL's parse
  // is the costly part, so plain paths skip it. A target that is not valid origin-form is routed on its raw text,
  // so the 404 handling still answers.
  if (raw_path.find('%') != std::string_view::npos) {
    if (auto parsed = boost::urls::parse_origin_form(r.target)) {
      r.path = parsed->path();
      r.query = std::string(parsed->encoded_query());
    }
  }
  if (r.path.empty()) {
    r.path = std::string(raw_path);
    if (q != std::string_view::npos) r.query = std::string(target.substr(q + 1));
  }
  for (const auto& field : in) {
    r.headers.Add(std::string(field.name_string()), std::string(field.value()));
  }
  r.body = std::move(in.body());
  r.peer_address = peer;
  return r;
}

void AppendWithoutLineBreaks(std::string& out, std::string_view text) {
  // A plain loop: find_first_of calls memchr on the two needles for every character of the text.
  if (std::none_of(text.begin(), text.end(), [](char c) { return c == '\r' || c == '\n'; })) {
    out += text;
    return;
  }
  for (char c : text) out.push_back(c == '\r' || c == '\n' ? ' ' : c);
}

// The status line, headers and (unless HEAD) body of `res` as bytes on the wire. Content-Length is always the
// body's size (for HEAD, the size it would have had). Connection follows the HTTP version's default.
std::string SerializeResponse(const Response& res, unsigned version, bool keep_alive, bool include_body) {
  std::string out;
  size_t size = 64 + res.body.size();
  for (const auto& [name, value] : res.headers.entries()) size += name.size() + value.size() + 4;
  out.reserve(size);
  out += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  out += std::to_string(res.status);
  out += ' ';
  out += bhttp::obsolete_reason(static_cast<bhttp::status>(res.status));
  out += "\r\n";
  for (const auto& [name, value] : res.headers.entries()) {
    if (EqualsIgnoreCase(name, "Content-Length") || EqualsIgnoreCase(name, "Connection")) continue;
    // A CR or LF in a header (a decoded path echoed into Location, say) must never split the response.
    AppendWithoutLineBreaks(out, name);
    out += ": ";
    AppendWithoutLineBreaks(out, value);
    out += "\r\n";
  }
  if (version == 10 && keep_alive) out += "Connection: keep-alive\r\n";
  if (version != 10 && !keep_alive) out += "Connection: close\r\n";
  // 1xx, 204 and 304 never carry a body or a Content-Length.
  bool bodiless = res.status < 200 || res.status == 204 || res.status == 304;
  if (!bodiless) {
    out += "Content-Length: ";
    out += std::to_string(res.body.size());
    out += "\r\n";
  }
  out += "\r\n";
  if (include_body && !bodiless) out += res.body;
  return out;
}

template <typename Executor>
std::string PeerIp(const asio::basic_stream_socket<tcp, Executor>& s) {
  boost::system::error_code ec;
  auto ep = s.remote_endpoint(ec);
  if (ec) return {};
  auto addr = ep.address();
  if (addr.is_v6() && addr.to_v6().is_v4_mapped()) {
    return asio::ip::make_address_v4(asio::ip::v4_mapped, addr.to_v6()).to_string();
  }
  return addr.to_string();
}
template <typename Executor>
std::string PeerIp(const asio::basic_stream_socket<unix_proto, Executor>&) {
  return {};
}

}  // namespace

struct Server::Impl : std::enable_shared_from_this<Server::Impl> {
  ServerOptions options;
  Handler handler;
  asio::io_context ioc{options.threads};  // a hint: with one thread, Asio skips cross-thread wake-ups
  std::optional<tcp::acceptor> tcp_acceptor;
  std::optional<unix_proto::acceptor> unix_acceptor;
  std::optional<asio::signal_set> signals;
  asio::strand<asio::io_context::executor_type> control = asio::make_strand(ioc);  // shutdown bookkeeping
  asio::steady_timer grace_timer{control};
  std::atomic<bool> stopping{false};
  std::string bound_address;

  std::mutex connections_mu;
  std::unordered_set<std::shared_ptr<ConnectionState>> connections;

  Impl(ServerOptions o, Handler h) : options(std::move(o)), handler(std::move(h)) {}

  void Track(const std::shared_ptr<ConnectionState>& c) {
    std::lock_guard lock(connections_mu);
    connections.insert(c);
  }
  void Untrack(const std::shared_ptr<ConnectionState>& c) {
    bool drained;
    {
      std::lock_guard lock(connections_mu);
      connections.erase(c);
      drained = connections.empty();
    }
    // The last connection of a shutdown: nothing left to wait for.
    if (drained && stopping) asio::post(control, [self = shared_from_this()] { self->grace_timer.cancel(); });
  }

  template <typename Stream>
  asio::awaitable<void> Serve(Stream stream, std::string peer);
  template <typename Acceptor>
  asio::awaitable<void> Accept(Acceptor& acceptor);

  void BeginShutdown();
};

// A connection's socket and its deadline. Setting a deadline is a plain store: the watchdog timer is only re-armed
// when a deadline moves earlier (a request whose header did not arrive in one read), so a busy keep-alive
// connection costs no timer-queue work per request.
template <typename Socket>
struct Connection {
  explicit Connection(Socket s) : socket(std::move(s)), watchdog(socket.get_executor()) {}

  void SetDeadline(std::chrono::steady_clock::duration from_now) {
    deadline = std::chrono::steady_clock::now() + from_now;
    if (deadline < watchdog.expiry()) watchdog.expires_at(deadline);  // wakes the watchdog, which re-waits
  }
  // Sends `wire` and empties it: one non-blocking send first (most responses fit the socket's send buffer, so
  // nothing suspends), the rest asynchronously under `timeout`.
  asio::awaitable<boost::system::error_code> Send(std::string& wire, std::chrono::milliseconds timeout) {
    boost::system::error_code ec;
    size_t sent = socket.write_some(asio::buffer(wire), ec);
    if (ec == asio::error::would_block || ec == asio::error::try_again) ec = {};
    if (!ec && sent < wire.size()) {
      SetDeadline(timeout);
      auto [write_ec, n] =
          co_await asio::async_write(socket, asio::buffer(wire.data() + sent, wire.size() - sent), kUseAwaitable);
      ec = write_ec;
    }
    wire.clear();
    co_return ec;
  }
  void Close() {
    boost::system::error_code ignored;
    socket.shutdown(asio::socket_base::shutdown_both, ignored);
    socket.close(ignored);
  }

  Socket socket;
  asio::steady_timer watchdog;
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
  bool finished = false;
};

// Closes the socket once its deadline has passed; pending reads and writes then fail and the connection ends.
template <typename Socket>
asio::awaitable<void> WatchDeadline(std::shared_ptr<Connection<Socket>> c) {
  c->watchdog.expires_at(c->deadline);
  for (;;) {
    auto [ec] = co_await c->watchdog.async_wait(kUseAwaitable);
    if (c->finished) co_return;
    if (ec == asio::error::operation_aborted) continue;  // SetDeadline moved the expiry earlier
    if (std::chrono::steady_clock::now() >= c->deadline) {
      c->Close();
      co_return;
    }
    c->watchdog.expires_at(c->deadline);  // the deadline moved later since the timer was armed
  }
}

template <typename Stream>
asio::awaitable<void> Server::Impl::Serve(Stream socket, std::string peer) {
  auto self = shared_from_this();
  auto conn = std::make_shared<Connection<Stream>>(std::move(socket));
  Stream& sock = conn->socket;
  auto state = std::make_shared<ConnectionState>();
  auto executor = sock.get_executor();
  state->close_now = [conn] { conn->Close(); };
  state->post = [executor](std::function<void()> fn) { asio::post(executor, std::move(fn)); };
  Track(state);
  boost::system::error_code ignored;
  sock.non_blocking(true, ignored);  // lets a response go out in one synchronous send (Connection::Send)
  conn->deadline = std::chrono::steady_clock::now() + options.idle_timeout;
  asio::co_spawn(executor, WatchDeadline(conn), asio::detached);

  beast::flat_buffer buffer;
  std::string wire;  // responses not yet sent (more than one only for pipelined requests)
  for (;;) {
    state->busy = false;
    if (stopping) break;
    // Wait for the next request: a keep-alive connection may stay quiet this long.
    if (buffer.size() == 0) {
      conn->SetDeadline(options.idle_timeout);
      auto [ec, n] = co_await sock.async_read_some(buffer.prepare(kReadChunk), kUseAwaitable);
      if (ec) break;
      buffer.commit(n);
    }
    state->busy = true;

    // Parse what has arrived; read more only when the message is incomplete. A request that came in one read (the
    // common case) is parsed without another suspension or timer change.
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(options.max_header_bytes));
    parser.body_limit(options.max_body_bytes);
    parser.eager(true);
    boost::system::error_code perr;
    for (;;) {
      perr = {};
      buffer.consume(parser.put(buffer.data(), perr));
      if (perr == bhttp::error::need_more) perr = {};
      if (perr || parser.is_done()) break;
      // Answers held back for pipelined requests go out before waiting for the rest of this one.
      if (!wire.empty()) {
        perr = co_await conn->Send(wire, options.body_timeout);
        if (perr) break;
      }
      conn->SetDeadline(parser.is_header_done() ? options.body_timeout : options.header_timeout);
      auto [ec, n] = co_await sock.async_read_some(buffer.prepare(kReadChunk), kUseAwaitable);
      if (ec) {
        perr = ec;
        break;
      }
      buffer.commit(n);
    }
    if (perr) {
      // Answers to requests that could not be parsed; the connection closes after them.
      std::optional<Response> reject;
      if (perr == bhttp::error::header_limit) reject = Response::Text(431, "431 Request Header Fields Too Large");
      else if (perr == bhttp::error::body_limit) reject = Response::Text(413, "413 Request Entity Too Large");
      else if (perr != asio::error::eof && perr != asio::error::operation_aborted &&
               perr != asio::error::connection_reset && perr != asio::error::bad_descriptor) {
        reject = Response::Text(400, "400 Bad Request");
      }
      if (reject) wire += SerializeResponse(*reject, 11, /*keep_alive=*/false, /*include_body=*/true);
      break;
    }

    auto& raw = parser.get();
    bool keep_alive = raw.keep_alive() && !stopping;
    unsigned version = raw.version();
    Request req = ToRequest(raw, peer);
    bool head = req.was_head;
    Response res;
    try {
      res = handler(req);
    } catch (const std::exception& e) {
      // Handlers return errors as responses; an escaped exception is a bug. Answer 500 and keep serving.
      spdlog::error("unhandled exception in handler for {} {}: {}", req.method_name, req.path, e.what());
      res = Response::RawJson(500, R"({"error":"Something went wrong","code":"internal_error"})");
    }
    keep_alive = keep_alive && !stopping;

    // One buffer, one write: Beast's generic serializer cost more than the rest of a prepared response.
    std::string response = SerializeResponse(res, version, keep_alive, /*include_body=*/!head);
    if (wire.empty()) {
      wire = std::move(response);
    } else {
      wire += response;
    }
    // Pipelined requests already read are answered together: their responses go out in one send.
    if (keep_alive && buffer.size() > 0 && wire.size() < kMaxBatchedResponseBytes) continue;
    if (co_await conn->Send(wire, options.body_timeout)) break;
    if (!keep_alive) break;
  }
  // Responses still owed: pipelined answers held back when a shutdown began, or the answer to a malformed request.
  if (!wire.empty()) co_await conn->Send(wire, std::chrono::seconds(5));

  sock.shutdown(asio::socket_base::shutdown_send, ignored);
  sock.close(ignored);
  conn->finished = true;
  conn->watchdog.cancel();
  state->close_now = nullptr;
  Untrack(state);
}

template <typename Acceptor>
asio::awaitable<void> Server::Impl::Accept(Acceptor& acceptor) {
  auto self = shared_from_this();
  using Protocol = typename Acceptor::protocol_type;
  for (;;) {
    auto strand = asio::make_strand(ioc);
    auto [ec, socket] = co_await acceptor.async_accept(strand, kUseAwaitable);
    if (ec) {
      if (stopping || ec == asio::error::operation_aborted) co_return;
      // Out of file descriptors and the like: log and keep accepting.
      spdlog::warn("accept failed: {}", ec.message());
      continue;
    }
    if constexpr (std::is_same_v<Protocol, tcp>) {
      boost::system::error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
    }
    std::string peer = PeerIp(socket);
    asio::co_spawn(strand, Serve(std::move(socket), std::move(peer)), asio::detached);
  }
}

void Server::Impl::BeginShutdown() {
  if (stopping.exchange(true)) return;
  boost::system::error_code ignored;
  if (tcp_acceptor) tcp_acceptor->close(ignored);
  if (unix_acceptor) unix_acceptor->close(ignored);
  if (signals) signals->cancel(ignored);
  {
    std::lock_guard lock(connections_mu);
    for (const auto& c : connections) {
      if (!c->busy) c->post([c] { if (c->close_now) c->close_now(); });
    }
  }
  // Whatever is still running after the grace period is cut off. The timer is cancelled (and Run() returns)
  // as soon as the last connection ends.
  bool drained;
  {
    std::lock_guard lock(connections_mu);
    drained = connections.empty();
  }
  if (drained) return;
  grace_timer.expires_after(options.shutdown_grace);
  grace_timer.async_wait([self = shared_from_this()](boost::system::error_code ec) {
    if (!ec) self->ioc.stop();
  });
}

Server::Server(ServerOptions options, Handler handler)
    : impl_(std::make_shared<Impl>(std::move(options), std::move(handler))) {}

Server::~Server() = default;

Status Server::Listen() {
  Impl& s = *impl_;
  boost::system::error_code ec;
  if (!s.options.unix_socket.empty()) {
    const std::string& path = s.options.unix_socket;
    std::filesystem::remove(path, ec);  // a stale socket file from an earlier run
    s.unix_acceptor.emplace(s.ioc);
    unix_proto::endpoint ep(path);
    s.unix_acceptor->open(ep.protocol(), ec);
    if (!ec) s.unix_acceptor->bind(ep, ec);
    if (!ec) s.unix_acceptor->listen(asio::socket_base::max_listen_connections, ec);
    if (ec) return UnavailableError("listen unix " + path + ": " + ec.message());
    if (s.options.unix_socket_mode && ::chmod(path.c_str(), *s.options.unix_socket_mode) != 0) {
      return UnavailableError("failed to set UNIX socket mode on " + path);
    }
    s.bound_address = path;
    return Status::Ok();
  }
  std::string where = s.options.host + ":" + s.options.port;
  tcp::resolver resolver(s.ioc);
  auto results = resolver.resolve(s.options.host, s.options.port, tcp::resolver::passive, ec);
  if (ec || results.empty()) return UnavailableError("listen tcp " + where + ": " + ec.message());
  tcp::endpoint ep = results.begin()->endpoint();
  s.tcp_acceptor.emplace(s.ioc);
  s.tcp_acceptor->open(ep.protocol(), ec);
  if (!ec) s.tcp_acceptor->set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) s.tcp_acceptor->bind(ep, ec);
  if (!ec) s.tcp_acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return UnavailableError("listen tcp " + where + ": " + ec.message());
  auto local = s.tcp_acceptor->local_endpoint(ec);
  s.bound_address = local.address().to_string() + ":" + std::to_string(local.port());
  return Status::Ok();
}

std::string Server::BoundAddress() const { return impl_->bound_address; }

void Server::Run() {
  Impl& s = *impl_;
  if (s.options.handle_signals) {
    s.signals.emplace(s.ioc, SIGINT, SIGTERM);
    s.signals->async_wait(asio::bind_executor(s.control, [impl = impl_](boost::system::error_code ec, int sig) {
      if (ec) return;
      spdlog::info("Received {}, shutting down gracefully", sig == SIGTERM ? "SIGTERM" : "SIGINT");
      impl->BeginShutdown();
    }));
  }
  // Accept loops run on the control strand so a shutdown never races an accept on the same acceptor.
  if (s.tcp_acceptor) asio::co_spawn(s.control, s.Accept(*s.tcp_acceptor), asio::detached);
  if (s.unix_acceptor) asio::co_spawn(s.control, s.Accept(*s.unix_acceptor), asio::detached);

  std::vector<std::thread> extra;
  for (int i = 1; i < s.options.threads; ++i) extra.emplace_back([&s] { s.ioc.run(); });
  s.ioc.run();
  for (auto& t : extra) t.join();
  if (!s.options.unix_socket.empty()) {
    std::error_code ignored;
    std::filesystem::remove(s.options.unix_socket, ignored);
  }
}

void Server::Stop() {
  asio::post(impl_->control, [impl = impl_] { impl->BeginShutdown(); });
}

}  // namespace pocketid::http
