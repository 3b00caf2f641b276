// One-time access ("login") codes (protocol.md §5.3): short random codes that sign a user in once. Stored as
// SHA-256 hashes in our `login_codes` table, so every replica can redeem them and a database dump does not
// reveal live codes.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "core/db/database.h"
#include "core/status/status.h"

namespace pocketid::onetimeaccess {

// No i, l, o, I, L, O: codes are read off screens and typed.
inline constexpr std::string_view kCodeAlphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ0123456789";
inline constexpr std::chrono::minutes kShortCodeMaxTtl{15};
inline constexpr std::chrono::hours kMaxTtl{24 * 31};

struct PendingCode {
  std::string user_id;
  std::optional<std::string> device_token_hash;  // set for self-service email codes bound to one browser
};

class LoginCodes {
 public:
  explicit LoginCodes(db::Database& database) : database_(database) {}

  // A new code for `user_id`: 6 characters when ttl ≤ 15 minutes, else 12.
  StatusOr<std::string> Create(std::string_view user_id, std::chrono::seconds ttl,
                               std::optional<std::string_view> device_token = std::nullopt);

  // The unexpired code's owner, without using it up. nullopt for unknown, expired or malformed codes.
  StatusOr<std::optional<PendingCode>> Find(std::string_view code);
  // Uses the code up; false when somebody else used it first or it expired meanwhile.
  StatusOr<bool> Consume(std::string_view code);


  // Pocket ID's input normalisation: I/i → 1 and O/o → 0; everything else case-sensitive.
  static std::string Normalize(std::string_view code);
  static bool DeviceTokenMatches(const PendingCode& code, std::optional<std::string_view> device_token);

 private:
  db::Database& database_;
};

}  // namespace pocketid::onetimeaccess
