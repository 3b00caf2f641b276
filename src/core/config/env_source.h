// Where configuration variables come from: the process environment overlaid on a `.env` file, behind an
// interface so that tests (and callers) never read or modify the real process environment.
#pragma once

#include <filesystem>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/status/status.h"

namespace pocketid::config {

class EnvSource {
 public:
  virtual ~EnvSource();
  // nullopt when the variable is not set; an empty string when it is set to "". (LoadEnvConfig treats both
  // alike, as Pocket ID does, but the .env overlay must tell them apart.)
  virtual std::optional<std::string> Get(std::string_view name) const = 0;
};

using EnvMap = std::map<std::string, std::string, std::less<>>;

// A fixed set of variables; used for tests and for the process-environment snapshot.
class MapEnvSource : public EnvSource {
 public:
  MapEnvSource() = default;
  explicit MapEnvSource(EnvMap vars) : vars_(std::move(vars)) {}
  MapEnvSource(std::initializer_list<std::pair<const std::string, std::string>> vars) : vars_(vars) {}

  void Set(std::string name, std::string value) { vars_[std::move(name)] = std::move(value); }
  void Unset(std::string_view name);
  std::optional<std::string> Get(std::string_view name) const override;

 private:
  EnvMap vars_;
};

// `base` first, then the variables parsed from a .env file: what godotenv.Load produces, without setenv().
class OverlayEnvSource : public EnvSource {
 public:
  OverlayEnvSource(std::unique_ptr<EnvSource> base, EnvMap fallback)
      : base_(std::move(base)), fallback_(std::move(fallback)) {}
  std::optional<std::string> Get(std::string_view name) const override;

 private:
  std::unique_ptr<EnvSource> base_;
  EnvMap fallback_;
};

// A copy of the current process environment (`environ`), taken once.
std::unique_ptr<EnvSource> SnapshotProcessEnv();

// Parses .env content with godotenv's rules: blank lines and `#` comment lines; `KEY=VALUE`, `KEY: VALUE`
// and `export KEY=VALUE`; unquoted values end at the line end, lose a trailing ` # comment` and are trimmed;
// single-quoted values are literal; double-quoted values may span lines and understand `\n`, `\r`, `\"`,
// `\\`; `$VAR`/`${VAR}` in unquoted and double-quoted values expand from earlier lines of the file, then
// from `base`. Errors read "line <n>: <reason>".
StatusOr<EnvMap> ParseDotEnv(std::string_view content, const EnvSource& base);

// Overlays `dotenv` (when the file exists) under `base`: variables already set in `base` win. A file that
// exists but cannot be read or parsed is an error naming the file (and line).
StatusOr<std::unique_ptr<EnvSource>> LoadDotEnv(std::unique_ptr<EnvSource> base, const std::filesystem::path& dotenv);

// The real environment: a snapshot of the process environment overlaid on `dotenv` (godotenv/autoload).
StatusOr<std::unique_ptr<EnvSource>> LoadProcessEnv(const std::filesystem::path& dotenv = ".env");

}  // namespace pocketid::config
