#include "app/commands.h"

#include <algorithm>
#include <chrono>
#include <istream>
#include <memory>
#include <optional>
#include <ostream>

#include <spdlog/spdlog.h>

#include "app/bootstrap.h"
#include "core/crypto/jose.h"
#include "core/curl/libcurl_api.h"
#include "onetimeaccess/login_codes.h"
#include "signing/signing_keys.h"
#include "users/user.h"

namespace pocketid::app {

namespace {

std::string Lowercase(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

size_t DiscardBody(char*, size_t size, size_t n, void*) { return size * n; }

// The database and instance ID the key commands work on; prints the error and returns nullopt on failure.
std::optional<std::pair<std::unique_ptr<db::Database>, std::string>> OpenWithInstanceId(const config::EnvConfig& cfg,
                                                                                        std::ostream& err) {
  auto database = OpenDatabase(cfg, 1);
  if (!database.ok()) {
    err << "Error: failed to initialize database: " << database.status().message() << "\n";
    return std::nullopt;
  }
  auto instance_id = signing::LoadOrCreateInstanceId(**database);
  if (!instance_id.ok()) {
    err << "Error: " << instance_id.status().message() << "\n";
    return std::nullopt;
  }
  return std::pair{std::move(*database), std::move(*instance_id)};
}

}  // namespace

bool Confirm(std::istream& in) {
  std::string line;
  if (!std::getline(in, line)) return false;
  line.erase(0, line.find_first_not_of(" \t\r"));
  line.erase(line.find_last_not_of(" \t\r") + 1);
  line = Lowercase(line);
  return line == "y" || line == "yes";
}

int RunHealthcheck(const config::EnvConfig& cfg, HealthcheckOptions options) {
  if (options.endpoint.empty()) {
    options.endpoint = "http://localhost:" + cfg.port;
    if (options.unix_socket.empty()) options.unix_socket = cfg.unix_socket;
  }
  std::string url = options.endpoint + "/healthz";
  auto loaded = curl::LoadLibcurl();
  if (!loaded.ok()) {
    spdlog::error("Healthcheck failed: {}", loaded.status().message());
    return 1;
  }
  const curl::LibcurlApi& libcurl = **loaded;
  curl::EasyHandle curl = curl::NewEasyHandle(libcurl);
  if (!curl) {
    spdlog::error("Healthcheck failed: could not initialise the HTTP client");
    return 1;
  }
  libcurl.curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  libcurl.curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS, 5000L);
  libcurl.curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  libcurl.curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, DiscardBody);
  if (!options.unix_socket.empty()) {
    libcurl.curl_easy_setopt(curl.get(), CURLOPT_UNIX_SOCKET_PATH, options.unix_socket.c_str());
  }

  auto start = std::chrono::steady_clock::now();
  CURLcode rc = libcurl.curl_easy_perform(curl.get());
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
  if (rc != CURLE_OK) {
    spdlog::error("Healthcheck failed error=\"{}\" url={}", libcurl.curl_easy_strerror(rc), url);
    return 1;
  }
  long status = 0;
  libcurl.curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
  if (status < 200 || status > 299) {
    spdlog::error("Healthcheck failed error=\"unexpected status {} from \\\"{}\\\"\"", status, url);
    return 1;
  }
  if (options.verbose) {
    spdlog::info("Healthcheck succeeded status={} url={} unixSocket={} ms={}", status, url, options.unix_socket, ms);
  }
  return 0;
}

int RunKeyRotate(const config::EnvConfig& cfg, const KeyRotateOptions& options, std::istream& in, std::ostream& out,
                 std::ostream& err) {
  if (options.algorithm.empty()) {
    err << "Error: key algorithm is required\n";
    return 1;
  }
  auto algorithm = crypto::ParseAlgorithm(options.algorithm, /*case_insensitive=*/true);
  if (!algorithm) {
    err << "Error: unsupported key algorithm; supported values: RS256, RS384, RS512, ES256, ES384, ES512, EdDSA\n";
    return 1;
  }
  if (*algorithm == crypto::JwsAlgorithm::kEdDSA) {
    if (options.curve.empty()) {
      err << "Error: a curve name is required when algorithm is EdDSA\n";
      return 1;
    }
    if (Lowercase(options.curve) != "ed25519") {
      err << "Error: unsupported EdDSA curve; supported values: Ed25519\n";
      return 1;
    }
  }
  if (!options.yes) {
    out << "WARNING: Rotating the private key will invalidate all existing tokens. Both pocket-id and all client "
           "applications will likely need to be restarted.\n"
        << "Confirm [y/N]: " << std::flush;
    if (!Confirm(in)) {
      out << "Aborted\n";
      return 1;
    }
  }
  auto opened = OpenWithInstanceId(cfg, err);
  if (!opened) return 1;
  auto& [database, instance_id] = *opened;
  auto key = signing::RotateSigningKey(*database, cfg.encryption_key, instance_id, *algorithm);
  if (!key.ok()) {
    err << "Error: failed to rotate key: " << key.status().message() << "\n";
    return 1;
  }
  out << "Key rotated successfully\n"
      << "Note: if pocket-id is running, you will need to restart it for the new key to be loaded\n";
  return 0;
}

int RunEncryptionKeyRotate(const config::EnvConfig& cfg, const EncryptionKeyRotateOptions& options, std::istream& in,
                           std::ostream& out, std::ostream& err) {
  if (options.new_key.empty()) {
    err << "Error: new encryption key is required (--new-key)\n";
    return 1;
  }
  if (options.new_key.size() < 16) {
    err << "Error: new encryption key must be at least 16 bytes long\n";
    return 1;
  }
  if (!options.yes) {
    out << "WARNING: Rotating the encryption key will re-encrypt secrets in the database. Pocket-ID must be "
           "restarted with the new ENCRYPTION_KEY after rotation is complete.\n"
        << "Continue [y/N]: " << std::flush;
    if (!Confirm(in)) {
      out << "Aborted\n";
      return 1;
    }
  }
  auto opened = OpenWithInstanceId(cfg, err);
  if (!opened) return 1;
  auto& [database, instance_id] = *opened;
  Status s = signing::ReencryptSigningKey(*database, cfg.encryption_key, options.new_key, instance_id);
  if (!s.ok()) {
    err << "Error: " << s.message() << "\n";
    return 1;
  }
  out << "Encryption key rotation completed successfully.\n"
      << "Restart pocket-id with the new ENCRYPTION_KEY to use the rotated data.\n";
  return 0;
}

int RunOneTimeAccessToken(const config::EnvConfig& cfg, const std::string& username_or_email, std::ostream& out,
                          std::ostream& err) {
  auto database = OpenDatabase(cfg, 1);
  if (!database.ok()) {
    err << "Error: failed to initialize database: " << database.status().message() << "\n";
    return 1;
  }
  users::UserRepository users(**database);
  auto user = users.FindByUsernameOrEmail(username_or_email);
  if (!user.ok()) {
    err << "Error: failed to look up user: " << user.status().message() << "\n";
    return 1;
  }
  if (!*user) {
    err << "Error: user not found\n";
    return 1;
  }
  onetimeaccess::LoginCodes codes(**database);
  auto code = codes.Create((*user)->id, std::chrono::hours(1));
  if (!code.ok()) {
    err << "Error: failed to create access token: " << code.status().message() << "\n";
    return 1;
  }
  out << "A one-time access token valid for 1 hour has been created for \"" << username_or_email << "\".\n"
      << "Use the following URL to sign in once: " << cfg.app_url << "/lc/" << *code << "\n";
  return 0;
}

}  // namespace pocketid::app
