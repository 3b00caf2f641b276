#include "webauthn/cose.h"

#include <openssl/core_names.h>
#include <openssl/rsa.h>

#include <array>
#include <string>

namespace pocketid::webauthn {
namespace {

using crypto::internal::BignumPtr;
using crypto::internal::Bytes;
using crypto::internal::ClearOpenSslErrors;
using crypto::internal::MdCtxPtr;
using crypto::internal::OpenSslError;
using crypto::internal::ParamBldPtr;
using crypto::internal::ParamsPtr;
using crypto::internal::PkeyCtxPtr;
using crypto::internal::PkeyPtr;

// COSE_Key map labels (RFC 9052 §7.1, RFC 9053 §7, RFC 8230 §4).
constexpr int64_t kLabelKty = 1;
constexpr int64_t kLabelAlg = 3;
constexpr int64_t kLabelCrv = -1;  // EC2 / OKP
constexpr int64_t kLabelX = -2;    // EC2 / OKP
constexpr int64_t kLabelY = -3;    // EC2
constexpr int64_t kLabelN = -1;    // RSA
constexpr int64_t kLabelE = -2;    // RSA

// Go's crypto/rsa refuses keys under 1024 bits; OpenSSL's public-operation limit is 16384.
constexpr int kMinRsaBits = 1024;
constexpr int kMaxRsaBits = 16384;

enum class Family { kEcdsa, kRsaPkcs1, kRsaPss, kEdDsa };

struct AlgInfo {
  int64_t alg;
  const char* name;
  Family family;
  const char* digest;  // nullptr for EdDSA, which signs the message itself
  int64_t curve;       // required crv for ES*; 0 otherwise
};

constexpr std::array<AlgInfo, 10> kAlgs = {{
    {kCoseES256, "ES256", Family::kEcdsa, "SHA256", kCoseCurveP256},
    {kCoseES384, "ES384", Family::kEcdsa, "SHA384", kCoseCurveP384},
    {kCoseES512, "ES512", Family::kEcdsa, "SHA512", kCoseCurveP521},
    {kCoseRS256, "RS256", Family::kRsaPkcs1, "SHA256", 0},
    {kCoseRS384, "RS384", Family::kRsaPkcs1, "SHA384", 0},
    {kCoseRS512, "RS512", Family::kRsaPkcs1, "SHA512", 0},
    {kCosePS256, "PS256", Family::kRsaPss, "SHA256", 0},
    {kCosePS384, "PS384", Family::kRsaPss, "SHA384", 0},
    {kCosePS512, "PS512", Family::kRsaPss, "SHA512", 0},
    {kCoseEdDSA, "EdDSA", Family::kEdDsa, nullptr, 0},
}};

const AlgInfo* FindAlg(int64_t alg) {
  for (const AlgInfo& a : kAlgs) {
    if (a.alg == alg) return &a;
  }
  return nullptr;
}

int64_t KeyTypeFor(Family f) {
  switch (f) {
    case Family::kEcdsa:
      return kCoseKeyTypeEc2;
    case Family::kRsaPkcs1:
    case Family::kRsaPss:
      return kCoseKeyTypeRsa;
    case Family::kEdDsa:
      return kCoseKeyTypeOkp;
  }
  return 0;
}

std::string KeyTypeName(int64_t kty) {
  switch (kty) {
    case kCoseKeyTypeOkp:
      return "OKP";
    case kCoseKeyTypeEc2:
      return "EC2";
    case kCoseKeyTypeRsa:
      return "RSA";
    default:
      return std::to_string(kty);
  }
}

Status Malformed(std::string what) { return InvalidArgumentError("COSE key: " + what); }

StatusOr<int64_t> RequiredInt(const CborValue& key, int64_t label, std::string_view name) {
  const CborValue* v = key.Find(label);
  if (v == nullptr) return Malformed("missing " + std::string(name));
  const auto i = v->AsInt64();
  if (!i) return Malformed(std::string(name) + " must be an integer");
  return *i;
}

StatusOr<std::string_view> RequiredBytes(const CborValue& key, int64_t label, std::string_view name) {
  const CborValue* v = key.Find(label);
  if (v == nullptr) return Malformed("missing " + std::string(name));
  if (v->kind() != CborValue::Kind::kBytes) return Malformed(std::string(name) + " must be a byte string");
  return v->bytes();
}

StatusOr<PkeyPtr> PkeyFromParams(const char* type_name, OSSL_PARAM_BLD* bld) {
  ParamsPtr params(OSSL_PARAM_BLD_to_param(bld));
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type_name, nullptr));
  EVP_PKEY* raw = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
    ClearOpenSslErrors();
    return Malformed(std::string("invalid ") + type_name + " public key");
  }
  return PkeyPtr(raw);
}

struct CurveInfo {
  int64_t crv;
  const char* group;
  size_t width;
};
constexpr std::array<CurveInfo, 3> kCurves = {{
    {kCoseCurveP256, "prime256v1", 32},
    {kCoseCurveP384, "secp384r1", 48},
    {kCoseCurveP521, "secp521r1", 66},
}};

StatusOr<PkeyPtr> Ec2Key(const CborValue& key, const AlgInfo& alg) {
  PID_ASSIGN_OR_RETURN(const int64_t crv, RequiredInt(key, kLabelCrv, "crv"));
  if (crv != alg.curve) {
    return Malformed("EC2 curve " + std::to_string(crv) + " does not fit algorithm " + alg.name);
  }
  const CurveInfo* curve = nullptr;
  for (const CurveInfo& c : kCurves) {
    if (c.crv == crv) curve = &c;
  }
  PID_ASSIGN_OR_RETURN(const std::string_view x, RequiredBytes(key, kLabelX, "x"));
  PID_ASSIGN_OR_RETURN(const std::string_view y, RequiredBytes(key, kLabelY, "y"));
  if (x.size() != curve->width || y.size() != curve->width) {
    return Malformed("EC2 coordinates must be " + std::to_string(curve->width) + " bytes");
  }
  std::string point = "\x04";  // uncompressed SEC1 point
  point.append(x).append(y);
  ParamBldPtr bld(OSSL_PARAM_BLD_new());
  if (!bld || OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, curve->group, 0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()) != 1) {
    return InternalError(OpenSslError("cannot build EC parameters"));
  }
  auto pkey = PkeyFromParams("EC", bld.get());
  // OpenSSL rejects off-curve points when importing; the explicit check also covers the point at infinity
  // and keeps the guarantee independent of the import path.
  if (!pkey.ok()) return Malformed("EC2 point is not on the curve");
  PkeyCtxPtr check(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey->get(), nullptr));
  if (!check || EVP_PKEY_public_check(check.get()) != 1) {
    ClearOpenSslErrors();
    return Malformed("EC2 point is not on the curve");
  }
  return pkey;
}

StatusOr<PkeyPtr> RsaKey(const CborValue& key) {
  PID_ASSIGN_OR_RETURN(const std::string_view n, RequiredBytes(key, kLabelN, "n"));
  PID_ASSIGN_OR_RETURN(const std::string_view e, RequiredBytes(key, kLabelE, "e"));
  if (e.empty() || e.size() > 8) return Malformed("RSA exponent must be 1 to 8 bytes");
  BignumPtr bn_n(BN_bin2bn(Bytes(n), static_cast<int>(n.size()), nullptr));
  BignumPtr bn_e(BN_bin2bn(Bytes(e), static_cast<int>(e.size()), nullptr));
  if (!bn_n || !bn_e) return InternalError(OpenSslError("BN allocation failed"));
  const int bits = BN_num_bits(bn_n.get());
  if (bits < kMinRsaBits || bits > kMaxRsaBits) {
    return Malformed("RSA key size " + std::to_string(bits) + " bits is not supported");
  }
  if (BN_is_zero(bn_e.get()) || BN_is_one(bn_e.get()) || !BN_is_odd(bn_e.get())) {
    return Malformed("RSA exponent is invalid");
  }
  ParamBldPtr bld(OSSL_PARAM_BLD_new());
  if (!bld || OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, bn_n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, bn_e.get()) != 1) {
    return InternalError(OpenSslError("cannot build RSA parameters"));
  }
  return PkeyFromParams("RSA", bld.get());
}

StatusOr<PkeyPtr> OkpKey(const CborValue& key) {
  PID_ASSIGN_OR_RETURN(const int64_t crv, RequiredInt(key, kLabelCrv, "crv"));
  if (crv != kCoseCurveEd25519) return Malformed("OKP curve " + std::to_string(crv) + " is not Ed25519");
  PID_ASSIGN_OR_RETURN(const std::string_view x, RequiredBytes(key, kLabelX, "x"));
  if (x.size() != 32) return Malformed("Ed25519 public key must be 32 bytes");
  PkeyPtr pkey(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, Bytes(x), x.size()));
  if (!pkey) {
    ClearOpenSslErrors();
    return Malformed("invalid Ed25519 public key");
  }
  return pkey;
}

bool KeyFitsFamily(EVP_PKEY* key, Family family) {
  const int id = EVP_PKEY_get_base_id(key);
  switch (family) {
    case Family::kEcdsa:
      return id == EVP_PKEY_EC;
    case Family::kRsaPkcs1:
      return id == EVP_PKEY_RSA;
    case Family::kRsaPss:
      return id == EVP_PKEY_RSA || id == EVP_PKEY_RSA_PSS;
    case Family::kEdDsa:
      return id == EVP_PKEY_ED25519;
  }
  return false;
}

}  // namespace

bool IsSupportedCoseAlgorithm(int64_t alg) { return FindAlg(alg) != nullptr; }

std::string CoseAlgorithmName(int64_t alg) {
  const AlgInfo* info = FindAlg(alg);
  return info != nullptr ? info->name : "COSE algorithm " + std::to_string(alg);
}

StatusOr<CosePublicKey> CosePublicKey::Parse(std::string_view cose_key) {
  PID_ASSIGN_OR_RETURN(const CborValue value, DecodeCbor(cose_key, nullptr));
  return FromCbor(value);
}

StatusOr<CosePublicKey> CosePublicKey::FromCbor(const CborValue& key) {
  if (key.kind() != CborValue::Kind::kMap) return Malformed("not a CBOR map");
  PID_ASSIGN_OR_RETURN(const int64_t kty, RequiredInt(key, kLabelKty, "kty"));
  PID_ASSIGN_OR_RETURN(const int64_t alg, RequiredInt(key, kLabelAlg, "alg"));
  const AlgInfo* info = FindAlg(alg);
  if (info == nullptr) return Malformed("unsupported algorithm " + std::to_string(alg));
  if (kty != KeyTypeFor(info->family)) {
    return Malformed("key type " + KeyTypeName(kty) + " does not fit algorithm " + info->name);
  }
  PkeyPtr pkey;
  switch (info->family) {
    case Family::kEcdsa: {
      PID_ASSIGN_OR_RETURN(pkey, Ec2Key(key, *info));
      break;
    }
    case Family::kRsaPkcs1:
    case Family::kRsaPss: {
      PID_ASSIGN_OR_RETURN(pkey, RsaKey(key));
      break;
    }
    case Family::kEdDsa: {
      PID_ASSIGN_OR_RETURN(pkey, OkpKey(key));
      break;
    }
  }
  return CosePublicKey(std::move(pkey), kty, alg);
}

Status CosePublicKey::Verify(std::string_view data, std::string_view signature) const {
  return internal::VerifyWithCoseAlgorithm(pkey_.get(), alg_, data, signature);
}

namespace internal {

Status VerifyWithCoseAlgorithm(EVP_PKEY* key, int64_t alg, std::string_view data, std::string_view signature) {
  const AlgInfo* info = FindAlg(alg);
  if (info == nullptr) return UnauthenticatedError("unsupported signature algorithm " + std::to_string(alg));
  if (key == nullptr || !KeyFitsFamily(key, info->family)) {
    return UnauthenticatedError(std::string("public key type does not fit signature algorithm ") + info->name);
  }
  MdCtxPtr ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;  // owned by ctx
  if (!ctx || EVP_DigestVerifyInit_ex(ctx.get(), &pctx, info->digest, nullptr, nullptr, key, nullptr) != 1) {
    return InternalError(OpenSslError("verification init failed"));
  }
  // PSS with the salt length read from the signature: Go's rsa.VerifyPSS with nil options does the same.
  if (info->family == Family::kRsaPss &&
      (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
       EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_AUTO) != 1)) {
    return InternalError(OpenSslError("cannot set up RSA-PSS"));
  }
  if (EVP_DigestVerify(ctx.get(), Bytes(signature), signature.size(), Bytes(data), data.size()) != 1) {
    ClearOpenSslErrors();
    return UnauthenticatedError("signature verification failed");
  }
  return Status::Ok();
}

}  // namespace internal
}  // namespace pocketid::webauthn
