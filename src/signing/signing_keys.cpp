#include "signing/signing_keys.h"

#include "core/crypto/keystore.h"
#include "core/crypto/random.h"

namespace pocketid::signing {

namespace {

StatusOr<std::optional<std::string>> ReadKv(db::Connection& conn, std::string_view key) {
  PID_ASSIGN_OR_RETURN(auto rows, conn.Query("SELECT value FROM kv WHERE key = $1", {key}));
  if (rows.size() == 0 || rows[0].IsNull(0)) return std::optional<std::string>();
  return std::optional<std::string>(rows[0].Text(0));
}

Status WriteKv(db::Connection& conn, std::string_view key, std::string_view value, bool overwrite) {
  const char* sql = overwrite
                        ? "INSERT INTO kv (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = $2"
                        : "INSERT INTO kv (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING";
  return conn.Exec(sql, {key, value}).status();
}

}  // namespace

StatusOr<std::string> LoadOrCreateInstanceId(db::Database& database) {
  PID_ASSIGN_OR_RETURN(auto conn, database.Acquire());
  PID_ASSIGN_OR_RETURN(auto existing, ReadKv(*conn, kInstanceIdKey));
  if (existing && !existing->empty()) return *existing;
  PID_RETURN_IF_ERROR(WriteKv(*conn, kInstanceIdKey, crypto::NewUuidV4(), /*overwrite=*/false)
                          .WithPrefix("failed to store instance ID"));
  PID_ASSIGN_OR_RETURN(auto stored, ReadKv(*conn, kInstanceIdKey));
  if (!stored || stored->empty()) return InternalError("failed to store instance ID");
  return *stored;
}

StatusOr<crypto::SigningKey> LoadOrCreateSigningKey(db::Database& database, std::string_view encryption_key,
                                                    std::string_view instance_id) {
  PID_ASSIGN_OR_RETURN(auto conn, database.Acquire());
  PID_ASSIGN_OR_RETURN(auto stored, ReadKv(*conn, kSigningKeyKey));
  if (stored && !stored->empty()) {
    return crypto::DecryptPrivateJwk(*stored, encryption_key, instance_id);
  }
  PID_ASSIGN_OR_RETURN(auto key, crypto::SigningKey::Generate(crypto::JwsAlgorithm::kRS256));
  PID_ASSIGN_OR_RETURN(std::string sealed, crypto::EncryptPrivateJwk(key, encryption_key, instance_id));
  // An empty row counts as missing (Pocket ID does the same), so it is overwritten; a non-empty row written by a
  // replica that started at the same moment wins.
  PID_RETURN_IF_ERROR(
      conn->Exec("INSERT INTO kv (key, value) VALUES ($1, $2) "
                 "ON CONFLICT (key) DO UPDATE SET value = $2 WHERE kv.value IS NULL OR kv.value = ''",
                 {kSigningKeyKey, std::string_view(sealed)})
          .status()
          .WithPrefix("failed to save private key"));
  PID_ASSIGN_OR_RETURN(auto winner, ReadKv(*conn, kSigningKeyKey));
  if (!winner || winner->empty()) return InternalError("failed to save private key");
  if (*winner == sealed) return key;
  return crypto::DecryptPrivateJwk(*winner, encryption_key, instance_id);
}

StatusOr<crypto::SigningKey> RotateSigningKey(db::Database& database, std::string_view encryption_key,
                                              std::string_view instance_id, crypto::JwsAlgorithm algorithm) {
  PID_ASSIGN_OR_RETURN(auto key, crypto::SigningKey::Generate(algorithm));
  PID_ASSIGN_OR_RETURN(std::string sealed, crypto::EncryptPrivateJwk(key, encryption_key, instance_id));
  PID_ASSIGN_OR_RETURN(auto conn, database.Acquire());
  PID_RETURN_IF_ERROR(WriteKv(*conn, kSigningKeyKey, sealed, /*overwrite=*/true).WithPrefix("failed to save key"));
  return key;
}

Status ReencryptSigningKey(db::Database& database, std::string_view old_encryption_key,
                           std::string_view new_encryption_key, std::string_view instance_id) {
  return database.InTransaction([&](db::Connection& conn) -> Status {
    PID_ASSIGN_OR_RETURN(auto stored, ReadKv(conn, kSigningKeyKey));
    if (!stored || stored->empty()) return Status::Ok();  // nothing to re-encrypt yet
    PID_ASSIGN_OR_RETURN(auto key, crypto::DecryptPrivateJwk(*stored, old_encryption_key, instance_id));
    PID_ASSIGN_OR_RETURN(std::string sealed, crypto::EncryptPrivateJwk(key, new_encryption_key, instance_id));
    return WriteKv(conn, kSigningKeyKey, sealed, /*overwrite=*/true);
  });
}

}  // namespace pocketid::signing
