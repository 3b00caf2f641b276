#include "devicelogin/device_login_store.h"

#include "auth/user_codes.h"
#include "core/crypto/encoding.h"
#include "core/crypto/hash.h"
#include "core/crypto/random.h"

namespace pocketid::devicelogin {

namespace {

constexpr std::string_view kTokenAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
constexpr size_t kTokenLength = 32;
constexpr int kCodeAttempts = 3;

// Neither the code nor the browser's token is stored in clear: rows keep their SHA-256 (hex) digests.
std::string Digest(std::string_view text) { return crypto::HexEncode(crypto::Sha256(text)); }

}  // namespace

StatusOr<CreatedRequest> DeviceLoginStore::Create(std::string_view ip_address, std::string_view user_agent,
                                                  std::string_view country, std::string_view city) {
  CreatedRequest out;
  out.token = crypto::RandomString(kTokenLength, kTokenAlphabet);
  const db::Timestamp now = db::Now();
  out.expires_at = now.unix_seconds + kRequestLifetimeSeconds;
  for (int attempt = 0; attempt < kCodeAttempts; ++attempt) {
    out.code = auth::NewUserCode('P');
    Status st = database_.InTransaction([&](db::Connection& conn) -> Status {
      // An expired request may still hold the code until the cleanup job runs: the code is free again.
      PID_RETURN_IF_ERROR(conn.Exec("DELETE FROM device_login_requests WHERE code_hash = $1 AND expires_at <= $2",
                                    {Digest(out.code), now})
                              .status());
      return conn
          .Exec("INSERT INTO device_login_requests (id, code_hash, token_hash, status, ip_address, user_agent, "
                "country, city, expires_at, created_at) VALUES ($1, $2, $3, 'pending', $4, $5, $6, $7, $8, $9)",
                {crypto::NewUuidV4(), Digest(out.code), Digest(out.token), ip_address, user_agent, country, city,
                 db::Timestamp{out.expires_at}, now})
          .status();
    });
    if (st.code() == StatusCode::kAlreadyExists) continue;  // a live request has this code: draw another
    PID_RETURN_IF_ERROR(st);
    return out;
  }
  return InternalError("no free device login code after several attempts");
}

StatusOr<std::optional<PendingRequest>> DeviceLoginStore::FindPending(std::string_view typed_code) {
  const std::string code = auth::NormalizeUserCode(typed_code);
  PID_ASSIGN_OR_RETURN(auto rows, database_.Query("SELECT ip_address, user_agent, country, city, expires_at FROM "
                                                  "device_login_requests WHERE code_hash = $1 AND status = 'pending' "
                                                  "AND expires_at > $2",
                                                  {Digest(code), db::Now()}));
  if (rows.empty()) return std::optional<PendingRequest>();
  const auto& r = rows[0];
  return std::optional<PendingRequest>(PendingRequest{
      code, r.OptionalText(0).value_or(""), r.OptionalText(1).value_or(""), r.OptionalText(2).value_or(""),
      r.OptionalText(3).value_or(""), r.Time(4).unix_seconds});
}

StatusOr<bool> DeviceLoginStore::Decide(std::string_view typed_code, Decision decision, std::string_view user_id) {
  const db::Timestamp now = db::Now();
  const std::string_view status = decision == Decision::kApprove ? "approved" : "denied";
  PID_ASSIGN_OR_RETURN(int64_t changed,
                       database_.Exec("UPDATE device_login_requests SET status = $1, user_id = $2, approved_at = $3 "
                                      "WHERE code_hash = $4 AND status = 'pending' AND expires_at > $3",
                                      {status, user_id, now, Digest(auth::NormalizeUserCode(typed_code))}));
  return changed == 1;
}

StatusOr<ExchangeView> DeviceLoginStore::View(std::string_view id, std::string_view token) {
  ExchangeView out;
  if (id.empty() || token.empty()) return out;
  PID_ASSIGN_OR_RETURN(auto rows, database_.Query("SELECT token_hash, status, user_id FROM device_login_requests "
                                                  "WHERE code_hash = $1 AND expires_at > $2",
                                                  {Digest(id), db::Now()}));
  if (rows.empty() || !crypto::ConstantTimeEquals(rows[0].Text(0), Digest(token))) return out;
  const std::string status = rows[0].Text(1);
  out.user_id = rows[0].OptionalText(2).value_or("");
  if (status == "pending") out.state = ExchangeState::kPending;
  if (status == "denied") out.state = ExchangeState::kDenied;
  if (status == "approved" && !out.user_id.empty()) out.state = ExchangeState::kApproved;
  return out;
}

StatusOr<bool> DeviceLoginStore::Consume(std::string_view id, std::string_view token) {
  PID_ASSIGN_OR_RETURN(int64_t deleted, database_.Exec("DELETE FROM device_login_requests WHERE code_hash = $1 AND "
                                                       "token_hash = $2 AND status = 'approved' AND expires_at > $3",
                                                       {Digest(id), Digest(token), db::Now()}));
  return deleted == 1;
}

}  // namespace pocketid::devicelogin
