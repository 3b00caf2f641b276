// Test-only helpers for crypto_test.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <ostream>
#include <sstream>
#include <string>

#include "core/crypto/jose.h"

namespace pocketid::crypto::testing {

// The repository root: $PID_SOURCE_DIR (set by ctest through pid_test), else the configure-time path.
inline std::filesystem::path SourceDir() {
  if (const char* env = std::getenv("PID_SOURCE_DIR"); env != nullptr && *env != '\0') return env;
  return PID_SOURCE_DIR_FALLBACK;
}

// The shared fixtures: $PID_FIXTURES_DIR (set by scripts/test.sh), else ../shared/fixtures beside the repository.
inline std::filesystem::path FixturesDir() {
  if (const char* env = std::getenv("PID_FIXTURES_DIR"); env != nullptr && *env != '\0') return env;
  return SourceDir() / ".." / "shared" / "fixtures";
}

inline std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Fixed keys, one per algorithm, made by SigningKey::Generate and stored in testdata/keys/ (test-only
// keys). Loading them keeps every test process fast; generating RSA-4096 can take seconds and ctest runs
// each test in its own process. Tests of Generate itself generate fresh keys.
inline const SigningKey& TestKey(JwsAlgorithm alg) {
  static std::mutex mu;
  static std::map<JwsAlgorithm, SigningKey> keys;
  std::lock_guard<std::mutex> lock(mu);
  auto it = keys.find(alg);
  if (it == keys.end()) {
    const auto path =
        SourceDir() / "src" / "core" / "crypto" / "testdata" / "keys" / (std::string(AlgorithmName(alg)) + ".jwk.json");
    auto key = SigningKey::FromPrivateJwk(ReadFile(path));
    if (!key.ok()) {
      std::fprintf(stderr, "cannot load test key %s: %s\n", path.c_str(), key.status().message().c_str());
      std::abort();
    }
    it = keys.emplace(alg, std::move(key).value()).first;
  }
  return it->second;
}

}  // namespace pocketid::crypto::testing

namespace pocketid::crypto {
// Readable parameter names in gtest/ctest output ("RS256" instead of a byte dump).
inline void PrintTo(JwsAlgorithm alg, std::ostream* os) { *os << AlgorithmName(alg); }
}  // namespace pocketid::crypto
