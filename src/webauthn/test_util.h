// Test-only helpers for webauthn_test: the fixed vectors of testdata/vectors.json (made by
// testdata/gen_vectors.py) and a tiny CBOR encoder for hand-built inputs.
#pragma once

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "core/crypto/encoding.h"
#include "webauthn/assertion.h"
#include "webauthn/registration.h"

namespace pocketid::webauthn::testing {

inline std::filesystem::path SourceDir() {
  if (const char* env = std::getenv("PID_SOURCE_DIR"); env != nullptr && *env != '\0') return env;
  return PID_SOURCE_DIR_FALLBACK;
}

inline const boost::json::object& Vectors() {
  static const boost::json::value* const kVectors = [] {
    const auto path = SourceDir() / "src" / "webauthn" / "testdata" / "vectors.json";
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    boost::system::error_code ec;
    auto* v = new boost::json::value(boost::json::parse(ss.str(), ec));
    if (ec || !v->is_object()) {
      std::fprintf(stderr, "cannot load %s\n", path.c_str());
      std::abort();
    }
    return v;
  }();
  return kVectors->get_object();
}

inline std::string Str(const boost::json::object& o, std::string_view key) {
  const boost::json::value* v = o.if_contains(key);
  if (v == nullptr || !v->is_string()) {
    std::fprintf(stderr, "vector member %.*s missing\n", static_cast<int>(key.size()), key.data());
    std::abort();
  }
  return std::string(v->get_string());
}

inline std::string Bytes(const boost::json::object& o, std::string_view key) {
  auto b = crypto::Base64UrlDecode(Str(o, key));
  if (!b.ok()) std::abort();
  return std::move(b).value();
}

inline const boost::json::object& Case(std::string_view group, std::string_view name) {
  const boost::json::value* v = Vectors().at(group).get_object().if_contains(name);
  if (v == nullptr) {
    std::fprintf(stderr, "no vector %.*s\n", static_cast<int>(name.size()), name.data());
    std::abort();
  }
  return v->get_object();
}

struct RegistrationVector {
  std::string client_data_json;
  std::string attestation_object;
  std::string credential_id;
  std::string public_key;
};

inline RegistrationVector Registration(std::string_view name) {
  const auto& c = Case("registrations", name);
  return {Bytes(c, "client_data_json"), Bytes(c, "attestation_object"), Bytes(c, "credential_id"),
          Bytes(c, "public_key")};
}

struct AssertionVector {
  std::string client_data_json;
  std::string authenticator_data;
  std::string signature;
  std::string public_key;
};

inline AssertionVector Assertion(std::string_view name) {
  const auto& c = Case("assertions", name);
  return {Bytes(c, "client_data_json"), Bytes(c, "authenticator_data"), Bytes(c, "signature"),
          Bytes(c, "public_key")};
}

inline std::string RpId() { return Str(Vectors(), "rp_id"); }
inline std::string Origin() { return Str(Vectors(), "origin"); }
inline std::string Challenge() { return Str(Vectors(), "challenge"); }

// Pocket ID's settings: UV required, every algorithm offered.
inline RegistrationExpectations DefaultRegistrationExpectations() {
  return {Challenge(), RpId(), {Origin()}, true, {-7, -35, -36, -257, -258, -259, -37, -38, -39, -8}};
}

inline AssertionExpectations DefaultAssertionExpectations(std::string public_key) {
  return {Challenge(), RpId(), {Origin()}, true, std::move(public_key), false};
}

// --- a tiny CBOR encoder ---

inline std::string CborHead(int major, uint64_t n) {
  std::string out;
  const auto ib = static_cast<char>(major << 5);
  if (n < 24) return std::string(1, static_cast<char>(ib | static_cast<char>(n)));
  int width = n <= 0xff ? 1 : n <= 0xffff ? 2 : n <= 0xffffffffULL ? 4 : 8;
  out.push_back(static_cast<char>(ib | (width == 1 ? 24 : width == 2 ? 25 : width == 4 ? 26 : 27)));
  for (int i = width - 1; i >= 0; --i) out.push_back(static_cast<char>((n >> (8 * i)) & 0xff));
  return out;
}
inline std::string CborInt(int64_t v) {
  return v >= 0 ? CborHead(0, static_cast<uint64_t>(v)) : CborHead(1, static_cast<uint64_t>(-1 - v));
}
inline std::string CborBytes(std::string_view b) { return CborHead(2, b.size()) + std::string(b); }
inline std::string CborText(std::string_view t) { return CborHead(3, t.size()) + std::string(t); }
// Entries are already-encoded key/value pairs.
inline std::string CborMap(std::initializer_list<std::pair<std::string, std::string>> entries) {
  std::string out = CborHead(5, entries.size());
  for (const auto& [k, v] : entries) out += k + v;
  return out;
}

inline std::string Hex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  return out;
}

}  // namespace pocketid::webauthn::testing
