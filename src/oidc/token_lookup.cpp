// Looking up presented tokens for userinfo, introspection and end-session.
#include "oidc/grant_store.h"
#include "oidc/provider.h"

namespace pocketid::oidc {

StatusOr<std::optional<StoredRequest>> FindActiveAccessToken(Provider& p, std::string_view jwt) {
  using Result = std::optional<StoredRequest>;
  auto verified = crypto::VerifyJwt(jwt, p.verification_key(), p.minter().key().algorithm());
  if (!verified.ok()) return Result();
  auto exp = verified->claims.find("exp");
  int64_t now = db::Now().unix_seconds;
  if (exp == verified->claims.end() || !exp->value().is_int64() || exp->value().as_int64() <= now) return Result();
  std::string_view signature = jwt.substr(jwt.rfind('.') + 1);
  PID_ASSIGN_OR_RETURN(auto lease, p.database().Acquire());
  PID_ASSIGN_OR_RETURN(auto row, grants::Find(*lease, kKindAccessToken, signature));
  if (!row || !row->active) return Result();
  if (row->expires_at && *row->expires_at <= now) return Result();
  return Result(std::move(row->request));
}

StatusOr<std::optional<StoredRequest>> FindActiveRefreshToken(Provider& p, std::string_view token) {
  using Result = std::optional<StoredRequest>;
  auto signature = p.opaque_tokens().Verify(kRefreshTokenPrefix, token);
  if (!signature) return Result();
  PID_ASSIGN_OR_RETURN(auto lease, p.database().Acquire());
  PID_ASSIGN_OR_RETURN(auto row, grants::Find(*lease, kKindRefreshToken, *signature));
  if (!row || !row->active) return Result();
  if (row->expires_at && *row->expires_at <= db::Now().unix_seconds) return Result();
  return Result(std::move(row->request));
}

}  // namespace pocketid::oidc
