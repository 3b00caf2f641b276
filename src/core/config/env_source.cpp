#include "core/config/env_source.h"

#include <system_error>

#include "core/config/file_util.h"

extern char** environ;  // POSIX; read once by SnapshotProcessEnv

namespace pocketid::config {

EnvSource::~EnvSource() = default;

void MapEnvSource::Unset(std::string_view name) {
  auto it = vars_.find(name);
  if (it != vars_.end()) vars_.erase(it);
}

std::optional<std::string> MapEnvSource::Get(std::string_view name) const {
  auto it = vars_.find(name);
  if (it == vars_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> OverlayEnvSource::Get(std::string_view name) const {
  if (std::optional<std::string> v = base_->Get(name)) return v;  // set in the process, even to "", wins
  auto it = fallback_.find(name);
  if (it == fallback_.end()) return std::nullopt;
  return it->second;
}

std::unique_ptr<EnvSource> SnapshotProcessEnv() {
  EnvMap vars;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    std::string_view kv(*entry);
    size_t eq = kv.find('=');
    if (eq == std::string_view::npos || eq == 0) continue;
    vars.emplace(std::string(kv.substr(0, eq)), std::string(kv.substr(eq + 1)));  // first one wins, like getenv
  }
  return std::make_unique<MapEnvSource>(std::move(vars));
}

namespace {

// godotenv's isSpace: blanks that are not line breaks (CRLF is normalised to LF first).
bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r'; }

bool IsKeyChar(char c) {
  auto u = static_cast<unsigned char>(c);
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
         c == '-' || u >= 0x80;  // godotenv accepts Unicode letters
}

bool IsExpandNameChar(char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'; }

std::string NormaliseLineEnds(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n') continue;
    out.push_back(s[i]);
  }
  return out;
}

// One pass over the file; statements may span lines (quoted values), so this is not line-based.
class DotEnvParser {
 public:
  DotEnvParser(std::string_view content, const EnvSource& base) : src_(NormaliseLineEnds(content)), base_(base) {}

  StatusOr<EnvMap> Parse() {
    while (SkipBlankLinesAndComments()) {
      int statement_line = line_;
      PID_ASSIGN_OR_RETURN(std::string key, ParseKey(statement_line));
      PID_ASSIGN_OR_RETURN(std::string value, ParseValue(statement_line));
      vars_[std::move(key)] = std::move(value);  // a later line overrides an earlier one, as in godotenv
    }
    return std::move(vars_);
  }

 private:
  static Status Error(int line, const std::string& reason) {
    return InvalidArgumentError("line " + std::to_string(line) + ": " + reason);
  }

  bool AtEnd() const { return pos_ >= src_.size(); }
  char Peek() const { return src_[pos_]; }

  void SkipBlanks() {
    while (!AtEnd() && IsBlank(Peek())) ++pos_;
  }

  // Returns false at end of input; otherwise stops at the first character of a statement.
  bool SkipBlankLinesAndComments() {
    while (!AtEnd()) {
      char c = Peek();
      if (c == '\n') {
        ++line_;
        ++pos_;
      } else if (IsBlank(c)) {
        ++pos_;
      } else if (c == '#') {
        while (!AtEnd() && Peek() != '\n') ++pos_;
      } else {
        return true;
      }
    }
    return false;
  }

  void SkipExportPrefix() {
    constexpr std::string_view kExport = "export";
    if (src_.compare(pos_, kExport.size(), kExport) == 0 && pos_ + kExport.size() < src_.size() &&
        IsBlank(src_[pos_ + kExport.size()])) {
      pos_ += kExport.size();
      SkipBlanks();
    }
  }

  // KEY up to '=' or ':' (godotenv also accepts YAML-style `KEY: value`); consumes the separator.
  StatusOr<std::string> ParseKey(int line) {
    SkipExportPrefix();
    std::string key;
    bool blank_seen = false;
    for (; !AtEnd(); ++pos_) {
      char c = Peek();
      if (c == '=' || c == ':') break;
      if (c == '\n') break;
      if (IsBlank(c)) {
        blank_seen = !key.empty();
        continue;
      }
      if (!IsKeyChar(c) || blank_seen) {
        return Error(line, "unexpected character \"" + std::string(1, c) + "\" in variable name \"" + key + "\"");
      }
      key.push_back(c);
    }
    if (AtEnd() || Peek() == '\n') {
      return Error(line, "expected KEY=VALUE, found \"" + key + "\" without '='");
    }
    if (key.empty()) return Error(line, "missing variable name before '" + std::string(1, Peek()) + "'");
    ++pos_;  // the separator
    return key;
  }

  StatusOr<std::string> ParseValue(int line) {
    SkipBlanks();
    if (!AtEnd() && (Peek() == '"' || Peek() == '\'')) return ParseQuoted(line, Peek());
    return ParseUnquoted();
  }

  // To the end of the line; a '#' at the start or after a blank begins a comment; then trimmed.
  std::string ParseUnquoted() {
    size_t end = src_.find('\n', pos_);
    if (end == std::string::npos) end = src_.size();
    std::string_view raw(src_.data() + pos_, end - pos_);
    pos_ = end;
    for (size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '#' && (i == 0 || IsBlank(raw[i - 1]))) {
        raw = raw.substr(0, i);
        break;
      }
    }
    while (!raw.empty() && IsBlank(raw.back())) raw.remove_suffix(1);
    return Expand(raw, /*double_quoted=*/false);
  }

  // A quote ends the value unless an odd number of backslashes precedes it; the value may span lines.
  StatusOr<std::string> ParseQuoted(int line, char quote) {
    size_t start = pos_ + 1;
    size_t i = start;
    for (; i < src_.size(); ++i) {
      if (src_[i] != quote) continue;
      size_t backslashes = 0;
      for (size_t j = i; j > start && src_[j - 1] == '\\'; --j) ++backslashes;
      if (backslashes % 2 == 0) break;
    }
    if (i >= src_.size()) return Error(line, std::string("unterminated quoted value (missing closing ") + quote + ")");
    std::string_view raw(src_.data() + start, i - start);
    for (char c : raw) line_ += c == '\n' ? 1 : 0;
    pos_ = i + 1;
    SkipBlanks();
    if (!AtEnd() && Peek() != '\n' && Peek() != '#') {
      return Error(line_, "unexpected characters after the closing quote");
    }
    if (quote == '\'') return std::string(raw);  // single quotes are literal
    return Expand(raw, /*double_quoted=*/true);
  }

  // Escapes (double quotes only: \n, \r, \<c> → <c>), `\$` → literal '$', and $VAR / ${VAR} expansion.
  std::string Expand(std::string_view raw, bool double_quoted) const {
    std::string out;
    for (size_t i = 0; i < raw.size();) {
      char c = raw[i];
      if (c == '\\' && i + 1 < raw.size()) {
        char next = raw[i + 1];
        if (next == '$') {
          out.push_back('$');
          i += 2;
        } else if (double_quoted) {
          out.push_back(next == 'n' ? '\n' : next == 'r' ? '\r' : next);
          i += 2;
        } else {
          out.push_back(c);
          ++i;
        }
      } else if (c == '$') {
        i = ExpandVariable(raw, i, out);
      } else {
        out.push_back(c);
        ++i;
      }
    }
    return out;
  }

  // At raw[dollar] == '$': appends the expansion (or the literal '$') and returns the next index.
  size_t ExpandVariable(std::string_view raw, size_t dollar, std::string& out) const {
    size_t i = dollar + 1;
    bool braced = i < raw.size() && raw[i] == '{';
    if (braced) ++i;
    size_t name_start = i;
    while (i < raw.size() && IsExpandNameChar(raw[i])) ++i;
    if (i == name_start) {
      out.push_back('$');
      return dollar + 1;
    }
    std::string_view name = raw.substr(name_start, i - name_start);
    if (braced && i < raw.size() && raw[i] == '}') ++i;
    out += Lookup(name);
    return i;
  }

  // Earlier lines of this file first, then the base environment (godotenv's order); unset expands to "".
  std::string Lookup(std::string_view name) const {
    auto it = vars_.find(name);
    if (it != vars_.end()) return it->second;
    return base_.Get(name).value_or("");
  }

  std::string src_;
  const EnvSource& base_;
  size_t pos_ = 0;
  int line_ = 1;
  EnvMap vars_;
};

}  // namespace

StatusOr<EnvMap> ParseDotEnv(std::string_view content, const EnvSource& base) {
  return DotEnvParser(content, base).Parse();
}

StatusOr<std::unique_ptr<EnvSource>> LoadDotEnv(std::unique_ptr<EnvSource> base, const std::filesystem::path& dotenv) {
  std::error_code ec;
  if (!std::filesystem::exists(dotenv, ec)) return base;  // no .env file is the normal case
  StatusOr<std::string> content = ReadWholeFile(dotenv.string());
  if (!content.ok()) return InvalidArgumentError("failed to load .env file: " + content.status().message());
  StatusOr<EnvMap> vars = ParseDotEnv(*content, *base);
  if (!vars.ok()) {
    return InvalidArgumentError("failed to parse .env file " + dotenv.string() + ": " + vars.status().message());
  }
  return std::unique_ptr<EnvSource>(std::make_unique<OverlayEnvSource>(std::move(base), std::move(*vars)));
}

StatusOr<std::unique_ptr<EnvSource>> LoadProcessEnv(const std::filesystem::path& dotenv) {
  return LoadDotEnv(SnapshotProcessEnv(), dotenv);
}

}  // namespace pocketid::config
