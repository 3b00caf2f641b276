#include "oidc/grant_store.h"

#include "core/crypto/random.h"
#include "core/db/param.h"

namespace pocketid::oidc::grants {

namespace {

// request_data is BLOB on SQLite and jsonb on PostgreSQL; these read one member on either.
std::string_view SubjectExpr(db::Engine engine) {
  return engine == db::Engine::kSqlite ? "json_extract(CAST(request_data AS TEXT), '$.session.subject')"
                                       : "request_data #>> '{session,subject}'";
}
std::string_view JtiExpr(db::Engine engine) {
  return engine == db::Engine::kSqlite ? "json_extract(CAST(request_data AS TEXT), '$.session.id_token_claims.jti')"
                                       : "request_data #>> '{session,id_token_claims,jti}'";
}

}  // namespace

Status Insert(db::Connection& conn, std::string_view kind, std::string_view key, const StoredRequest& request,
              std::optional<int64_t> expires_at, std::string_view access_token_signature) {
  std::optional<db::Timestamp> expires;
  if (expires_at) expires = db::Timestamp{*expires_at};
  return conn
      .Exec("INSERT INTO oauth2_sessions (id, created_at, kind, key, request_id, client_id, access_token_signature, "
            "active, request_data, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            {crypto::NewUuidV4(), db::Now(), kind, key, request.id, request.client_id, access_token_signature, true,
             db::Json{StoredRequestJson(request)}, expires})
      .status();
}

StatusOr<std::optional<GrantRow>> Find(db::Connection& conn, std::string_view kind, std::string_view key) {
  PID_ASSIGN_OR_RETURN(auto rows, conn.Query("SELECT request_data, active, expires_at, access_token_signature "
                                             "FROM oauth2_sessions WHERE kind = $1 AND key = $2",
                                             {kind, key}));
  if (rows.empty()) return std::optional<GrantRow>();
  GrantRow row;
  PID_ASSIGN_OR_RETURN(row.request, ParseStoredRequest(rows[0].Text(0)));
  row.active = rows[0].Bool(1);
  if (auto t = rows[0].OptionalTime(2)) row.expires_at = t->unix_seconds;
  row.access_token_signature = rows[0].Text(3);
  return std::optional<GrantRow>(std::move(row));
}

StatusOr<bool> Deactivate(db::Connection& conn, std::string_view kind, std::string_view key) {
  PID_ASSIGN_OR_RETURN(auto n, conn.Exec("UPDATE oauth2_sessions SET active = $1 WHERE kind = $2 AND key = $3 "
                                         "AND active = $4",
                                         {false, kind, key, true}));
  return n > 0;
}

StatusOr<bool> Delete(db::Connection& conn, std::string_view kind, std::string_view key) {
  PID_ASSIGN_OR_RETURN(auto n, conn.Exec("DELETE FROM oauth2_sessions WHERE kind = $1 AND key = $2", {kind, key}));
  return n > 0;
}

Status UpdateRequest(db::Connection& conn, std::string_view kind, const StoredRequest& request) {
  return conn
      .Exec("UPDATE oauth2_sessions SET request_data = $1 WHERE kind = $2 AND request_id = $3",
            {db::Json{StoredRequestJson(request)}, kind, request.id})
      .status();
}

Status ReplaceAccessToken(db::Connection& conn, std::string_view key, const StoredRequest& request,
                          int64_t expires_at) {
  PID_ASSIGN_OR_RETURN(auto rewritten,
                       // `active` too: a row written by another implementation may have been deactivated.
                       conn.Exec("UPDATE oauth2_sessions SET key = $1, created_at = $2, active = $3, "
                                 "access_token_signature = '', request_data = $4, expires_at = $5 "
                                 "WHERE id = (SELECT id FROM oauth2_sessions WHERE kind = $6 AND request_id = $7 "
                                 "ORDER BY id LIMIT 1)",
                                 {key, db::Now(), true, db::Json{StoredRequestJson(request)},
                                  db::Timestamp{expires_at}, kKindAccessToken, request.id}));
  // A family normally holds one access token; anything else it holds (rows from another implementation) goes.
  PID_RETURN_IF_ERROR(conn.Exec("DELETE FROM oauth2_sessions WHERE kind = $1 AND request_id = $2 AND key <> $3",
                                {kKindAccessToken, request.id, key})
                          .status());
  if (rewritten > 0) return Status::Ok();
  return Insert(conn, kKindAccessToken, key, request, expires_at);
}

Status RevokeFamily(db::Connection& conn, std::string_view request_id) {
  PID_RETURN_IF_ERROR(conn.Exec("DELETE FROM oauth2_sessions WHERE kind = $1 AND request_id = $2",
                                {kKindAccessToken, request_id})
                          .status());
  return conn
      .Exec("UPDATE oauth2_sessions SET active = $1 WHERE kind = $2 AND request_id = $3",
            {false, kKindRefreshToken, request_id})
      .status();
}

Status RevokeForUserAndClient(db::Connection& conn, std::string_view user_id, std::string_view client_id,
                              std::optional<std::string_view> id_token_jti) {
  std::string where = "client_id = $2 AND " + std::string(SubjectExpr(conn.engine())) + " = $3";
  if (id_token_jti) where += " AND " + std::string(JtiExpr(conn.engine())) + " = $4";
  std::string del = "DELETE FROM oauth2_sessions WHERE kind = $1 AND " + where;
  std::string upd = "UPDATE oauth2_sessions SET active = $5 WHERE kind = $1 AND " + where;
  if (id_token_jti) {
    PID_RETURN_IF_ERROR(conn.Exec(del, {kKindAccessToken, client_id, user_id, *id_token_jti}).status());
    return conn.Exec(upd, {kKindRefreshToken, client_id, user_id, *id_token_jti, false}).status();
  }
  // Without the jti the statement has no $4; renumber the flag.
  upd = "UPDATE oauth2_sessions SET active = $4 WHERE kind = $1 AND " + where;
  PID_RETURN_IF_ERROR(conn.Exec(del, {kKindAccessToken, client_id, user_id}).status());
  return conn.Exec(upd, {kKindRefreshToken, client_id, user_id, false}).status();
}

}  // namespace pocketid::oidc::grants
