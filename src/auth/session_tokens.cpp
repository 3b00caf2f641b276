#include "auth/session_tokens.h"

#include "core/db/timestamp.h"

#include <boost/json.hpp>

#include "core/crypto/random.h"

namespace pocketid::auth {

namespace {
constexpr int64_t kLeewaySeconds = 60;
constexpr std::string_view kSessionTokenType = "access-token";

// Accepts a JSON number (int or double) as seconds.
std::optional<int64_t> NumericClaim(const boost::json::object& claims, std::string_view name) {
  auto it = claims.find(name);
  if (it == claims.end()) return std::nullopt;
  if (it->value().is_int64()) return it->value().as_int64();
  if (it->value().is_uint64()) return static_cast<int64_t>(it->value().as_uint64());
  if (it->value().is_double()) return static_cast<int64_t>(it->value().as_double());
  return std::nullopt;
}

bool AudienceContains(const boost::json::value& aud, std::string_view expected) {
  if (aud.is_string()) return aud.as_string() == expected;
  if (aud.is_array()) {
    for (const auto& v : aud.as_array()) {
      if (v.is_string() && v.as_string() == expected) return true;
    }
  }
  return false;
}
}  // namespace

SessionTokens::SessionTokens(crypto::SigningKey key, std::string app_url)
    : key_(std::move(key)), public_key_(key_.Public()), app_url_(std::move(app_url)) {}

StatusOr<std::string> SessionTokens::Issue(std::string_view user_id, bool is_admin, std::string_view amr,
                                           std::chrono::seconds lifetime) const {
  int64_t now = db::Now().unix_seconds;
  boost::json::object claims{{"sub", user_id},
                             {"iat", now},
                             {"exp", now + lifetime.count()},
                             {"iss", app_url_},
                             {"aud", app_url_},  // a string, not an array, as jwx writes it
                             {"jti", crypto::NewUuidV4()},
                             {"type", kSessionTokenType}};
  if (is_admin) claims["isAdmin"] = true;
  if (!amr.empty()) claims["amr"] = boost::json::array{boost::json::string(amr)};
  return crypto::SignJwt(key_, claims);
}

StatusOr<SessionClaims> SessionTokens::Verify(std::string_view token) const { return VerifyAt(token, db::Now().unix_seconds); }

namespace {
constexpr size_t kMaxCachedTokens = 8192;

Status CheckTimes(const SessionClaims& c, std::optional<int64_t> nbf, int64_t now) {
  if (now > c.expires_at + kLeewaySeconds) return UnauthenticatedError("token expired");
  if (c.issued_at > now + kLeewaySeconds) return UnauthenticatedError("token issued in the future");
  if (nbf && *nbf > now + kLeewaySeconds) return UnauthenticatedError("token not valid yet");
  return Status::Ok();
}
}  // namespace

StatusOr<SessionClaims> SessionTokens::VerifyAt(std::string_view token, int64_t now) const {
  {
    std::lock_guard<std::mutex> lock(cache_->mu);
    if (auto it = cache_->entries.find(token); it != cache_->entries.end()) {
      PID_RETURN_IF_ERROR(CheckTimes(it->second.claims, it->second.not_before, now));
      return it->second.claims;
    }
  }
  PID_ASSIGN_OR_RETURN(auto verified, VerifySignatureAndClaims(token));
  PID_RETURN_IF_ERROR(CheckTimes(verified.claims, verified.not_before, now));
  std::lock_guard<std::mutex> lock(cache_->mu);
  if (cache_->entries.size() >= kMaxCachedTokens) cache_->entries.clear();  // crude, but bounded
  cache_->entries.emplace(std::string(token), verified);
  return verified.claims;
}

StatusOr<SessionTokens::VerifiedToken> SessionTokens::VerifySignatureAndClaims(std::string_view token) const {
  PID_ASSIGN_OR_RETURN(auto jwt, crypto::VerifyJwt(token, public_key_, key_.algorithm()));
  const auto& c = jwt.claims;
  auto str = [&](std::string_view name) -> std::string {
    auto it = c.find(name);
    return it != c.end() && it->value().is_string() ? std::string(it->value().as_string()) : std::string();
  };
  if (str("type") != kSessionTokenType) return UnauthenticatedError("not a session token");
  if (str("iss") != app_url_) return UnauthenticatedError("wrong issuer");
  auto aud = c.find("aud");
  if (aud == c.end() || !AudienceContains(aud->value(), app_url_)) return UnauthenticatedError("wrong audience");
  auto exp = NumericClaim(c, "exp");
  auto iat = NumericClaim(c, "iat");
  if (!exp || !iat) return UnauthenticatedError("missing exp or iat");
  VerifiedToken out;
  out.not_before = NumericClaim(c, "nbf");
  out.claims.user_id = str("sub");
  if (out.claims.user_id.empty()) return UnauthenticatedError("missing subject");
  out.claims.issued_at = *iat;
  out.claims.expires_at = *exp;
  if (auto admin = c.find("isAdmin"); admin != c.end() && admin->value().is_bool()) {
    out.claims.is_admin = admin->value().as_bool();
  }
  if (auto amr = c.find("amr"); amr != c.end() && amr->value().is_array()) {
    for (const auto& v : amr->value().as_array()) {
      if (v.is_string()) out.claims.amr.emplace_back(v.as_string());
    }
  }
  return out;
}

}  // namespace pocketid::auth
