// JWS signing and verification over OpenSSL EVP, and the compact-JWT helpers.
#include <openssl/ecdsa.h>

#include <algorithm>
#include <array>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cctype>
#include <exception>

#include "core/crypto/encoding.h"
#include "core/crypto/jose.h"
#include "core/crypto/jose_internal.h"

namespace pocketid::crypto {
namespace internal {
namespace {

struct AlgInfo {
  JwsAlgorithm alg;
  std::string_view name;
  const char* digest;  // nullptr: EdDSA signs the message itself
};

constexpr std::array<AlgInfo, 7> kAlgs = {{
    {JwsAlgorithm::kRS256, "RS256", "SHA256"},
    {JwsAlgorithm::kRS384, "RS384", "SHA384"},
    {JwsAlgorithm::kRS512, "RS512", "SHA512"},
    {JwsAlgorithm::kES256, "ES256", "SHA256"},
    {JwsAlgorithm::kES384, "ES384", "SHA384"},
    {JwsAlgorithm::kES512, "ES512", "SHA512"},
    {JwsAlgorithm::kEdDSA, "EdDSA", nullptr},
}};

constexpr bool TableMatchesEnum() {
  for (size_t i = 0; i < kAlgs.size(); ++i) {
    if (static_cast<size_t>(kAlgs[i].alg) != i) return false;
  }
  return true;
}
static_assert(TableMatchesEnum(), "kAlgs must be indexed by JwsAlgorithm");

const AlgInfo& Info(JwsAlgorithm alg) { return kAlgs[static_cast<size_t>(alg)]; }

// OpenSSL emits ECDSA signatures as DER; JWS wants R||S, each left-padded to the field width.
StatusOr<std::string> DerToRaw(std::string_view der, size_t width) {
  const unsigned char* p = Bytes(der);
  EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())));
  if (!sig) return InternalError(OpenSslError("cannot parse ECDSA signature"));
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(sig.get(), &r, &s);
  std::string raw(2 * width, '\0');
  if (BN_bn2binpad(r, MutableBytes(raw), static_cast<int>(width)) < 0 ||
      BN_bn2binpad(s, MutableBytes(raw) + width, static_cast<int>(width)) < 0) {
    return InternalError(OpenSslError("ECDSA signature does not fit the curve"));
  }
  return raw;
}

StatusOr<std::string> RawToDer(std::string_view raw, size_t width) {
  BignumPtr r(BN_bin2bn(Bytes(raw), static_cast<int>(width), nullptr));
  BignumPtr s(BN_bin2bn(Bytes(raw) + width, static_cast<int>(width), nullptr));
  EcdsaSigPtr sig(ECDSA_SIG_new());
  if (!r || !s || !sig || ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1) {
    return InternalError(OpenSslError("cannot build ECDSA signature"));
  }
  (void)r.release();  // owned by sig now
  (void)s.release();
  const int len = i2d_ECDSA_SIG(sig.get(), nullptr);
  if (len <= 0) return InternalError(OpenSslError("cannot encode ECDSA signature"));
  std::string der(static_cast<size_t>(len), '\0');
  unsigned char* out = MutableBytes(der);
  i2d_ECDSA_SIG(sig.get(), &out);
  return der;
}

Status Unauthenticated(std::string why) { return UnauthenticatedError(std::move(why)); }

}  // namespace

bool AlgorithmFitsKey(JwsAlgorithm alg, KeyType type, Curve curve) {
  switch (alg) {
    case JwsAlgorithm::kRS256:
    case JwsAlgorithm::kRS384:
    case JwsAlgorithm::kRS512:
      return type == KeyType::kRsa;
    case JwsAlgorithm::kES256:
      return type == KeyType::kEc && curve == Curve::kP256;
    case JwsAlgorithm::kES384:
      return type == KeyType::kEc && curve == Curve::kP384;
    case JwsAlgorithm::kES512:
      return type == KeyType::kEc && curve == Curve::kP521;
    case JwsAlgorithm::kEdDSA:
      return type == KeyType::kOkp && curve == Curve::kEd25519;
  }
  return false;
}

size_t CurveFieldBytes(Curve curve) {
  switch (curve) {
    case Curve::kP256:
      return 32;
    case Curve::kP384:
      return 48;
    case Curve::kP521:
      return 66;
    case Curve::kEd25519:
      return 32;
    case Curve::kNone:
      return 0;
  }
  return 0;
}

StatusOr<std::string> SignWithKey(const KeyMaterial& key, JwsAlgorithm alg, std::string_view signing_input) {
  if (!AlgorithmFitsKey(alg, key.type, key.curve)) {
    return InvalidArgumentError(std::string("algorithm ") + std::string(AlgorithmName(alg)) + " does not fit the key");
  }
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx ||
      EVP_DigestSignInit_ex(ctx.get(), nullptr, Info(alg).digest, nullptr, nullptr, key.pkey.get(), nullptr) != 1) {
    return InternalError(OpenSslError("signing init failed"));
  }
  size_t len = static_cast<size_t>(EVP_PKEY_get_size(key.pkey.get()));  // upper bound (DER for ECDSA)
  std::string sig(len, '\0');
  if (EVP_DigestSign(ctx.get(), MutableBytes(sig), &len, Bytes(signing_input), signing_input.size()) != 1) {
    return InternalError(OpenSslError("signing failed"));
  }
  sig.resize(len);
  if (key.type == KeyType::kEc) return DerToRaw(sig, CurveFieldBytes(key.curve));
  return sig;
}

Status VerifyWithKey(const KeyMaterial& key, JwsAlgorithm alg, std::string_view signing_input,
                     std::string_view signature) {
  const std::string_view name = AlgorithmName(alg);
  if (key.alg && *key.alg != alg) {
    return Unauthenticated("algorithm " + std::string(name) + " does not match the key's algorithm " +
                           std::string(AlgorithmName(*key.alg)));
  }
  if (!AlgorithmFitsKey(alg, key.type, key.curve)) {
    return Unauthenticated("algorithm " + std::string(name) + " cannot be used with this key");
  }
  std::string der;
  if (key.type == KeyType::kEc) {
    const size_t width = CurveFieldBytes(key.curve);
    if (signature.size() != 2 * width) return Unauthenticated("signature verification failed");
    PID_ASSIGN_OR_RETURN(der, RawToDer(signature, width));
    signature = der;
  }
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx ||
      EVP_DigestVerifyInit_ex(ctx.get(), nullptr, Info(alg).digest, nullptr, nullptr, key.pkey.get(), nullptr) != 1) {
    return InternalError(OpenSslError("verification init failed"));
  }
  if (EVP_DigestVerify(ctx.get(), Bytes(signature), signature.size(), Bytes(signing_input), signing_input.size()) !=
      1) {
    ClearOpenSslErrors();
    return Unauthenticated("signature verification failed");
  }
  return Status::Ok();
}

}  // namespace internal

std::string_view AlgorithmName(JwsAlgorithm alg) { return internal::Info(alg).name; }

std::optional<JwsAlgorithm> ParseAlgorithm(std::string_view name, bool case_insensitive) {
  const auto same = [&](std::string_view a, std::string_view b) {
    if (!case_insensitive) return a == b;
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
             return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
  };
  for (const auto& info : internal::kAlgs) {
    if (same(name, info.name)) return info.alg;
  }
  return std::nullopt;
}

namespace {

Status Reject(std::string_view why) { return UnauthenticatedError("invalid JWT: " + std::string(why)); }

// Decodes one base64url segment and parses it as a JSON object.
StatusOr<boost::json::object> DecodeJsonSegment(std::string_view segment, std::string_view what) {
  auto bytes = Base64UrlDecode(segment);
  if (!bytes.ok()) return Reject(std::string(what) + " is not base64url");
  try {
    boost::json::error_code ec;
    boost::json::value v = boost::json::parse(*bytes, ec);
    if (ec) return Reject(std::string(what) + " is not JSON");
    if (!v.is_object()) return Reject(std::string(what) + " is not a JSON object");
    return std::move(v.get_object());
  } catch (const std::exception& e) {  // Boost.JSON only throws on allocation failure here
    return Reject(std::string(what) + ": " + e.what());
  }
}

Status CheckHeader(const boost::json::object& header, JwsAlgorithm expected_alg) {
  const auto* alg = header.if_contains("alg");
  if (alg == nullptr || !alg->is_string()) return Reject("header has no \"alg\"");
  const std::string_view name(alg->get_string());
  if (name == "none") return Reject("unsigned tokens (alg \"none\") are not accepted");
  if (name != AlgorithmName(expected_alg)) {
    return Reject("algorithm \"" + std::string(name) + "\" is not the expected \"" +
                  std::string(AlgorithmName(expected_alg)) + "\"");
  }
  // RFC 7515 §4.1.11: we understand no extensions, so any "crit" makes the token unacceptable.
  if (header.contains("crit")) return Reject("unsupported \"crit\" header");
  return Status::Ok();
}

}  // namespace

StatusOr<std::string> SignJwt(const SigningKey& key, const boost::json::object& claims, std::string_view typ) {
  std::string header = "{\"alg\":";
  internal::AppendGoJsonString(header, AlgorithmName(key.algorithm()));
  header += ",\"kid\":";
  internal::AppendGoJsonString(header, key.kid());
  if (!typ.empty()) {
    header += ",\"typ\":";
    internal::AppendGoJsonString(header, typ);
  }
  header += '}';
  std::string payload;
  try {
    payload = boost::json::serialize(claims);
  } catch (const std::exception& e) {  // allocation failure only
    return InternalError(std::string("cannot serialise JWT claims: ") + e.what());
  }
  std::string token = Base64UrlEncode(header);
  token += '.';
  token += Base64UrlEncode(payload);
  PID_ASSIGN_OR_RETURN(const std::string sig, key.Sign(token));
  token += '.';
  token += Base64UrlEncode(sig);
  return token;
}

namespace {

// The positions of a compact JWS's two dots.
StatusOr<std::pair<size_t, size_t>> SplitCompact(std::string_view compact) {
  const size_t dot1 = compact.find('.');
  const size_t dot2 = dot1 == std::string_view::npos ? dot1 : compact.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || compact.find('.', dot2 + 1) != std::string_view::npos) {
    return Reject("not a compact JWS (want three dot-separated segments)");
  }
  return std::make_pair(dot1, dot2);
}

}  // namespace

StatusOr<VerifiedJwt> VerifyJwt(std::string_view compact, const VerificationKey& key, JwsAlgorithm expected_alg) {
  PID_ASSIGN_OR_RETURN(auto dots, SplitCompact(compact));
  const auto [dot1, dot2] = dots;
  PID_ASSIGN_OR_RETURN(boost::json::object header, DecodeJsonSegment(compact.substr(0, dot1), "header"));
  PID_RETURN_IF_ERROR(CheckHeader(header, expected_alg));

  auto signature = Base64UrlDecode(compact.substr(dot2 + 1));
  if (!signature.ok() || signature->empty()) return Reject("signature is not base64url");
  PID_RETURN_IF_ERROR(key.Verify(expected_alg, compact.substr(0, dot2), *signature));

  PID_ASSIGN_OR_RETURN(boost::json::object claims,
                       DecodeJsonSegment(compact.substr(dot1 + 1, dot2 - dot1 - 1), "claims"));
  return VerifiedJwt{std::move(header), std::move(claims)};
}

StatusOr<JwtParts> DecodeJwtUnverified(std::string_view compact) {
  PID_ASSIGN_OR_RETURN(auto dots, SplitCompact(compact));
  const auto [dot1, dot2] = dots;
  PID_ASSIGN_OR_RETURN(boost::json::object header, DecodeJsonSegment(compact.substr(0, dot1), "header"));
  PID_ASSIGN_OR_RETURN(boost::json::object claims,
                       DecodeJsonSegment(compact.substr(dot1 + 1, dot2 - dot1 - 1), "claims"));
  return JwtParts{std::move(header), std::move(claims)};
}

}  // namespace pocketid::crypto
