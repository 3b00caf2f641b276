#include "customclaims/claim_store.h"

#include <algorithm>
#include <array>
#include <unordered_set>

#include "core/crypto/random.h"

namespace pocketid::customclaims {

namespace {

constexpr std::array<std::string_view, 22> kReservedKeys{
    "given_name", "family_name", "name",      "email", "email_verified", "preferred_username",
    "display_name", "groups",    "type",      "sub",   "iss",            "aud",
    "exp",        "iat",         "auth_time", "nonce", "acr",            "amr",
    "azp",        "client_id",   "nbf",       "jti",
};

// The owner column of a claim: exactly one of user_id / user_group_id is set.
enum class Owner { kUser, kGroup };

std::string_view OwnerColumn(Owner owner) { return owner == Owner::kUser ? "user_id" : "user_group_id"; }

StatusOr<std::vector<Claim>> ClaimsOf(db::Connection& conn, Owner owner, std::string_view owner_id) {
  std::vector<Claim> out;
  if (!users::CanNameUuidRow(conn.engine(), owner_id)) return out;
  PID_ASSIGN_OR_RETURN(auto rows, conn.Query("SELECT key, value FROM custom_claims WHERE " +
                                                 std::string(OwnerColumn(owner)) + " = $1 ORDER BY key",
                                             {owner_id}));
  out.reserve(rows.size());
  for (const auto& row : rows) out.push_back({row.Text(0), row.Text(1)});
  return out;
}

Status Replace(db::Connection& conn, Owner owner, std::string_view owner_id, std::span<const Claim> claims) {
  if (auto invalid = FindInvalidClaim(claims)) return InvalidArgumentError(Describe(*invalid));
  if (!users::CanNameUuidRow(conn.engine(), owner_id)) return NotFoundError("no such claim owner");
  const std::string column(OwnerColumn(owner));
  PID_ASSIGN_OR_RETURN(auto existing,
                       conn.Query("SELECT id, key FROM custom_claims WHERE " + column + " = $1", {owner_id}));
  std::unordered_set<std::string> wanted;
  for (const auto& c : claims) wanted.insert(c.key);
  std::unordered_set<std::string> kept;
  for (const auto& row : existing) {
    std::string key = row.Text(1);
    if (wanted.contains(key)) {
      kept.insert(std::move(key));
      continue;
    }
    PID_RETURN_IF_ERROR(conn.Exec("DELETE FROM custom_claims WHERE id = $1", {row.Text(0)}).status());
  }
  const db::Timestamp now = db::Now();
  for (const auto& c : claims) {
    if (kept.contains(c.key)) {
      PID_RETURN_IF_ERROR(conn.Exec("UPDATE custom_claims SET value = $1 WHERE " + column + " = $2 AND key = $3",
                                    {c.value, owner_id, c.key})
                              .status());
      continue;
    }
    PID_RETURN_IF_ERROR(conn.Exec("INSERT INTO custom_claims (id, created_at, key, value, " + column +
                                      ") VALUES ($1, $2, $3, $4, $5)",
                                  {crypto::NewUuidV4(), now, c.key, c.value, owner_id})
                            .status());
  }
  return Status::Ok();
}

StatusOr<bool> Exists(db::Connection& conn, std::string_view table, std::string_view id) {
  if (!users::CanNameUuidRow(conn.engine(), id)) return false;
  PID_ASSIGN_OR_RETURN(auto rows, conn.Query("SELECT 1 FROM " + std::string(table) + " WHERE id = $1", {id}));
  return !rows.empty();
}

}  // namespace

bool IsReservedKey(std::string_view key) {
  return std::find(kReservedKeys.begin(), kReservedKeys.end(), key) != kReservedKeys.end();
}

std::optional<InvalidClaim> FindInvalidClaim(std::span<const Claim> claims) {
  std::unordered_set<std::string_view> seen;
  for (const auto& c : claims) {
    if (!seen.insert(c.key).second) return InvalidClaim{InvalidClaim::Reason::kDuplicate, c.key};
  }
  for (const auto& c : claims) {
    if (IsReservedKey(c.key)) return InvalidClaim{InvalidClaim::Reason::kReserved, c.key};
  }
  return std::nullopt;
}

std::string Describe(const InvalidClaim& invalid) {
  return invalid.reason == InvalidClaim::Reason::kDuplicate ? "Claim " + invalid.key + " is already defined"
                                                            : "Claim " + invalid.key + " is reserved and can't be used";
}

Status ReplaceForUserWith(db::Connection& conn, std::string_view user_id, std::span<const Claim> claims) {
  return Replace(conn, Owner::kUser, user_id, claims);
}

Status ReplaceForGroupWith(db::Connection& conn, std::string_view group_id, std::span<const Claim> claims) {
  return Replace(conn, Owner::kGroup, group_id, claims);
}

StatusOr<std::vector<Claim>> ForUserWith(db::Connection& conn, std::string_view user_id) {
  return ClaimsOf(conn, Owner::kUser, user_id);
}

StatusOr<std::vector<Claim>> ForGroupWith(db::Connection& conn, std::string_view group_id) {
  return ClaimsOf(conn, Owner::kGroup, group_id);
}

StatusOr<bool> UserExistsWith(db::Connection& conn, std::string_view user_id) {
  return Exists(conn, "users", user_id);
}

StatusOr<bool> GroupExistsWith(db::Connection& conn, std::string_view group_id) {
  return Exists(conn, "user_groups", group_id);
}

StatusOr<std::vector<std::string>> Suggestions(db::Database& database) {
  PID_ASSIGN_OR_RETURN(auto rows,
                       database.Query("SELECT key, COUNT(*) AS uses FROM custom_claims GROUP BY key "
                                      "ORDER BY uses DESC, key",
                                      {}));
  std::vector<std::string> out;
  out.reserve(rows.size());
  for (const auto& row : rows) out.push_back(row.Text(0));
  return out;
}

}  // namespace pocketid::customclaims
