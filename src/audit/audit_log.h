// The audit log (management.md §3): one row per security event, with the client's IP, user agent and location.
// Writing never fails the request that caused it: errors are logged and ignored, as in Pocket ID.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/db/database.h"
#include "geoip/locator.h"

namespace pocketid::audit {

inline constexpr std::string_view kSignIn = "SIGN_IN";
inline constexpr std::string_view kTokenSignIn = "TOKEN_SIGN_IN";
inline constexpr std::string_view kRemoteSignIn = "REMOTE_SIGN_IN";
inline constexpr std::string_view kAccountCreated = "ACCOUNT_CREATED";
inline constexpr std::string_view kPasskeyAdded = "PASSKEY_ADDED";
inline constexpr std::string_view kPasskeyRemoved = "PASSKEY_REMOVED";

using Location = geoip::Location;

struct Event {
  std::string_view event;
  std::string_view user_id;
  std::string_view ip_address;  // "" is stored as NULL
  std::string_view user_agent;
  std::vector<std::pair<std::string, std::string>> data;  // JSON object of strings
};

class AuditLog {
 public:
  // Without a locator, rows get only the internal-network labels (country/city "" for public addresses).
  explicit AuditLog(db::Database& database, const geoip::Locator* locator = nullptr)
      : database_(database), locator_(locator) {}

  // Looks the location up, then inserts on a pooled connection.
  void Write(const Event& event);

  // Where `ip` is: country and city for the row. Cheap (an in-memory lookup), but meant to be called before a
  // transaction starts so that the transaction holds its connection no longer than needed.
  Location Locate(std::string_view ip) const;

  // The row inside a caller's transaction (whose failure then rolls the caller back), at `location` (Locate).
  static Status WriteWith(db::Connection& conn, const Event& event, const Location& location);

 private:
  db::Database& database_;
  const geoip::Locator* locator_;
};

}  // namespace pocketid::audit
