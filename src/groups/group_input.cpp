#include "groups/group_input.h"

#include "core/http/json_body.h"
#include "customclaims/claim_request.h"
#include "core/text/nfc.h"

namespace pocketid::groups {

http::ApiResult<GroupInput> ParseGroupInput(const boost::json::object& body) {
  auto friendly = http::OptionalStringField(body, "friendlyName");
  if (auto* e = std::get_if<http::ApiError>(&friendly)) return *e;
  auto name = http::OptionalStringField(body, "name");
  if (auto* e = std::get_if<http::ApiError>(&name)) return *e;
  GroupInput in{std::get<std::optional<std::string>>(friendly).value_or(""),
                std::get<std::optional<std::string>>(name).value_or("")};

  std::vector<http::FieldError> problems;
  if (auto p = http::CheckLength("friendlyName", in.friendly_name, 2, 50)) problems.push_back(std::move(*p));
  if (auto p = http::CheckLength("name", in.name, 2, 255)) problems.push_back(std::move(*p));
  if (!problems.empty()) return http::ApiError::ValidationFailed(problems);

  in.friendly_name = text::NormalizeNfc(in.friendly_name);
  in.name = text::NormalizeNfc(in.name);
  return in;
}

http::ApiResult<std::vector<std::string>> ParseIdList(const boost::json::object& body, std::string_view field) {
  auto it = body.find(field);
  if (it == body.end() || it->value().is_null()) {
    return http::ApiError::ValidationFailed({{std::string(field), "required", "is required"}});
  }
  if (!it->value().is_array()) return http::ApiError::InvalidRequestBody();
  std::vector<std::string> ids;
  for (const auto& v : it->value().as_array()) {
    if (v.is_null()) continue;  // Go reads it as "", which names nothing
    if (!v.is_string()) return http::ApiError::InvalidRequestBody();
    ids.emplace_back(v.as_string());
  }
  return ids;
}

}  // namespace pocketid::groups
