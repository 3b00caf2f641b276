// The token signing key: one key at a time, stored encrypted in the `kv` table exactly as Pocket ID stores it
// (protocol.md §2.6), so a database or export made by Pocket ID keeps working.
#pragma once

#include <string>
#include <string_view>

#include "core/crypto/jose.h"
#include "core/db/database.h"
#include "core/status/status.h"

namespace pocketid::signing {

inline constexpr std::string_view kInstanceIdKey = "instance_id";
inline constexpr std::string_view kSigningKeyKey = "jwt_private_key.json";

// Returns kv.instance_id, creating a random UUID on first start. Safe when several replicas start at once:
// the insert is conditional and everybody reads back the winner's value.
StatusOr<std::string> LoadOrCreateInstanceId(db::Database& database);

// Loads and decrypts the signing key; on first start (no row, or an empty value) generates an RS256 RSA-2048
// key and stores it. Concurrent first starts converge on one key instead of crashing.
StatusOr<crypto::SigningKey> LoadOrCreateSigningKey(db::Database& database, std::string_view encryption_key,
                                                    std::string_view instance_id);

// Replaces the stored key with a new one of `algorithm` (`pocket-id key-rotate`). Running servers keep the old key
// until restarted, as in Pocket ID.
StatusOr<crypto::SigningKey> RotateSigningKey(db::Database& database, std::string_view encryption_key,
                                              std::string_view instance_id, crypto::JwsAlgorithm algorithm);

// Re-encrypts the stored key under a new ENCRYPTION_KEY (`pocket-id encryption-key-rotate`).
Status ReencryptSigningKey(db::Database& database, std::string_view old_encryption_key,
                           std::string_view new_encryption_key, std::string_view instance_id);

}  // namespace pocketid::signing
