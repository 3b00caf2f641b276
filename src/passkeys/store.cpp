#include "passkeys/store.h"

#include <boost/json.hpp>

#include "core/crypto/encoding.h"
#include "core/crypto/random.h"
#include "users/user.h"

namespace pocketid::passkeys {

namespace {

constexpr std::string_view kColumns =
    "c.id, c.name, c.credential_id, c.public_key, c.attestation_type, c.transport, c.backup_eligible, "
    "c.backup_state, c.user_id, c.created_at, u.last_used_at";
constexpr std::string_view kFrom =
    " FROM webauthn_credentials c LEFT JOIN webauthn_credential_usage u ON u.credential_id = c.id";

std::vector<std::string> ParseStringArray(std::string_view json) {
  std::vector<std::string> out;
  boost::system::error_code ec;
  auto v = boost::json::parse(json, ec);
  if (ec || !v.is_array()) return out;
  for (const auto& e : v.as_array()) {
    if (e.is_string()) out.emplace_back(e.as_string());
  }
  return out;
}

Credential ReadCredential(const db::Row& r) {
  Credential c;
  c.id = r.Text(0);
  c.name = r.Text(1);
  c.credential_id = r.Text(2);
  c.public_key = r.Text(3);
  c.attestation_type = r.Text(4);
  c.transports = ParseStringArray(r.Text(5));
  c.backup_eligible = r.Bool(6);
  c.backup_state = r.Bool(7);
  c.user_id = r.OptionalText(8).value_or("");
  c.created_at = r.OptionalTime(9).value_or(db::Timestamp{});
  c.last_used_at = r.OptionalTime(10);
  return c;
}

StatusOr<std::optional<Credential>> First(StatusOr<db::ResultSet> rows) {
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<Credential>();
  return std::optional<Credential>(ReadCredential((*rows)[0]));
}

}  // namespace

boost::json::object CredentialDto(const Credential& c) {
  boost::json::array transports;
  for (const auto& t : c.transports) transports.emplace_back(t);
  return {{"id", c.id},
          {"name", c.name},
          {"credentialID", crypto::Base64UrlEncode(c.credential_id)},
          {"attestationType", c.attestation_type},
          {"transport", std::move(transports)},
          {"backupEligible", c.backup_eligible},
          {"backupState", c.backup_state},
          {"createdAt", db::FormatRfc3339(c.created_at)},
          // Ours: Pocket ID does not track when a passkey was last used.
          {"lastUsedAt", c.last_used_at ? boost::json::value(db::FormatRfc3339(*c.last_used_at)) : nullptr}};
}

StatusOr<std::vector<Credential>> CredentialStore::ListForUser(std::string_view user_id) {
  PID_ASSIGN_OR_RETURN(auto rows, database_.Query("SELECT " + std::string(kColumns) + std::string(kFrom) +
                                                      " WHERE c.user_id = $1 ORDER BY c.created_at, c.id",
                                                  {user_id}));
  std::vector<Credential> out;
  for (const auto& r : rows) out.push_back(ReadCredential(r));
  return out;
}

StatusOr<std::optional<Credential>> CredentialStore::FindByCredentialId(std::string_view credential_id) {
  return First(database_.Query(
      "SELECT " + std::string(kColumns) + std::string(kFrom) + " WHERE c.credential_id = $1",
      {db::Blob{std::string(credential_id)}}));
}

Status CredentialStore::Insert(const Credential& c) {
  boost::json::array transports;
  for (const auto& t : c.transports) transports.emplace_back(t);
  return database_
      .Exec("INSERT INTO webauthn_credentials (id, created_at, name, credential_id, public_key, attestation_type, "
            "transport, user_id, backup_eligible, backup_state) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            {c.id, c.created_at, c.name, db::Blob{c.credential_id}, db::Blob{c.public_key}, c.attestation_type,
             db::Json{boost::json::serialize(transports)}, c.user_id, c.backup_eligible, c.backup_state})
      .status();
}

Status CredentialStore::RecordUse(std::string_view id, uint32_t sign_count) {
  return database_
      .Exec("INSERT INTO webauthn_credential_usage (credential_id, last_used_at, sign_count) VALUES ($1, $2, $3) "
            "ON CONFLICT (credential_id) DO UPDATE SET last_used_at = $2, sign_count = $3",
            {id, db::Now(), int64_t{sign_count}})
      .status();
}

StatusOr<std::optional<Credential>> CredentialStore::FindOwned(std::string_view id, std::string_view user_id) {
  if (database_.engine() == db::Engine::kPostgres && !users::LooksLikeUuid(id)) return std::optional<Credential>();
  return First(database_.Query(
      "SELECT " + std::string(kColumns) + std::string(kFrom) + " WHERE c.id = $1 AND c.user_id = $2", {id, user_id}));
}

StatusOr<std::optional<Credential>> CredentialStore::Rename(std::string_view id, std::string_view user_id,
                                                            std::string_view name) {
  PID_ASSIGN_OR_RETURN(auto found, FindOwned(id, user_id));
  if (!found) return found;
  PID_RETURN_IF_ERROR(
      database_.Exec("UPDATE webauthn_credentials SET name = $3 WHERE id = $1 AND user_id = $2", {id, user_id, name})
          .status());
  found->name = std::string(name);
  return found;
}

StatusOr<std::optional<Credential>> CredentialStore::Delete(std::string_view id, std::string_view user_id) {
  PID_ASSIGN_OR_RETURN(auto found, FindOwned(id, user_id));
  if (!found) return found;
  PID_RETURN_IF_ERROR(
      database_.Exec("DELETE FROM webauthn_credentials WHERE id = $1 AND user_id = $2", {id, user_id}).status());
  return found;
}

StatusOr<std::string> CeremonyStore::Create(const CeremonySession& s) {
  std::string id = crypto::NewUuidV4();
  boost::json::array params;
  for (int alg : s.credential_params) params.push_back(boost::json::object{{"type", "public-key"}, {"alg", alg}});
  PID_RETURN_IF_ERROR(database_
                          .Exec("INSERT INTO webauthn_sessions (id, created_at, challenge, expires_at, "
                                "user_verification, credential_params) VALUES ($1, $2, $3, $4, $5, $6)",
                                {id, db::Now(), s.challenge, s.expires_at, s.user_verification,
                                 db::Json{boost::json::serialize(params)}})
                          .status());
  return id;
}

StatusOr<std::optional<CeremonySession>> CeremonyStore::Consume(std::string_view id) {
  if (!users::LooksLikeUuid(id)) return std::optional<CeremonySession>();
  // DELETE ... RETURNING makes the ceremony single-use even when two requests race for it.
  PID_ASSIGN_OR_RETURN(auto rows, database_.Query("DELETE FROM webauthn_sessions WHERE id = $1 "
                                                  "RETURNING challenge, expires_at, user_verification, "
                                                  "credential_params",
                                                  {id}));
  if (rows.empty()) return std::optional<CeremonySession>();
  CeremonySession s;
  s.challenge = rows[0].Text(0);
  s.expires_at = rows[0].Time(1);
  s.user_verification = rows[0].Text(2);
  boost::system::error_code ec;
  auto params = boost::json::parse(rows[0].Text(3), ec);
  if (!ec && params.is_array()) {
    for (const auto& p : params.as_array()) {
      if (p.is_object() && p.as_object().contains("alg") && p.as_object().at("alg").is_int64()) {
        s.credential_params.push_back(static_cast<int>(p.as_object().at("alg").as_int64()));
      }
    }
  }
  return std::optional<CeremonySession>(std::move(s));
}

}  // namespace pocketid::passkeys
