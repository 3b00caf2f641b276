#include "oidc/token_minter.h"

#include <boost/json.hpp>

#include "core/crypto/encoding.h"
#include "core/crypto/hash.h"
#include "core/crypto/random.h"
#include "oidc/claims.h"

namespace pocketid::oidc {

namespace {
constexpr int64_t kIdTokenLifetimeSeconds = 3600;

}  // namespace

std::string AccessTokenHash(crypto::JwsAlgorithm alg, std::string_view access_token) {
  std::string digest;
  switch (alg) {
    case crypto::JwsAlgorithm::kRS384:
    case crypto::JwsAlgorithm::kES384:
      digest = crypto::Sha384(access_token);
      break;
    case crypto::JwsAlgorithm::kRS512:
    case crypto::JwsAlgorithm::kES512:
      digest = crypto::Sha512(access_token);
      break;
    default:
      digest = crypto::Sha256(access_token);
  }
  return crypto::Base64UrlEncode(std::string_view(digest).substr(0, digest.size() / 2));
}

StatusOr<MintedAccessToken> TokenMinter::AccessToken(std::string_view client_id, std::string_view subject,
                                                     const std::vector<std::string>& scopes,
                                                     const std::vector<std::string>& audience, int64_t now,
                                                     int64_t lifetime_seconds) const {
  boost::json::array aud;
  for (const auto& a : audience) aud.emplace_back(a);
  boost::json::object claims{
      {"aud", std::move(aud)},
      {"client_id", client_id},
      {"exp", now + lifetime_seconds},
      {"iat", now},
      {"iss", issuer_},
      {"jti", crypto::NewUuidV4()},
  };
  if (!scopes.empty()) {
    claims["scope"] = JoinSpaces(scopes);
    boost::json::array scp;
    for (const auto& s : scopes) scp.emplace_back(s);
    claims["scp"] = std::move(scp);
  }
  claims["sub"] = subject;
  PID_ASSIGN_OR_RETURN(auto jwt, crypto::SignJwt(key_, claims, "at+jwt"));
  MintedAccessToken out;
  out.signature = jwt.substr(jwt.rfind('.') + 1);
  out.jwt = std::move(jwt);
  out.expires_at = now + lifetime_seconds;
  return out;
}

StatusOr<std::string> TokenMinter::IdToken(const StoredRequest& request, std::string_view jti,
                                           std::string_view access_token, int64_t now) const {
  const GrantSession& s = request.session;
  // User claims first, so the registered claims below always win over a same-named custom claim.
  boost::json::object claims = s.id_token_extra;
  claims["type"] = "id-token";
  if (!s.acr.empty()) claims["acr"] = s.acr;
  if (!s.authentication_method.empty()) claims["amr"] = boost::json::array{boost::json::value(s.authentication_method)};
  if (!access_token.empty()) claims["at_hash"] = AccessTokenHash(key_.algorithm(), access_token);
  claims["aud"] = boost::json::array{boost::json::value(request.client_id)};
  if (s.auth_time != 0) claims["auth_time"] = s.auth_time;
  claims["exp"] = now + kIdTokenLifetimeSeconds;
  claims["iat"] = now;
  claims["iss"] = issuer_;
  claims["jti"] = jti;
  if (!s.nonce.empty()) claims["nonce"] = s.nonce;
  if (s.requested_at != 0) claims["rat"] = s.requested_at;
  claims["sub"] = s.subject;
  return crypto::SignJwt(key_, claims, "JWT");
}

}  // namespace pocketid::oidc
