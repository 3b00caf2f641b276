#include "core/config/env_config.h"

#include <algorithm>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>
#include <cstdio>
#include <limits>

#include "core/config/file_util.h"
#include "core/config/go_values.h"

namespace pocketid::config {
namespace {

// Go's %q for the ASCII-ish values that end up in messages.
std::string Quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\x%02x", static_cast<unsigned char>(c));
          out += buf;
        } else {
          out.push_back(c);
        }
    }
  }
  return out + "\"";
}

bool IsPostgresUrl(std::string_view s) { return s.starts_with("postgres://") || s.starts_with("postgresql://"); }

std::string TrimTrailingSlashes(std::string s) {
  while (!s.empty() && s.back() == '/') s.pop_back();
  return s;
}

// TRUST_PROXY / PROXY_PROTOCOL (TrustProxyConfig.UnmarshalText): a boolean, or a comma list of IPs/CIDRs.
StatusOr<std::vector<IpNetwork>> ParseProxyList(std::string_view raw) {
  std::string_view value = TrimAsciiSpace(raw);
  if (std::optional<bool> enabled = ParseGoBool(value)) {
    if (!*enabled) return std::vector<IpNetwork>{};
    return std::vector<IpNetwork>{*ParseCidr("0.0.0.0/0"), *ParseCidr("::/0")};
  }
  std::vector<IpNetwork> networks;
  size_t start = 0;
  while (true) {
    size_t comma = value.find(',', start);
    std::string_view entry =
        TrimAsciiSpace(value.substr(start, comma == std::string_view::npos ? comma : comma - start));
    StatusOr<IpNetwork> net = ParseIpOrCidr(entry);
    if (!net.ok()) return InvalidArgumentError("invalid proxy IP address or CIDR " + Quote(entry));
    networks.push_back(*net);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return networks;
}

// url.Parse plus "has no path"; unlike Go's lenient parser we also require a scheme and a host, so that
// "localhost:1411" or "example.com" is reported instead of producing a broken issuer.
Status ValidateUrlWithoutPath(std::string_view url, std::string_view name) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed || !parsed->has_authority() || parsed->encoded_host().empty()) {
    return InvalidArgumentError(std::string(name) + " is not a valid URL");
  }
  std::string_view path = parsed->encoded_path();
  if (path.find_first_not_of('/') != std::string_view::npos) {  // a bare "/" counts as no path
    return InvalidArgumentError(std::string(name) + " must not contain a path");
  }
  return Status::Ok();
}

// Raw text of variables that are validated later (§6.2) rather than when they are read.
struct PendingValues {
  std::string log_level = "info";
  std::string file_backend = "filesystem";
  std::string local_ipv6_ranges;
  std::optional<std::string> db_provider;
  std::optional<std::string> session_duration;
  bool db_connection_string_set = false;
};

class Loader {
 public:
  explicit Loader(const EnvSource& env) : env_(env) {}

  StatusOr<LoadResult> Run() && {
    PID_RETURN_IF_ERROR(ParseVariables());
    PID_RETURN_IF_ERROR(ResolveFileVariables());
    // A distinct code lets the CLI skip validation for help/version the way Pocket ID does (see header).
    if (Status s = Validate(); !s.ok()) return FailedPreconditionError(s.message());
    return std::move(result_);
  }

 private:
  EnvConfig& config() { return result_.config; }
  void Warn(std::string line) { result_.warnings.push_back(std::move(line)); }

  // Pocket ID (caarlos0/env) treats a variable set to "" exactly like an unset one: the default stays.
  std::optional<std::string> Lookup(std::string_view name) const {
    std::optional<std::string> v = env_.Get(name);
    if (v && v->empty()) return std::nullopt;
    return v;
  }

  void ReadString(std::string_view name, std::string& field, bool to_lower = false) {
    if (std::optional<std::string> v = Lookup(name)) field = to_lower ? AsciiLower(*v) : std::move(*v);
  }

  Status ReadBool(std::string_view name, bool& field) {
    std::optional<std::string> v = Lookup(name);
    if (!v) return Status::Ok();
    std::optional<bool> parsed = ParseGoBool(*v);
    if (!parsed) return InvalidArgumentError("invalid boolean value " + Quote(*v) + " for " + std::string(name));
    field = *parsed;
    return Status::Ok();
  }

  Status ReadInt(std::string_view name, int& field) {
    std::optional<std::string> v = Lookup(name);
    if (!v) return Status::Ok();
    std::optional<int32_t> parsed = ParseGoInt32(*v);
    if (!parsed) return InvalidArgumentError("invalid integer value " + Quote(*v) + " for " + std::string(name));
    field = *parsed;
    return Status::Ok();
  }

  Status ReadProxyList(std::string_view name, std::vector<IpNetwork>& field) {
    std::optional<std::string> v = Lookup(name);
    if (!v) return Status::Ok();
    PID_ASSIGN_OR_RETURN(field, ParseProxyList(*v));
    return Status::Ok();
  }

  // A newer name wins; the older one is used only when the newer is unset, with a warning either way.
  void ReadLegacyAlias(std::string_view legacy, std::string_view current, bool current_set, std::string& field) {
    std::optional<std::string> v = Lookup(legacy);
    if (!v) return;
    if (current_set) {
      Warn(std::string(legacy) + " is deprecated and ignored because " + std::string(current) + " is set");
      return;
    }
    Warn(std::string(legacy) + " is deprecated, use " + std::string(current) + " instead");
    field = std::move(*v);
  }

  // Phase 1: every variable in the order of Pocket ID's EnvConfigSchema (type errors surface in that order).
  Status ParseVariables() {
    EnvConfig& c = config();
    ReadString("APP_ENV", c.app_env, /*to_lower=*/true);
    ReadString("ENCRYPTION_KEY", c.encryption_key);
    ReadAppUrl();
    ReadDbConnectionString();
    PID_RETURN_IF_ERROR(ReadProxyList("TRUST_PROXY", c.trust_proxy));
    PID_RETURN_IF_ERROR(ReadProxyList("PROXY_PROTOCOL", c.proxy_protocol));
    ReadString("TRUSTED_PLATFORM", c.trusted_platform);
    PID_RETURN_IF_ERROR(ReadInt("AUDIT_LOG_RETENTION_DAYS", c.audit_log_retention_days));
    PID_RETURN_IF_ERROR(ReadBool("ANALYTICS_DISABLED", c.analytics_disabled));
    PID_RETURN_IF_ERROR(ReadBool("ALLOW_DOWNGRADE", c.allow_downgrade));
    PID_RETURN_IF_ERROR(ReadBool("ALLOW_INSECURE_CALLBACK_URLS", c.allow_insecure_callback_urls));
    c.internal_app_url.clear();  // derived from APP_URL during validation when unset
    ReadString("INTERNAL_APP_URL", c.internal_app_url);
    PID_RETURN_IF_ERROR(ReadBool("UI_CONFIG_DISABLED", c.ui_config_disabled));
    PID_RETURN_IF_ERROR(ReadBool("DISABLE_RATE_LIMITING", c.disable_rate_limiting));
    PID_RETURN_IF_ERROR(ReadBool("VERSION_CHECK_DISABLED", c.version_check_disabled));
    ReadString("STATIC_API_KEY", c.static_api_key);
    ReadString("FILE_BACKEND", pending_.file_backend, /*to_lower=*/true);
    ReadString("UPLOAD_PATH", c.upload_path);
    PID_RETURN_IF_ERROR(ReadS3());
    ReadString("PORT", c.port);
    ReadString("HOST", c.host, /*to_lower=*/true);
    ReadString("UNIX_SOCKET", c.unix_socket);
    ReadString("UNIX_SOCKET_MODE", c.unix_socket_mode);
    PID_RETURN_IF_ERROR(ReadBool("SYSTEMD_SOCKET", c.systemd_socket));
    ReadString("LOCAL_IPV6_RANGES", pending_.local_ipv6_ranges);
    ReadString("TLS_CERT", c.tls_cert);
    ReadString("TLS_KEY", c.tls_key);
    ReadString("TLS_CERT_FILE", c.tls_cert_file);
    ReadString("TLS_KEY_FILE", c.tls_key_file);
    ReadString("MAXMIND_LICENSE_KEY", c.maxmind_license_key);
    ReadString("GEOLITE_DB_PATH", c.geolite_db_path);
    ReadString("GEOLITE_DB_URL", c.geolite_db_url);
    ReadString("ACTORS_PORT", c.actors_port);
    ReadString("ACTORS_HOST", c.actors_host, /*to_lower=*/true);
    ReadString("LOG_LEVEL", pending_.log_level, /*to_lower=*/true);
    PID_RETURN_IF_ERROR(ReadBool("LOG_JSON", c.log_json));
    PID_RETURN_IF_ERROR(ReadBool("LOG_QUERY_ARGS", c.log_query_args));
    ReadCompatibilityVariables();
    return Status::Ok();
  }

  void ReadAppUrl() {
    std::string url;
    bool set = Lookup("APP_URL").has_value();
    ReadString("APP_URL", url);
    ReadLegacyAlias("PUBLIC_APP_URL", "APP_URL", set, url);
    if (!url.empty()) config().app_url = TrimTrailingSlashes(AsciiLower(url));
  }

  void ReadDbConnectionString() {
    std::string conn;
    bool set = Lookup("DB_CONNECTION_STRING").has_value() || Lookup("DB_CONNECTION_STRING_FILE").has_value();
    ReadString("DB_CONNECTION_STRING", conn);
    ReadLegacyAlias("POSTGRES_CONNECTION_STRING", "DB_CONNECTION_STRING", set, conn);
    pending_.db_connection_string_set = !conn.empty();
    config().db_connection_string = conn;  // "" until derivation applies the default
  }

  Status ReadS3() {
    EnvConfig::S3& s3 = config().s3;
    ReadString("S3_BUCKET", s3.bucket);
    ReadString("S3_REGION", s3.region);
    ReadString("S3_ENDPOINT", s3.endpoint);
    ReadString("S3_ACCESS_KEY_ID", s3.access_key_id);
    ReadString("S3_SECRET_ACCESS_KEY", s3.secret_access_key);
    PID_RETURN_IF_ERROR(ReadBool("S3_FORCE_PATH_STYLE", s3.force_path_style));
    return ReadBool("S3_DISABLE_DEFAULT_INTEGRITY_CHECKS", s3.disable_default_integrity_checks);
  }

  // Variables Pocket ID v2.14 no longer reads but that published guides still set (spec README).
  void ReadCompatibilityVariables() {
    pending_.db_provider = Lookup("DB_PROVIDER");
    pending_.session_duration = Lookup("SESSION_DURATION");
    for (std::string_view name : {"KEYS_STORAGE", "KEYS_PATH"}) {
      if (Lookup(name)) {
        Warn(std::string(name) +
             " is no longer supported and is ignored: signing keys are always stored in the database");
      }
    }
  }

  // Phase 2: `<NAME>_FILE` overrides `<NAME>`; a set but unreadable file is fatal.
  Status ResolveFileVariables() {
    EnvConfig& c = config();
    PID_RETURN_IF_ERROR(ReadFileVariable("ENCRYPTION_KEY", c.encryption_key, /*trim=*/false));
    PID_RETURN_IF_ERROR(ReadFileVariable("DB_CONNECTION_STRING", c.db_connection_string, /*trim=*/true));
    if (Lookup("DB_CONNECTION_STRING_FILE")) pending_.db_connection_string_set = !c.db_connection_string.empty();
    PID_RETURN_IF_ERROR(ReadFileVariable("STATIC_API_KEY", c.static_api_key, /*trim=*/true));
    PID_RETURN_IF_ERROR(ReadFileVariable("S3_SECRET_ACCESS_KEY", c.s3.secret_access_key, /*trim=*/true));
    return ReadFileVariable("MAXMIND_LICENSE_KEY", c.maxmind_license_key, /*trim=*/true);
  }

  Status ReadFileVariable(std::string_view name, std::string& field, bool trim) {
    std::string file_var = std::string(name) + "_FILE";
    std::optional<std::string> path = Lookup(file_var);
    if (!path) return Status::Ok();
    StatusOr<std::string> content = ReadWholeFile(*path);
    if (!content.ok()) {
      return InvalidArgumentError("failed to read file for env var " + file_var + ": " + content.status().message());
    }
    // ENCRYPTION_KEY is bytes: a key file ending in a newline keeps it, exactly as Pocket ID reads it.
    field = trim ? std::string(TrimAsciiSpace(*content)) : std::move(*content);
    return Status::Ok();
  }

  // Phase 3: ValidateEnvConfig, in protocol.md §6.2's order, then the checks Pocket ID makes later at start-up.
  Status Validate() {
    PID_RETURN_IF_ERROR(ValidateLogLevel());
    PID_RETURN_IF_ERROR(ValidateBasics());
    PID_RETURN_IF_ERROR(DeriveDbEngine());
    PID_RETURN_IF_ERROR(ValidateAppUrls());
    PID_RETURN_IF_ERROR(ValidateFileBackend());
    PID_RETURN_IF_ERROR(ValidateLocalIpv6Ranges());
    PID_RETURN_IF_ERROR(ValidateTls());
    PID_RETURN_IF_ERROR(ValidateUnixSocketMode());
    return ValidateSessionDuration();
  }

  Status ValidateLogLevel() {
    const std::string& level = pending_.log_level;
    if (level == "debug")
      config().log_level = LogLevel::kDebug;
    else if (level == "info")
      config().log_level = LogLevel::kInfo;
    else if (level == "warn" || level == "warning")
      config().log_level = LogLevel::kWarn;
    else if (level == "error")
      config().log_level = LogLevel::kError;
    else
      return InvalidArgumentError("invalid LOG_LEVEL value. Must be 'debug', 'info', 'warn' or 'error'");
    return Status::Ok();
  }

  Status ValidateBasics() {
    const EnvConfig& c = config();
    if (c.encryption_key.size() < 16) return InvalidArgumentError("ENCRYPTION_KEY must be at least 16 bytes long");
    if (c.systemd_socket && !c.unix_socket.empty()) {
      return InvalidArgumentError("SYSTEMD_SOCKET and UNIX_SOCKET are mutually exclusive");
    }
    if (!c.proxy_protocol.empty() && !c.unix_socket.empty()) {
      return InvalidArgumentError("PROXY_PROTOCOL and UNIX_SOCKET are mutually exclusive");
    }
    if (c.audit_log_retention_days <= 0) {
      return InvalidArgumentError("AUDIT_LOG_RETENTION_DAYS must be greater than 0");
    }
    if (!c.static_api_key.empty() && c.static_api_key.size() < 16) {
      return InvalidArgumentError("when set, STATIC_API_KEY must be at least 16 characters long");
    }
    return Status::Ok();
  }

  // Pocket ID derives the engine from the string; DB_PROVIDER (which it no longer reads) is honoured when
  // set so that libpq key=value strings from older guides reach PostgreSQL.
  Status DeriveDbEngine() {
    EnvConfig& c = config();
    if (c.db_connection_string.empty()) c.db_connection_string = std::string(kDefaultSqliteConnectionString);
    const std::string& conn = c.db_connection_string;
    if (!pending_.db_provider) {
      c.db_engine = IsPostgresUrl(conn) ? DbEngine::kPostgres : DbEngine::kSqlite;
      if (c.db_engine == DbEngine::kSqlite && ParseLibpqKeyValues(conn)) {
        Warn(
            "DB_CONNECTION_STRING looks like a PostgreSQL key=value string but DB_PROVIDER is not set; it is "
            "used as a SQLite file name (set DB_PROVIDER=postgres to use PostgreSQL)");
      }
      return Status::Ok();
    }
    const std::string& written = *pending_.db_provider;
    std::string provider = AsciiLower(TrimAsciiSpace(written));
    if (provider == "sqlite") {
      if (IsPostgresUrl(conn)) {
        return InvalidArgumentError("DB_PROVIDER is " + Quote(written) +
                                    " but DB_CONNECTION_STRING is a PostgreSQL URL");
      }
      c.db_engine = DbEngine::kSqlite;
      return Status::Ok();
    }
    if (provider == "postgres" || provider == "postgresql") {
      if (!pending_.db_connection_string_set) {
        return InvalidArgumentError("DB_PROVIDER is " + Quote(written) + " but DB_CONNECTION_STRING is not set");
      }
      if (!IsPostgresUrl(conn) && !ParseLibpqKeyValues(conn)) {
        return InvalidArgumentError("DB_PROVIDER is " + Quote(written) +
                                    " but DB_CONNECTION_STRING is neither a postgres:// URL nor a key=value "
                                    "connection string");
      }
      c.db_engine = DbEngine::kPostgres;
      return Status::Ok();
    }
    return InvalidArgumentError("invalid DB_PROVIDER value " + Quote(written) + ". Must be 'sqlite' or 'postgres'");
  }

  Status ValidateAppUrls() {
    EnvConfig& c = config();
    PID_RETURN_IF_ERROR(ValidateUrlWithoutPath(c.app_url, "APP_URL"));
    if (c.internal_app_url.empty()) {
      c.internal_app_url = c.app_url;
      return Status::Ok();
    }
    PID_RETURN_IF_ERROR(ValidateUrlWithoutPath(c.internal_app_url, "INTERNAL_APP_URL"));
    // A bare "/" path was accepted; drop it so "<internal_app_url>/api/..." has no double slash.
    auto parsed = boost::urls::parse_uri(c.internal_app_url);
    if (!parsed->has_query() && !parsed->has_fragment()) c.internal_app_url = TrimTrailingSlashes(c.internal_app_url);
    return Status::Ok();
  }

  // Only the filesystem backend gets a default UPLOAD_PATH (Pocket ID: validateFileBackend).
  Status ValidateFileBackend() {
    EnvConfig& c = config();
    const std::string& backend = pending_.file_backend;
    if (backend == "s3") {
      c.file_backend = FileBackend::kS3;
    } else if (backend == "database") {
      c.file_backend = FileBackend::kDatabase;
    } else if (backend == "filesystem" || backend.empty()) {
      c.file_backend = FileBackend::kFilesystem;
      if (c.upload_path.empty()) c.upload_path = std::string(kDefaultUploadPath);
    } else {
      return InvalidArgumentError("invalid FILE_BACKEND value. Must be 'filesystem', 'database', or 's3'");
    }
    return Status::Ok();
  }

  Status ValidateLocalIpv6Ranges() {
    std::string_view ranges = pending_.local_ipv6_ranges;
    size_t start = 0;
    while (start <= ranges.size()) {
      size_t comma = std::min(ranges.find(',', start), ranges.size());
      std::string_view range = TrimAsciiSpace(ranges.substr(start, comma - start));
      start = comma + 1;
      if (range.empty()) continue;
      StatusOr<IpNetwork> net = ParseCidr(range);
      if (!net.ok()) {
        return InvalidArgumentError("invalid LOCAL_IPV6_RANGES '" + std::string(range) +
                                    "': " + net.status().message());
      }
      if (net->family == IpNetwork::Family::kV4 || net->IsIpv4MappedV6()) {
        return InvalidArgumentError("range '" + std::string(range) + "' is not a valid IPv6 range");
      }
      config().local_ipv6_ranges.push_back(*net);
    }
    return Status::Ok();
  }

  Status ValidateTls() {
    const EnvConfig& c = config();
    bool inline_configured = !c.tls_cert.empty() || !c.tls_key.empty();
    bool file_configured = !c.tls_cert_file.empty() || !c.tls_key_file.empty();
    if (inline_configured && file_configured) {
      return InvalidArgumentError("TLS_CERT and TLS_KEY cannot be combined with TLS_CERT_FILE or TLS_KEY_FILE");
    }
    if (!c.tls_cert.empty() && c.tls_key.empty())
      return InvalidArgumentError("TLS_KEY must be set when TLS_CERT is set");
    if (c.tls_cert.empty() && !c.tls_key.empty())
      return InvalidArgumentError("TLS_CERT must be set when TLS_KEY is set");
    if (!c.tls_cert_file.empty() && c.tls_key_file.empty()) {
      return InvalidArgumentError("TLS_KEY_FILE must be set when TLS_CERT_FILE is set");
    }
    if (c.tls_cert_file.empty() && !c.tls_key_file.empty()) {
      return InvalidArgumentError("TLS_CERT_FILE must be set when TLS_KEY_FILE is set");
    }
    if (!c.tls_cert_file.empty()) {
      if (Status s = StatFile(c.tls_cert_file); !s.ok())
        return InvalidArgumentError("TLS_CERT_FILE not found: " + s.message());
      if (Status s = StatFile(c.tls_key_file); !s.ok())
        return InvalidArgumentError("TLS_KEY_FILE not found: " + s.message());
    }
    return Status::Ok();
  }

  // Pocket ID parses the mode when it creates the socket (strconv.ParseUint(mode, 8, 32)); we check it up
  // front with the same message. os.Chmod applies only the permission bits, hence & 0777.
  Status ValidateUnixSocketMode() {
    EnvConfig& c = config();
    if (c.unix_socket.empty() || c.unix_socket_mode.empty()) return Status::Ok();
    UintParse mode = ParseGoUint32(c.unix_socket_mode, 8);
    if (!mode.value) {
      return InvalidArgumentError("failed to parse UNIX socket mode '" + c.unix_socket_mode +
                                  "': strconv.ParseUint: parsing " + Quote(c.unix_socket_mode) + ": " + mode.error);
    }
    c.unix_socket_mode_bits = static_cast<int>(*mode.value & 0777);
    return Status::Ok();
  }

  Status ValidateSessionDuration() {
    if (!pending_.session_duration) return Status::Ok();
    const std::string& raw = *pending_.session_duration;
    std::optional<int> minutes = ParseSessionDurationMinutes(raw);
    if (!minutes) {
      return InvalidArgumentError("invalid SESSION_DURATION value " + Quote(raw) +
                                  ": must be a number of minutes (e.g. \"60\") or a duration such as \"720h\", "
                                  "of at least one minute");
    }
    if (!ParseGoInt32(raw)) {
      Warn("SESSION_DURATION " + Quote(raw) + " is a duration; Pocket ID expects minutes, using " +
           std::to_string(*minutes));
    }
    config().session_duration_minutes = minutes;
    return Status::Ok();
  }

  const EnvSource& env_;
  LoadResult result_;
  PendingValues pending_;
};

bool IsLibpqKeywordChar(char c, bool first) {
  bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  return alpha || (!first && c >= '0' && c <= '9');
}

bool IsLibpqSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

}  // namespace

StatusOr<LoadResult> LoadEnvConfig(const EnvSource& env) { return Loader(env).Run(); }

// libpq conninfo grammar: `keyword = value` pairs separated by whitespace; a value is a single-quoted string
// (\' and \\ escapes) or a run of non-space characters (backslash escapes the next one).
std::optional<std::vector<std::pair<std::string, std::string>>> ParseLibpqKeyValues(std::string_view s) {
  std::vector<std::pair<std::string, std::string>> pairs;
  size_t i = 0;
  auto skip_space = [&] {
    while (i < s.size() && IsLibpqSpace(s[i])) ++i;
  };
  while (true) {
    skip_space();
    if (i >= s.size()) break;
    size_t key_start = i;
    while (i < s.size() && IsLibpqKeywordChar(s[i], i == key_start)) ++i;
    if (i == key_start) return std::nullopt;
    std::string key(s.substr(key_start, i - key_start));
    skip_space();
    if (i >= s.size() || s[i] != '=') return std::nullopt;
    ++i;
    skip_space();
    std::string value;
    if (i < s.size() && s[i] == '\'') {
      for (++i; i < s.size() && s[i] != '\''; ++i) {
        if (s[i] == '\\' && i + 1 < s.size()) ++i;
        value.push_back(s[i]);
      }
      if (i >= s.size()) return std::nullopt;  // unterminated quote
      ++i;
    } else {
      for (; i < s.size() && !IsLibpqSpace(s[i]); ++i) {
        if (s[i] == '\\' && i + 1 < s.size()) ++i;
        value.push_back(s[i]);
      }
    }
    pairs.emplace_back(std::move(key), std::move(value));
  }
  if (pairs.empty()) return std::nullopt;
  return pairs;
}

std::optional<int> ParseSessionDurationMinutes(std::string_view s) {
  if (std::optional<int32_t> minutes = ParseGoInt32(s)) {
    if (*minutes < 1) return std::nullopt;
    return *minutes;
  }
  std::optional<int64_t> ns = ParseGoDuration(s);
  if (!ns || *ns <= 0) return std::nullopt;
  constexpr int64_t kNsPerMinute = 60'000'000'000;
  int64_t minutes = *ns / kNsPerMinute + (*ns % kNsPerMinute != 0 ? 1 : 0);  // round up: "45s" is 1 minute
  if (minutes > std::numeric_limits<int32_t>::max()) return std::nullopt;
  return static_cast<int>(minutes);
}

}  // namespace pocketid::config
