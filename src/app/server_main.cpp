#include "app/server_main.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <optional>
#include <thread>

#include <boost/asio/ip/address.hpp>
#include <spdlog/spdlog.h>

#include "app/bootstrap.h"
#include "app/cleanup.h"
#include "app/application.h"
#include "auth/authenticator.h"
#include "core/http/middleware.h"
#include "core/http/server.h"
#include "geoip/refresher.h"

namespace pocketid::app {

namespace {

// SERVER_THREADS (ours; Pocket ID has no equivalent): how many threads run the HTTP io_context.
int ServerThreads() {
  if (const char* v = std::getenv("SERVER_THREADS")) {
    int n = std::atoi(v);
    if (n > 0) return n;
  }
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

// systemd readiness (sd_notify "READY=1") when NOTIFY_SOCKET is set; a failure only warns, as in Pocket ID.
void NotifySystemdReady() {
  const char* path = std::getenv("NOTIFY_SOCKET");
  if (!path || !*path) return;
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::string p = path;
  if (p.size() >= sizeof addr.sun_path) return;
  std::copy(p.begin(), p.end(), addr.sun_path);
  if (p[0] == '@') addr.sun_path[0] = '\0';  // abstract namespace
  int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return;
  const char msg[] = "READY=1";
  socklen_t len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + p.size());
  if (::sendto(fd, msg, sizeof msg - 1, 0, reinterpret_cast<sockaddr*>(&addr), len) < 0) {
    spdlog::warn("failed to notify systemd of readiness");
  }
  ::close(fd);
}

http::PipelineOptions MakePipelineOptions(const config::EnvConfig& cfg) {
  http::PipelineOptions options;
  options.trusted_platform_header = cfg.trusted_platform;
  if (!cfg.trust_proxy.empty()) {
    options.is_trusted_proxy = [networks = cfg.trust_proxy](std::string_view ip) {
      boost::system::error_code ec;
      auto addr = boost::asio::ip::make_address(std::string(ip), ec);
      if (ec) return false;
      return std::any_of(networks.begin(), networks.end(), [&](const auto& n) { return n.Contains(addr); });
    };
  }
  return options;
}

}  // namespace

int RunServer(const config::EnvConfig& cfg) {
  if (!cfg.tls_cert.empty() || !cfg.tls_cert_file.empty()) {
    spdlog::error("TLS_CERT / TLS_CERT_FILE are not supported by this build yet; terminate TLS in a reverse proxy");
    return 1;
  }
  auto started = std::chrono::steady_clock::now();
  int threads = ServerThreads();
  auto database = OpenDatabase(cfg, threads + 1);
  if (!database.ok()) {
    spdlog::error("failed to initialize database: {}", database.status().message());
    return 1;
  }
  // The STATIC_API_KEY user exists only while a static key is configured.
  if (Status s = auth::DeleteStaticApiUserUnlessConfigured(**database, cfg.static_api_key); !s.ok()) {
    spdlog::error("failed to remove the static API key user: {}", s.message());
    return 1;
  }
  auto keys = LoadKeys(**database, cfg);
  if (!keys.ok()) {
    spdlog::error("{}", keys.status().message());
    return 1;
  }

  Application application(cfg, **database, keys->signing_key);

  http::ServerOptions options;
  options.host = cfg.host;
  options.port = cfg.port;
  options.unix_socket = cfg.unix_socket;
  if (cfg.unix_socket_mode_bits) options.unix_socket_mode = static_cast<unsigned>(*cfg.unix_socket_mode_bits);
  options.threads = threads;
  http::PipelineOptions pipeline = MakePipelineOptions(cfg);
  pipeline.fallback = [&application](http::Request& req) { return application.site().Serve(req); };
  http::Server server(options, http::BuildPipeline(application.router(), std::move(pipeline)));
  if (Status s = server.Listen(); !s.ok()) {
    spdlog::error("failed to start server: {}", s.message());
    return 1;
  }
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
  spdlog::info("Server listening addr={} tls=false threads={} startup={}ms", server.BoundAddress(), threads, ms);
  NotifySystemdReady();
  // Pocket ID registers no background jobs in APP_ENV=test.
  std::optional<PeriodicCleanup> cleanup;
  if (!cfg.IsTestEnv()) cleanup.emplace(**database, cfg.audit_log_retention_days);
  auto geoip_refresher = geoip::StartRefresher(cfg, &application.geoip());  // stops (RAII) before the application
  server.Run();
  spdlog::info("Server stopped");
  return 0;
}

}  // namespace pocketid::app
