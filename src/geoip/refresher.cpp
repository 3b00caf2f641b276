#include "geoip/refresher.h"

#include <sys/stat.h>

#include <random>

#include <spdlog/spdlog.h>

#include "geoip/database_download.h"

namespace pocketid::geoip {

bool AutoRefreshEnabled(std::string_view license_key, std::string_view url) {
  return !(license_key.empty() && url == config::kDefaultGeoLiteDbUrl);
}

Refresher::Refresher(Options options, const Locator* locator)
    : options_(std::move(options)), locator_(locator), thread_([this] { Run(); }) {}

Refresher::~Refresher() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

bool Refresher::Sleep(std::chrono::milliseconds d) {
  std::unique_lock lock(mu_);
  return !wake_.wait_for(lock, d, [this] { return stopping_.load(); });
}

std::chrono::milliseconds Refresher::TimeUntilRefresh() const {
  struct stat st {};
  if (::stat(options_.db_path.c_str(), &st) != 0) return std::chrono::milliseconds(0);  // missing: download now
  auto modified = std::chrono::system_clock::from_time_t(st.st_mtim.tv_sec);
  auto age = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now() - modified);
  auto remaining = options_.max_age - age;
  if (remaining <= std::chrono::milliseconds(0)) return std::chrono::milliseconds(0);
  // Jitter keeps replicas sharing a mount from waking up together.
  int64_t spread = options_.jitter.count();
  if (spread > 0) {
    thread_local std::mt19937_64 rng{std::random_device{}()};
    remaining += std::chrono::milliseconds(std::uniform_int_distribution<int64_t>(-spread, spread)(rng));
  }
  return std::max(remaining, std::chrono::milliseconds(0));
}

void Refresher::Run() {
  for (;;) {
    auto delay = TimeUntilRefresh();
    spdlog::debug("next GeoLite2 database refresh in {} s", delay.count() / 1000);
    if (!Sleep(delay)) return;
    spdlog::info("refreshing the GeoLite2 City database");
    ++attempts_;
    Status done = DownloadDatabase(
        {DownloadUrl(options_.url, options_.license_key), options_.download_timeout, &stopping_}, options_.db_path);
    if (stopping_) return;
    if (done.ok()) {
      spdlog::info("GeoLite2 City database refreshed");
      if (locator_) locator_->Reload();
      ++successes_;  // counted once the locator serves the new file (what tests and callers wait for)
      continue;
    }
    spdlog::error("failed to refresh the GeoLite2 City database, will try again later: {}", done.message());
    if (!Sleep(options_.retry_after)) return;
  }
}

std::unique_ptr<Refresher> StartRefresher(const config::EnvConfig& cfg, const Locator* locator) {
  if (!AutoRefreshEnabled(cfg.maxmind_license_key, cfg.geolite_db_url)) {
    // The file can still be supplied by hand (air-gapped deployments); the locator picks it up.
    spdlog::warn("MAXMIND_LICENSE_KEY environment variable is empty: the GeoLite2 City database won't be updated");
    return nullptr;
  }
  Refresher::Options options;
  options.db_path = cfg.geolite_db_path;
  options.url = cfg.geolite_db_url;
  options.license_key = cfg.maxmind_license_key;
  return std::make_unique<Refresher>(std::move(options), locator);
}

}  // namespace pocketid::geoip
