#include "apis/api_input.h"

#include <algorithm>
#include <cctype>

#include "apis/resource_indicator.h"
#include "core/config/go_values.h"
#include "core/http/json_body.h"
#include "core/text/nfc.h"
#include "core/text/utf8.h"

namespace pocketid::apis {

namespace {

constexpr size_t kMaxNameLength = 50;
constexpr size_t kMaxResourceLength = 350;
constexpr size_t kMaxKeyLength = 128;
constexpr size_t kMaxDescriptionLength = 200;

// The name, NFC normalised after it passed its rules (Go binds and validates first).
http::ApiResult<std::string> ReadName(const boost::json::object& body, std::vector<http::FieldError>& problems) {
  auto name = http::OptionalStringField(body, "name");
  if (auto* e = std::get_if<http::ApiError>(&name)) return *e;
  std::string value = std::get<std::optional<std::string>>(name).value_or("");
  if (auto p = http::CheckLength("name", value, 1, kMaxNameLength)) problems.push_back(std::move(*p));
  return text::NormalizeNfc(value);
}

}  // namespace

http::ApiResult<ApiCreateInput> ParseApiCreate(const boost::json::object& body, std::string_view issuer) {
  std::vector<http::FieldError> problems;
  auto name = ReadName(body, problems);
  if (auto* e = std::get_if<http::ApiError>(&name)) return *e;
  auto resource_field = http::OptionalStringField(body, "resource");
  if (auto* e = std::get_if<http::ApiError>(&resource_field)) return *e;
  std::string resource = std::get<std::optional<std::string>>(resource_field).value_or("");
  if (resource.empty()) {
    problems.push_back({"resource", "required", "is required"});
  } else if (!IsAcceptableApiResource(resource)) {
    problems.push_back({"resource", "invalid_format", "must be an absolute URI without whitespace or a fragment"});
  } else if (text::CountCodePoints(resource) > kMaxResourceLength) {
    problems.push_back(
        {"resource", "too_long", "must be at most " + std::to_string(kMaxResourceLength) + " characters long"});
  }
  if (!problems.empty()) return http::ApiError::ValidationFailed(problems);

  ApiCreateInput in{std::move(std::get<std::string>(name)), CanonicalResource(text::NormalizeNfc(resource))};
  // A custom API must not be mistaken for Pocket ID's own identity tokens.
  if (!issuer.empty() && config::AsciiLower(in.resource) == config::AsciiLower(CanonicalResource(issuer))) {
    return http::ApiError::Validation("resource", "reserved",
                                      "is reserved by Pocket ID and cannot be used for a custom API");
  }
  return in;
}

http::ApiResult<std::string> ParseApiRename(const boost::json::object& body) {
  std::vector<http::FieldError> problems;
  auto name = ReadName(body, problems);
  if (auto* e = std::get_if<http::ApiError>(&name)) return *e;
  if (!problems.empty()) return http::ApiError::ValidationFailed(problems);
  return std::get<std::string>(name);
}

http::ApiResult<std::vector<PermissionInput>> ParsePermissions(const boost::json::object& body) {
  std::vector<PermissionInput> out;
  auto it = body.find("permissions");
  if (it == body.end() || it->value().is_null()) return out;
  if (!it->value().is_array()) return http::ApiError::InvalidRequestBody();

  // Binding rules first, for every entry.
  std::vector<http::FieldError> problems;
  const auto& items = it->value().as_array();
  for (size_t i = 0; i < items.size(); ++i) {
    if (!items[i].is_object()) return http::ApiError::InvalidRequestBody();
    const auto& o = items[i].as_object();
    auto key = http::OptionalStringField(o, "key");
    auto name = http::OptionalStringField(o, "name");
    auto description = http::OptionalStringField(o, "description");
    for (auto* f : {&key, &name, &description}) {
      if (auto* e = std::get_if<http::ApiError>(f)) return *e;
    }
    PermissionInput p{std::get<std::optional<std::string>>(key).value_or(""),
                      std::get<std::optional<std::string>>(name).value_or(""),
                      std::get<std::optional<std::string>>(description)};
    const std::string prefix = "permissions[" + std::to_string(i) + "].";
    if (auto e = http::CheckLength(prefix + "key", p.key, 1, kMaxKeyLength)) problems.push_back(std::move(*e));
    if (auto e = http::CheckLength(prefix + "name", p.name, 1, kMaxNameLength)) problems.push_back(std::move(*e));
    if (p.description && text::CountCodePoints(*p.description) > kMaxDescriptionLength) {
      problems.push_back({prefix + "description", "too_long",
                          "must be at most " + std::to_string(kMaxDescriptionLength) + " characters long"});
    }
    p.key = text::NormalizeNfc(p.key);
    p.name = text::NormalizeNfc(p.name);
    out.push_back(std::move(p));
  }
  if (!problems.empty()) return http::ApiError::ValidationFailed(problems);

  // Then the service's key rules, stopping at the first offending entry.
  for (size_t i = 0; i < out.size(); ++i) {
    const std::string field = "permissions[" + std::to_string(i) + "].key";
    if (!IsValidScopeToken(out[i].key)) {
      return http::ApiError::Validation(field, "invalid_format",
                                        "contains characters that are not valid in an OAuth scope");
    }
    if (IsReservedPermissionKey(out[i].key))
      return http::ApiError::Validation(field, "reserved", "is reserved by Pocket ID");
    for (size_t j = 0; j < i; ++j) {
      if (out[j].key == out[i].key) return http::ApiError::Validation(field, "duplicate", "is listed more than once");
    }
  }
  return out;
}

http::ApiResult<CimdAccessInput> ParseCimdAccess(const boost::json::object& body) {
  auto enabled = http::BoolField(body, "enabled");
  if (auto* e = std::get_if<http::ApiError>(&enabled)) return *e;
  auto ids = http::StringListField(body, "permissionIds");
  if (auto* e = std::get_if<http::ApiError>(&ids)) return *e;
  CimdAccessInput in{std::get<bool>(enabled), std::move(std::get<std::vector<std::string>>(ids))};
  for (size_t i = 0; i < in.permission_ids.size(); ++i) {
    if (in.permission_ids[i].empty()) {
      return http::ApiError::Validation("permissionIds[" + std::to_string(i) + "]", "required", "is required");
    }
  }
  return in;
}

http::ApiResult<ClientGrant> ParseClientGrant(const boost::json::object& body) {
  auto user = http::BoolField(body, "userDelegatedAccess");
  if (auto* e = std::get_if<http::ApiError>(&user)) return *e;
  auto client = http::BoolField(body, "clientAccess");
  if (auto* e = std::get_if<http::ApiError>(&client)) return *e;
  auto user_ids = http::StringListField(body, "userDelegatedPermissionIds");
  if (auto* e = std::get_if<http::ApiError>(&user_ids)) return *e;
  auto client_ids = http::StringListField(body, "clientPermissionIds");
  if (auto* e = std::get_if<http::ApiError>(&client_ids)) return *e;
  ClientGrant g{std::get<bool>(user), std::get<bool>(client), std::move(std::get<std::vector<std::string>>(user_ids)),
                std::move(std::get<std::vector<std::string>>(client_ids))};
  const std::pair<std::string_view, const std::vector<std::string>*> lists[] = {
      {"userDelegatedPermissionIds", &g.user_delegated_permission_ids},
      {"clientPermissionIds", &g.client_permission_ids}};
  for (const auto& [field, ids] : lists) {
    for (size_t i = 0; i < ids->size(); ++i) {
      if ((*ids)[i].empty()) {
        return http::ApiError::Validation(std::string(field) + "[" + std::to_string(i) + "]", "required",
                                          "is required");
      }
    }
  }
  return g;
}

}  // namespace pocketid::apis
