// The process configuration: Pocket ID v2.14's environment variables (protocol.md §6.1), their defaults,
// the `_FILE` variants, the older names guides still use, and the start-up validation in §6.2's order.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/config/env_source.h"
#include "core/config/ip_network.h"
#include "core/status/status.h"

namespace pocketid::config {

enum class DbEngine { kSqlite, kPostgres };
enum class LogLevel { kDebug, kInfo, kWarn, kError };
enum class FileBackend { kFilesystem, kDatabase, kS3 };

inline constexpr std::string_view kDefaultAppUrl = "http://localhost:1411";
inline constexpr std::string_view kDefaultSqliteConnectionString = "data/pocket-id.db";
inline constexpr std::string_view kDefaultUploadPath = "data/uploads";
inline constexpr std::string_view kDefaultGeoLiteDbUrl =
    "https://download.maxmind.com/app/geoip_download?edition_id=GeoLite2-City&license_key=%s&suffix=tar.gz";

// Member initialisers are Pocket ID's defaults; LoadEnvConfig fills in the rest.
struct EnvConfig {
  std::string app_env = "production";            // lower-cased; not restricted to production|development|test
  std::string app_url{kDefaultAppUrl};           // lower-cased, trailing '/' trimmed
  std::string internal_app_url{kDefaultAppUrl};  // = app_url when unset; not lower-cased
  std::string encryption_key;                    // raw bytes (ENCRYPTION_KEY_FILE content verbatim)

  DbEngine db_engine = DbEngine::kSqlite;
  std::string db_connection_string{kDefaultSqliteConnectionString};

  std::vector<IpNetwork> trust_proxy;  // empty: no proxy trusted
  std::string trusted_platform;
  std::vector<IpNetwork> proxy_protocol;  // empty: PROXY protocol off

  int audit_log_retention_days = 90;
  bool analytics_disabled = false;
  bool allow_downgrade = false;
  bool allow_insecure_callback_urls = true;
  bool ui_config_disabled = false;
  bool disable_rate_limiting = false;
  bool version_check_disabled = false;
  std::string static_api_key;

  FileBackend file_backend = FileBackend::kFilesystem;
  std::string upload_path;  // default "data/uploads" for the filesystem backend only (as Pocket ID)
  struct S3 {
    std::string bucket, region, endpoint, access_key_id, secret_access_key;
    bool force_path_style = false;
    bool disable_default_integrity_checks = false;
  } s3;

  std::string port = "1411";
  std::string host = "0.0.0.0";  // lower-cased
  std::string unix_socket;
  std::string unix_socket_mode;              // as written (octal)
  std::optional<int> unix_socket_mode_bits;  // mode & 0777; set when UNIX_SOCKET and UNIX_SOCKET_MODE are
  bool systemd_socket = false;
  std::vector<IpNetwork> local_ipv6_ranges;

  std::string tls_cert, tls_key;            // inline PEM
  std::string tls_cert_file, tls_key_file;  // PEM paths (hot-reloaded)

  std::string maxmind_license_key;
  std::string geolite_db_path = "data/GeoLite2-City.mmdb";
  std::string geolite_db_url{kDefaultGeoLiteDbUrl};

  std::string actors_port = "1414";     // accepted for compatibility; unused
  std::string actors_host = "0.0.0.0";  // lower-cased; unused

  LogLevel log_level = LogLevel::kInfo;
  bool log_json = false;
  bool log_query_args = false;

  // SESSION_DURATION (an application-configuration key that older guides set in the environment), in
  // minutes; nullopt when unset. Plain minutes ("720") or a Go duration ("720h", "1h30m"); a duration is
  // rounded up to whole minutes and must come to at least one minute. Parsed whatever UI_CONFIG_DISABLED
  // says; whether it applies (Pocket ID: only with UI_CONFIG_DISABLED=true) is the app-config module's call.
  std::optional<int> session_duration_minutes;

  bool IsSecureAppUrl() const { return app_url.starts_with("https://"); }  // selects __Host- cookie names
  bool IsTestEnv() const { return app_env == "test"; }
  bool IsProduction() const { return app_env == "production"; }
};

struct LoadResult {
  EnvConfig config;
  std::vector<std::string> warnings;  // deprecated/ignored variables, one line each, for the log
};

// Parses and validates. Errors come in Pocket ID's phases; the first error wins and its message is Pocket
// ID's exact text:
//  1. type errors (bad boolean/integer, TRUST_PROXY/PROXY_PROTOCOL entries) in Pocket ID's struct order, and
//  2. `<NAME>_FILE` read failures: both StatusCode::kInvalidArgument (Pocket ID: "Configuration error",
//     fatal for every command);
//  3. the checks of protocol.md §6.2 in order (then UNIX_SOCKET_MODE and SESSION_DURATION):
//     StatusCode::kFailedPrecondition (Pocket ID: "config error: <msg>", skipped for help/-h/--help/version,
//     so the CLI may ignore this code for those commands).
StatusOr<LoadResult> LoadEnvConfig(const EnvSource& env);

// A libpq "keyword=value ..." connection string split into its pairs (values unquoted/unescaped), or
// nullopt when `s` is not one. Note: `database` is pgx's alias of libpq's `dbname`.
std::optional<std::vector<std::pair<std::string, std::string>>> ParseLibpqKeyValues(std::string_view s);

// SESSION_DURATION's syntax: minutes or a Go duration, at least one minute. nullopt when invalid.
std::optional<int> ParseSessionDurationMinutes(std::string_view s);

}  // namespace pocketid::config
