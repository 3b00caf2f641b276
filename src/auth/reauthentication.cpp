#include "auth/reauthentication.h"

#include "core/crypto/encoding.h"
#include "core/crypto/hash.h"
#include "core/crypto/random.h"

namespace pocketid::auth {

namespace {
std::string StoredForm(std::string_view token) { return crypto::HexEncode(crypto::Sha256(token)); }
}  // namespace

StatusOr<std::string> IssueReauthenticationToken(db::Database& database, std::string_view user_id) {
  std::string token = crypto::RandomString(32, crypto::kAlphanumeric);
  db::Timestamp now = db::Now();
  PID_RETURN_IF_ERROR(database
                          .Exec("INSERT INTO reauthentication_tokens (id, created_at, token, expires_at, user_id) "
                                "VALUES ($1, $2, $3, $4, $5)",
                                {crypto::NewUuidV4(), now, StoredForm(token),
                                 db::Timestamp{now.unix_seconds + kReauthenticationSeconds}, user_id})
                          .status());
  return token;
}

StatusOr<std::optional<int64_t>> ConsumeReauthenticationToken(db::Database& database, std::string_view token,
                                                              std::string_view user_id,
                                                              std::optional<int64_t> max_age_seconds) {
  if (token.empty()) return std::optional<int64_t>();
  const db::Timestamp now = db::Now();
  // No age limit: any token issued after the epoch qualifies.
  const db::Timestamp issued_after{max_age_seconds ? now.unix_seconds - *max_age_seconds : 0};
  // One statement: only the owner's unexpired (and fresh enough) token is deleted, and only one caller can delete it.
  PID_ASSIGN_OR_RETURN(auto rows, database.Query("DELETE FROM reauthentication_tokens "
                                                 "WHERE token = $1 AND user_id = $2 AND expires_at > $3 "
                                                 "AND created_at >= $4 RETURNING created_at",
                                                 {StoredForm(token), user_id, now, issued_after}));
  if (rows.empty()) return std::optional<int64_t>();
  return std::optional<int64_t>(rows[0].Time(0).unix_seconds);
}

http::ApiResult<int64_t> ConsumeReauthenticationCookie(db::Database& database, const http::Request& req,
                                                       std::string_view cookie_name, std::string_view user_id,
                                                       std::optional<int64_t> max_age_seconds) {
  const http::ApiError required{401, "reauthentication_required", "Reauthentication is required", {}};
  auto cookie = req.Cookie(cookie_name);
  if (!cookie || cookie->empty()) return required;
  auto consumed = ConsumeReauthenticationToken(database, *cookie, user_id, max_age_seconds);
  if (!consumed.ok()) return http::InternalFromStatus(consumed.status(), "reauthentication");
  if (!*consumed) return required;
  return **consumed;
}

}  // namespace pocketid::auth
