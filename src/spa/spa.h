// Serves the web UI the way Pocket ID does (protocol.md §8.0, §8.4): embedded static files with long-lived caching
// for hashed assets and precompressed variants, and index.html for every other path (client-side routes), its
// <script> tags carrying the request's CSP nonce.
#pragma once

#include <chrono>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/http/router.h"
#include "spa/embedded_assets.h"

namespace pocketid::spa {

class StaticSite {
 public:
  explicit StaticSite(std::span<const EmbeddedAsset> assets,
                      std::chrono::system_clock::time_point started = std::chrono::system_clock::now());

  // The router's fallback for non-API paths.
  http::Response Serve(const http::Request& req) const;
  bool has_index() const { return !index_parts_.empty(); }

 private:
  struct File {
    std::string_view data;
    std::string_view gzip;
    std::string_view brotli;
    std::string content_type;
    bool immutable = false;
  };
  http::Response ServeFile(const http::Request& req, const File& file) const;
  http::Response ServeIndex(const http::Request& req) const;

  std::unordered_map<std::string, File> files_;
  std::vector<std::string_view> index_parts_;  // index.html split before each "<script"'s '>'... see .cpp
  std::string last_modified_;
};

std::string ContentTypeFor(std::string_view path);

}  // namespace pocketid::spa
