#include "oidc/consent.h"

#include <algorithm>

#include "oidcclients/client.h"

namespace pocketid::oidc {

namespace {
bool Contains(const std::vector<std::string>& list, const std::string& v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}
}  // namespace

StatusOr<bool> ConsentStore::AlreadyAuthorized(std::string_view user_id, std::string_view client_id,
                                               const std::vector<std::string>& keys) {
  PID_ASSIGN_OR_RETURN(auto rows, database_.Query("SELECT scope FROM user_authorized_oidc_clients "
                                                  "WHERE user_id = $1 AND client_id = $2",
                                                  {user_id, client_id}));
  if (rows.empty()) return false;
  auto stored = oidcclients::ParseStringList(rows[0].Text(0));
  return std::all_of(keys.begin(), keys.end(), [&](const std::string& k) { return Contains(stored, k); });
}

StatusOr<bool> ConsentStore::Exists(std::string_view user_id, std::string_view client_id) {
  PID_ASSIGN_OR_RETURN(auto rows, database_.Query("SELECT 1 FROM user_authorized_oidc_clients "
                                                  "WHERE user_id = $1 AND client_id = $2",
                                                  {user_id, client_id}));
  return !rows.empty();
}

StatusOr<bool> ConsentStore::Record(std::string_view user_id, std::string_view client_id,
                                    const std::vector<std::string>& keys) {
  bool already_authorized = false;
  PID_RETURN_IF_ERROR(database_.InTransaction([&](db::Connection& conn) -> Status {
    PID_ASSIGN_OR_RETURN(already_authorized, RecordWith(conn, user_id, client_id, keys));
    return Status::Ok();
  }));
  return already_authorized;
}

StatusOr<bool> ConsentStore::RecordWith(db::Connection& conn, std::string_view user_id, std::string_view client_id,
                                        const std::vector<std::string>& keys) {
  PID_ASSIGN_OR_RETURN(auto rows, conn.Query("SELECT scope FROM user_authorized_oidc_clients "
                                             "WHERE user_id = $1 AND client_id = $2",
                                             {user_id, client_id}));
  if (rows.empty()) {
    PID_RETURN_IF_ERROR(conn.Exec("INSERT INTO user_authorized_oidc_clients (scope, user_id, client_id, last_used_at) "
                                  "VALUES ($1, $2, $3, $4)",
                                  {db::Json{oidcclients::StringListJson(keys)}, user_id, client_id, db::Now()})
                            .status());
    return false;
  }
  auto merged = oidcclients::ParseStringList(rows[0].Text(0));
  bool changed = false;
  for (const auto& k : keys) {
    if (!Contains(merged, k)) {
      merged.push_back(k);
      changed = true;
    }
  }
  if (!changed) {
    PID_RETURN_IF_ERROR(
        conn.Exec("UPDATE user_authorized_oidc_clients SET last_used_at = $1 WHERE user_id = $2 AND client_id = $3",
                  {db::Now(), user_id, client_id})
            .status());
    return true;
  }
  PID_RETURN_IF_ERROR(conn.Exec("UPDATE user_authorized_oidc_clients SET scope = $1, last_used_at = $2 "
                                "WHERE user_id = $3 AND client_id = $4",
                                {db::Json{oidcclients::StringListJson(merged)}, db::Now(), user_id, client_id})
                          .status());
  return false;
}

}  // namespace pocketid::oidc
