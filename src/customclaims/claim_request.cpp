#include "customclaims/claim_request.h"

#include <cctype>

#include <boost/json.hpp>

#include "core/http/json_body.h"
#include "core/text/nfc.h"

namespace pocketid::customclaims {

namespace {

// A string member: absent or null is "", another type makes the body invalid.
bool ReadString(const boost::json::object& entry, std::string_view name, std::string& out) {
  auto it = entry.find(name);
  if (it == entry.end() || it->value().is_null()) return true;
  if (!it->value().is_string()) return false;
  out = std::string(it->value().as_string());
  return true;
}

}  // namespace

http::ApiResult<std::vector<Claim>> ParseClaimListBody(const http::Request& req) {
  auto body = http::ParseJsonBody(req);
  if (auto* e = std::get_if<http::ApiError>(&body)) return std::move(*e);
  const boost::json::value& value = std::get<boost::json::value>(body);
  std::vector<Claim> claims;
  if (value.is_null()) return claims;  // Go decodes null into an empty slice
  if (!value.is_array()) return http::ApiError::InvalidRequestBody();
  const boost::json::object none;
  for (const auto& item : value.as_array()) {
    // Go decodes a null entry into an empty struct, which then fails the required checks.
    if (!item.is_object() && !item.is_null()) return http::ApiError::InvalidRequestBody();
    const boost::json::object& entry = item.is_null() ? none : item.as_object();
    Claim c;
    if (!ReadString(entry, "key", c.key) || !ReadString(entry, "value", c.value)) {
      return http::ApiError::InvalidRequestBody();
    }
    claims.push_back(std::move(c));
  }
  // Go's validator stops at the first element that fails and reports every failed field of it.
  for (const auto& c : claims) {
    std::vector<http::FieldError> problems;
    if (c.key.empty()) problems.push_back({"key", "required", "is required"});
    if (c.value.empty()) problems.push_back({"value", "required", "is required"});
    if (!problems.empty()) return http::ApiError::ValidationFailed(problems);
  }
  for (auto& c : claims) {
    c.key = text::NormalizeNfc(c.key);
    c.value = text::NormalizeNfc(c.value);
  }
  return claims;
}

http::ApiError InvalidClaimError(const InvalidClaim& invalid) {
  bool duplicate = invalid.reason == InvalidClaim::Reason::kDuplicate;
  http::ApiError e{400, duplicate ? "duplicate_claim" : "reserved_claim", Describe(invalid), {}};
  boost::json::array fields;
  fields.push_back(boost::json::object{{"field", "key"},
                                       {"code", duplicate ? "duplicate" : "reserved"},
                                       {"message", duplicate ? "is listed more than once" : "is reserved"}});
  e.details["fields"] = std::move(fields);
  e.details["key"] = invalid.key;  // after "fields": Go writes map keys sorted
  return e;
}

}  // namespace pocketid::customclaims
