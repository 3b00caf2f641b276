// `oauth2_sessions` (protocol.md §2.7): authorization codes, access tokens and refresh tokens, each a row keyed by
// (kind, signature) holding the stored request. Rows of one login share a request id (the token family), which is
// what code replay and refresh reuse revoke.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/db/connection.h"
#include "core/status/status.h"
#include "oidc/stored_request.h"

namespace pocketid::oidc {

inline constexpr std::string_view kKindAuthorizeCode = "authorize_code";
inline constexpr std::string_view kKindAccessToken = "access_token";
inline constexpr std::string_view kKindRefreshToken = "refresh_token";
inline constexpr std::string_view kKindPushedRequest = "par";
inline constexpr std::string_view kKindDeviceCode = "device_code";
inline constexpr std::string_view kKindUserCode = "user_code";

struct GrantRow {
  StoredRequest request;
  bool active = true;
  std::optional<int64_t> expires_at;
  std::string access_token_signature;
};

// Stateless: every call works on the connection it is given, so callers compose them in one transaction.
namespace grants {

Status Insert(db::Connection& conn, std::string_view kind, std::string_view key, const StoredRequest& request,
              std::optional<int64_t> expires_at, std::string_view access_token_signature = {});
StatusOr<std::optional<GrantRow>> Find(db::Connection& conn, std::string_view kind, std::string_view key);
// Marks the row inactive; true when this call did it (it was active), so two concurrent uses cannot both win.
StatusOr<bool> Deactivate(db::Connection& conn, std::string_view kind, std::string_view key);
StatusOr<bool> Delete(db::Connection& conn, std::string_view kind, std::string_view key);
// Replaces the stored request of the family's rows of `kind` (a device code once its user approved it).
Status UpdateRequest(db::Connection& conn, std::string_view kind, const StoredRequest& request);
// Refresh rotation: the family's access token becomes `key` (with `request` and `expires_at`) and every other
// access token of the family is gone. Rewrites the family's existing row in place when there is one, which leaves
// the random-keyed primary-key and (kind, request_id) indexes alone: 21 → 14 WAL pages a refresh (README, OIDC).
Status ReplaceAccessToken(db::Connection& conn, std::string_view key, const StoredRequest& request,
                          int64_t expires_at);
// Code replay / refresh reuse: every access token of the family deleted, every refresh token deactivated.
Status RevokeFamily(db::Connection& conn, std::string_view request_id);
// End-session and consent revocation: the user's tokens for a client, optionally only the login whose ID token
// had `id_token_jti`.
Status RevokeForUserAndClient(db::Connection& conn, std::string_view user_id, std::string_view client_id,
                              std::optional<std::string_view> id_token_jti = std::nullopt);

}  // namespace grants

}  // namespace pocketid::oidc
