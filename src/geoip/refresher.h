// Keeps the GeoLite2-City database at GEOLITE_DB_PATH fresh (management.md §3.3): a background thread downloads
// it when the file is missing or older than 14 days (± 30 min jitter), retries an hour after a failure, and stops
// promptly (even mid-download) when the Refresher is destroyed.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "core/config/env_config.h"
#include "geoip/locator.h"

namespace pocketid::geoip {

// False when MAXMIND_LICENSE_KEY is empty and GEOLITE_DB_URL is MaxMind's default (nothing could be downloaded).
bool AutoRefreshEnabled(std::string_view license_key, std::string_view url);

class Refresher {
 public:
  struct Options {
    std::string db_path;
    std::string url;  // may contain "%s" for the license key
    std::string license_key;
    std::chrono::milliseconds max_age{std::chrono::hours(14 * 24)};
    std::chrono::milliseconds jitter{std::chrono::minutes(30)};
    std::chrono::milliseconds retry_after{std::chrono::hours(1)};
    std::chrono::milliseconds download_timeout{std::chrono::minutes(10)};
  };

  // Starts the thread. `locator` (may be null) is reloaded after each successful download.
  Refresher(Options options, const Locator* locator);
  ~Refresher();
  Refresher(const Refresher&) = delete;
  Refresher& operator=(const Refresher&) = delete;

  // Downloads attempted and succeeded so far (for tests and logs).
  int attempts() const { return attempts_.load(); }
  int successes() const { return successes_.load(); }

 private:
  void Run();
  std::chrono::milliseconds TimeUntilRefresh() const;
  // Waits up to `d`; false when the refresher is stopping.
  bool Sleep(std::chrono::milliseconds d);

  const Options options_;
  const Locator* locator_;
  std::atomic<int> attempts_{0};
  std::atomic<int> successes_{0};
  std::atomic<bool> stopping_{false};
  std::mutex mu_;
  std::condition_variable wake_;
  std::thread thread_;  // last: starts after everything it uses is initialised
};

// The server's refresher for `cfg`, or nullptr (with a warning) when auto refresh is disabled.
std::unique_ptr<Refresher> StartRefresher(const config::EnvConfig& cfg, const Locator* locator);

}  // namespace pocketid::geoip
