#include "core/http/middleware.h"

#include <array>
#include <chrono>

#include <boost/asio/ip/address.hpp>
#include <spdlog/spdlog.h>

#include "core/crypto/encoding.h"
#include "core/crypto/random.h"

namespace pocketid::http {

namespace {

constexpr std::array<std::string_view, 7> kCorsPaths = {
    "/api/oidc/token",      "/api/oidc/userinfo",          "/api/oidc/end-session",
    "/api/oidc/introspect", "/.well-known/jwks.json",      "/.well-known/openid-configuration",
    "/.well-known/oauth-authorization-server",
};

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool IsValidIp(std::string_view s) {
  boost::system::error_code ec;
  boost::asio::ip::make_address(std::string(s), ec);
  return !ec;
}

bool IsApiPath(std::string_view path) {
  return path.starts_with("/api/") || path == "/api" || path.starts_with("/.well-known/") || path == "/.well-known";
}

Response ApiNotFound() { return Response::RawJson(404, R"({"error":"API endpoint not found"})"); }

// Requests the access log skips, as Pocket ID does: health probes and static assets.
bool SkipLog(const Request& req) {
  return req.path == "/healthz" || req.path.starts_with("/_app") || req.path.starts_with("/fonts") ||
         (req.method == Method::kGet && req.path.starts_with("/api/application-images/"));
}

Response Route(const Router& router, const PipelineOptions& options, Request& req) {
  auto match = router.Find(req.method, req.path, req);
  switch (match.kind) {
    case Router::MatchKind::kFound:
      return (*match.handler)(req);
    case Router::MatchKind::kTrailingSlashRedirect: {
      std::string location = match.redirect_path;
      if (!req.query.empty()) location += "?" + req.query;
      return Response::Redirect(req.method == Method::kGet ? 301 : 307, std::move(location));
    }
    case Router::MatchKind::kWrongMethod:
    case Router::MatchKind::kNotFound:
      break;
  }
  if (IsApiPath(req.path)) return ApiNotFound();
  if (req.path.size() > 1 && req.path.back() == '/') {
    size_t end = req.path.find_last_not_of('/');
    std::string location = end == std::string::npos ? "/" : req.path.substr(0, end + 1);
    if (!req.query.empty()) location += "?" + req.query;
    return Response::Redirect(301, std::move(location));
  }
  if (options.fallback) return options.fallback(req);
  return Response::Text(404, "404 page not found");
}

}  // namespace

bool IsCorsPath(std::string_view path) {
  for (auto p : kCorsPaths) {
    if (p == path) return true;
  }
  return false;
}

std::string ContentSecurityPolicy(std::string_view nonce) {
  // Exact string of protocol.md §8.2, including the missing space before font-src.
  std::string csp =
      "default-src 'self'; base-uri 'self'; object-src 'none'; frame-ancestors 'none'; form-action 'self'; "
      "img-src * blob:;font-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'self'";
  if (!nonce.empty()) {
    csp += " 'nonce-";
    csp += nonce;
    csp += "'";
  }
  return csp;
}

std::string ResolveClientIp(const Request& req, const PipelineOptions& options) {
  if (!options.trusted_platform_header.empty()) {
    if (auto v = req.Header(options.trusted_platform_header)) {
      std::string_view ip = Trim(*v);
      if (IsValidIp(ip)) return std::string(ip);
    }
  }
  const std::string& peer = req.peer_address;
  bool trusted = options.is_trusted_proxy && !peer.empty() && options.is_trusted_proxy(peer);
  if (!trusted) return peer;
  // Walk X-Forwarded-For from the right, skipping trusted proxies: the first untrusted hop is the client.
  if (auto xff = req.Header("X-Forwarded-For")) {
    std::string_view list = *xff;
    while (!list.empty()) {
      size_t comma = list.rfind(',');
      std::string_view hop = Trim(comma == std::string_view::npos ? list : list.substr(comma + 1));
      list = comma == std::string_view::npos ? std::string_view() : list.substr(0, comma);
      if (!IsValidIp(hop)) break;
      if (list.empty() || !options.is_trusted_proxy(hop)) return std::string(hop);
    }
  }
  if (auto real = req.Header("X-Real-IP")) {
    std::string_view ip = Trim(*real);
    if (IsValidIp(ip)) return std::string(ip);
  }
  return peer;
}

Handler BuildPipeline(const Router& router, PipelineOptions options) {
  return [&router, options = std::move(options)](Request& req) -> Response {
    auto started = std::chrono::steady_clock::now();
    req.request_id = crypto::NewUuidV4();
    req.csp_nonce = crypto::Base64UrlEncode(crypto::RandomBytes(16));
    req.client_ip = ResolveClientIp(req, options);

    bool cors = IsCorsPath(req.path);
    Response res;
    if (cors && req.method == Method::kOptions) {
      res = Response::NoContent();  // CORS preflight short-circuits before auth and rate limiting
    } else {
      res = Route(router, options, req);
    }

    if (!res.headers.Has("Cache-Control")) res.headers.Add("Cache-Control", "private, no-store");
    if (cors) {
      res.headers.Set("Access-Control-Allow-Origin", "*");
      res.headers.Set("Access-Control-Allow-Headers", "Authorization");
      res.headers.Set("Access-Control-Allow-Methods", "GET, POST");
    }
    if (!res.headers.Has("Content-Security-Policy")) {
      res.headers.Add("Content-Security-Policy", ContentSecurityPolicy(req.csp_nonce));
    }
    res.headers.Set("X-Request-ID", req.request_id);

    if (options.log_requests && !SkipLog(req) && spdlog::should_log(spdlog::level::info)) {
      auto micros =
          std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started).count();
      spdlog::info("HTTP request method={} path={} status={} ip={} latency={}us request_id={}",
                   req.was_head ? "HEAD" : req.method_name, req.path, res.status, req.client_ip, micros,
                   req.request_id);
    }
    return res;
  };
}

}  // namespace pocketid::http
