// application/x-www-form-urlencoded query strings and bodies, decoded the way Go's url.ParseQuery does ('+' is a
// space; pairs with ';' or a bad escape are skipped), keeping every value of a repeated key in order. Lenient where
// browsers are: the unencoded brackets of `pagination[page]=1` are fine.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/http/types.h"

namespace pocketid::http {

class Form {
 public:
  // Appends the pairs of a query string or urlencoded body. Returns false when it is not well formed (a bad
  // percent escape); what was read before the error is kept.
  bool AddEncoded(std::string_view encoded);
  void Add(std::string key, std::string value) { pairs_.emplace_back(std::move(key), std::move(value)); }
  void Set(std::string_view key, std::string value);
  void Remove(std::string_view key);

  // The first value of `key`, or "" (Go's Values.Get).
  std::string Get(std::string_view key) const;
  bool Has(std::string_view key) const;
  size_t Count(std::string_view key) const;
  const std::vector<std::pair<std::string, std::string>>& pairs() const { return pairs_; }
  bool empty() const { return pairs_.empty(); }

  // Go's url.Values.Encode: keys sorted, values in order, QueryEscape'd.
  std::string Encode() const;

 private:
  std::vector<std::pair<std::string, std::string>> pairs_;
};

// Go's url.QueryEscape: unreserved characters kept, ' ' → '+', everything else %XX.
std::string QueryEscape(std::string_view s);
// Go's url.QueryUnescape: '+' is a space, %XX a byte; nullopt for a bad escape.
std::optional<std::string> QueryUnescape(std::string_view s);

// The request's parameters as Go's r.Form: the query, then (for POST with a urlencoded body) the body.
// nullopt when either part is malformed.
std::optional<Form> RequestForm(const http::Request& req, bool include_query = true);

// Whether the request body is application/x-www-form-urlencoded.
bool HasFormBody(const http::Request& req);

}  // namespace pocketid::http
