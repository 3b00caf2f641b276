#include "core/http/types.h"

#include <algorithm>
#include <array>

#include <boost/json/serialize.hpp>

#include "core/crypto/encoding.h"
#include "core/http/form.h"

namespace pocketid::http {

namespace {
constexpr std::array<std::pair<std::string_view, Method>, 7> kMethods{{
    {"GET", Method::kGet},
    {"HEAD", Method::kHead},
    {"POST", Method::kPost},
    {"PUT", Method::kPut},
    {"PATCH", Method::kPatch},
    {"DELETE", Method::kDelete},
    {"OPTIONS", Method::kOptions},
}};

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}
}  // namespace

std::string_view MethodName(Method m) {
  for (const auto& [name, method] : kMethods) {
    if (method == m) return name;
  }
  return "OTHER";
}

Method ParseMethod(std::string_view name) {
  for (const auto& [n, method] : kMethods) {
    if (n == name) return method;
  }
  return Method::kOther;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return Lower(x) == Lower(y); });
}

void Headers::Set(std::string_view name, std::string value) {
  Remove(name);
  Add(std::string(name), std::move(value));
}

void Headers::Remove(std::string_view name) {
  std::erase_if(entries_, [&](const auto& e) { return EqualsIgnoreCase(e.first, name); });
}

std::optional<std::string_view> Headers::Get(std::string_view name) const {
  for (const auto& [n, v] : entries_) {
    if (EqualsIgnoreCase(n, name)) return std::string_view(v);
  }
  return std::nullopt;
}

std::optional<std::string> Request::QueryParam(std::string_view name) const {
  // Go's c.Query: url.ParseQuery keeps the well-formed pairs, so one odd pair (or the unencoded brackets browsers send
  // in `pagination[page]=1`) does not hide the others.
  Form form;
  form.AddEncoded(query);
  if (!form.Has(name)) return std::nullopt;
  return form.Get(name);
}

std::optional<std::string> Request::Cookie(std::string_view name) const {
  for (const auto& [n, v] : headers.entries()) {
    if (!EqualsIgnoreCase(n, "cookie")) continue;
    std::string_view rest = v;
    while (!rest.empty()) {
      size_t semi = rest.find(';');
      std::string_view pair = Trim(rest.substr(0, semi));
      rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
      size_t eq = pair.find('=');
      if (eq == std::string_view::npos) continue;
      if (Trim(pair.substr(0, eq)) != name) continue;
      std::string_view value = Trim(pair.substr(eq + 1));
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
      return std::string(value);
    }
  }
  return std::nullopt;
}

std::string_view Request::PathParam(std::string_view name) const {
  for (const auto& [n, v] : path_params) {
    if (n == name) return v;
  }
  return {};
}

std::string Request::IdPathParam(std::string_view name) const {
  std::string_view raw = PathParam(name);
  if (raw.starts_with('~')) {
    auto decoded = crypto::Base64UrlDecode(raw.substr(1));
    if (decoded.ok()) return std::move(*decoded);
  }
  return std::string(raw);
}

Response Response::Json(int status, const boost::json::value& body) {
  return RawJson(status, boost::json::serialize(body));
}

Response Response::RawJson(int status, std::string body) {
  Response r;
  r.status = status;
  r.headers.Add("Content-Type", "application/json; charset=utf-8");
  r.body = std::move(body);
  return r;
}

Response Response::Text(int status, std::string body) {
  Response r;
  r.status = status;
  r.headers.Add("Content-Type", "text/plain; charset=utf-8");
  r.body = std::move(body);
  return r;
}

Response Response::Redirect(int status, std::string location) {
  Response r;
  r.status = status;
  r.headers.Add("Location", std::move(location));
  return r;
}

Response AppErrorResponse(const Request& req, int status, std::string_view code, std::string_view message,
                          const boost::json::object* details) {
  boost::json::object body;
  body["error"] = message;
  body["code"] = code;
  if (details && !details->empty()) body["details"] = *details;
  body["request_id"] = req.request_id;
  return Response::Json(status, body);
}

}  // namespace pocketid::http
