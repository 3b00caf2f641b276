// The audit log (management.md §3): one row per security event, with the client's IP, user agent and location.
// Writing never fails the request that caused it: errors are logged and ignored, as in Pocket ID.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/db/database.h"

namespace pocketid::audit {

inline constexpr std::string_view kSignIn = "SIGN_IN";
inline constexpr std::string_view kTokenSignIn = "TOKEN_SIGN_IN";
inline constexpr std::string_view kRemoteSignIn = "REMOTE_SIGN_IN";
inline constexpr std::string_view kAccountCreated = "ACCOUNT_CREATED";
inline constexpr std::string_view kPasskeyAdded = "PASSKEY_ADDED";
inline constexpr std::string_view kPasskeyRemoved = "PASSKEY_REMOVED";

struct Location {
  std::string country;
  std::string city;
};

// Private, loopback, link-local and carrier-grade NAT addresses get Pocket ID's labels without a GeoIP lookup.
// Returns nullopt for public addresses (those need the GeoLite database).
std::optional<Location> InternalNetworkLocation(std::string_view ip);

struct Event {
  std::string_view event;
  std::string_view user_id;
  std::string_view ip_address;  // "" is stored as NULL
  std::string_view user_agent;
  std::vector<std::pair<std::string, std::string>> data;  // JSON object of strings
};

class AuditLog {
 public:
  explicit AuditLog(db::Database& database) : database_(database) {}
  void Write(const Event& event);
  // The same row inside a caller's transaction (whose failure then rolls the caller back).
  static Status WriteWith(db::Connection& conn, const Event& event);

 private:
  db::Database& database_;
};

}  // namespace pocketid::audit
