// The CLI subcommands other than the server itself (protocol.md §7). Each returns the process exit code and
// prints exactly what Pocket ID prints.
#pragma once

#include <iosfwd>
#include <string>

#include "core/config/env_config.h"

namespace pocketid::app {

struct HealthcheckOptions {
  std::string endpoint;     // default http://localhost:<PORT>
  std::string unix_socket;  // default UNIX_SOCKET when no endpoint was given
  bool verbose = false;
};
int RunHealthcheck(const config::EnvConfig& cfg, HealthcheckOptions options);

struct KeyRotateOptions {
  std::string algorithm = "RS256";
  std::string curve;
  bool yes = false;
};
int RunKeyRotate(const config::EnvConfig& cfg, const KeyRotateOptions& options, std::istream& in, std::ostream& out,
                 std::ostream& err);

struct EncryptionKeyRotateOptions {
  std::string new_key;
  bool yes = false;
};
int RunEncryptionKeyRotate(const config::EnvConfig& cfg, const EncryptionKeyRotateOptions& options, std::istream& in,
                           std::ostream& out, std::ostream& err);

// `pocket-id one-time-access-token <username-or-email>`: a 1-hour login link.
int RunOneTimeAccessToken(const config::EnvConfig& cfg, const std::string& username_or_email, std::ostream& out,
                          std::ostream& err);

// Reads one line and accepts "y"/"yes" in any case, like Pocket ID's prompts.
bool Confirm(std::istream& in);

}  // namespace pocketid::app
