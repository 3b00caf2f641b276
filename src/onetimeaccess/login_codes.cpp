#include "onetimeaccess/login_codes.h"

#include "core/crypto/encoding.h"
#include "core/crypto/hash.h"
#include "core/crypto/random.h"

namespace pocketid::onetimeaccess {

namespace {
std::string HashCode(std::string_view code) { return crypto::HexEncode(crypto::Sha256(code)); }

bool HasValidLength(std::string_view code) { return code.size() == 6 || code.size() == 12; }
}  // namespace

std::string LoginCodes::Normalize(std::string_view code) {
  std::string out(code);
  for (char& c : out) {
    if (c == 'I' || c == 'i') c = '1';
    if (c == 'O' || c == 'o') c = '0';
  }
  return out;
}

bool LoginCodes::DeviceTokenMatches(const PendingCode& code, std::optional<std::string_view> device_token) {
  if (!code.device_token_hash) return true;
  return device_token && crypto::ConstantTimeEquals(HashCode(*device_token), *code.device_token_hash);
}

StatusOr<std::string> LoginCodes::Create(std::string_view user_id, std::chrono::seconds ttl,
                                         std::optional<std::string_view> device_token) {
  size_t length = ttl <= kShortCodeMaxTtl ? 6 : 12;
  std::string code = crypto::RandomString(length, kCodeAlphabet);
  db::Timestamp now = db::Now();
  db::Param device = device_token ? db::Param(HashCode(*device_token)) : db::Param(nullptr);
  PID_RETURN_IF_ERROR(database_
                          .Exec("INSERT INTO login_codes (token_hash, user_id, device_token_hash, expires_at, "
                                "created_at) VALUES ($1, $2, $3, $4, $5)",
                                {HashCode(code), user_id, device, db::Timestamp{now.unix_seconds + ttl.count()}, now})
                          .status());
  return code;
}

StatusOr<std::optional<PendingCode>> LoginCodes::Find(std::string_view raw) {
  std::string code = Normalize(raw);
  if (!HasValidLength(code)) return std::optional<PendingCode>();
  PID_ASSIGN_OR_RETURN(auto rows, database_.Query("SELECT user_id, device_token_hash FROM login_codes "
                                                  "WHERE token_hash = $1 AND expires_at > $2",
                                                  {HashCode(code), db::Now()}));
  if (rows.empty()) return std::optional<PendingCode>();
  return std::optional<PendingCode>(PendingCode{rows[0].Text(0), rows[0].OptionalText(1)});
}

StatusOr<bool> LoginCodes::Consume(std::string_view raw) {
  std::string code = Normalize(raw);
  PID_ASSIGN_OR_RETURN(int64_t deleted, database_.Exec("DELETE FROM login_codes WHERE token_hash = $1 AND "
                                                       "expires_at > $2",
                                                       {HashCode(code), db::Now()}));
  return deleted == 1;
}

}  // namespace pocketid::onetimeaccess
