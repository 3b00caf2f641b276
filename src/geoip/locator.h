// Where an IP address is (management.md §3.3): Pocket ID's internal-network labels first, then the MaxMind
// GeoLite2-City database at GEOLITE_DB_PATH, which is picked up again whenever the file is replaced.
//
//   geoip::Locator locator({.db_path = cfg.geolite_db_path, .local_ipv6_ranges = cfg.local_ipv6_ranges});
//   geoip::Location where = locator.Lookup(req.client_ip);  // {"United Kingdom", "London"}, {"", ""}, ...
#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/config/ip_network.h"
#include "core/status/status.h"

namespace pocketid::geoip {

inline constexpr std::string_view kInternalNetwork = "Internal Network";

struct Location {
  std::string country;  // English name, "" when unknown
  std::string city;     // English name, "" when unknown

  friend bool operator==(const Location&, const Location&) = default;
};

// Pocket ID's short-circuit for addresses that are not routable on the Internet, in its order: an IPv6 address
// inside LOCAL_IPV6_RANGES → LAN; 100.64.0.0/10 → Tailscale; private, loopback, link-local, unspecified and ULA
// addresses → LAN (loopback too: the private check comes first). nullopt for public addresses and for text that
// is not an IP address.
std::optional<Location> InternalNetworkLocation(std::string_view ip,
                                                const std::vector<config::IpNetwork>& local_ipv6_ranges = {});

// One opened MaxMind DB file (memory-mapped; closed when the last reference goes away).
class MmdbFile {
 public:
  static StatusOr<std::shared_ptr<const MmdbFile>> Open(const std::string& path);
  ~MmdbFile();
  MmdbFile(const MmdbFile&) = delete;
  MmdbFile& operator=(const MmdbFile&) = delete;

  // country.names.en / city.names.en of the record for `ip`; {"", ""} when absent.
  Location Lookup(std::string_view ip) const;

 private:
  struct Handle;
  explicit MmdbFile(std::unique_ptr<Handle> handle);
  std::unique_ptr<Handle> handle_;
};

class Locator {
 public:
  struct Options {
    std::string db_path;  // "" = no database
    std::vector<config::IpNetwork> local_ipv6_ranges;
    // How often a lookup may look at the file for a replacement (stat), so a new database takes effect within
    // about this long without a watcher thread.
    std::chrono::milliseconds recheck_interval{1000};
  };

  // Opens the database when the file exists; a missing or unreadable file only means no locations (logged).
  explicit Locator(Options options);
  Locator(const Locator&) = delete;
  Locator& operator=(const Locator&) = delete;

  // Thread-safe. Internal labels first, then the database; {"", ""} when the address is unknown or there is no
  // database.
  Location Lookup(std::string_view ip) const;

  // Looks at the file now: opens it when it changed (another inode, size or mtime), drops the database when the
  // file is gone, keeps the current one when the new file cannot be opened. The refresher calls it after a
  // download; lookups call it at most once per recheck_interval.
  void Reload() const;

  bool HasDatabase() const;
  const std::string& db_path() const { return options_.db_path; }

 private:
  struct FileIdentity {
    dev_t device = 0;
    ino_t inode = 0;
    off_t size = 0;
    int64_t mtime_ns = 0;
    friend bool operator==(const FileIdentity&, const FileIdentity&) = default;
  };

  void MaybeReload() const;
  std::shared_ptr<const MmdbFile> Current() const;

  const Options options_;
  mutable std::atomic<int64_t> next_check_ms_{0};  // steady-clock milliseconds
  mutable std::mutex reload_mu_;                   // one reload at a time
  mutable std::mutex mu_;                          // guards db_ and identity_
  mutable std::shared_ptr<const MmdbFile> db_;
  mutable std::optional<FileIdentity> identity_;
};

}  // namespace pocketid::geoip
