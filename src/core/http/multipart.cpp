#include "core/http/multipart.h"

#include <cctype>

namespace pocketid::http {

namespace {

constexpr std::string_view kCrlf = "\r\n";

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view TrimSpace(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// RFC 2045 token characters.
bool IsTokenChar(char c) {
  if (c <= 0x20 || c >= 0x7f) return false;
  return std::string_view("()<>@,;:\\\"/[]?=").find(c) == std::string_view::npos;
}

std::string_view ReadToken(std::string_view& s) {
  size_t n = 0;
  while (n < s.size() && IsTokenChar(s[n])) ++n;
  std::string_view token = s.substr(0, n);
  s.remove_prefix(n);
  return token;
}

// A quoted-string after its opening quote; backslash escapes the next character.
std::optional<std::string> ReadQuoted(std::string_view& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '"') {
      s.remove_prefix(i + 1);
      return out;
    }
    if (c == '\\') {
      if (++i == s.size()) return std::nullopt;
      c = s[i];
    }
    if (c == '\r' || c == '\n') return std::nullopt;
    out.push_back(c);
  }
  return std::nullopt;
}

// Go's filepath.Base for the client's file name: browsers on Windows once sent full paths.
std::string BaseName(std::string_view name) {
  while (name.size() > 1 && name.back() == '/') name.remove_suffix(1);
  auto slash = name.find_last_of('/');
  if (slash != std::string_view::npos && name.size() > 1) name.remove_prefix(slash + 1);
  return std::string(name);
}

struct PartHeaders {
  std::string disposition;
  std::string content_type;
};

// Parses "Name: value\r\n" lines (the final blank line already cut off).
std::optional<PartHeaders> ParsePartHeaders(std::string_view block) {
  PartHeaders h;
  while (!block.empty()) {
    auto eol = block.find(kCrlf);
    std::string_view line = block.substr(0, eol);
    block = eol == std::string_view::npos ? std::string_view() : block.substr(eol + 2);
    auto colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return std::nullopt;
    std::string_view name = line.substr(0, colon);
    for (char c : name) {
      if (!IsTokenChar(c)) return std::nullopt;
    }
    std::string value(TrimSpace(line.substr(colon + 1)));
    std::string lname = Lower(name);
    if (lname == "content-disposition") h.disposition = std::move(value);
    else if (lname == "content-type") h.content_type = std::move(value);
  }
  return h;
}

}  // namespace

std::optional<std::string> HeaderValue::Param(std::string_view key) const {
  for (const auto& [k, v] : params) {
    if (k == key) return v;
  }
  return std::nullopt;
}

std::optional<HeaderValue> ParseHeaderValue(std::string_view value) {
  HeaderValue out;
  std::string_view s = TrimSpace(value);
  // The main value: a token, or type/subtype for media types.
  std::string_view main = ReadToken(s);
  if (main.empty()) return std::nullopt;
  std::string token(main);
  if (!s.empty() && s.front() == '/') {
    s.remove_prefix(1);
    std::string_view sub = ReadToken(s);
    if (sub.empty()) return std::nullopt;
    token += "/" + std::string(sub);
  }
  out.token = Lower(token);
  while (true) {
    s = TrimSpace(s);
    if (s.empty()) break;
    if (s.front() != ';') return std::nullopt;
    s.remove_prefix(1);
    s = TrimSpace(s);
    if (s.empty()) break;  // a trailing ';' is tolerated
    std::string key = Lower(ReadToken(s));
    if (key.empty() || s.empty() || s.front() != '=') return std::nullopt;
    s.remove_prefix(1);
    std::string val;
    if (!s.empty() && s.front() == '"') {
      s.remove_prefix(1);
      auto q = ReadQuoted(s);
      if (!q) return std::nullopt;
      val = std::move(*q);
    } else {
      std::string_view t = ReadToken(s);
      if (t.empty()) return std::nullopt;
      val = std::string(t);
    }
    for (const auto& [k, v] : out.params) {
      if (k == key) return std::nullopt;  // duplicate parameter
    }
    out.params.emplace_back(std::move(key), std::move(val));
  }
  return out;
}

StatusOr<std::vector<MultipartPart>> ParseMultipartFormData(std::string_view content_type, std::string_view body) {
  auto type = ParseHeaderValue(content_type);
  if (!type || type->token != "multipart/form-data") return InvalidArgumentError("request is not multipart/form-data");
  auto boundary = type->Param("boundary");
  if (!boundary || boundary->empty() || boundary->size() > 70) return InvalidArgumentError("missing or bad boundary");

  const std::string delimiter = "--" + *boundary;
  const std::string inner_delimiter = "\r\n" + delimiter;

  // The first delimiter starts the body or follows a preamble line.
  size_t pos;
  if (body.starts_with(delimiter)) {
    pos = delimiter.size();
  } else {
    auto at = body.find(inner_delimiter);
    if (at == std::string_view::npos) return InvalidArgumentError("multipart body has no boundary");
    pos = at + inner_delimiter.size();
  }

  std::vector<MultipartPart> parts;
  while (true) {
    std::string_view rest = body.substr(pos);
    if (rest.starts_with("--")) return parts;  // close delimiter; the epilogue is ignored
    // Transport padding (spaces/tabs) may follow a delimiter before its CRLF.
    size_t pad = 0;
    while (pad < rest.size() && (rest[pad] == ' ' || rest[pad] == '\t')) ++pad;
    if (rest.substr(pad, 2) != kCrlf) return InvalidArgumentError("malformed multipart delimiter line");
    pos += pad + 2;

    if (parts.size() == kMaxMultipartParts) return InvalidArgumentError("too many multipart parts");
    std::string_view part = body.substr(pos);
    size_t header_end;
    std::string_view header_block;
    if (part.starts_with(kCrlf)) {  // a part without headers
      header_end = 2;
    } else {
      auto blank = part.find("\r\n\r\n");
      if (blank == std::string_view::npos) return InvalidArgumentError("unterminated multipart headers");
      header_block = part.substr(0, blank);
      header_end = blank + 4;
    }
    auto headers = ParsePartHeaders(header_block);
    if (!headers) return InvalidArgumentError("malformed multipart part header");

    auto end = body.find(inner_delimiter, pos + header_end);
    if (end == std::string_view::npos) return InvalidArgumentError("multipart body is truncated");

    MultipartPart p;
    if (!headers->disposition.empty()) {
      auto disposition = ParseHeaderValue(headers->disposition);
      if (!disposition) return InvalidArgumentError("malformed Content-Disposition");
      if (disposition->token == "form-data") {
        p.name = disposition->Param("name").value_or("");
        if (auto filename = disposition->Param("filename")) p.filename = BaseName(*filename);
      }
    }
    p.content_type = headers->content_type;
    p.body = std::string(body.substr(pos + header_end, end - (pos + header_end)));
    parts.push_back(std::move(p));
    pos = end + inner_delimiter.size();
  }
}

const MultipartPart* FindFilePart(const std::vector<MultipartPart>& parts, std::string_view name) {
  for (const auto& p : parts) {
    if (p.name == name && p.filename && !p.filename->empty()) return &p;
  }
  return nullptr;
}

}  // namespace pocketid::http
