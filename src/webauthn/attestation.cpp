#include "webauthn/attestation.h"

#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <vector>

#include "core/crypto/ossl_internal.h"

namespace pocketid::webauthn {
namespace {

using crypto::internal::ClearOpenSslErrors;
using crypto::internal::OsslDeleter;

using X509Ptr = std::unique_ptr<X509, OsslDeleter<X509_free>>;
using Asn1ObjectPtr = std::unique_ptr<ASN1_OBJECT, OsslDeleter<ASN1_OBJECT_free>>;
using OctetStringPtr = std::unique_ptr<ASN1_OCTET_STRING, OsslDeleter<ASN1_OCTET_STRING_free>>;

Status Malformed(std::string what) { return InvalidArgumentError("packed attestation: " + what); }
Status Failed(std::string what) { return UnauthenticatedError("packed attestation: " + what); }

// authData || clientDataHash: what both the credential key and an attestation key sign.
std::string SignedData(const AttestationInput& in) {
  std::string data(in.auth_data_raw);
  data.append(in.client_data_hash);
  return data;
}

// ---------------------------------------------------------------------------------------------------------
// Certificate checks (§8.2.1)

StatusOr<X509Ptr> ParseCertificate(std::string_view der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  const auto* end = p + der.size();
  X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (!cert || p != end) {
    ClearOpenSslErrors();
    return Malformed("x5c entry is not a DER certificate");
  }
  return cert;
}

Status CheckValidityPeriod(X509* cert) {
  // X509_cmp_current_time: -1 when the time is not after now, 1 when it is, 0 when it cannot be read.
  if (X509_cmp_current_time(X509_get0_notBefore(cert)) != -1 ||
      X509_cmp_current_time(X509_get0_notAfter(cert)) != 1) {
    return Failed("certificate in x5c is either no longer valid or not yet valid");
  }
  return Status::Ok();
}

// Every value of one subject attribute, as UTF-8.
std::vector<std::string> SubjectValues(X509* cert, int nid) {
  std::vector<std::string> out;
  X509_NAME* name = X509_get_subject_name(cert);
  for (int i = X509_NAME_get_index_by_NID(name, nid, -1); i >= 0; i = X509_NAME_get_index_by_NID(name, nid, i)) {
    unsigned char* utf8 = nullptr;
    const int len = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i)));
    if (len < 0) {
      ClearOpenSslErrors();
      out.emplace_back();
      continue;
    }
    out.emplace_back(reinterpret_cast<char*>(utf8), static_cast<size_t>(len));
    OPENSSL_free(utf8);
  }
  return out;
}

std::string Join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out.append(sep);
    out.append(parts[i]);
  }
  return out;
}

bool IsAlpha2(std::string_view c) {
  return c.size() == 2 && c[0] >= 'A' && c[0] <= 'Z' && c[1] >= 'A' && c[1] <= 'Z';
}

Status CheckSubject(X509* cert) {
  const auto country = SubjectValues(cert, NID_countryName);
  if (country.size() != 1 || !IsAlpha2(country[0])) return Failed("certificate country code is invalid");
  if (Join(SubjectValues(cert, NID_organizationName), "").empty()) {
    return Failed("certificate organization is invalid");
  }
  if (Join(SubjectValues(cert, NID_organizationalUnitName), " ") != "Authenticator Attestation") {
    return Failed("certificate organizational unit is not \"Authenticator Attestation\"");
  }
  const auto common_name = SubjectValues(cert, NID_commonName);
  if (common_name.empty() || common_name.back().empty()) return Failed("certificate common name is not set");
  return Status::Ok();
}

// id-fido-gen-ce-aaguid: if present it must be non-critical and equal the authenticator data's AAGUID.
Status CheckAaguidExtension(X509* cert, std::string_view aaguid) {
  Asn1ObjectPtr oid(OBJ_txt2obj(kAaguidExtensionOid, 1));
  if (!oid) return InternalError("cannot build the AAGUID extension OID");
  const int index = X509_get_ext_by_OBJ(cert, oid.get(), -1);
  if (index < 0) return Status::Ok();
  X509_EXTENSION* ext = X509_get_ext(cert, index);
  if (X509_EXTENSION_get_critical(ext) != 0) return Failed("certificate AAGUID extension is marked critical");
  const ASN1_OCTET_STRING* outer = X509_EXTENSION_get_data(ext);
  const unsigned char* p = ASN1_STRING_get0_data(outer);
  const unsigned char* end = p + ASN1_STRING_length(outer);
  OctetStringPtr inner(d2i_ASN1_OCTET_STRING(nullptr, &p, ASN1_STRING_length(outer)));
  if (!inner || p != end) {
    ClearOpenSslErrors();
    return Failed("certificate AAGUID extension is not an OCTET STRING");
  }
  const std::string_view value(reinterpret_cast<const char*>(ASN1_STRING_get0_data(inner.get())),
                               static_cast<size_t>(ASN1_STRING_length(inner.get())));
  if (value != aaguid) return Failed("certificate AAGUID does not match the authenticator data AAGUID");
  return Status::Ok();
}

Status CheckLeafCertificate(X509* cert, std::string_view aaguid) {
  if (X509_get_version(cert) != X509_VERSION_3) return Failed("certificate is not version 3");
  PID_RETURN_IF_ERROR(CheckSubject(cert));
  PID_RETURN_IF_ERROR(CheckAaguidExtension(cert, aaguid));
  const uint32_t flags = X509_get_extension_flags(cert);  // also parses and caches the extensions
  if ((flags & EXFLAG_INVALID) != 0) {
    ClearOpenSslErrors();
    return Failed("certificate has invalid extensions");
  }
  if ((flags & EXFLAG_CA) != 0) return Failed("certificate basic constraints mark it as a CA");
  return Status::Ok();
}

// ---------------------------------------------------------------------------------------------------------
// packed (§8.2)

StatusOr<std::string> VerifyPackedX5c(const AttestationInput& in, int64_t alg, std::string_view sig,
                                      const CborValue& x5c) {
  if (x5c.kind() != CborValue::Kind::kArray || x5c.array().empty()) {
    return Malformed("x5c must be a non-empty array");
  }
  std::vector<X509Ptr> chain;
  for (const CborValue& entry : x5c.array()) {
    if (entry.kind() != CborValue::Kind::kBytes) return Malformed("x5c entry is not a byte string");
    PID_ASSIGN_OR_RETURN(X509Ptr cert, ParseCertificate(entry.bytes()));
    PID_RETURN_IF_ERROR(CheckValidityPeriod(cert.get()));
    chain.push_back(std::move(cert));
  }
  X509* leaf = chain.front().get();
  EVP_PKEY* leaf_key = X509_get0_pubkey(leaf);
  if (leaf_key == nullptr) {
    ClearOpenSslErrors();
    return Malformed("cannot read the attestation certificate's public key");
  }
  if (Status s = internal::VerifyWithCoseAlgorithm(leaf_key, alg, SignedData(in), sig); !s.ok()) {
    return s.WithPrefix("packed attestation");
  }
  PID_RETURN_IF_ERROR(CheckLeafCertificate(leaf, in.auth_data->attested_credential->aaguid));
  return std::string(kAttestationTypeBasic);
}

StatusOr<std::string> VerifyPackedSelf(const AttestationInput& in, int64_t alg, std::string_view sig) {
  if (alg != in.credential_key->algorithm()) {
    return Failed("self attestation alg " + std::to_string(alg) + " does not match the credential key's " +
                  CoseAlgorithmName(in.credential_key->algorithm()));
  }
  if (Status s = in.credential_key->Verify(SignedData(in), sig); !s.ok()) {
    return s.WithPrefix("packed self attestation");
  }
  return std::string(kAttestationTypeSelf);
}

StatusOr<std::string> VerifyPacked(const AttestationInput& in) {
  const CborValue& stmt = *in.statement;
  const CborValue* alg = stmt.Find("alg");
  if (alg == nullptr || !alg->AsInt64()) return Malformed("missing or invalid alg");
  const CborValue* sig = stmt.Find("sig");
  if (sig == nullptr || sig->kind() != CborValue::Kind::kBytes) return Malformed("missing or invalid sig");
  if (const CborValue* x5c = stmt.Find("x5c"); x5c != nullptr) {
    return VerifyPackedX5c(in, *alg->AsInt64(), sig->bytes(), *x5c);
  }
  if (stmt.Find("ecdaaKeyId") != nullptr) return Failed("ECDAA attestation is not supported");
  return VerifyPackedSelf(in, *alg->AsInt64(), sig->bytes());
}

}  // namespace

StatusOr<std::string> VerifyAttestationStatement(const AttestationInput& in) {
  if (in.format == "none") {
    if (!in.statement->map().empty()) {
      return UnauthenticatedError("attestation format none with a non-empty attestation statement");
    }
    return std::string(kAttestationTypeNone);
  }
  if (in.format == "packed") return VerifyPacked(in);
  std::string fmt(in.format.substr(0, 64));
  return UnauthenticatedError("unsupported attestation format " + fmt);
}

}  // namespace pocketid::webauthn
