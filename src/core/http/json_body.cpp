#include "core/http/json_body.h"

#include <boost/json/parse.hpp>

namespace pocketid::http {

namespace {
bool IsJsonContentType(std::string_view type) {
  auto semi = type.find(';');
  std::string_view media = type.substr(0, semi);
  while (!media.empty() && media.back() == ' ') media.remove_suffix(1);
  if (EqualsIgnoreCase(media, "application/json")) return true;
  return media.size() > 17 && EqualsIgnoreCase(media.substr(0, 12), "application/") &&
         EqualsIgnoreCase(media.substr(media.size() - 5), "+json");
}
}  // namespace

ApiResult<boost::json::value> ParseJsonBody(const Request& req) {
  auto type = req.Header("Content-Type");
  if (!type || !IsJsonContentType(*type)) return ApiError::InvalidRequestBody();
  boost::system::error_code ec;
  auto value = boost::json::parse(req.body, ec);
  if (ec) return ApiError::InvalidRequestBody();
  return value;
}

ApiResult<boost::json::object> ParseJsonObjectBody(const Request& req) {
  auto value = ParseJsonBody(req);
  if (auto* e = std::get_if<ApiError>(&value)) return std::move(*e);
  auto& v = std::get<boost::json::value>(value);
  if (!v.is_object()) return ApiError::InvalidRequestBody();
  return std::move(v.as_object());
}

ApiResult<std::optional<std::string>> OptionalStringField(const boost::json::object& body, std::string_view name) {
  auto it = body.find(name);
  if (it == body.end() || it->value().is_null()) return std::optional<std::string>();
  if (!it->value().is_string()) return ApiError::InvalidRequestBody();
  return std::optional<std::string>(std::string(it->value().as_string()));
}

ApiResult<bool> BoolField(const boost::json::object& body, std::string_view name) {
  auto it = body.find(name);
  if (it == body.end() || it->value().is_null()) return false;
  if (!it->value().is_bool()) return ApiError::InvalidRequestBody();
  return it->value().as_bool();
}

ApiResult<std::vector<std::string>> StringListField(const boost::json::object& body, std::string_view name) {
  std::vector<std::string> out;
  auto it = body.find(name);
  if (it == body.end() || it->value().is_null()) return out;
  if (!it->value().is_array()) return ApiError::InvalidRequestBody();
  for (const auto& v : it->value().as_array()) {
    if (v.is_null()) {
      out.emplace_back();
      continue;
    }
    if (!v.is_string()) return ApiError::InvalidRequestBody();
    out.emplace_back(v.as_string());
  }
  return out;
}

}  // namespace pocketid::http
