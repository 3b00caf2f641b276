#include "core/http/api_error.h"

#include <cctype>

#include <spdlog/spdlog.h>

namespace pocketid::http {

ApiError ApiError::NotFound(std::string_view resource, std::string message) {
  ApiError e{404, "not_found", std::move(message), {}};
  e.details["resource"] = resource;
  return e;
}

ApiError ApiError::Validation(std::string_view field, std::string_view code, std::string_view message) {
  std::string text = std::string(field) + " " + std::string(message);
  if (!text.empty()) text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
  ApiError e{400, "validation_failed", std::move(text), {}};
  boost::json::array fields;
  fields.push_back(boost::json::object{{"field", field}, {"code", code}, {"message", message}});
  e.details["fields"] = std::move(fields);
  return e;
}

Response ErrorResponse(const Request& req, const ApiError& error) {
  return AppErrorResponse(req, error.status, error.code, error.message, &error.details);
}

ApiError InternalFromStatus(const Status& status, std::string_view context) {
  spdlog::error("{}: {}", context, status.message());
  return ApiError::Internal();
}

}  // namespace pocketid::http
