// Getting a fresh GeoLite2-City database onto disk (management.md §3.3): GET the URL, take the database out of
// the body (MaxMind's .tar.gz, or the raw .mmdb), check that it opens, and rename it over the target so readers
// only ever see a whole file.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "core/status/status.h"

namespace pocketid::geoip {

inline constexpr std::string_view kDatabaseFileName = "GeoLite2-City.mmdb";
// The largest database (and the largest download) accepted, as in Pocket ID.
inline constexpr size_t kMaxDatabaseBytes = size_t{300} << 20;

// GEOLITE_DB_URL with its first "%s" replaced by the license key.
std::string DownloadUrl(std::string_view url_template, std::string_view license_key);

// The .mmdb inside `body`: a gzip-compressed tar (the regular file whose base name is GeoLite2-City.mmdb) or,
// when the body is not gzip, the body itself provided it carries MaxMind's metadata marker.
StatusOr<std::string> ExtractDatabase(std::string_view body, size_t limit = kMaxDatabaseBytes);

// Writes `database` to a temporary file next to `target_path`, checks that libmaxminddb opens it, and renames it
// over `target_path`. The target is untouched on any failure.
Status InstallDatabase(std::string_view database, const std::string& target_path);

struct DownloadRequest {
  std::string url;  // after DownloadUrl
  std::chrono::milliseconds timeout{std::chrono::minutes(10)};
  // Set by another thread to abort a transfer in progress (shutdown).
  const std::atomic<bool>* cancel = nullptr;
};

// The body of a 200 answer (redirects followed, at most kMaxDatabaseBytes); an error for anything else.
StatusOr<std::string> Download(const DownloadRequest& request);

// Download + ExtractDatabase + InstallDatabase.
Status DownloadDatabase(const DownloadRequest& request, const std::string& target_path);

}  // namespace pocketid::geoip
