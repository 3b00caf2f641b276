// The request pipeline every request passes through, in Pocket ID's order (protocol.md §8.0): request id,
// client IP, HEAD handling (done by the server), default Cache-Control, CORS on the protocol paths, CSP with a
// per-request nonce, routing with Pocket ID's not-found rules, access log.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "core/http/router.h"

namespace pocketid::http {

struct PipelineOptions {
  // Is the TCP peer a trusted proxy whose X-Forwarded-For / X-Real-IP we believe? (TRUST_PROXY)
  std::function<bool(std::string_view ip)> is_trusted_proxy;
  // TRUSTED_PLATFORM: a header that holds the client IP (e.g. CF-Connecting-IP), trusted unconditionally.
  std::string trusted_platform_header;
  // Answers paths no route matched that are not API paths (the SPA, once it is embedded).
  Handler fallback;
  bool log_requests = true;
};

// Builds the handler the server calls. `router` must outlive the returned handler.
Handler BuildPipeline(const Router& router, PipelineOptions options);

// Exposed for tests.
std::string ResolveClientIp(const Request& req, const PipelineOptions& options);
std::string ContentSecurityPolicy(std::string_view nonce);
bool IsCorsPath(std::string_view path);

}  // namespace pocketid::http
