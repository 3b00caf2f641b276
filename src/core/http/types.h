// Plain HTTP request/response types. Handlers see only these; Boost.Beast stays inside server.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json/value.hpp>

namespace pocketid::http {

enum class Method { kGet, kHead, kPost, kPut, kPatch, kDelete, kOptions, kOther };

std::string_view MethodName(Method m);
Method ParseMethod(std::string_view name);

bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// A small header list: few headers per message, so a vector beats a map. Names compare case-insensitively.
class Headers {
 public:
  void Add(std::string name, std::string value) {
    if (entries_.empty()) entries_.reserve(8);  // one allocation for a typical response's headers
    entries_.emplace_back(std::move(name), std::move(value));
  }
  // Replaces every header of that name.
  void Set(std::string_view name, std::string value);
  void Remove(std::string_view name);
  std::optional<std::string_view> Get(std::string_view name) const;
  bool Has(std::string_view name) const { return Get(name).has_value(); }
  const std::vector<std::pair<std::string, std::string>>& entries() const { return entries_; }

 private:
  std::vector<std::pair<std::string, std::string>> entries_;
};

struct Request {
  Method method = Method::kGet;
  std::string method_name;  // as sent, for logs and kOther
  std::string target;       // raw request target ("/a/b?x=1")
  std::string path;         // percent-decoded path, without the query
  std::string query;        // raw query string without '?'
  Headers headers;
  std::string body;
  std::string peer_address;  // TCP peer IP ("" for Unix sockets)
  bool was_head = false;     // HEAD requests are served as GET; the server drops the body afterwards

  // Filled by middleware.
  std::string client_ip;   // peer_address, or the forwarded address when the peer is a trusted proxy
  std::string request_id;  // UUID v4, echoed as X-Request-ID
  std::string csp_nonce;   // per-request nonce used in the CSP header and the SPA's <script> tags
  std::vector<std::pair<std::string, std::string>> path_params;  // from the router, e.g. {"id","123"}

  std::optional<std::string_view> Header(std::string_view name) const { return headers.Get(name); }
  std::optional<std::string> QueryParam(std::string_view name) const;  // first value, decoded
  std::optional<std::string> Cookie(std::string_view name) const;
  std::string_view PathParam(std::string_view name) const;
  // A path parameter that may carry "~<base64url>" (client ids that are URLs, management.md §0.5); a value that
  // does not decode is returned as it is.
  std::string IdPathParam(std::string_view name) const;
};

struct Response {
  int status = 200;
  Headers headers;
  std::string body;

  static Response Json(int status, const boost::json::value& body);
  // Serialised JSON prepared ahead of time (discovery, JWKS): no per-request serialisation.
  static Response RawJson(int status, std::string body);
  static Response Text(int status, std::string body);
  static Response NoContent() { return Response{204, {}, {}}; }
  static Response Redirect(int status, std::string location);
};

// Pocket ID's application error body: {"error","code","details"?,"request_id"} (management.md §0.2).
Response AppErrorResponse(const Request& req, int status, std::string_view code, std::string_view message,
                          const boost::json::object* details = nullptr);

}  // namespace pocketid::http
