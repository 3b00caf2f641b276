// One outbound HTTP(S) GET through libcurl (loaded at first use, libcurl_api.h): redirects followed (http and https
// only, at most 10), a deadline for the whole transfer, a cap on the body. For downloads the server makes itself
// (the GeoLite2 database, a federated client's JWKS).
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <string>

#include "core/status/status.h"

namespace pocketid::curl {

struct GetRequest {
  std::string url;
  std::chrono::milliseconds timeout{10000};
  size_t max_bytes = size_t{1} << 20;
  std::string user_agent = "pocket-id";
  // Set by another thread to abort a transfer in progress (shutdown).
  const std::atomic<bool>* cancel = nullptr;
};

struct GetResponse {
  long status = 0;
  std::string body;
};

// Any HTTP status is a response; errors are transport failures (kUnavailable, with curl's message), a cancelled
// transfer (kUnavailable "the download was cancelled") and a body over max_bytes (kInvalidArgument).
StatusOr<GetResponse> Get(const GetRequest& request);

}  // namespace pocketid::curl
