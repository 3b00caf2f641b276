// Persistence for passkeys: `webauthn_credentials` (Pocket ID's table) and `webauthn_sessions`, the challenge
// of a ceremony in progress, kept in the database so any replica can finish what another started.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "core/db/database.h"
#include "core/status/status.h"

namespace pocketid::passkeys {

struct Credential {
  std::string id;             // row uuid
  std::string name;
  std::string credential_id;  // raw bytes
  std::string public_key;     // COSE_Key bytes
  std::string attestation_type;
  std::vector<std::string> transports;
  bool backup_eligible = false;
  bool backup_state = false;
  std::string user_id;
  db::Timestamp created_at;
  std::optional<db::Timestamp> last_used_at;  // ours (webauthn_credential_usage)
};

// The API's WebauthnCredentialDto.
boost::json::object CredentialDto(const Credential& c);

class CredentialStore {
 public:
  explicit CredentialStore(db::Database& database) : database_(database) {}

  StatusOr<std::vector<Credential>> ListForUser(std::string_view user_id);
  StatusOr<std::optional<Credential>> FindByCredentialId(std::string_view credential_id);
  // kAlreadyExists when the credential ID is registered already.
  Status Insert(const Credential& c);
  // nullopt when the passkey does not exist or belongs to someone else.
  StatusOr<std::optional<Credential>> Rename(std::string_view id, std::string_view user_id, std::string_view name);
  StatusOr<std::optional<Credential>> Delete(std::string_view id, std::string_view user_id);
  // Remembers a successful sign-in with the passkey `id` (row id).
  Status RecordUse(std::string_view id, uint32_t sign_count);
  db::Database& database() { return database_; }

 private:
  StatusOr<std::optional<Credential>> FindOwned(std::string_view id, std::string_view user_id);
  db::Database& database_;
};

struct CeremonySession {
  std::string challenge;
  std::string user_verification;      // "required" | "preferred"
  std::vector<int> credential_params;  // registration: the algorithms offered
  db::Timestamp expires_at;
};

class CeremonyStore {
 public:
  explicit CeremonyStore(db::Database& database) : database_(database) {}

  // Stores a new ceremony; returns its id (the `session` cookie value).
  StatusOr<std::string> Create(const CeremonySession& session);
  // Takes the ceremony out (single use). nullopt when unknown; expiry is the caller's check.
  StatusOr<std::optional<CeremonySession>> Consume(std::string_view id);

 private:
  db::Database& database_;
};

}  // namespace pocketid::passkeys
