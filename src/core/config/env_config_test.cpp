#include "core/config/env_config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

namespace pocketid::config {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr const char* kKey = "0123456789abcdef";  // exactly 16 bytes

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "pid-config-XXXXXX").string();
    path_ = mkdtemp(tmpl.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string Write(const std::string& name, std::string_view content) const {
    std::filesystem::path p = path_ / name;
    std::ofstream(p, std::ios::binary) << content;
    return p.string();
  }
  std::string Path(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// An environment with a valid ENCRYPTION_KEY plus `vars`.
MapEnvSource Env(std::initializer_list<std::pair<const std::string, std::string>> vars = {}) {
  MapEnvSource env{{"ENCRYPTION_KEY", kKey}};
  for (const auto& [k, v] : vars) env.Set(k, v);
  return env;
}

LoadResult LoadOk(const EnvSource& env) {
  StatusOr<LoadResult> r = LoadEnvConfig(env);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? *r : LoadResult{};
}

EnvConfig ConfigOk(const EnvSource& env) { return LoadOk(env).config; }

std::string ErrorOf(const EnvSource& env) {
  StatusOr<LoadResult> r = LoadEnvConfig(env);
  EXPECT_FALSE(r.ok());
  return r.ok() ? "<ok>" : r.status().message();
}

// ---- Defaults ----

TEST(EnvConfigTest, DefaultsWithOnlyEncryptionKey) {
  LoadResult r = LoadOk(Env());
  const EnvConfig& c = r.config;
  EXPECT_THAT(r.warnings, IsEmpty());
  EXPECT_EQ(c.app_env, "production");
  EXPECT_TRUE(c.IsProduction());
  EXPECT_FALSE(c.IsTestEnv());
  EXPECT_EQ(c.app_url, "http://localhost:1411");
  EXPECT_EQ(c.internal_app_url, "http://localhost:1411");
  EXPECT_FALSE(c.IsSecureAppUrl());
  EXPECT_EQ(c.encryption_key, kKey);
  EXPECT_EQ(c.db_engine, DbEngine::kSqlite);
  EXPECT_EQ(c.db_connection_string, "data/pocket-id.db");
  EXPECT_THAT(c.trust_proxy, IsEmpty());
  EXPECT_EQ(c.trusted_platform, "");
  EXPECT_THAT(c.proxy_protocol, IsEmpty());
  EXPECT_EQ(c.audit_log_retention_days, 90);
  EXPECT_FALSE(c.analytics_disabled);
  EXPECT_FALSE(c.allow_downgrade);
  EXPECT_TRUE(c.allow_insecure_callback_urls);
  EXPECT_FALSE(c.ui_config_disabled);
  EXPECT_FALSE(c.disable_rate_limiting);
  EXPECT_FALSE(c.version_check_disabled);
  EXPECT_EQ(c.static_api_key, "");
  EXPECT_EQ(c.file_backend, FileBackend::kFilesystem);
  EXPECT_EQ(c.upload_path, "data/uploads");
  EXPECT_EQ(c.s3.bucket, "");
  EXPECT_FALSE(c.s3.force_path_style);
  EXPECT_FALSE(c.s3.disable_default_integrity_checks);
  EXPECT_EQ(c.port, "1411");
  EXPECT_EQ(c.host, "0.0.0.0");
  EXPECT_EQ(c.unix_socket, "");
  EXPECT_EQ(c.unix_socket_mode, "");
  EXPECT_EQ(c.unix_socket_mode_bits, std::nullopt);
  EXPECT_FALSE(c.systemd_socket);
  EXPECT_THAT(c.local_ipv6_ranges, IsEmpty());
  EXPECT_EQ(c.tls_cert, "");
  EXPECT_EQ(c.tls_cert_file, "");
  EXPECT_EQ(c.maxmind_license_key, "");
  EXPECT_EQ(c.geolite_db_path, "data/GeoLite2-City.mmdb");
  EXPECT_EQ(c.geolite_db_url,
            "https://download.maxmind.com/app/geoip_download?edition_id=GeoLite2-City&license_key=%s&suffix=tar.gz");
  EXPECT_EQ(c.actors_port, "1414");
  EXPECT_EQ(c.actors_host, "0.0.0.0");
  EXPECT_EQ(c.log_level, LogLevel::kInfo);
  EXPECT_FALSE(c.log_json);
  EXPECT_FALSE(c.log_query_args);
  EXPECT_EQ(c.session_duration_minutes, std::nullopt);
}

TEST(EnvConfigTest, EmptyValuesKeepDefaults) {
  EnvConfig c = ConfigOk(Env({{"APP_URL", ""},
                              {"PORT", ""},
                              {"AUDIT_LOG_RETENTION_DAYS", ""},
                              {"ALLOW_INSECURE_CALLBACK_URLS", ""},
                              {"LOG_LEVEL", ""},
                              {"TRUST_PROXY", ""}}));
  EXPECT_EQ(c.app_url, "http://localhost:1411");
  EXPECT_EQ(c.port, "1411");
  EXPECT_EQ(c.audit_log_retention_days, 90);
  EXPECT_TRUE(c.allow_insecure_callback_urls);
  EXPECT_EQ(c.log_level, LogLevel::kInfo);
  EXPECT_THAT(c.trust_proxy, IsEmpty());
}

TEST(EnvConfigTest, ValuesAreReadAndLowerCasedWhereGoDoes) {
  EnvConfig c = ConfigOk(Env({{"APP_ENV", "TEST"},
                              {"HOST", "LOCALHOST"},
                              {"ACTORS_HOST", "LOCALHOST"},
                              {"PORT", "8080"},
                              {"ACTORS_PORT", "9999"},
                              {"UPLOAD_PATH", "/custom/uploads"},
                              {"TRUSTED_PLATFORM", "CF-Connecting-IP"},
                              {"AUDIT_LOG_RETENTION_DAYS", "365"},
                              {"ANALYTICS_DISABLED", "1"},
                              {"ALLOW_DOWNGRADE", "T"},
                              {"ALLOW_INSECURE_CALLBACK_URLS", "False"},
                              {"UI_CONFIG_DISABLED", "TRUE"},
                              {"DISABLE_RATE_LIMITING", "t"},
                              {"VERSION_CHECK_DISABLED", "true"},
                              {"S3_BUCKET", "b"},
                              {"S3_REGION", "eu"},
                              {"S3_ENDPOINT", "https://s3.local"},
                              {"S3_ACCESS_KEY_ID", "AK"},
                              {"S3_SECRET_ACCESS_KEY", "SK"},
                              {"S3_FORCE_PATH_STYLE", "true"},
                              {"S3_DISABLE_DEFAULT_INTEGRITY_CHECKS", "1"},
                              {"MAXMIND_LICENSE_KEY", "lic"},
                              {"GEOLITE_DB_PATH", "/g.mmdb"},
                              {"GEOLITE_DB_URL", "https://mirror/%s"},
                              {"LOG_LEVEL", "DEBUG"},
                              {"LOG_JSON", "true"},
                              {"LOG_QUERY_ARGS", "1"},
                              {"STATIC_API_KEY", "abcdefghijklmnop"},
                              {"INTERNAL_APP_URL", "http://Pocket-ID:1411"}}));
  EXPECT_EQ(c.app_env, "test");
  EXPECT_TRUE(c.IsTestEnv());
  EXPECT_EQ(c.host, "localhost");
  EXPECT_EQ(c.actors_host, "localhost");
  EXPECT_EQ(c.port, "8080");
  EXPECT_EQ(c.actors_port, "9999");
  EXPECT_EQ(c.upload_path, "/custom/uploads");
  EXPECT_EQ(c.trusted_platform, "CF-Connecting-IP");
  EXPECT_EQ(c.audit_log_retention_days, 365);
  EXPECT_TRUE(c.analytics_disabled);
  EXPECT_TRUE(c.allow_downgrade);
  EXPECT_FALSE(c.allow_insecure_callback_urls);
  EXPECT_TRUE(c.ui_config_disabled);
  EXPECT_TRUE(c.disable_rate_limiting);
  EXPECT_TRUE(c.version_check_disabled);
  EXPECT_EQ(c.s3.bucket, "b");
  EXPECT_EQ(c.s3.region, "eu");
  EXPECT_EQ(c.s3.endpoint, "https://s3.local");
  EXPECT_EQ(c.s3.access_key_id, "AK");
  EXPECT_EQ(c.s3.secret_access_key, "SK");
  EXPECT_TRUE(c.s3.force_path_style);
  EXPECT_TRUE(c.s3.disable_default_integrity_checks);
  EXPECT_EQ(c.maxmind_license_key, "lic");
  EXPECT_EQ(c.geolite_db_path, "/g.mmdb");
  EXPECT_EQ(c.geolite_db_url, "https://mirror/%s");
  EXPECT_EQ(c.log_level, LogLevel::kDebug);
  EXPECT_TRUE(c.log_json);
  EXPECT_TRUE(c.log_query_args);
  EXPECT_EQ(c.static_api_key, "abcdefghijklmnop");
  EXPECT_EQ(c.internal_app_url, "http://Pocket-ID:1411");  // not lower-cased
}

TEST(EnvConfigTest, LogLevels) {
  EXPECT_EQ(ConfigOk(Env({{"LOG_LEVEL", "debug"}})).log_level, LogLevel::kDebug);
  EXPECT_EQ(ConfigOk(Env({{"LOG_LEVEL", "Info"}})).log_level, LogLevel::kInfo);
  EXPECT_EQ(ConfigOk(Env({{"LOG_LEVEL", "WARN"}})).log_level, LogLevel::kWarn);
  EXPECT_EQ(ConfigOk(Env({{"LOG_LEVEL", "warning"}})).log_level, LogLevel::kWarn);  // sloggin accepts it
  EXPECT_EQ(ConfigOk(Env({{"LOG_LEVEL", "error"}})).log_level, LogLevel::kError);
}

// ---- Exact error messages ----

TEST(EnvConfigErrorsTest, TypeErrorsNameTheVariable) {
  EXPECT_EQ(ErrorOf(Env({{"LOG_JSON", "yes"}})), "invalid boolean value \"yes\" for LOG_JSON");
  EXPECT_EQ(ErrorOf(Env({{"SYSTEMD_SOCKET", "on"}})), "invalid boolean value \"on\" for SYSTEMD_SOCKET");
  EXPECT_EQ(ErrorOf(Env({{"S3_FORCE_PATH_STYLE", "TRue"}})), "invalid boolean value \"TRue\" for S3_FORCE_PATH_STYLE");
  EXPECT_EQ(ErrorOf(Env({{"AUDIT_LOG_RETENTION_DAYS", "abc"}})),
            "invalid integer value \"abc\" for AUDIT_LOG_RETENTION_DAYS");
  EXPECT_EQ(ErrorOf(Env({{"AUDIT_LOG_RETENTION_DAYS", "3000000000"}})),
            "invalid integer value \"3000000000\" for AUDIT_LOG_RETENTION_DAYS");
}

TEST(EnvConfigErrorsTest, LogLevel) {
  EXPECT_EQ(ErrorOf(Env({{"LOG_LEVEL", "verbose"}})),
            "invalid LOG_LEVEL value. Must be 'debug', 'info', 'warn' or 'error'");
}

TEST(EnvConfigErrorsTest, EncryptionKey) {
  EXPECT_EQ(ErrorOf(MapEnvSource{}), "ENCRYPTION_KEY must be at least 16 bytes long");
  EXPECT_EQ(ErrorOf(MapEnvSource{{"ENCRYPTION_KEY", ""}}), "ENCRYPTION_KEY must be at least 16 bytes long");
  EXPECT_EQ(ErrorOf(MapEnvSource{{"ENCRYPTION_KEY", "0123456789abcde"}}),
            "ENCRYPTION_KEY must be at least 16 bytes long");
  EXPECT_EQ(
      ConfigOk(MapEnvSource{{"ENCRYPTION_KEY", "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"}})
          .encryption_key.size(),
      16u);  // bytes, not characters
}

TEST(EnvConfigErrorsTest, SocketsAreMutuallyExclusive) {
  EXPECT_EQ(ErrorOf(Env({{"SYSTEMD_SOCKET", "true"}, {"UNIX_SOCKET", "/run/pid.sock"}})),
            "SYSTEMD_SOCKET and UNIX_SOCKET are mutually exclusive");
  EXPECT_EQ(ErrorOf(Env({{"PROXY_PROTOCOL", "true"}, {"UNIX_SOCKET", "/tmp/pocket-id.sock"}})),
            "PROXY_PROTOCOL and UNIX_SOCKET are mutually exclusive");
  // PROXY_PROTOCOL=false is an empty list, so it does not conflict.
  EXPECT_TRUE(LoadEnvConfig(Env({{"PROXY_PROTOCOL", "false"}, {"UNIX_SOCKET", "/tmp/s"}})).ok());
}

TEST(EnvConfigErrorsTest, AuditLogRetentionDays) {
  EXPECT_EQ(ErrorOf(Env({{"AUDIT_LOG_RETENTION_DAYS", "0"}})), "AUDIT_LOG_RETENTION_DAYS must be greater than 0");
  EXPECT_EQ(ErrorOf(Env({{"AUDIT_LOG_RETENTION_DAYS", "-5"}})), "AUDIT_LOG_RETENTION_DAYS must be greater than 0");
}

TEST(EnvConfigErrorsTest, StaticApiKey) {
  EXPECT_EQ(ErrorOf(Env({{"STATIC_API_KEY", "short"}})),
            "when set, STATIC_API_KEY must be at least 16 characters long");
}

TEST(EnvConfigErrorsTest, AppUrl) {
  EXPECT_EQ(ErrorOf(Env({{"APP_URL", "€://not-a-valid-url"}})), "APP_URL is not a valid URL");
  EXPECT_EQ(ErrorOf(Env({{"APP_URL", "id.example.com"}})), "APP_URL is not a valid URL");  // no scheme
  EXPECT_EQ(ErrorOf(Env({{"APP_URL", "localhost:1411"}})), "APP_URL is not a valid URL");  // no host
  EXPECT_EQ(ErrorOf(Env({{"APP_URL", "https://"}})), "APP_URL is not a valid URL");
  EXPECT_EQ(ErrorOf(Env({{"APP_URL", "https://exa mple.com"}})), "APP_URL is not a valid URL");
  EXPECT_EQ(ErrorOf(Env({{"APP_URL", "http://localhost:3000/path"}})), "APP_URL must not contain a path");
  EXPECT_EQ(ErrorOf(Env({{"APP_URL", "https://id.example.com/auth/"}})), "APP_URL must not contain a path");
  EXPECT_EQ(ErrorOf(Env({{"INTERNAL_APP_URL", "€://not-a-valid-url"}})), "INTERNAL_APP_URL is not a valid URL");
  EXPECT_EQ(ErrorOf(Env({{"INTERNAL_APP_URL", "http://localhost:3000/path"}})),
            "INTERNAL_APP_URL must not contain a path");
}

TEST(EnvConfigErrorsTest, FileBackend) {
  EXPECT_EQ(ErrorOf(Env({{"FILE_BACKEND", "invalid"}})),
            "invalid FILE_BACKEND value. Must be 'filesystem', 'database', or 's3'");
}

TEST(EnvConfigErrorsTest, LocalIpv6Ranges) {
  EXPECT_EQ(ErrorOf(Env({{"LOCAL_IPV6_RANGES", "fd00::/8, nonsense"}})),
            "invalid LOCAL_IPV6_RANGES 'nonsense': invalid CIDR address: nonsense");
  EXPECT_EQ(ErrorOf(Env({{"LOCAL_IPV6_RANGES", "fd00::1"}})),
            "invalid LOCAL_IPV6_RANGES 'fd00::1': invalid CIDR address: fd00::1");
  EXPECT_EQ(ErrorOf(Env({{"LOCAL_IPV6_RANGES", "10.0.0.0/8"}})), "range '10.0.0.0/8' is not a valid IPv6 range");
  EXPECT_EQ(ErrorOf(Env({{"LOCAL_IPV6_RANGES", "::ffff:0:0/96"}})), "range '::ffff:0:0/96' is not a valid IPv6 range");
  EnvConfig c = ConfigOk(Env({{"LOCAL_IPV6_RANGES", " fd00::/8 ,, 2001:db8::/32,"}}));
  ASSERT_EQ(c.local_ipv6_ranges.size(), 2u);
  EXPECT_EQ(c.local_ipv6_ranges[0].ToString(), "fd00::/8");
  EXPECT_EQ(c.local_ipv6_ranges[1].ToString(), "2001:db8::/32");
}

TEST(EnvConfigErrorsTest, TlsPairs) {
  TempDir dir;
  std::string cert = dir.Write("cert.pem", "cert");
  std::string key = dir.Write("key.pem", "key");
  EXPECT_EQ(ErrorOf(Env({{"TLS_CERT", "c"}, {"TLS_KEY", "k"}, {"TLS_CERT_FILE", cert}, {"TLS_KEY_FILE", key}})),
            "TLS_CERT and TLS_KEY cannot be combined with TLS_CERT_FILE or TLS_KEY_FILE");
  EXPECT_EQ(ErrorOf(Env({{"TLS_CERT", "c"}, {"TLS_KEY_FILE", key}})),
            "TLS_CERT and TLS_KEY cannot be combined with TLS_CERT_FILE or TLS_KEY_FILE");
  EXPECT_EQ(ErrorOf(Env({{"TLS_CERT", "certificate"}})), "TLS_KEY must be set when TLS_CERT is set");
  EXPECT_EQ(ErrorOf(Env({{"TLS_KEY", "private key"}})), "TLS_CERT must be set when TLS_KEY is set");
  EXPECT_EQ(ErrorOf(Env({{"TLS_CERT_FILE", cert}})), "TLS_KEY_FILE must be set when TLS_CERT_FILE is set");
  EXPECT_EQ(ErrorOf(Env({{"TLS_KEY_FILE", key}})), "TLS_CERT_FILE must be set when TLS_KEY_FILE is set");
  EXPECT_EQ(ErrorOf(Env({{"TLS_CERT_FILE", "/nonexistent/cert.pem"}, {"TLS_KEY_FILE", key}})),
            "TLS_CERT_FILE not found: stat /nonexistent/cert.pem: no such file or directory");
  EXPECT_EQ(ErrorOf(Env({{"TLS_CERT_FILE", cert}, {"TLS_KEY_FILE", "/nonexistent/key.pem"}})),
            "TLS_KEY_FILE not found: stat /nonexistent/key.pem: no such file or directory");
  EnvConfig files = ConfigOk(Env({{"TLS_CERT_FILE", cert}, {"TLS_KEY_FILE", key}}));
  EXPECT_EQ(files.tls_cert_file, cert);
  EXPECT_EQ(files.tls_key_file, key);
  EnvConfig inline_pem = ConfigOk(Env({{"TLS_CERT", "-----BEGIN CERTIFICATE-----\nx\n"}, {"TLS_KEY", "k\n"}}));
  EXPECT_EQ(inline_pem.tls_cert, "-----BEGIN CERTIFICATE-----\nx\n");
}

TEST(EnvConfigErrorsTest, TrustProxy) {
  EXPECT_EQ(ErrorOf(Env({{"TRUST_PROXY", "10.0.0.0/8, not-an-ip"}})), "invalid proxy IP address or CIDR \"not-an-ip\"");
  EXPECT_EQ(ErrorOf(Env({{"PROXY_PROTOCOL", "10.0.0.0/33"}})), "invalid proxy IP address or CIDR \"10.0.0.0/33\"");
  EXPECT_EQ(ErrorOf(Env({{"TRUST_PROXY", "10.0.0.1,"}})), "invalid proxy IP address or CIDR \"\"");
}

TEST(EnvConfigErrorsTest, UnixSocketMode) {
  EnvConfig c = ConfigOk(Env({{"UNIX_SOCKET", "/run/pid.sock"}, {"UNIX_SOCKET_MODE", "0660"}}));
  EXPECT_EQ(c.unix_socket_mode, "0660");
  EXPECT_EQ(c.unix_socket_mode_bits, 0660);
  EXPECT_EQ(ErrorOf(Env({{"UNIX_SOCKET", "/run/pid.sock"}, {"UNIX_SOCKET_MODE", "rw"}})),
            "failed to parse UNIX socket mode 'rw': strconv.ParseUint: parsing \"rw\": invalid syntax");
  EXPECT_EQ(ErrorOf(Env({{"UNIX_SOCKET", "/run/pid.sock"}, {"UNIX_SOCKET_MODE", "0999"}})),
            "failed to parse UNIX socket mode '0999': strconv.ParseUint: parsing \"0999\": invalid syntax");
  // Without UNIX_SOCKET the mode is never used, as in Pocket ID.
  EXPECT_EQ(ConfigOk(Env({{"UNIX_SOCKET_MODE", "rw"}})).unix_socket_mode_bits, std::nullopt);
}

// ---- Validation order (protocol.md §6.2) ----

TEST(EnvConfigOrderTest, EarlierCheckWins) {
  // Type errors come before every validation.
  EXPECT_EQ(ErrorOf(MapEnvSource{{"LOG_JSON", "nope"}, {"LOG_LEVEL", "bad"}}),
            "invalid boolean value \"nope\" for LOG_JSON");
  // Type errors are reported in the order of Pocket ID's struct fields.
  EXPECT_EQ(ErrorOf(Env({{"LOG_JSON", "x"}, {"AUDIT_LOG_RETENTION_DAYS", "y"}})),
            "invalid integer value \"y\" for AUDIT_LOG_RETENTION_DAYS");
  EXPECT_EQ(ErrorOf(Env({{"LOG_JSON", "x"}, {"TRUST_PROXY", "bad"}})), "invalid proxy IP address or CIDR \"bad\"");
  // `_FILE` read errors come after type errors and before validation.
  EXPECT_EQ(ErrorOf(MapEnvSource{{"ENCRYPTION_KEY_FILE", "/nonexistent/k"}, {"LOG_LEVEL", "bad"}}),
            "failed to read file for env var ENCRYPTION_KEY_FILE: open /nonexistent/k: no such file or directory");
  // Then §6.2: LOG_LEVEL → ENCRYPTION_KEY → SYSTEMD/UNIX → PROXY/UNIX → AUDIT → STATIC_API_KEY → DB → URLs
  // → FILE_BACKEND → LOCAL_IPV6_RANGES → TLS.
  EXPECT_EQ(ErrorOf(MapEnvSource{{"LOG_LEVEL", "bad"}}),
            "invalid LOG_LEVEL value. Must be 'debug', 'info', 'warn' or 'error'");
  EXPECT_EQ(ErrorOf(MapEnvSource{{"SYSTEMD_SOCKET", "true"}, {"UNIX_SOCKET", "/s"}}),
            "ENCRYPTION_KEY must be at least 16 bytes long");
  EXPECT_EQ(ErrorOf(Env({{"SYSTEMD_SOCKET", "true"}, {"UNIX_SOCKET", "/s"}, {"PROXY_PROTOCOL", "true"}})),
            "SYSTEMD_SOCKET and UNIX_SOCKET are mutually exclusive");
  EXPECT_EQ(ErrorOf(Env({{"UNIX_SOCKET", "/s"}, {"PROXY_PROTOCOL", "true"}, {"AUDIT_LOG_RETENTION_DAYS", "0"}})),
            "PROXY_PROTOCOL and UNIX_SOCKET are mutually exclusive");
  EXPECT_EQ(ErrorOf(Env({{"AUDIT_LOG_RETENTION_DAYS", "0"}, {"STATIC_API_KEY", "short"}})),
            "AUDIT_LOG_RETENTION_DAYS must be greater than 0");
  EXPECT_EQ(ErrorOf(Env({{"STATIC_API_KEY", "short"}, {"DB_PROVIDER", "mysql"}})),
            "when set, STATIC_API_KEY must be at least 16 characters long");
  EXPECT_EQ(ErrorOf(Env({{"DB_PROVIDER", "mysql"}, {"APP_URL", "https://x/path"}})),
            "invalid DB_PROVIDER value \"mysql\". Must be 'sqlite' or 'postgres'");
  EXPECT_EQ(ErrorOf(Env({{"APP_URL", "https://x/path"}, {"FILE_BACKEND", "ftp"}})), "APP_URL must not contain a path");
  EXPECT_EQ(ErrorOf(Env({{"FILE_BACKEND", "ftp"}, {"LOCAL_IPV6_RANGES", "10.0.0.0/8"}})),
            "invalid FILE_BACKEND value. Must be 'filesystem', 'database', or 's3'");
  EXPECT_EQ(ErrorOf(Env({{"LOCAL_IPV6_RANGES", "10.0.0.0/8"}, {"TLS_CERT", "c"}})),
            "range '10.0.0.0/8' is not a valid IPv6 range");
  EXPECT_EQ(ErrorOf(Env({{"TLS_CERT", "c"}, {"UNIX_SOCKET", "/s"}, {"UNIX_SOCKET_MODE", "x"}})),
            "TLS_KEY must be set when TLS_CERT is set");
  EXPECT_EQ(ErrorOf(Env({{"UNIX_SOCKET", "/s"}, {"UNIX_SOCKET_MODE", "x"}, {"SESSION_DURATION", "x"}})),
            "failed to parse UNIX socket mode 'x': strconv.ParseUint: parsing \"x\": invalid syntax");
}

TEST(EnvConfigOrderTest, PhasesHaveDistinctCodes) {
  // Parse-phase errors are fatal for every command; validation errors may be skipped for help/version.
  EXPECT_EQ(LoadEnvConfig(Env({{"LOG_JSON", "x"}})).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(LoadEnvConfig(MapEnvSource{{"ENCRYPTION_KEY_FILE", "/nonexistent/k"}}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(LoadEnvConfig(MapEnvSource{}).status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(LoadEnvConfig(Env({{"SESSION_DURATION", "x"}})).status().code(), StatusCode::kFailedPrecondition);
}

// ---- _FILE variants ----

TEST(EnvConfigFileTest, FileOverridesAndTrims) {
  TempDir dir;
  MapEnvSource env{{"ENCRYPTION_KEY", "ignored-because-file-is-set"},
                   {"ENCRYPTION_KEY_FILE", dir.Write("key", "test-encryption-key-123\n")},
                   {"DB_CONNECTION_STRING", "ignored.db"},
                   {"DB_CONNECTION_STRING_FILE", dir.Write("db", "  postgres://user:pass@localhost/testdb\n\n")},
                   {"STATIC_API_KEY_FILE", dir.Write("api", "\tabcdefghijklmnopq \n")},
                   {"S3_SECRET_ACCESS_KEY_FILE", dir.Write("s3", "secret\n")},
                   {"MAXMIND_LICENSE_KEY_FILE", dir.Write("mm", "license\r\n")}};
  EnvConfig c = ConfigOk(env);
  EXPECT_EQ(c.encryption_key, "test-encryption-key-123\n");  // verbatim, newline included
  EXPECT_EQ(c.db_connection_string, "postgres://user:pass@localhost/testdb");
  EXPECT_EQ(c.db_engine, DbEngine::kPostgres);
  EXPECT_EQ(c.static_api_key, "abcdefghijklmnopq");
  EXPECT_EQ(c.s3.secret_access_key, "secret");
  EXPECT_EQ(c.maxmind_license_key, "license");
}

TEST(EnvConfigFileTest, BinaryEncryptionKeyFile) {
  TempDir dir;
  std::string binary("\x00\x01\x02\x03\xff\xfe\n\r\x00\x00 abcdefgh", 20);
  EnvConfig c = ConfigOk(MapEnvSource{{"ENCRYPTION_KEY_FILE", dir.Write("bin", binary)}});
  EXPECT_EQ(c.encryption_key, binary);
}

TEST(EnvConfigFileTest, ShortKeyFileStillFailsTheLengthCheck) {
  TempDir dir;
  EXPECT_EQ(ErrorOf(MapEnvSource{{"ENCRYPTION_KEY", kKey}, {"ENCRYPTION_KEY_FILE", dir.Write("k", "short\n")}}),
            "ENCRYPTION_KEY must be at least 16 bytes long");
}

TEST(EnvConfigFileTest, EmptyFileVariableIsIgnored) {
  EXPECT_EQ(ConfigOk(Env({{"ENCRYPTION_KEY_FILE", ""}})).encryption_key, kKey);
}

TEST(EnvConfigFileTest, UnreadableFileMessages) {
  TempDir dir;
  EXPECT_EQ(ErrorOf(Env({{"STATIC_API_KEY_FILE", dir.Path("missing")}})),
            "failed to read file for env var STATIC_API_KEY_FILE: open " + dir.Path("missing") +
                ": no such file or directory");
  std::filesystem::create_directory(dir.Path("adir"));
  EXPECT_EQ(ErrorOf(Env({{"MAXMIND_LICENSE_KEY_FILE", dir.Path("adir")}})),
            "failed to read file for env var MAXMIND_LICENSE_KEY_FILE: read " + dir.Path("adir") + ": is a directory");
  // Field order decides which of two failing files is reported.
  EXPECT_EQ(
      ErrorOf(
          Env({{"S3_SECRET_ACCESS_KEY_FILE", "/nonexistent/s3"}, {"DB_CONNECTION_STRING_FILE", "/nonexistent/db"}})),
      "failed to read file for env var DB_CONNECTION_STRING_FILE: open /nonexistent/db: no such file or directory");
}

// ---- APP_URL / INTERNAL_APP_URL ----

TEST(EnvConfigUrlTest, AppUrlIsLowerCasedAndTrimmed) {
  EnvConfig c = ConfigOk(Env({{"APP_URL", "HTTPS://ID.Example.com///"}}));
  EXPECT_EQ(c.app_url, "https://id.example.com");
  EXPECT_EQ(c.internal_app_url, "https://id.example.com");
  EXPECT_TRUE(c.IsSecureAppUrl());
  EXPECT_EQ(ConfigOk(Env({{"APP_URL", "HTTP://LOCALHOST:3000"}})).app_url, "http://localhost:3000");
  EXPECT_EQ(ConfigOk(Env({{"APP_URL", "https://[::1]:8443"}})).app_url, "https://[::1]:8443");
}

TEST(EnvConfigUrlTest, InternalAppUrlBareSlashCountsAsNoPath) {
  EnvConfig c = ConfigOk(Env({{"APP_URL", "https://id.example.com"}, {"INTERNAL_APP_URL", "http://Pocket-ID:1411/"}}));
  EXPECT_EQ(c.internal_app_url, "http://Pocket-ID:1411");
  EXPECT_EQ(c.app_url, "https://id.example.com");
}

// ---- DB_CONNECTION_STRING forms and DB_PROVIDER ----

struct DbCase {
  std::optional<std::string> provider;
  std::string connection;
  DbEngine engine;
};

TEST(EnvConfigDbTest, EveryConnectionStringForm) {
  const DbCase cases[] = {
      {std::nullopt, "/data/pocket-id.db", DbEngine::kSqlite},
      {std::nullopt, "data/pocket-id.db", DbEngine::kSqlite},
      {std::nullopt, "file:test.db", DbEngine::kSqlite},
      {std::nullopt, "file:/app/data/pocket-id.db?_pragma=journal_mode(WAL)&_txlock=immediate", DbEngine::kSqlite},
      {std::nullopt, "postgres://user:pass@localhost/db", DbEngine::kPostgres},
      {std::nullopt, "postgresql://pocketid@db:5432/pocketid?sslmode=disable", DbEngine::kPostgres},
      {"sqlite", "/data/pocket-id.db", DbEngine::kSqlite},
      {"sqlite", "file:x.db?mode=rwc", DbEngine::kSqlite},
      {"postgres", "postgres://u@h/db", DbEngine::kPostgres},
      {"postgresql", "postgresql://u@h/db", DbEngine::kPostgres},
      {"POSTGRES", "postgres://u@h/db", DbEngine::kPostgres},
      {"postgres", "host=/run/postgresql user=pocketid database=pocketid", DbEngine::kPostgres},
      {"postgres", "host=db port=5432 dbname=pocketid user=pocketid password='p w\\'d' sslmode=disable",
       DbEngine::kPostgres},
  };
  for (const DbCase& tc : cases) {
    MapEnvSource env = Env({{"DB_CONNECTION_STRING", tc.connection}});
    if (tc.provider) env.Set("DB_PROVIDER", *tc.provider);
    LoadResult r = LoadOk(env);
    EXPECT_EQ(r.config.db_engine, tc.engine) << tc.connection;
    EXPECT_EQ(r.config.db_connection_string, tc.connection);  // kept verbatim
    EXPECT_THAT(r.warnings, IsEmpty()) << tc.connection;
  }
}

TEST(EnvConfigDbTest, KeyValueWithoutProviderIsSqliteLikePocketIdButWarns) {
  LoadResult r = LoadOk(Env({{"DB_CONNECTION_STRING", "host=/run/postgresql user=pocketid database=pocketid"}}));
  EXPECT_EQ(r.config.db_engine, DbEngine::kSqlite);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_THAT(r.warnings[0], ::testing::HasSubstr("set DB_PROVIDER=postgres"));
}

TEST(EnvConfigDbTest, ProviderErrors) {
  EXPECT_EQ(ErrorOf(Env({{"DB_PROVIDER", "sqlite"}, {"DB_CONNECTION_STRING", "postgres://u@h/db"}})),
            "DB_PROVIDER is \"sqlite\" but DB_CONNECTION_STRING is a PostgreSQL URL");
  EXPECT_EQ(ErrorOf(Env({{"DB_PROVIDER", "postgres"}, {"DB_CONNECTION_STRING", "/data/pocket-id.db"}})),
            "DB_PROVIDER is \"postgres\" but DB_CONNECTION_STRING is neither a postgres:// URL nor a key=value "
            "connection string");
  EXPECT_EQ(ErrorOf(Env({{"DB_PROVIDER", "postgres"}})),
            "DB_PROVIDER is \"postgres\" but DB_CONNECTION_STRING is not set");
  EXPECT_EQ(ErrorOf(Env({{"DB_PROVIDER", "mysql"}})),
            "invalid DB_PROVIDER value \"mysql\". Must be 'sqlite' or 'postgres'");
}

TEST(EnvConfigDbTest, SqliteProviderWithoutStringUsesDefault) {
  EnvConfig c = ConfigOk(Env({{"DB_PROVIDER", "sqlite"}}));
  EXPECT_EQ(c.db_engine, DbEngine::kSqlite);
  EXPECT_EQ(c.db_connection_string, "data/pocket-id.db");
}

TEST(EnvConfigDbTest, LibpqKeyValueParser) {
  auto pairs = ParseLibpqKeyValues("host=/run/postgresql user = pocketid  database=pocketid password='a b\\'c'");
  ASSERT_TRUE(pairs.has_value());
  using P = std::pair<std::string, std::string>;
  EXPECT_THAT(*pairs, ElementsAre(P{"host", "/run/postgresql"}, P{"user", "pocketid"}, P{"database", "pocketid"},
                                  P{"password", "a b'c"}));
  EXPECT_FALSE(ParseLibpqKeyValues("").has_value());
  EXPECT_FALSE(ParseLibpqKeyValues("/data/pocket-id.db").has_value());
  EXPECT_FALSE(ParseLibpqKeyValues("file:x.db?_pragma=foreign_keys(1)").has_value());
  EXPECT_FALSE(ParseLibpqKeyValues("host=x user").has_value());
  EXPECT_FALSE(ParseLibpqKeyValues("password='unterminated").has_value());
}

// ---- TRUST_PROXY / PROXY_PROTOCOL ----

TEST(EnvConfigProxyTest, BooleanForms) {
  for (const char* yes : {"true", "1", "TRUE", "t"}) {
    EnvConfig c = ConfigOk(Env({{"TRUST_PROXY", yes}}));
    ASSERT_EQ(c.trust_proxy.size(), 2u) << yes;
    EXPECT_EQ(c.trust_proxy[0].ToString(), "0.0.0.0/0");
    EXPECT_EQ(c.trust_proxy[1].ToString(), "::/0");
    EXPECT_TRUE(c.trust_proxy[0].Contains(boost::asio::ip::make_address("203.0.113.9")));
    EXPECT_TRUE(c.trust_proxy[1].Contains(boost::asio::ip::make_address("2001:db8::9")));
  }
  for (const char* no : {"false", "0", "F"}) EXPECT_THAT(ConfigOk(Env({{"TRUST_PROXY", no}})).trust_proxy, IsEmpty());
}

TEST(EnvConfigProxyTest, ListForm) {
  EnvConfig c = ConfigOk(
      Env({{"TRUST_PROXY", " 10.0.0.0/8, 192.168.1.10 ,::1/128,fd00::1 "}, {"PROXY_PROTOCOL", "172.16.0.0/12"}}));
  std::vector<std::string> got;
  for (const IpNetwork& n : c.trust_proxy) got.push_back(n.ToString());
  EXPECT_THAT(got, ElementsAre("10.0.0.0/8", "192.168.1.10/32", "::1/128", "fd00::1/128"));
  ASSERT_EQ(c.proxy_protocol.size(), 1u);
  EXPECT_TRUE(c.proxy_protocol[0].Contains(boost::asio::ip::make_address("172.20.1.1")));
  EXPECT_FALSE(c.proxy_protocol[0].Contains(boost::asio::ip::make_address("172.32.0.1")));
}

// ---- Older names ----

TEST(EnvConfigLegacyTest, PublicAppUrl) {
  LoadResult r = LoadOk(Env({{"PUBLIC_APP_URL", "https://OLD.example.com/"}}));
  EXPECT_EQ(r.config.app_url, "https://old.example.com");
  EXPECT_THAT(r.warnings, ElementsAre("PUBLIC_APP_URL is deprecated, use APP_URL instead"));

  LoadResult both =
      LoadOk(Env({{"PUBLIC_APP_URL", "https://old.example.com"}, {"APP_URL", "https://new.example.com"}}));
  EXPECT_EQ(both.config.app_url, "https://new.example.com");
  EXPECT_THAT(both.warnings, ElementsAre("PUBLIC_APP_URL is deprecated and ignored because APP_URL is set"));

  EXPECT_EQ(ErrorOf(Env({{"PUBLIC_APP_URL", "https://old.example.com/pocket-id"}})), "APP_URL must not contain a path");
}

TEST(EnvConfigLegacyTest, PostgresConnectionString) {
  LoadResult r = LoadOk(Env({{"POSTGRES_CONNECTION_STRING", "postgresql://u:p@db/pocketid"}}));
  EXPECT_EQ(r.config.db_engine, DbEngine::kPostgres);
  EXPECT_EQ(r.config.db_connection_string, "postgresql://u:p@db/pocketid");
  EXPECT_THAT(r.warnings, ElementsAre("POSTGRES_CONNECTION_STRING is deprecated, use DB_CONNECTION_STRING instead"));

  // The old guide pairing: DB_PROVIDER=postgres + POSTGRES_CONNECTION_STRING.
  LoadResult old = LoadOk(Env({{"DB_PROVIDER", "postgres"}, {"POSTGRES_CONNECTION_STRING", "host=db user=pocketid"}}));
  EXPECT_EQ(old.config.db_engine, DbEngine::kPostgres);
  EXPECT_EQ(old.config.db_connection_string, "host=db user=pocketid");

  LoadResult both = LoadOk(Env({{"POSTGRES_CONNECTION_STRING", "postgres://old"}, {"DB_CONNECTION_STRING", "new.db"}}));
  EXPECT_EQ(both.config.db_connection_string, "new.db");
  EXPECT_EQ(both.config.db_engine, DbEngine::kSqlite);
  EXPECT_THAT(both.warnings,
              ElementsAre("POSTGRES_CONNECTION_STRING is deprecated and ignored because DB_CONNECTION_STRING is set"));
}

TEST(EnvConfigLegacyTest, KeysStorageAndPathAreIgnoredWithWarnings) {
  LoadResult r = LoadOk(Env({{"KEYS_STORAGE", "file"}, {"KEYS_PATH", "data/keys"}}));
  EXPECT_THAT(
      r.warnings,
      ElementsAre("KEYS_STORAGE is no longer supported and is ignored: signing keys are always stored in the database",
                  "KEYS_PATH is no longer supported and is ignored: signing keys are always stored in the database"));
}

TEST(EnvConfigLegacyTest, SessionDuration) {
  LoadResult plain = LoadOk(Env({{"SESSION_DURATION", "720"}}));
  EXPECT_EQ(plain.config.session_duration_minutes, 720);
  EXPECT_THAT(plain.warnings, IsEmpty());

  LoadResult hours = LoadOk(Env({{"SESSION_DURATION", "720h"}}));
  EXPECT_EQ(hours.config.session_duration_minutes, 43200);
  EXPECT_THAT(hours.warnings,
              ElementsAre("SESSION_DURATION \"720h\" is a duration; Pocket ID expects minutes, using 43200"));

  EXPECT_EQ(ConfigOk(Env({{"SESSION_DURATION", "90m"}})).session_duration_minutes, 90);
  EXPECT_EQ(ConfigOk(Env({{"SESSION_DURATION", "1h30m"}})).session_duration_minutes, 90);
  EXPECT_EQ(ConfigOk(Env({{"SESSION_DURATION", "45s"}})).session_duration_minutes, 1);  // rounded up
  EXPECT_EQ(ConfigOk(Env({{"SESSION_DURATION", "61s"}})).session_duration_minutes, 2);
  for (const char* bad : {"0", "-5", "0s", "-1h", "abc", "10d", "1.5"}) {
    EXPECT_EQ(ErrorOf(Env({{"SESSION_DURATION", bad}})),
              std::string("invalid SESSION_DURATION value \"") + bad +
                  "\": must be a number of minutes (e.g. \"60\") or a duration such as \"720h\", of at least one "
                  "minute")
        << bad;
  }
}

TEST(EnvConfigLegacyTest, TrustProxyOneIsABoolean) {
  EXPECT_EQ(ConfigOk(Env({{"TRUST_PROXY", "1"}})).trust_proxy.size(), 2u);
}

// ---- FILE_BACKEND ----

TEST(EnvConfigFileBackendTest, BackendsAndUploadPath) {
  EnvConfig fs = ConfigOk(Env({{"FILE_BACKEND", "FILESYSTEM"}, {"UPLOAD_PATH", ""}}));
  EXPECT_EQ(fs.file_backend, FileBackend::kFilesystem);
  EXPECT_EQ(fs.upload_path, "data/uploads");
  EnvConfig db = ConfigOk(Env({{"FILE_BACKEND", "Database"}}));
  EXPECT_EQ(db.file_backend, FileBackend::kDatabase);
  EXPECT_EQ(db.upload_path, "");  // Pocket ID defaults it for the filesystem backend only
  EnvConfig s3 = ConfigOk(Env({{"FILE_BACKEND", "s3"}, {"UPLOAD_PATH", "prefix"}}));
  EXPECT_EQ(s3.file_backend, FileBackend::kS3);
  EXPECT_EQ(s3.upload_path, "prefix");
  EXPECT_EQ(ConfigOk(Env({{"FILE_BACKEND", "s3"}})).upload_path, "");
}

// ---- End to end: .env file + process environment ----

TEST(EnvConfigEndToEndTest, DotEnvFeedsTheConfig) {
  TempDir dir;
  std::string dotenv = dir.Write(".env",
                                 "# Pocket ID\n"
                                 "export APP_URL=https://ID.example.com/\n"
                                 "ENCRYPTION_KEY=\"from-dotenv-0123456789\"\n"
                                 "TRUST_PROXY=1\n"
                                 "LOG_LEVEL=debug\n");
  auto process = std::make_unique<MapEnvSource>();
  process->Set("LOG_LEVEL", "error");
  StatusOr<std::unique_ptr<EnvSource>> env = LoadDotEnv(std::move(process), dotenv);
  ASSERT_TRUE(env.ok()) << env.status().message();
  EnvConfig c = ConfigOk(**env);
  EXPECT_EQ(c.app_url, "https://id.example.com");
  EXPECT_EQ(c.encryption_key, "from-dotenv-0123456789");
  EXPECT_EQ(c.trust_proxy.size(), 2u);
  EXPECT_EQ(c.log_level, LogLevel::kError);  // process environment wins
}

}  // namespace
}  // namespace pocketid::config
