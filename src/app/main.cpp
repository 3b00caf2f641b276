// The `pocket-id` binary: no subcommand runs the server; the subcommands are those of protocol.md §7.
#include <iostream>
#include <string_view>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "app/commands.h"
#include "app/logging.h"
#include "app/server_main.h"
#include "core/config/env_config.h"

#ifndef PID_VERSION
#define PID_VERSION "unknown"
#endif

namespace {

// Pocket ID validates the environment before every command except help and version.
bool SkipsEnvValidation(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "-h" || a == "--help" || a == "help" || a == "version") return true;
  }
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace pocketid;
  // No curl_global_init here: libcurl is loaded, and initialised, at the first download (core/curl/libcurl_api.h).

  CLI::App cli{"A simple and easy-to-use OIDC provider that allows users to authenticate with their passkeys to "
               "your services.\n\nBy default, this command starts the pocket-id server.",
               "pocket-id"};
  cli.require_subcommand(0, 1);

  auto* version = cli.add_subcommand("version", "Print the version of pocket-id");

  app::HealthcheckOptions health;
  auto* healthcheck = cli.add_subcommand("healthcheck", "Performs a healthcheck of a running Pocket ID instance");
  healthcheck->add_option("-e,--endpoint", health.endpoint, "Endpoint for Pocket ID (default http://localhost:<PORT>)");
  healthcheck->add_option("--unix-socket", health.unix_socket, "Unix socket to connect to (default UNIX_SOCKET)");
  healthcheck->add_flag("-v,--verbose", health.verbose, "Enable verbose mode");

  app::KeyRotateOptions rotate;
  auto* key_rotate = cli.add_subcommand("key-rotate", "Generates a new token signing key and replaces the current one");
  key_rotate->add_option("-a,--alg", rotate.algorithm, "Key algorithm. Supported values: RS256, RS384, RS512, ES256, "
                                                       "ES384, ES512, EdDSA")
      ->capture_default_str();
  key_rotate->add_option("-c,--crv", rotate.curve, "Curve name when using EdDSA keys. Supported values: Ed25519");
  key_rotate->add_flag("-y,--yes", rotate.yes, "Do not prompt for confirmation");

  app::EncryptionKeyRotateOptions enc_rotate;
  auto* enc_key_rotate =
      cli.add_subcommand("encryption-key-rotate", "Re-encrypts data using a new encryption key");
  enc_key_rotate->add_option("--new-key", enc_rotate.new_key, "New encryption key");
  enc_key_rotate->add_flag("-y,--yes", enc_rotate.yes, "Do not prompt for confirmation");

  std::string ota_user;
  auto* one_time_access_token = cli.add_subcommand(
      "one-time-access-token", "Generates a one-time access token for the given user");
  one_time_access_token->add_option("username-or-email", ota_user, "Username or email address of the user")
      ->required();

  // `help` as a subcommand, like cobra.
  auto* help = cli.add_subcommand("help", "Help about any command");
  help->allow_extras();

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e) == 0 ? 0 : 1;
  }
  if (*help) {
    std::cout << cli.help();
    return 0;
  }
  if (*version) {
    std::cout << "pocket-id " << PID_VERSION << "\n";
    return 0;
  }

  config::LoadResult loaded;
  if (!SkipsEnvValidation(argc, argv)) {
    auto env = config::LoadProcessEnv();
    if (!env.ok()) {
      std::cerr << "config error: " << env.status().message() << "\n";
      return 1;
    }
    auto result = config::LoadEnvConfig(**env);
    if (!result.ok()) {
      std::cerr << "config error: " << result.status().message() << "\n";
      return 1;
    }
    loaded = std::move(*result);
  }
  const config::EnvConfig& cfg = loaded.config;
  app::ConfigureLogging(cfg.log_level, cfg.log_json);
  for (const auto& warning : loaded.warnings) spdlog::warn("{}", warning);

  if (*healthcheck) return app::RunHealthcheck(cfg, health);
  if (*key_rotate) return app::RunKeyRotate(cfg, rotate, std::cin, std::cout, std::cerr);
  if (*one_time_access_token) return app::RunOneTimeAccessToken(cfg, ota_user, std::cout, std::cerr);
  if (*enc_key_rotate) return app::RunEncryptionKeyRotate(cfg, enc_rotate, std::cin, std::cout, std::cerr);
  return app::RunServer(cfg);
}
