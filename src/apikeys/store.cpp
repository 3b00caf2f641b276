#include "apikeys/store.h"

#include <array>

#include "core/crypto/encoding.h"
#include "core/crypto/hash.h"
#include "core/crypto/random.h"
#include "users/user.h"

namespace pocketid::apikeys {

namespace {

constexpr std::string_view kColumns =
    "id, name, description, expires_at, last_used_at, created_at, expiration_email_sent, user_id";

// The `sortable` fields of Pocket ID's ApiKey model (CreatedAt comes from model.Base).
constexpr std::array<http::ListField, 4> kListFields{{
    {"name", "name", true, false},
    {"expiresAt", "expires_at", true, false},
    {"lastUsedAt", "last_used_at", true, false},
    {"createdAt", "created_at", true, false},
}};

ApiKey FromRow(const db::Row& row) {
  return ApiKey{row.Text("id"),
                row.Text("name"),
                row.OptionalText("description"),
                row.Time("expires_at"),
                row.OptionalTime("last_used_at"),
                row.Time("created_at"),
                row.Bool("expiration_email_sent"),
                row.OptionalText("user_id").value_or("")};
}

// PostgreSQL types ids as uuid: a malformed id names no key rather than failing the cast.
bool CannotExist(db::Engine engine, std::string_view id) {
  return engine == db::Engine::kPostgres && !users::LooksLikeUuid(id);
}

std::string_view ForUpdate(db::Engine engine) { return engine == db::Engine::kPostgres ? " FOR UPDATE" : ""; }

}  // namespace

boost::json::object ApiKeyDto(const ApiKey& key) {
  boost::json::object dto;
  dto["id"] = key.id;
  dto["name"] = key.name;
  dto["description"] = key.description ? boost::json::value(*key.description) : boost::json::value(nullptr);
  dto["expiresAt"] = db::FormatRfc3339(key.expires_at);
  dto["lastUsedAt"] =
      key.last_used_at ? boost::json::value(db::FormatRfc3339(*key.last_used_at)) : boost::json::value(nullptr);
  dto["createdAt"] = db::FormatRfc3339(key.created_at);
  dto["expirationEmailSent"] = key.expiration_email_sent;
  return dto;
}

std::string HashToken(std::string_view token) { return crypto::HexEncode(crypto::Sha256(token)); }

StatusOr<ApiKeyPage> ApiKeyStore::List(std::string_view user_id, const http::ListRequest& list) {
  auto clauses = http::BuildListClauses(list, kListFields, 2, "id");
  std::vector<db::Param> params{user_id};
  for (const auto& v : clauses.params) params.push_back(http::ToParam(v));
  const std::string from_where = "FROM api_keys WHERE user_id = $1" + clauses.where;
  PID_ASSIGN_OR_RETURN(auto counted, database_.Query("SELECT COUNT(*) " + from_where, params));
  ApiKeyPage out;
  out.page = http::ComputePage(list, counted.empty() ? 0 : counted[0].Int(0));
  PID_ASSIGN_OR_RETURN(auto rows, database_.Query("SELECT " + std::string(kColumns) + " " + from_where +
                                                      clauses.order_by + out.page.LimitClause(),
                                                  params));
  for (const auto& row : rows) out.items.push_back(FromRow(row));
  return out;
}

StatusOr<ApiKey> ApiKeyStore::Create(std::string_view user_id, const NewApiKey& key) {
  ApiKey created{crypto::NewUuidV4(), key.name, key.description, key.expires_at, std::nullopt, db::Now(), false,
                 std::string(user_id)};
  PID_RETURN_IF_ERROR(database_
                          .Exec("INSERT INTO api_keys (id, name, key, description, expires_at, last_used_at, "
                                "created_at, user_id, expiration_email_sent) "
                                "VALUES ($1, $2, $3, $4, $5, NULL, $6, $7, $8)",
                                {created.id, created.name, key.key_hash, created.description, created.expires_at,
                                 created.created_at, created.user_id, false})
                          .status());
  return created;
}

StatusOr<RenewResult> ApiKeyStore::Renew(std::string_view user_id, std::string_view id, std::string_view new_hash,
                                         db::Timestamp expires_at, db::Timestamp now) {
  RenewResult result;
  if (CannotExist(database_.engine(), id)) return result;
  PID_RETURN_IF_ERROR(database_.InTransaction([&](db::Connection& conn) -> Status {
    PID_ASSIGN_OR_RETURN(auto rows, conn.Query("SELECT " + std::string(kColumns) +
                                                   " FROM api_keys WHERE id = $1 AND user_id = $2" +
                                                   std::string(ForUpdate(conn.engine())),
                                               {id, user_id}));
    if (rows.empty()) return Status::Ok();
    ApiKey key = FromRow(rows[0]);
    // Only an expired key may be renewed; a live one keeps its token.
    if (key.expires_at > now) {
      result.outcome = RenewOutcome::kNotExpired;
      return Status::Ok();
    }
    // As Pocket ID, the other columns (last_used_at, expiration_email_sent) are kept as they are.
    PID_RETURN_IF_ERROR(
        conn.Exec("UPDATE api_keys SET key = $1, expires_at = $2 WHERE id = $3", {new_hash, expires_at, id}).status());
    key.expires_at = expires_at;
    result.outcome = RenewOutcome::kRenewed;
    result.key = std::move(key);
    return Status::Ok();
  }));
  return result;
}

StatusOr<bool> ApiKeyStore::Delete(std::string_view user_id, std::string_view id) {
  if (CannotExist(database_.engine(), id)) return false;
  PID_ASSIGN_OR_RETURN(int64_t deleted,
                       database_.Exec("DELETE FROM api_keys WHERE id = $1 AND user_id = $2", {id, user_id}));
  return deleted > 0;
}

StatusOr<std::optional<ApiKey>> ApiKeyStore::Find(std::string_view user_id, std::string_view id) {
  if (CannotExist(database_.engine(), id)) return std::optional<ApiKey>();
  PID_ASSIGN_OR_RETURN(auto rows, database_.Query("SELECT " + std::string(kColumns) +
                                                      " FROM api_keys WHERE id = $1 AND user_id = $2",
                                                  {id, user_id}));
  if (rows.empty()) return std::optional<ApiKey>();
  return std::optional<ApiKey>(FromRow(rows[0]));
}

}  // namespace pocketid::apikeys
