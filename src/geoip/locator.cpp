#include "geoip/locator.h"

#include <maxminddb.h>
#include <sys/stat.h>

#include <boost/asio/ip/address.hpp>
#include <spdlog/spdlog.h>

namespace pocketid::geoip {

namespace {

namespace ip = boost::asio::ip;

std::optional<ip::address> ParseIp(std::string_view text) {
  boost::system::error_code ec;
  auto addr = ip::make_address(std::string(text), ec);
  if (ec) return std::nullopt;
  return addr;
}

// ::ffff:a.b.c.d is looked at as the IPv4 address it carries (Go's To4 and Unmap).
ip::address Unmapped(const ip::address& addr) {
  if (addr.is_v6() && addr.to_v6().is_v4_mapped()) return ip::make_address_v4(ip::v4_mapped, addr.to_v6());
  return addr;
}

Location Lan() { return {std::string(kInternalNetwork), "LAN"}; }

bool IsPrivateV4(const ip::address_v4& v4) {
  auto b = v4.to_bytes();
  return b[0] == 10 ||                                  // 10.0.0.0/8
         (b[0] == 172 && (b[1] & 0xF0) == 16) ||        // 172.16.0.0/12
         (b[0] == 192 && b[1] == 168) ||                // 192.168.0.0/16
         b[0] == 127 ||                                 // loopback
         (b[0] == 169 && b[1] == 254) ||                // link-local unicast
         (b[0] == 224 && b[1] == 0 && b[2] == 0) ||     // link-local multicast 224.0.0.0/24
         v4.is_unspecified();
}

bool IsPrivateV6(const ip::address_v6& v6) {
  auto b = v6.to_bytes();
  bool ula = (b[0] & 0xFE) == 0xFC;                       // fc00::/7
  bool link_local = b[0] == 0xFE && (b[1] & 0xC0) == 0x80;  // fe80::/10
  bool link_local_multicast = b[0] == 0xFF && b[1] == 0x02;  // ff02::/16
  return v6.is_loopback() || v6.is_unspecified() || ula || link_local || link_local_multicast;
}

// The English name under record.<field>.names.en, or "".
std::string EnglishName(MMDB_entry_s& entry, const char* field) {
  MMDB_entry_data_s data{};
  int rc = MMDB_get_value(&entry, &data, field, "names", "en", nullptr);
  if (rc != MMDB_SUCCESS || !data.has_data || data.type != MMDB_DATA_TYPE_UTF8_STRING) return "";
  return std::string(data.utf8_string, data.data_size);
}

int64_t SteadyMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

std::optional<Location> InternalNetworkLocation(std::string_view text,
                                                const std::vector<config::IpNetwork>& local_ipv6_ranges) {
  auto parsed = ParseIp(text);
  if (!parsed) return std::nullopt;
  ip::address addr = Unmapped(*parsed);
  if (addr.is_v6()) {
    for (const auto& range : local_ipv6_ranges) {
      if (range.Contains(addr)) return Lan();
    }
    if (IsPrivateV6(addr.to_v6())) return Lan();
    return std::nullopt;
  }
  auto v4 = addr.to_v4();
  auto b = v4.to_bytes();
  if (b[0] == 100 && (b[1] & 0xC0) == 64) return Location{std::string(kInternalNetwork), "Tailscale"};  // 100.64/10
  if (IsPrivateV4(v4)) return Lan();
  return std::nullopt;
}

// ---- MmdbFile ----

struct MmdbFile::Handle {
  MMDB_s mmdb{};
  bool open = false;  // MMDB_open frees what it allocated when it fails, so only an opened handle is closed
  ~Handle() {
    if (open) MMDB_close(&mmdb);
  }
};

MmdbFile::MmdbFile(std::unique_ptr<Handle> handle) : handle_(std::move(handle)) {}
MmdbFile::~MmdbFile() = default;

StatusOr<std::shared_ptr<const MmdbFile>> MmdbFile::Open(const std::string& path) {
  auto handle = std::make_unique<Handle>();
  int rc = MMDB_open(path.c_str(), MMDB_MODE_MMAP, &handle->mmdb);
  if (rc != MMDB_SUCCESS) {
    return UnavailableError("cannot open the GeoLite2 database " + path + ": " + MMDB_strerror(rc));
  }
  handle->open = true;
  return std::shared_ptr<const MmdbFile>(new MmdbFile(std::move(handle)));
}

Location MmdbFile::Lookup(std::string_view text) const {
  auto parsed = ParseIp(text);
  if (!parsed) return {};
  std::string ip = Unmapped(*parsed).to_string();
  int gai_error = 0;
  int mmdb_error = MMDB_SUCCESS;
  MMDB_lookup_result_s result = MMDB_lookup_string(&handle_->mmdb, ip.c_str(), &gai_error, &mmdb_error);
  if (gai_error != 0 || mmdb_error != MMDB_SUCCESS || !result.found_entry) return {};
  return {EnglishName(result.entry, "country"), EnglishName(result.entry, "city")};
}

// ---- Locator ----

Locator::Locator(Options options) : options_(std::move(options)) {
  Reload();
  if (!options_.db_path.empty() && !HasDatabase()) {
    spdlog::info("no GeoLite2 database at {} yet: audit log locations stay empty until one is there",
                 options_.db_path);
  }
}

Location Locator::Lookup(std::string_view ip) const {
  if (ip.empty()) return {};
  if (auto internal = InternalNetworkLocation(ip, options_.local_ipv6_ranges)) return *internal;
  MaybeReload();
  auto db = Current();
  if (!db) return {};
  return db->Lookup(ip);
}

bool Locator::HasDatabase() const { return Current() != nullptr; }

std::shared_ptr<const MmdbFile> Locator::Current() const {
  std::lock_guard lock(mu_);
  return db_;
}

void Locator::MaybeReload() const {
  if (options_.db_path.empty()) return;
  int64_t now = SteadyMillis();
  int64_t due = next_check_ms_.load(std::memory_order_relaxed);
  if (now < due) return;
  // Only the thread that moves the deadline looks at the file; the others keep using the current database.
  if (!next_check_ms_.compare_exchange_strong(due, now + options_.recheck_interval.count())) return;
  Reload();
}

void Locator::Reload() const {
  if (options_.db_path.empty()) return;
  std::lock_guard reload_lock(reload_mu_);
  struct stat st {};
  if (::stat(options_.db_path.c_str(), &st) != 0) {
    std::lock_guard lock(mu_);
    if (db_) spdlog::warn("the GeoLite2 database {} is gone: locations stay empty until it is back", options_.db_path);
    db_.reset();  // lookups still running keep their reference until they finish
    identity_.reset();
    return;
  }
  FileIdentity id{st.st_dev, st.st_ino, st.st_size,
                  static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec};
  {
    std::lock_guard lock(mu_);
    if (identity_ == id && db_) return;
  }
  auto opened = MmdbFile::Open(options_.db_path);
  if (!opened.ok()) {
    // A file still being written fails here; the next check tries again (the identity is not recorded).
    spdlog::warn("{}", opened.status().message());
    return;
  }
  {
    std::lock_guard lock(mu_);
    db_ = std::move(*opened);
    identity_ = id;
  }
  spdlog::info("loaded the GeoLite2 City database {} ({} bytes)", options_.db_path, static_cast<int64_t>(st.st_size));
}

}  // namespace pocketid::geoip
