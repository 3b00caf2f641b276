#include "oidc/client_assertion.h"

#include <boost/json.hpp>

#include "core/crypto/random.h"
#include "core/db/param.h"

namespace pocketid::oidc {

namespace {

constexpr int64_t kClockSkewSeconds = 30;
constexpr auto kJwksCacheLifetime = std::chrono::minutes(15);

OAuthError InvalidAssertion() { return errors::InvalidClient("Invalid client assertion."); }

std::string StringClaim(const boost::json::object& o, std::string_view name) {
  const auto* v = o.if_contains(name);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

std::optional<int64_t> NumericClaim(const boost::json::object& o, std::string_view name) {
  const auto* v = o.if_contains(name);
  if (v == nullptr) return std::nullopt;
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64()) return static_cast<int64_t>(v->as_uint64());
  if (v->is_double()) return static_cast<int64_t>(v->as_double());
  return std::nullopt;
}

bool AudienceContains(const boost::json::object& claims, std::string_view audience) {
  const auto* aud = claims.if_contains("aud");
  if (aud == nullptr) return false;
  if (aud->is_string()) return aud->as_string() == audience;
  if (!aud->is_array()) return false;
  for (const auto& a : aud->as_array()) {
    if (a.is_string() && a.as_string() == audience) return true;
  }
  return false;
}

// exp required and not past, nbf and iat not in the future; each with the clock skew.
bool TimesValid(const boost::json::object& claims, int64_t now) {
  auto exp = NumericClaim(claims, "exp");
  if (!exp || *exp + kClockSkewSeconds <= now) return false;
  if (auto nbf = NumericClaim(claims, "nbf"); nbf && *nbf > now + kClockSkewSeconds) return false;
  if (auto iat = NumericClaim(claims, "iat"); iat && *iat > now + kClockSkewSeconds) return false;
  return true;
}

std::string JwksUrl(const oidcclients::FederatedIdentity& identity) {
  if (!identity.jwks.empty()) return identity.jwks;
  std::string issuer = identity.issuer;
  while (!issuer.empty() && issuer.back() == '/') issuer.pop_back();
  return issuer + "/.well-known/jwks.json";
}

// The signature checks out with one of the keys (the header's kid picks them when present).
StatusOr<boost::json::object> VerifiedClaims(std::string_view assertion, const boost::json::object& header,
                                             const std::vector<crypto::VerificationKey>& keys) {
  auto alg = crypto::ParseAlgorithm(StringClaim(header, "alg"));
  if (!alg) return UnauthenticatedError("unsupported alg");
  const std::string kid = StringClaim(header, "kid");
  for (const auto& key : keys) {
    if (!kid.empty() && key.kid() != kid) continue;
    if (key.algorithm() && *key.algorithm() != *alg) continue;
    auto verified = crypto::VerifyJwt(assertion, key, *alg);
    if (verified.ok()) return std::move(verified->claims);
  }
  return UnauthenticatedError("no key verifies the assertion");
}

}  // namespace

ClientAssertions::ClientAssertions(std::string app_url, FetchJwks fetch)
    : app_url_(std::move(app_url)), fetch_(std::move(fetch)) {}

StatusOr<std::vector<crypto::VerificationKey>> ClientAssertions::Keys(const std::string& url) {
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (auto it = jwks_.find(url); it != jwks_.end() && now - it->second.fetched_at < kJwksCacheLifetime) {
      return it->second.keys;
    }
  }
  // Fetched without the lock: a slow issuer must not hold up assertions of other issuers.
  PID_ASSIGN_OR_RETURN(std::string body, fetch_(url));
  boost::system::error_code ec;
  boost::json::value doc = boost::json::parse(body, ec);
  const boost::json::value* list = !ec && doc.is_object() ? doc.as_object().if_contains("keys") : nullptr;
  if (list == nullptr || !list->is_array()) return UnavailableError("not a JWKS document: " + url);
  std::vector<crypto::VerificationKey> keys;
  for (const auto& jwk : list->as_array()) {
    if (!jwk.is_object()) continue;
    // Keys this verifier cannot use (encryption keys, unknown curves) are skipped, as JWKS consumers do.
    if (auto key = crypto::VerificationKey::FromJwk(jwk.as_object()); key.ok()) keys.push_back(std::move(*key));
  }
  std::lock_guard<std::mutex> lock(mu_);
  jwks_[url] = CachedJwks{now, keys};
  return keys;
}

std::optional<OAuthError> ClientAssertions::CheckReplay(db::Database& database, const boost::json::object& claims) {
  const std::string jti = StringClaim(claims, "jti");
  if (jti.empty()) {
    return errors::InvalidClient("Client assertion is missing jti claim, which is required for replay protection.");
  }
  const db::Timestamp now = db::Now();
  const db::Timestamp expires{NumericClaim(claims, "exp").value_or(now.unix_seconds)};
  bool seen = false;
  Status st = database.InTransaction([&](db::Connection& conn) -> Status {
    // An expired entry may be reused; an unexpired one is a replay (the UNIQUE jti decides between racing uses).
    PID_RETURN_IF_ERROR(conn.Exec("DELETE FROM oauth2_jtis WHERE jti = $1 AND expires_at <= $2", {jti, now}).status());
    PID_ASSIGN_OR_RETURN(int64_t inserted,
                         conn.Exec("INSERT INTO oauth2_jtis (id, created_at, jti, expires_at) VALUES ($1, $2, $3, $4) "
                                   "ON CONFLICT (jti) DO NOTHING",
                                   {crypto::NewUuidV4(), now, jti, expires}));
    seen = inserted == 0;
    return Status::Ok();
  });
  if (!st.ok()) return errors::ServerError();
  if (seen) return errors::InvalidClient("Client assertion has already been used.");
  return std::nullopt;
}

std::optional<std::variant<oidcclients::Client, OAuthError>> ClientAssertions::Authenticate(
    oidcclients::ClientStore& clients, db::Database& database, std::string_view client_id, std::string_view assertion) {
  auto unverified = crypto::DecodeJwtUnverified(assertion);
  if (!unverified.ok()) return InvalidAssertion();
  const std::string issuer = StringClaim(unverified->claims, "iss");
  if (issuer.empty()) return errors::InvalidClient("Client assertion is missing issuer.");
  std::string id(client_id);
  if (id.empty()) id = StringClaim(unverified->claims, "sub");
  if (id.empty()) return errors::InvalidClient("Client assertion is missing subject.");

  auto found = clients.FindById(id);
  if (!found.ok()) return errors::ServerError();
  if (!*found) return errors::InvalidClient();
  const oidcclients::Client& client = **found;
  const oidcclients::FederatedIdentity* identity = nullptr;
  for (const auto& f : client.credentials.federated_identities) {
    if (f.issuer == issuer) identity = &f;
  }
  if (identity == nullptr) return std::nullopt;

  auto keys = Keys(JwksUrl(*identity));
  if (!keys.ok()) return errors::InvalidClient("Unable to fetch client assertion JWKS.");
  auto claims = VerifiedClaims(assertion, unverified->header, *keys);
  if (!claims.ok()) return InvalidAssertion();
  const std::string& subject = identity->subject.empty() ? client.id : identity->subject;
  const std::string& audience = identity->audience.empty() ? app_url_ : identity->audience;
  if (!TimesValid(*claims, db::Now().unix_seconds) || StringClaim(*claims, "iss") != issuer ||
      StringClaim(*claims, "sub") != subject || !AudienceContains(*claims, audience)) {
    return InvalidAssertion();
  }
  if (identity->replay_protection) {
    if (auto e = CheckReplay(database, *claims)) return *e;
  }
  return client;
}

}  // namespace pocketid::oidc
