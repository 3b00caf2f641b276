#include "auth/authenticator.h"

#include "core/crypto/encoding.h"
#include "core/crypto/hash.h"
#include "core/crypto/random.h"

namespace pocketid::auth {

std::optional<std::string> Authenticator::SessionToken(const http::Request& req) const {
  // A present-but-empty cookie (after logout) wins over the header and means "not signed in".
  if (auto cookie = req.Cookie(cookies_.access_token)) return *cookie;
  if (auto header = req.Header("Authorization")) {
    auto space = header->find(' ');
    if (space != std::string_view::npos) return std::string(header->substr(space + 1));
  }
  return std::nullopt;
}

http::ApiResult<Principal> Authenticator::FromSession(const http::Request& req) {
  auto token = SessionToken(req);
  if (!token || token->empty()) return http::ApiError::NotSignedIn();
  auto claims = tokens_.Verify(*token);
  if (!claims.ok()) return http::ApiError::NotSignedIn();
  auto user = users_.FindById(claims->user_id);
  if (!user.ok()) return http::InternalFromStatus(user.status(), "failed to load the signed-in user");
  if (!*user) return http::ApiError::NotSignedIn();
  Principal p;
  p.user = std::move(**user);
  p.authentication_method = claims->amr.empty() ? "" : claims->amr.front();
  p.authentication_time = claims->issued_at;
  return p;
}

http::ApiResult<Principal> Authenticator::FromApiKey(std::string_view key) {
  if (key.empty()) return http::ApiError::NotSignedIn();
  Principal p;
  p.via_api_key = true;
  if (!static_api_key_.empty() && crypto::ConstantTimeEquals(key, static_api_key_)) {
    auto user = LoadOrCreateStaticApiUser(database_);
    if (!user.ok()) return http::InternalFromStatus(user.status(), "failed to load the static API key user");
    p.user = std::move(*user);
    return p;
  }
  // Pocket ID answers every unusable key (unknown, expired, ownerless) with not_signed_in.
  std::string hash = crypto::HexEncode(crypto::Sha256(key));
  db::Timestamp now = db::Now();
  auto rows = database_.Query("SELECT id, user_id FROM api_keys WHERE key = $1 AND expires_at > $2", {hash, now});
  if (!rows.ok()) return http::InternalFromStatus(rows.status(), "failed to look up the API key");
  if (rows->empty()) return http::ApiError::NotSignedIn();
  std::string key_id = (*rows)[0].Text(0);
  auto user_id = (*rows)[0].OptionalText(1);
  if (!user_id) return http::ApiError::NotSignedIn();
  if (auto touched = database_.Exec("UPDATE api_keys SET last_used_at = $2 WHERE id = $1", {key_id, now});
      !touched.ok()) {
    return http::InternalFromStatus(touched.status(), "failed to update the API key");
  }
  auto user = users_.FindById(*user_id);
  if (!user.ok()) return http::InternalFromStatus(user.status(), "failed to load the API key's owner");
  if (!*user) return http::ApiError::NotSignedIn();
  p.user = std::move(**user);
  return p;
}

std::optional<http::ApiError> Authenticator::CheckPolicy(const Principal& p, AuthPolicy policy) {
  if (p.user.disabled) return http::ApiError::UserDisabled();
  if (policy.admin_required && !p.user.is_admin) return http::ApiError::Forbidden();
  return std::nullopt;
}

http::ApiResult<Principal> Authenticator::Authenticate(const http::Request& req, AuthPolicy policy) {
  auto session = FromSession(req);
  if (auto* p = std::get_if<Principal>(&session)) {
    if (auto denied = CheckPolicy(*p, policy)) return *denied;
    return session;
  }
  const auto& error = std::get<http::ApiError>(session);
  if (error.code != "not_signed_in") return error;
  auto key = req.Header("X-API-Key");
  if (!key) return error;
  if (!policy.api_key_allowed) {
    // An empty header counts as no key at all, as in Pocket ID.
    if (key->empty()) return error;
    return http::ApiError{403, "api_key_auth_not_allowed", "API key authentication is not allowed for this endpoint",
                          {}};
  }
  auto by_key = FromApiKey(*key);
  if (auto* p = std::get_if<Principal>(&by_key)) {
    if (auto denied = CheckPolicy(*p, policy)) return *denied;
  }
  return by_key;
}

http::ApiResult<std::optional<Principal>> Authenticator::AuthenticateOptional(const http::Request& req) {
  auto session = FromSession(req);
  if (auto* p = std::get_if<Principal>(&session)) {
    if (p->user.disabled) return http::ApiError::UserDisabled();
    return std::optional<Principal>(std::move(*p));
  }
  const auto& error = std::get<http::ApiError>(session);
  if (error.code != "not_signed_in") return error;
  return std::optional<Principal>();
}

namespace {
constexpr std::string_view kStaticApiUserName = "Static API User";
constexpr size_t kStaticApiUsernameSuffixLength = 6;
constexpr int kStaticApiUserCreateAttempts = 3;
}  // namespace

StatusOr<users::User> LoadOrCreateStaticApiUser(db::Database& database) {
  users::UserRepository users(database);
  for (int attempt = 0; attempt < kStaticApiUserCreateAttempts; ++attempt) {
    PID_ASSIGN_OR_RETURN(auto existing, users.FindById(users::kStaticApiUserId));
    if (existing) return std::move(*existing);
    // DO NOTHING covers both a concurrent creation (id) and an unlucky username suffix (username): either way
    // the next round reads the row or tries another suffix.
    std::string username =
        "static-api-user-" + crypto::RandomString(kStaticApiUsernameSuffixLength, crypto::kAlphanumeric);
    db::Timestamp now = db::Now();
    PID_RETURN_IF_ERROR(database
                            .Exec("INSERT INTO users (id, created_at, updated_at, username, email, email_verified, "
                                  "first_name, last_name, display_name, is_admin, locale, disabled) "
                                  "VALUES ($1, $2, $3, $4, NULL, false, $5, '', $6, true, NULL, false) "
                                  "ON CONFLICT DO NOTHING",
                                  {users::kStaticApiUserId, now, now, username, kStaticApiUserName,
                                   kStaticApiUserName})
                            .status());
  }
  return InternalError("could not create the static API key user");
}

Status DeleteStaticApiUserUnlessConfigured(db::Database& database, std::string_view static_api_key) {
  if (!static_api_key.empty()) return Status::Ok();
  return database.Exec("DELETE FROM users WHERE id = $1", {users::kStaticApiUserId}).status();
}

http::Handler Guarded(Authenticator& authenticator, AuthPolicy policy, http::Handler handler) {
  return [&authenticator, policy, handler = std::move(handler)](http::Request& req) {
    auto principal = authenticator.Authenticate(req, policy);
    if (auto* e = std::get_if<http::ApiError>(&principal)) return http::ErrorResponse(req, *e);
    return handler(req);
  };
}

}  // namespace pocketid::auth
