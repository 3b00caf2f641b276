#include "core/db/dsn.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <set>
#include <utility>

#include "core/db/libpq_api.h"

namespace pocketid::db {
namespace {

bool StartsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string PercentDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && HexValue(s[i + 1]) >= 0 && HexValue(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

// Encodes everything but RFC 3986 unreserved characters (and '/' in paths).
std::string PercentEncode(std::string_view s, bool keep_slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || (keep_slash && c == '/')) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

struct QueryParam {
  std::string raw;    // "key=value" as written, for passing through
  std::string key;    // decoded
  std::string value;  // decoded
};

std::vector<QueryParam> SplitQuery(std::string_view query) {
  std::vector<QueryParam> params;
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view part = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (part.empty()) continue;
    size_t eq = part.find('=');
    QueryParam p;
    p.raw = std::string(part);
    p.key = PercentDecode(part.substr(0, eq));
    p.value = eq == std::string_view::npos ? std::string() : PercentDecode(part.substr(eq + 1));
    params.push_back(std::move(p));
  }
  return params;
}

bool IsIdentifier(std::string_view s) {
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) return false;
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isalnum(c) || c == '_' || c == '.'; });
}

// Pragma values from a DSN end up in SQL text, so only plain words and numbers are allowed.
bool IsSafePragmaValue(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '_' || c == '-' || c == '+' || c == '.';
  });
}

StatusOr<std::string> PragmaStatement(std::string_view name, std::string_view value) {
  if (!IsIdentifier(name) || !IsSafePragmaValue(value)) {
    return InvalidArgumentError("unsupported SQLite pragma in connection string: " + std::string(name) + "(" +
                                std::string(value) + ")");
  }
  return "PRAGMA " + std::string(name) + " = " + std::string(value);
}

// "_pragma=busy_timeout(5000)" → ("busy_timeout", "5000").
StatusOr<std::pair<std::string, std::string>> SplitPragmaOption(std::string_view v) {
  size_t open = v.find('(');
  if (open == std::string_view::npos) {
    size_t eq = v.find('=');
    if (eq == std::string_view::npos) return InvalidArgumentError("malformed _pragma option: " + std::string(v));
    return std::pair{std::string(v.substr(0, eq)), std::string(v.substr(eq + 1))};
  }
  if (v.back() != ')') return InvalidArgumentError("malformed _pragma option: " + std::string(v));
  return std::pair{std::string(v.substr(0, open)), std::string(v.substr(open + 1, v.size() - open - 2))};
}

std::optional<int> ParsePositiveInt(std::string_view s) {
  int v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || v < 0) return std::nullopt;
  return v;
}

// Go-driver option names (mattn/go-sqlite3 and modernc spellings) that map to a pragma of their own.
std::optional<std::string_view> PragmaForGoOption(std::string_view key) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 17> kMap{{
      {"_foreign_keys", "foreign_keys"},
      {"_fk", "foreign_keys"},
      {"_journal_mode", "journal_mode"},
      {"_journal", "journal_mode"},
      {"_synchronous", "synchronous"},
      {"_sync", "synchronous"},
      {"_cache_size", "cache_size"},
      {"_auto_vacuum", "auto_vacuum"},
      {"_vacuum", "auto_vacuum"},
      {"_secure_delete", "secure_delete"},
      {"_recursive_triggers", "recursive_triggers"},
      {"_rt", "recursive_triggers"},
      {"_case_sensitive_like", "case_sensitive_like"},
      {"_cslike", "case_sensitive_like"},
      {"_locking_mode", "locking_mode"},
      {"_locking", "locking_mode"},
      {"_query_only", "query_only"},
  }};
  for (const auto& [option, pragma] : kMap) {
    if (key == option) return pragma;
  }
  return std::nullopt;
}

// Applies one Go-driver option (a query parameter starting with "_") to `out`.
Status ApplyGoOption(const QueryParam& p, SqliteDsn& out) {
  const std::string key = Lower(p.key);
  if (key == "_pragma") {
    PID_ASSIGN_OR_RETURN(auto nv, SplitPragmaOption(p.value));
    std::string name = Lower(nv.first);
    if (name == "busy_timeout") {
      if (auto ms = ParsePositiveInt(nv.second)) {
        out.busy_timeout_ms = *ms;
        return Status::Ok();
      }
    }
    PID_ASSIGN_OR_RETURN(std::string stmt, PragmaStatement(name, nv.second));
    out.extra_pragmas.push_back(std::move(stmt));
    return Status::Ok();
  }
  if (key == "_busy_timeout" || key == "_timeout") {
    auto ms = ParsePositiveInt(p.value);
    if (!ms) return InvalidArgumentError("invalid " + p.key + " in SQLite connection string: " + p.value);
    out.busy_timeout_ms = *ms;
    return Status::Ok();
  }
  if (key == "_txlock") {
    const std::string mode = Lower(p.value);
    if (mode == "exclusive") {
      out.begin_write = "BEGIN EXCLUSIVE";
    } else if (mode != "immediate" && mode != "deferred") {
      return InvalidArgumentError("invalid _txlock in SQLite connection string: " + p.value);
    }
    return Status::Ok();
  }
  if (auto pragma = PragmaForGoOption(key)) {
    PID_ASSIGN_OR_RETURN(std::string stmt, PragmaStatement(*pragma, p.value));
    out.extra_pragmas.push_back(std::move(stmt));
  }
  // Everything else (_inttotime, _texttotime, _time_format, _loc, _mutex, ...) only shapes Go's type mapping.
  return Status::Ok();
}

// "file:data/x.db" → "data/x.db"; "file:///abs/x.db" and "file://localhost/abs/x.db" → "/abs/x.db".
std::string_view UriPath(std::string_view after_scheme) {
  if (StartsWith(after_scheme, "//")) {
    std::string_view rest = after_scheme.substr(2);
    size_t slash = rest.find('/');
    return slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
  }
  return after_scheme;
}

}  // namespace

bool LooksLikePostgresUri(std::string_view dsn) {
  std::string lower = Lower(dsn.substr(0, 13));
  return StartsWith(lower, "postgres://") || StartsWith(lower, "postgresql://");
}

StatusOr<SqliteDsn> ParseSqliteDsn(std::string_view dsn) {
  if (dsn.empty()) return InvalidArgumentError("empty SQLite connection string");
  SqliteDsn out;
  const bool is_uri = StartsWith(Lower(dsn.substr(0, 5)), "file:");

  std::string_view path_part = dsn;
  std::string_view query;
  if (size_t q = dsn.find('?'); q != std::string_view::npos) {
    path_part = dsn.substr(0, q);
    query = dsn.substr(q + 1);
  }
  if (size_t hash = query.find('#'); hash != std::string_view::npos) query = query.substr(0, hash);

  std::string encoded_path;  // the path as it goes into a URI
  if (is_uri) {
    std::string_view uri_path = UriPath(path_part.substr(5));
    encoded_path = std::string(path_part.substr(5));
    out.file_path = PercentDecode(uri_path);
  } else {
    out.file_path = std::string(path_part);
    encoded_path = PercentEncode(path_part, /*keep_slash=*/true);
  }
  if (out.file_path.empty()) return InvalidArgumentError("SQLite connection string has no file path: " + std::string(dsn));

  std::vector<std::string> kept;  // real SQLite URI parameters
  for (const QueryParam& p : SplitQuery(query)) {
    if (StartsWith(p.key, "_")) {
      PID_RETURN_IF_ERROR(ApplyGoOption(p, out));
      continue;
    }
    const std::string key = Lower(p.key);
    const std::string value = Lower(p.value);
    if (key == "mode" && value == "memory") out.in_memory = true;
    if (key == "mode" && value == "ro") out.read_only = true;
    if (key == "immutable" && value == "1") out.read_only = true;
    kept.push_back(p.raw);
  }
  if (out.file_path == ":memory:") out.in_memory = true;
  if (out.in_memory) out.file_path.clear();

  if (!is_uri && kept.empty()) {
    // A plain file name: no URI interpretation at all, so names with '%' or '#' stay literal.
    out.open_name = std::string(path_part);
    out.uri = false;
    return out;
  }
  out.open_name = "file:" + encoded_path;
  for (size_t i = 0; i < kept.size(); ++i) out.open_name += (i == 0 ? "?" : "&") + kept[i];
  out.uri = true;
  return out;
}

namespace {

StatusOr<const std::set<std::string>*> LibpqKeywords() {
  PID_ASSIGN_OR_RETURN(const internal::LibpqApi* libpq, internal::LoadLibpq());
  // PQconndefaults lists every keyword this libpq understands; computed once (thread-safe static init).
  static const std::set<std::string> keywords = [libpq] {
    std::set<std::string> k;
    if (PQconninfoOption* opts = libpq->PQconndefaults()) {
      for (PQconninfoOption* o = opts; o->keyword != nullptr; ++o) k.insert(o->keyword);
      libpq->PQconninfoFree(opts);
    }
    return k;
  }();
  return &keywords;
}

bool IsPgxOnlyParam(std::string_view key) {
  return StartsWith(key, "pool_") || key == "statement_cache_capacity" || key == "description_cache_capacity" ||
         key == "default_query_exec_mode" || key == "prefer_simple_protocol";
}

// Escapes a value for libpq's `options` (-c name=value): backslash before spaces and backslashes.
std::string EscapeOptionValue(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == ' ' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

// pgx (Pocket ID's driver) accepts `database=` in key=value strings; libpq only knows `dbname=`. Guides write
// `host=/run/postgresql user=pocketid database=pocketid`, so rename that key, leaving quoted values alone.
std::string RenameDatabaseKey(std::string_view conninfo) {
  std::string out;
  bool in_quotes = false;
  bool at_token_start = true;
  for (size_t i = 0; i < conninfo.size(); ++i) {
    char c = conninfo[i];
    if (in_quotes) {
      out.push_back(c);
      if (c == '\\' && i + 1 < conninfo.size()) out.push_back(conninfo[++i]);
      else if (c == '\'') in_quotes = false;
      continue;
    }
    if (at_token_start && conninfo.substr(i, 8) == "database") {
      size_t j = i + 8;
      while (j < conninfo.size() && conninfo[j] == ' ') ++j;
      if (j < conninfo.size() && conninfo[j] == '=') {
        out += "dbname";
        i += 7;
        at_token_start = false;
        continue;
      }
    }
    out.push_back(c);
    if (c == '\'') in_quotes = true;
    // A new key starts after whitespace that follows a complete value.
    at_token_start = (c == ' ' || c == '\t' || c == '\n');
  }
  return out;
}

}  // namespace

StatusOr<std::string> NormalizePostgresDsn(std::string_view dsn, std::optional<int>* pool_size) {
  if (dsn.empty()) return InvalidArgumentError("empty PostgreSQL connection string");
  if (!LooksLikePostgresUri(dsn)) return RenameDatabaseKey(dsn);  // key=value: libpq parses the rest as is
  size_t q = dsn.find('?');
  if (q == std::string_view::npos) return std::string(dsn);
  // Only URI parameters need libpq's keyword list: this is where a PostgreSQL URI may first load libpq.
  PID_ASSIGN_OR_RETURN(const std::set<std::string>* libpq_keywords, LibpqKeywords());

  std::string out(dsn.substr(0, q));
  std::vector<std::string> kept;
  std::string options;
  for (const QueryParam& p : SplitQuery(dsn.substr(q + 1))) {
    if (IsPgxOnlyParam(p.key)) {
      if (p.key == "pool_max_conns" && pool_size != nullptr) {
        if (auto n = ParsePositiveInt(p.value); n && *n > 0) *pool_size = *n;
      }
      continue;
    }
    if (p.key == "options") {
      options += (options.empty() ? "" : " ") + p.value;
    } else if (libpq_keywords->count(p.key) != 0) {
      kept.push_back(p.raw);
    } else {
      if (!IsIdentifier(p.key)) return InvalidArgumentError("invalid PostgreSQL connection parameter: " + p.key);
      if (!options.empty()) options += ' ';
      options += "-c " + p.key + "=" + EscapeOptionValue(p.value);
    }
  }
  if (!options.empty()) kept.push_back("options=" + PercentEncode(options, /*keep_slash=*/false));
  for (size_t i = 0; i < kept.size(); ++i) out += (i == 0 ? "?" : "&") + kept[i];
  return out;
}

}  // namespace pocketid::db
