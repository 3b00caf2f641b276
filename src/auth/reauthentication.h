// Reauthentication tokens (protocol.md §4.4): a fresh proof of presence, issued by POST /api/webauthn/reauthenticate
// as a single-use cookie and used up by the OIDC steps that need it (prompt=login, max_age, clients that require
// reauthentication). Stored as the SHA-256 of the value in `reauthentication_tokens`.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/db/database.h"
#include "core/http/api_error.h"
#include "core/status/status.h"

namespace pocketid::auth {

inline constexpr int kReauthenticationSeconds = 180;

// A new token for `user_id`: the value to put in the cookie.
StatusOr<std::string> IssueReauthenticationToken(db::Database& database, std::string_view user_id);

// Uses up `user_id`'s unexpired token and returns when it was issued; nullopt when it is unknown, expired, another
// user's or older than `max_age_seconds` (those attempts leave it intact).
StatusOr<std::optional<int64_t>> ConsumeReauthenticationToken(db::Database& database, std::string_view token,
                                                              std::string_view user_id,
                                                              std::optional<int64_t> max_age_seconds = std::nullopt);

// The request's `cookie_name` token used up for `user_id` (see ConsumeReauthenticationToken): when it was issued, or
// 401 reauthentication_required when the cookie is missing or the token cannot be used.
http::ApiResult<int64_t> ConsumeReauthenticationCookie(db::Database& database, const http::Request& req,
                                                       std::string_view cookie_name, std::string_view user_id,
                                                       std::optional<int64_t> max_age_seconds = std::nullopt);

}  // namespace pocketid::auth
