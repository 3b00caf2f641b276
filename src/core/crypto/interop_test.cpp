// Interoperability with an independent JOSE implementation: PyJWT 2.6 + cryptography, through
// testdata/interop.py. Python is a test dependency (Debian: python3, python3-jwt, python3-cryptography);
// if it is missing the test fails, it never skips.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>

#include "core/crypto/jose.h"
#include "core/crypto/random.h"
#include "core/crypto/test_util.h"

namespace pocketid::crypto {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

constexpr char kPython[] = "/usr/bin/python3";  // Debian's: pyenv's python3 cannot see the Debian modules
constexpr char kInstallHint[] = "install them with: apt-get install -y python3 python3-jwt python3-cryptography";

// A scratch directory removed at the end of the test.
class TempDir {
 public:
  TempDir() : path_(fs::temp_directory_path() / ("pid-crypto-interop-" + NewUuidV4())) {
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

void WriteFile(const fs::path& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary);
  out << content;
}

std::string Quote(const fs::path& p) { return "'" + p.string() + "'"; }  // our own paths: no quotes inside

// Runs a shell command; returns its exit status (or -1 when it did not exit normally).
int RunShell(const std::string& command) {
  const int rc = std::system(command.c_str());
  return (rc != -1 && WIFEXITED(rc)) ? WEXITSTATUS(rc) : -1;
}

class InteropTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(fs::exists(kPython)) << kPython << " is missing; " << kInstallHint;
    ASSERT_EQ(RunShell(std::string(kPython) + " -c 'import jwt, cryptography' 2>/dev/null"), 0)
        << "Python modules jwt (PyJWT) and cryptography are missing for " << kPython << "; " << kInstallHint;
    script_ = testing::SourceDir() / "src" / "core" / "crypto" / "testdata" / "interop.py";
    ASSERT_TRUE(fs::exists(script_)) << "missing " << script_;
  }

  fs::path script_;
  TempDir dir_;
};

TEST_F(InteropTest, PyJwtVerifiesOurTokens) {
  for (JwsAlgorithm alg : kAllJwsAlgorithms) {
    const SigningKey& key = testing::TestKey(alg);
    const std::string name(AlgorithmName(alg));
    const json::object claims = {{"sub", "interop"}, {"alg_under_test", name}, {"n", 42}};
    auto token = SignJwt(key, claims);
    ASSERT_TRUE(token.ok()) << token.status().message();
    WriteFile(dir_.path() / (name + ".jwk.json"), key.PublicJwkJson());
    WriteFile(dir_.path() / (name + ".jwt"), *token);
  }
  const fs::path out = dir_.path() / "verify.out";
  const int rc = RunShell(std::string(kPython) + " " + Quote(script_) + " verify " + Quote(dir_.path()) + " > " +
                          Quote(out) + " 2>&1");
  const std::string output = testing::ReadFile(out);
  EXPECT_EQ(rc, 0) << output;
  EXPECT_NE(output.find("verified 7"), std::string::npos) << output;
}

TEST_F(InteropTest, WeVerifyAndImportPyJwtKeys) {
  const fs::path out = dir_.path() / "sign.json";
  const fs::path err = dir_.path() / "sign.err";
  const int rc = RunShell(std::string(kPython) + " " + Quote(script_) + " sign > " + Quote(out) + " 2> " + Quote(err));
  ASSERT_EQ(rc, 0) << testing::ReadFile(err);

  json::error_code ec;
  const json::value entries = json::parse(testing::ReadFile(out), ec);
  ASSERT_FALSE(ec) << ec.message();
  std::set<std::string> seen;
  for (const json::value& entry : entries.as_array()) {
    const std::string name(entry.at("alg").as_string());
    SCOPED_TRACE(name);
    const auto alg = ParseAlgorithm(name);
    ASSERT_TRUE(alg.has_value());
    seen.insert(name);
    const std::string token(entry.at("token").as_string());

    // Their public JWK verifies their token, pinned to the algorithm; no other algorithm passes.
    auto pub = VerificationKey::FromJwk(entry.at("public_jwk").as_object());
    ASSERT_TRUE(pub.ok()) << pub.status().message();
    auto verified = VerifyJwt(token, *pub, *alg);
    ASSERT_TRUE(verified.ok()) << verified.status().message();
    EXPECT_EQ(verified->claims.at("sub").as_string(), "pyjwt");
    EXPECT_EQ(verified->claims.at("alg_under_test").as_string(), name);
    for (JwsAlgorithm other : kAllJwsAlgorithms) {
      if (other == *alg) continue;
      EXPECT_FALSE(VerifyJwt(token, *pub, other).ok()) << AlgorithmName(other);
    }

    // Their private JWK imports; the public key we derive from it verifies their token too.
    auto priv = SigningKey::FromPrivateJwk(json::serialize(entry.at("private_jwk")));
    ASSERT_TRUE(priv.ok()) << priv.status().message();
    EXPECT_EQ(priv->kid(), std::string(entry.at("public_jwk").at("kid").as_string()));
    EXPECT_TRUE(VerifyJwt(token, *VerificationKey::FromJwk(priv->PublicJwk()), *alg).ok());
    EXPECT_TRUE(VerifyJwt(*SignJwt(*priv, {{"sub", "back"}}), *pub, *alg).ok());
  }
  EXPECT_EQ(seen.size(), 7u);
}

}  // namespace
}  // namespace pocketid::crypto
