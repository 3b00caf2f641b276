// Remembered consent (`user_authorized_oidc_clients`, protocol.md §1.7): which scopes a user has granted a
// client. "Already authorized" = every requested consent key is in the stored list.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/db/database.h"
#include "core/status/status.h"

namespace pocketid::oidc {

class ConsentStore {
 public:
  explicit ConsentStore(db::Database& database) : database_(database) {}

  StatusOr<bool> AlreadyAuthorized(std::string_view user_id, std::string_view client_id,
                                   const std::vector<std::string>& keys);
  // Inserts, merges missing keys (old then new), or only bumps last_used_at. Returns whether the user had already
  // authorized all of `keys` before (false → the audit event is NEW_CLIENT_AUTHORIZATION).
  StatusOr<bool> Record(std::string_view user_id, std::string_view client_id, const std::vector<std::string>& keys);
  // The same inside a caller's transaction.
  static StatusOr<bool> RecordWith(db::Connection& conn, std::string_view user_id, std::string_view client_id,
                                   const std::vector<std::string>& keys);
  StatusOr<bool> Exists(std::string_view user_id, std::string_view client_id);

 private:
  db::Database& database_;
};

}  // namespace pocketid::oidc
