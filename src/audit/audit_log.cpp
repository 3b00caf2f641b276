#include "audit/audit_log.h"

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include "core/crypto/random.h"

namespace pocketid::audit {

Location AuditLog::Locate(std::string_view ip) const {
  if (locator_) return locator_->Lookup(ip);
  return geoip::InternalNetworkLocation(ip).value_or(Location{});
}

Status AuditLog::WriteWith(db::Connection& conn, const Event& e, const Location& location) {
  boost::json::object data;
  for (const auto& [k, v] : e.data) data[k] = v;
  db::Param ip = e.ip_address.empty() ? db::Param(nullptr) : db::Param(e.ip_address);
  return conn
      .Exec("INSERT INTO audit_logs (id, created_at, event, ip_address, user_agent, data, user_id, country, city) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            {crypto::NewUuidV4(), db::Now(), e.event, ip, e.user_agent, db::Json{boost::json::serialize(data)},
             e.user_id, location.country, location.city})
      .status();
}

void AuditLog::Write(const Event& e) {
  Location location = Locate(e.ip_address);  // before taking a connection from the pool
  Status written = [&]() -> Status {
    PID_ASSIGN_OR_RETURN(auto lease, database_.Acquire());
    return WriteWith(*lease, e, location);
  }();
  if (!written.ok()) spdlog::error("failed to write audit log {}: {}", e.event, written.message());
}

}  // namespace pocketid::audit
