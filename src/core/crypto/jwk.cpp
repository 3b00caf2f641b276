// JWK parsing, key generation and JWK export (Go jwx's serialisation), plus the key classes' methods.
#include <openssl/core_names.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <exception>
#include <utility>
#include <vector>

#include "core/crypto/encoding.h"
#include "core/crypto/jose.h"
#include "core/crypto/jose_internal.h"
#include "core/crypto/random.h"

namespace pocketid::crypto {
namespace internal {
namespace {

namespace json = boost::json;

constexpr int kMinRsaBitsSigning = 2048;
constexpr int kMinRsaBitsVerifying = 1024;  // Go's crypto/rsa floor; external IdPs may still use such keys
constexpr int kMaxRsaBits = 16384;          // OpenSSL's own limit for public operations

// ---------------------------------------------------------------------------------------------------------
// Reading JWK members

StatusOr<std::optional<std::string_view>> OptionalString(const json::object& jwk, std::string_view name) {
  const json::value* v = jwk.if_contains(name);
  if (v == nullptr) return std::optional<std::string_view>();
  if (!v->is_string()) return InvalidArgumentError("JWK member \"" + std::string(name) + "\" must be a string");
  return std::optional<std::string_view>(std::string_view(v->get_string()));
}

StatusOr<std::string> RequiredBytes(const json::object& jwk, std::string_view name) {
  PID_ASSIGN_OR_RETURN(const auto text, OptionalString(jwk, name));
  if (!text) return InvalidArgumentError("JWK is missing \"" + std::string(name) + "\"");
  auto bytes = Base64DecodeLenient(*text);
  if (!bytes.ok() || bytes->empty()) {
    return InvalidArgumentError("JWK member \"" + std::string(name) + "\" is not valid base64url");
  }
  return std::move(bytes).value();
}

StatusOr<KeyType> ParseKeyType(const json::object& jwk) {
  PID_ASSIGN_OR_RETURN(const auto kty, OptionalString(jwk, "kty"));
  if (!kty) return InvalidArgumentError("JWK has no \"kty\"");
  if (*kty == "RSA") return KeyType::kRsa;
  if (*kty == "EC") return KeyType::kEc;
  if (*kty == "OKP") return KeyType::kOkp;
  return InvalidArgumentError("unsupported JWK key type \"" + std::string(*kty) + "\"");
}

StatusOr<Curve> ParseCurve(const json::object& jwk, KeyType type) {
  if (type == KeyType::kRsa) return Curve::kNone;
  PID_ASSIGN_OR_RETURN(const auto crv, OptionalString(jwk, "crv"));
  if (!crv) return InvalidArgumentError("JWK has no \"crv\"");
  if (type == KeyType::kEc) {
    if (*crv == "P-256") return Curve::kP256;
    if (*crv == "P-384") return Curve::kP384;
    if (*crv == "P-521") return Curve::kP521;
  } else if (*crv == "Ed25519") {
    return Curve::kEd25519;
  }
  return InvalidArgumentError("unsupported JWK curve \"" + std::string(*crv) + "\"");
}

std::string_view CurveName(Curve c) {
  switch (c) {
    case Curve::kP256:
      return "P-256";
    case Curve::kP384:
      return "P-384";
    case Curve::kP521:
      return "P-521";
    case Curve::kEd25519:
      return "Ed25519";
    case Curve::kNone:
      break;
  }
  return "";
}

const char* OpenSslGroupName(Curve c) {
  switch (c) {
    case Curve::kP256:
      return "prime256v1";
    case Curve::kP384:
      return "secp384r1";
    case Curve::kP521:
      return "secp521r1";
    default:
      return "";
  }
}

// ---------------------------------------------------------------------------------------------------------
// Building EVP_PKEYs from JWK members

BignumPtr ToBignum(std::string_view bytes) {
  return BignumPtr(BN_bin2bn(Bytes(bytes), static_cast<int>(bytes.size()), nullptr));
}

StatusOr<PkeyPtr> PkeyFromParams(const char* type_name, int selection, OSSL_PARAM_BLD* bld) {
  ParamsPtr params(OSSL_PARAM_BLD_to_param(bld));
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type_name, nullptr));
  EVP_PKEY* raw = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, selection, params.get()) != 1) {
    return InvalidArgumentError(OpenSslError("invalid JWK key material"));
  }
  return PkeyPtr(raw);
}

// The RSA members in JWK order, with the OpenSSL parameter each one becomes.
struct RsaMember {
  const char* jwk_name;
  const char* param;
  bool is_private;
};
constexpr RsaMember kRsaMembers[] = {
    {"n", OSSL_PKEY_PARAM_RSA_N, false},         {"e", OSSL_PKEY_PARAM_RSA_E, false},
    {"d", OSSL_PKEY_PARAM_RSA_D, true},          {"p", OSSL_PKEY_PARAM_RSA_FACTOR1, true},
    {"q", OSSL_PKEY_PARAM_RSA_FACTOR2, true},    {"dp", OSSL_PKEY_PARAM_RSA_EXPONENT1, true},
    {"dq", OSSL_PKEY_PARAM_RSA_EXPONENT2, true}, {"qi", OSSL_PKEY_PARAM_RSA_COEFFICIENT1, true},
};
enum RsaIndex { kN, kE, kD, kP, kQ, kDp, kDq, kQi };

// The private members must describe the same key as n and e, or we would publish a JWK that cannot verify
// our own signatures. A handful of bignum operations: EVP_PKEY_pairwise_check would also run primality
// tests (60 ms for RSA-2048, 380 ms for RSA-4096).
Status CheckRsaConsistency(const std::vector<BignumPtr>& bn) {
  BnCtxPtr ctx(BN_CTX_new());
  BignumPtr t(BN_new()), p1(BN_new()), q1(BN_new());
  if (!ctx || !t || !p1 || !q1) return InternalError(OpenSslError("BN allocation failed"));
  const auto fail = [] { return InvalidArgumentError("RSA private key members are inconsistent"); };
  // n == p * q
  if (BN_mul(t.get(), bn[kP].get(), bn[kQ].get(), ctx.get()) != 1 || BN_cmp(t.get(), bn[kN].get()) != 0) return fail();
  if (BN_sub(p1.get(), bn[kP].get(), BN_value_one()) != 1 || BN_sub(q1.get(), bn[kQ].get(), BN_value_one()) != 1) {
    return fail();
  }
  // dp == d mod (p-1), dq == d mod (q-1)
  if (BN_mod(t.get(), bn[kD].get(), p1.get(), ctx.get()) != 1 || BN_cmp(t.get(), bn[kDp].get()) != 0) return fail();
  if (BN_mod(t.get(), bn[kD].get(), q1.get(), ctx.get()) != 1 || BN_cmp(t.get(), bn[kDq].get()) != 0) return fail();
  // e * dp == 1 mod (p-1), e * dq == 1 mod (q-1): d really inverts e
  if (BN_mod_mul(t.get(), bn[kE].get(), bn[kDp].get(), p1.get(), ctx.get()) != 1 || !BN_is_one(t.get())) return fail();
  if (BN_mod_mul(t.get(), bn[kE].get(), bn[kDq].get(), q1.get(), ctx.get()) != 1 || !BN_is_one(t.get())) return fail();
  // qi * q == 1 mod p
  if (BN_mod_mul(t.get(), bn[kQi].get(), bn[kQ].get(), bn[kP].get(), ctx.get()) != 1 || !BN_is_one(t.get())) {
    return fail();
  }
  return Status::Ok();
}

Status CheckRsaSize(const EVP_PKEY* pkey, int min_bits) {
  const int bits = EVP_PKEY_get_bits(pkey);
  if (bits < min_bits || bits > kMaxRsaBits) {
    return InvalidArgumentError("RSA key size " + std::to_string(bits) + " bits is not supported (minimum " +
                                std::to_string(min_bits) + ")");
  }
  return Status::Ok();
}

StatusOr<PkeyPtr> RsaFromJwk(const json::object& jwk, bool with_private) {
  std::vector<BignumPtr> bn;  // OSSL_PARAM_BLD_push_BN only keeps pointers until to_param
  ParamBldPtr bld(OSSL_PARAM_BLD_new());
  if (!bld) return InternalError(OpenSslError("OSSL_PARAM_BLD_new failed"));
  for (const RsaMember& m : kRsaMembers) {
    if (m.is_private && !with_private) break;
    PID_ASSIGN_OR_RETURN(const std::string bytes, RequiredBytes(jwk, m.jwk_name));
    bn.push_back(ToBignum(bytes));
    if (!bn.back() || OSSL_PARAM_BLD_push_BN(bld.get(), m.param, bn.back().get()) != 1) {
      return InternalError(OpenSslError("cannot build RSA parameters"));
    }
  }
  if (with_private) PID_RETURN_IF_ERROR(CheckRsaConsistency(bn));
  PID_ASSIGN_OR_RETURN(PkeyPtr pkey,
                       PkeyFromParams("RSA", with_private ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, bld.get()));
  PID_RETURN_IF_ERROR(CheckRsaSize(pkey.get(), with_private ? kMinRsaBitsSigning : kMinRsaBitsVerifying));
  return pkey;
}

// Fixed-width big-endian; shorter input (an implementation that stripped leading zeros) is left-padded.
StatusOr<std::string> FixedWidth(std::string bytes, size_t width, std::string_view name) {
  if (bytes.size() > width) {
    return InvalidArgumentError("JWK member \"" + std::string(name) + "\" is too long for the curve");
  }
  bytes.insert(0, width - bytes.size(), '\0');
  return bytes;
}

Status CheckPairwise(EVP_PKEY* pkey) {
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey, nullptr));
  if (!ctx || EVP_PKEY_pairwise_check(ctx.get()) != 1) {
    ClearOpenSslErrors();
    return InvalidArgumentError("JWK private key does not match its public key");
  }
  return Status::Ok();
}

StatusOr<PkeyPtr> EcFromJwk(const json::object& jwk, Curve curve, bool with_private) {
  const size_t width = CurveFieldBytes(curve);
  PID_ASSIGN_OR_RETURN(std::string x, RequiredBytes(jwk, "x"));
  PID_ASSIGN_OR_RETURN(std::string y, RequiredBytes(jwk, "y"));
  PID_ASSIGN_OR_RETURN(x, FixedWidth(std::move(x), width, "x"));
  PID_ASSIGN_OR_RETURN(y, FixedWidth(std::move(y), width, "y"));
  const std::string point = "\x04" + x + y;  // uncompressed SEC1 point; OpenSSL checks it is on the curve

  ParamBldPtr bld(OSSL_PARAM_BLD_new());
  BignumPtr d;
  if (!bld || OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, OpenSslGroupName(curve), 0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()) != 1) {
    return InternalError(OpenSslError("cannot build EC parameters"));
  }
  if (with_private) {
    PID_ASSIGN_OR_RETURN(const std::string d_bytes, RequiredBytes(jwk, "d"));
    if (d_bytes.size() > width) return InvalidArgumentError("JWK member \"d\" is too long for the curve");
    d = ToBignum(d_bytes);
    if (!d || OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, d.get()) != 1) {
      return InternalError(OpenSslError("cannot build EC parameters"));
    }
  }
  PID_ASSIGN_OR_RETURN(PkeyPtr pkey,
                       PkeyFromParams("EC", with_private ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, bld.get()));
  if (with_private) PID_RETURN_IF_ERROR(CheckPairwise(pkey.get()));
  return pkey;
}

StatusOr<PkeyPtr> Ed25519FromJwk(const json::object& jwk, bool with_private) {
  PID_ASSIGN_OR_RETURN(const std::string x, RequiredBytes(jwk, "x"));
  if (x.size() != 32) return InvalidArgumentError("Ed25519 JWK member \"x\" must be 32 bytes");
  if (!with_private) {
    PkeyPtr pkey(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, Bytes(x), x.size()));
    if (!pkey) return InvalidArgumentError(OpenSslError("invalid Ed25519 public key"));
    return pkey;
  }
  PID_ASSIGN_OR_RETURN(const std::string d, RequiredBytes(jwk, "d"));
  if (d.size() != 32) return InvalidArgumentError("Ed25519 JWK member \"d\" must be 32 bytes");
  PkeyPtr pkey(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, Bytes(d), d.size()));
  if (!pkey) return InvalidArgumentError(OpenSslError("invalid Ed25519 private key"));
  // OpenSSL derives the public key from the seed; it must be the "x" we were given.
  unsigned char pub[32];
  size_t pub_len = sizeof(pub);
  if (EVP_PKEY_get_raw_public_key(pkey.get(), pub, &pub_len) != 1 || pub_len != 32 ||
      std::string_view(reinterpret_cast<char*>(pub), pub_len) != x) {
    ClearOpenSslErrors();
    return InvalidArgumentError("JWK private key does not match its public key");
  }
  return pkey;
}

StatusOr<KeyMaterial> KeyFromJwk(const json::object& jwk, bool with_private) {
  KeyMaterial key;
  PID_ASSIGN_OR_RETURN(key.type, ParseKeyType(jwk));
  PID_ASSIGN_OR_RETURN(key.curve, ParseCurve(jwk, key.type));
  switch (key.type) {
    case KeyType::kRsa: {
      PID_ASSIGN_OR_RETURN(key.pkey, RsaFromJwk(jwk, with_private));
      break;
    }
    case KeyType::kEc: {
      PID_ASSIGN_OR_RETURN(key.pkey, EcFromJwk(jwk, key.curve, with_private));
      break;
    }
    case KeyType::kOkp: {
      PID_ASSIGN_OR_RETURN(key.pkey, Ed25519FromJwk(jwk, with_private));
      break;
    }
  }
  PID_ASSIGN_OR_RETURN(const auto kid, OptionalString(jwk, "kid"));
  key.kid = std::string(kid.value_or(""));
  return key;
}

// "alg" member: absent → nullopt; present → must name one of our algorithms.
StatusOr<std::optional<JwsAlgorithm>> ParseAlgMember(const json::object& jwk) {
  PID_ASSIGN_OR_RETURN(const auto alg, OptionalString(jwk, "alg"));
  if (!alg) return std::optional<JwsAlgorithm>();
  const auto parsed = ParseAlgorithm(*alg);
  if (!parsed) return InvalidArgumentError("unsupported JWK algorithm \"" + std::string(*alg) + "\"");
  return parsed;
}

JwsAlgorithm DefaultAlgorithm(KeyType type) {
  switch (type) {
    case KeyType::kRsa:
      return JwsAlgorithm::kRS256;
    case KeyType::kEc:
      return JwsAlgorithm::kES256;
    case KeyType::kOkp:
      return JwsAlgorithm::kEdDSA;
  }
  return JwsAlgorithm::kRS256;
}

std::string KeyDescription(const KeyMaterial& key) {
  switch (key.type) {
    case KeyType::kRsa:
      return "RSA key";
    case KeyType::kEc:
      return "EC " + std::string(CurveName(key.curve)) + " key";
    case KeyType::kOkp:
      return "OKP " + std::string(CurveName(key.curve)) + " key";
  }
  return "key";
}

Status CheckAlgorithmFits(const KeyMaterial& key) {
  if (AlgorithmFitsKey(*key.alg, key.type, key.curve)) return Status::Ok();
  return InvalidArgumentError("algorithm " + std::string(AlgorithmName(*key.alg)) + " does not fit the " +
                              KeyDescription(key));
}

// ---------------------------------------------------------------------------------------------------------
// Export (jwx's member set and order)

using Members = std::vector<std::pair<std::string_view, std::string>>;

StatusOr<std::string> BnParam(const EVP_PKEY* pkey, const char* name, size_t width) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(pkey, name, &raw) != 1) return InternalError(OpenSslError("cannot read key parameter"));
  BignumPtr bn(raw);
  const size_t len = width != 0 ? width : static_cast<size_t>(BN_num_bytes(bn.get()));  // 0: minimal, like Go
  std::string out(len, '\0');
  if (BN_bn2binpad(bn.get(), MutableBytes(out), static_cast<int>(len)) < 0) {
    return InternalError(OpenSslError("key parameter too large"));
  }
  return out;
}

StatusOr<std::string> RawKey(const EVP_PKEY* pkey, bool private_part) {
  unsigned char buf[64];
  size_t len = sizeof(buf);
  const int rc =
      private_part ? EVP_PKEY_get_raw_private_key(pkey, buf, &len) : EVP_PKEY_get_raw_public_key(pkey, buf, &len);
  if (rc != 1) return InternalError(OpenSslError("cannot read raw key"));
  return std::string(reinterpret_cast<char*>(buf), len);
}

Status AddRsaMembers(const KeyMaterial& key, bool with_private, Members& out) {
  for (const RsaMember& m : kRsaMembers) {
    if (m.is_private && !with_private) break;
    PID_ASSIGN_OR_RETURN(const std::string bytes, BnParam(key.pkey.get(), m.param, 0));
    out.emplace_back(m.jwk_name, Base64UrlEncode(bytes));
  }
  return Status::Ok();
}

Status AddEcMembers(const KeyMaterial& key, bool with_private, Members& out) {
  const size_t width = CurveFieldBytes(key.curve);
  PID_ASSIGN_OR_RETURN(const std::string x, BnParam(key.pkey.get(), OSSL_PKEY_PARAM_EC_PUB_X, width));
  PID_ASSIGN_OR_RETURN(const std::string y, BnParam(key.pkey.get(), OSSL_PKEY_PARAM_EC_PUB_Y, width));
  out.emplace_back("crv", std::string(CurveName(key.curve)));
  out.emplace_back("x", Base64UrlEncode(x));
  out.emplace_back("y", Base64UrlEncode(y));
  if (with_private) {
    PID_ASSIGN_OR_RETURN(const std::string d, BnParam(key.pkey.get(), OSSL_PKEY_PARAM_PRIV_KEY, width));
    out.emplace_back("d", Base64UrlEncode(d));
  }
  return Status::Ok();
}

Status AddOkpMembers(const KeyMaterial& key, bool with_private, Members& out) {
  PID_ASSIGN_OR_RETURN(const std::string x, RawKey(key.pkey.get(), false));
  out.emplace_back("crv", std::string(CurveName(key.curve)));
  out.emplace_back("x", Base64UrlEncode(x));
  if (with_private) {
    PID_ASSIGN_OR_RETURN(const std::string d, RawKey(key.pkey.get(), true));
    out.emplace_back("d", Base64UrlEncode(d));
  }
  return Status::Ok();
}

StatusOr<Members> ExportMembers(const KeyMaterial& key, bool with_private) {
  Members m;
  m.emplace_back("alg", std::string(AlgorithmName(*key.alg)));
  m.emplace_back("kid", key.kid);
  m.emplace_back("kty", key.type == KeyType::kRsa ? "RSA" : key.type == KeyType::kEc ? "EC" : "OKP");
  m.emplace_back("use", "sig");
  switch (key.type) {
    case KeyType::kRsa:
      PID_RETURN_IF_ERROR(AddRsaMembers(key, with_private, m));
      break;
    case KeyType::kEc:
      PID_RETURN_IF_ERROR(AddEcMembers(key, with_private, m));
      break;
    case KeyType::kOkp:
      PID_RETURN_IF_ERROR(AddOkpMembers(key, with_private, m));
      break;
  }
  // jwx sorts member names (sort.Strings: bytewise).
  std::sort(m.begin(), m.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  return m;
}

std::string MembersToJson(const Members& members) {
  std::string out = "{";
  for (const auto& [name, value] : members) {
    if (out.size() > 1) out += ',';
    AppendGoJsonString(out, name);
    out += ':';
    AppendGoJsonString(out, value);
  }
  out += '}';
  return out;
}

json::object MembersToObject(const Members& members) {
  json::object obj;
  obj.reserve(members.size());
  for (const auto& [name, value] : members) obj.emplace(name, value);  // insertion order is kept
  return obj;
}

// Validates the algorithm and computes the JWK forms once, so the accessors are plain reads.
StatusOr<std::shared_ptr<const SigningKeyState>> BuildState(KeyMaterial key) {
  PID_RETURN_IF_ERROR(CheckAlgorithmFits(key));
  PID_ASSIGN_OR_RETURN(const Members priv, ExportMembers(key, true));
  PID_ASSIGN_OR_RETURN(const Members pub, ExportMembers(key, false));
  auto state = std::make_shared<SigningKeyState>();
  state->private_jwk_json = MembersToJson(priv) + "\n";  // json.Encoder.Encode appends a newline
  state->public_jwk_json = MembersToJson(pub);
  state->public_jwk = MembersToObject(pub);
  state->key = std::move(key);
  return std::shared_ptr<const SigningKeyState>(std::move(state));
}

StatusOr<PkeyPtr> GeneratePkey(JwsAlgorithm alg) {
  EVP_PKEY* raw = nullptr;
  switch (alg) {
    case JwsAlgorithm::kRS256:
      raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{2048});
      break;
    case JwsAlgorithm::kRS384:
      raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{3072});
      break;
    case JwsAlgorithm::kRS512:
      raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{4096});
      break;
    case JwsAlgorithm::kES256:
      raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
      break;
    case JwsAlgorithm::kES384:
      raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-384");
      break;
    case JwsAlgorithm::kES512:
      raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-521");
      break;
    case JwsAlgorithm::kEdDSA:
      raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
      break;
  }
  if (raw == nullptr) return InternalError(OpenSslError("key generation failed"));
  return PkeyPtr(raw);
}

KeyType KeyTypeFor(JwsAlgorithm alg) {
  switch (alg) {
    case JwsAlgorithm::kRS256:
    case JwsAlgorithm::kRS384:
    case JwsAlgorithm::kRS512:
      return KeyType::kRsa;
    case JwsAlgorithm::kEdDSA:
      return KeyType::kOkp;
    default:
      return KeyType::kEc;
  }
}

Curve CurveFor(JwsAlgorithm alg) {
  switch (alg) {
    case JwsAlgorithm::kES256:
      return Curve::kP256;
    case JwsAlgorithm::kES384:
      return Curve::kP384;
    case JwsAlgorithm::kES512:
      return Curve::kP521;
    case JwsAlgorithm::kEdDSA:
      return Curve::kEd25519;
    default:
      return Curve::kNone;
  }
}

// The checks Pocket ID's ValidateKey makes, with its messages.
Status CheckPrivateJwkRules(const json::object& jwk) {
  PID_ASSIGN_OR_RETURN(const auto kid, OptionalString(jwk, "kid"));
  if (!kid || kid->empty()) return InvalidArgumentError("key object does not contain a key ID");
  PID_ASSIGN_OR_RETURN(const auto use, OptionalString(jwk, "use"));
  if (!use || *use != "sig") return InvalidArgumentError("key object is not valid for signing");
  if (!jwk.contains("d")) return InvalidArgumentError("key object is not a private key");
  return Status::Ok();
}

StatusOr<json::object> ParseJsonObject(std::string_view text) {
  try {
    json::error_code ec;
    json::value v = json::parse(text, ec);
    if (ec) return InvalidArgumentError("failed to parse JWK: " + ec.message());
    if (!v.is_object()) return InvalidArgumentError("failed to parse JWK: not a JSON object");
    return std::move(v.get_object());
  } catch (const std::exception& e) {  // allocation failure only
    return InvalidArgumentError(std::string("failed to parse JWK: ") + e.what());
  }
}

}  // namespace
}  // namespace internal

// -------------------------------------------------------------------------------------------------------------
// VerificationKey

VerificationKey::VerificationKey(std::shared_ptr<const internal::KeyMaterial> key) : key_(std::move(key)) {}

StatusOr<VerificationKey> VerificationKey::FromJwk(const boost::json::object& jwk) {
  PID_ASSIGN_OR_RETURN(const auto use, internal::OptionalString(jwk, "use"));
  if (use && *use != "sig")
    return InvalidArgumentError("JWK is not a signature key (use \"" + std::string(*use) + "\")");
  PID_ASSIGN_OR_RETURN(internal::KeyMaterial key, internal::KeyFromJwk(jwk, /*with_private=*/false));
  PID_ASSIGN_OR_RETURN(key.alg, internal::ParseAlgMember(jwk));
  if (key.alg) PID_RETURN_IF_ERROR(internal::CheckAlgorithmFits(key));
  return VerificationKey(std::make_shared<const internal::KeyMaterial>(std::move(key)));
}

const std::string& VerificationKey::kid() const { return key_->kid; }

std::optional<JwsAlgorithm> VerificationKey::algorithm() const { return key_->alg; }

Status VerificationKey::Verify(JwsAlgorithm alg, std::string_view signing_input, std::string_view signature) const {
  return internal::VerifyWithKey(*key_, alg, signing_input, signature);
}

// -------------------------------------------------------------------------------------------------------------
// SigningKey

SigningKey::SigningKey(std::shared_ptr<const internal::SigningKeyState> state) : state_(std::move(state)) {}

StatusOr<SigningKey> SigningKey::Generate(JwsAlgorithm alg) {
  internal::KeyMaterial key;
  PID_ASSIGN_OR_RETURN(key.pkey, internal::GeneratePkey(alg));
  key.type = internal::KeyTypeFor(alg);
  key.curve = internal::CurveFor(alg);
  key.kid = Base64UrlEncode(RandomBytes(8));
  key.alg = alg;
  PID_ASSIGN_OR_RETURN(auto state, internal::BuildState(std::move(key)));
  return SigningKey(std::move(state));
}

StatusOr<SigningKey> SigningKey::FromPrivateJwk(std::string_view json) {
  PID_ASSIGN_OR_RETURN(const boost::json::object jwk, internal::ParseJsonObject(json));
  PID_RETURN_IF_ERROR(internal::CheckPrivateJwkRules(jwk));
  PID_ASSIGN_OR_RETURN(internal::KeyMaterial key, internal::KeyFromJwk(jwk, /*with_private=*/true));
  PID_ASSIGN_OR_RETURN(key.alg, internal::ParseAlgMember(jwk));
  if (!key.alg) key.alg = internal::DefaultAlgorithm(key.type);
  PID_ASSIGN_OR_RETURN(auto state, internal::BuildState(std::move(key)));
  return SigningKey(std::move(state));
}

const std::string& SigningKey::kid() const { return state_->key.kid; }

JwsAlgorithm SigningKey::algorithm() const { return *state_->key.alg; }

std::string SigningKey::PrivateJwkJson() const { return state_->private_jwk_json; }

boost::json::object SigningKey::PublicJwk() const { return state_->public_jwk; }

std::string SigningKey::PublicJwkJson() const { return state_->public_jwk_json; }

VerificationKey SigningKey::Public() const {
  // Aliasing constructor: shares ownership of the whole state, points at its key. The private EVP_PKEY
  // verifies as well as it signs, so no copy is needed.
  return VerificationKey(std::shared_ptr<const internal::KeyMaterial>(state_, &state_->key));
}

StatusOr<std::string> SigningKey::Sign(std::string_view signing_input) const {
  return internal::SignWithKey(state_->key, *state_->key.alg, signing_input);
}

}  // namespace pocketid::crypto
