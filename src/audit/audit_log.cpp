#include "audit/audit_log.h"

#include <boost/asio/ip/address.hpp>
#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include "core/crypto/random.h"

namespace pocketid::audit {

std::optional<Location> InternalNetworkLocation(std::string_view ip) {
  boost::system::error_code ec;
  auto addr = boost::asio::ip::make_address(std::string(ip), ec);
  if (ec) return std::nullopt;
  if (addr.is_v6() && addr.to_v6().is_v4_mapped()) {
    addr = boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, addr.to_v6());
  }
  if (addr.is_v4()) {
    auto b = addr.to_v4().to_bytes();
    if (b[0] == 100 && (b[1] & 0xC0) == 64) return Location{"Internal Network", "Tailscale"};  // 100.64.0.0/10
    bool is_private = b[0] == 10 || (b[0] == 172 && (b[1] & 0xF0) == 16) || (b[0] == 192 && b[1] == 168) ||
                      b[0] == 127 || (b[0] == 169 && b[1] == 254) || addr.is_unspecified();
    if (is_private) return Location{"Internal Network", "LAN"};
    return std::nullopt;
  }
  auto v6 = addr.to_v6();
  auto b = v6.to_bytes();
  bool ula = (b[0] & 0xFE) == 0xFC;
  if (v6.is_loopback() || v6.is_link_local() || v6.is_unspecified() || ula) return Location{"Internal Network", "LAN"};
  return std::nullopt;
}

Status AuditLog::WriteWith(db::Connection& conn, const Event& e) {
  boost::json::object data;
  for (const auto& [k, v] : e.data) data[k] = v;
  Location location = InternalNetworkLocation(e.ip_address).value_or(Location{});
  db::Param ip = e.ip_address.empty() ? db::Param(nullptr) : db::Param(e.ip_address);
  return conn
      .Exec("INSERT INTO audit_logs (id, created_at, event, ip_address, user_agent, data, user_id, country, city) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            {crypto::NewUuidV4(), db::Now(), e.event, ip, e.user_agent, db::Json{boost::json::serialize(data)},
             e.user_id, location.country, location.city})
      .status();
}

void AuditLog::Write(const Event& e) {
  Status written = [&]() -> Status {
    PID_ASSIGN_OR_RETURN(auto lease, database_.Acquire());
    return WriteWith(*lease, e);
  }();
  if (!written.ok()) spdlog::error("failed to write audit log {}: {}", e.event, written.message());
}

}  // namespace pocketid::audit
