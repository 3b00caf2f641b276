#include "oidc/opaque_token.h"

#include "core/crypto/encoding.h"
#include "core/crypto/hash.h"
#include "core/crypto/random.h"

namespace pocketid::oidc {

StatusOr<OpaqueTokens> OpaqueTokens::FromEncryptionKey(std::string_view encryption_key) {
  PID_ASSIGN_OR_RETURN(auto secret, crypto::HkdfSha256(encryption_key, {}, "pocketid/fosite_global_secret", 32));
  return OpaqueTokens(std::move(secret));
}

OpaqueToken OpaqueTokens::Generate(std::string_view prefix) const {
  std::string key = crypto::RandomBytes(32);
  std::string signature = crypto::Base64UrlEncode(crypto::HmacSha512_256(secret_, key));
  std::string token;
  token.reserve(prefix.size() + 44 + 1 + signature.size());
  token.append(prefix).append(crypto::Base64UrlEncode(key)).append(".").append(signature);
  return {std::move(token), std::move(signature)};
}

std::optional<std::string> OpaqueTokens::Verify(std::string_view prefix, std::string_view token) const {
  if (!token.starts_with(prefix)) return std::nullopt;
  token.remove_prefix(prefix.size());
  size_t dot = token.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  auto key = crypto::Base64UrlDecode(token.substr(0, dot));
  std::string_view signature = token.substr(dot + 1);
  if (!key.ok() || key->empty()) return std::nullopt;
  std::string expected = crypto::Base64UrlEncode(crypto::HmacSha512_256(secret_, *key));
  if (!crypto::ConstantTimeEquals(expected, signature)) return std::nullopt;
  return std::string(signature);
}

std::string OpaqueTokens::Signature(std::string_view value) const {
  return crypto::Base64UrlEncode(crypto::HmacSha512_256(secret_, value));
}

}  // namespace pocketid::oidc
