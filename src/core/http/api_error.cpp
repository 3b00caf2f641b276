#include "core/http/api_error.h"

#include <cctype>

#include <spdlog/spdlog.h>

#include "core/text/utf8.h"

namespace pocketid::http {

ApiError ApiError::NotFound(std::string_view resource, std::string message) {
  ApiError e{404, "not_found", std::move(message), {}};
  e.details["resource"] = resource;
  return e;
}

ApiError ApiError::AlreadyInUse(std::string_view property) {
  std::string message = std::string(property) + " is already in use";
  message[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(message[0])));
  ApiError e{409, "already_in_use", std::move(message), {}};
  e.details["property"] = property;
  return e;
}

ApiError ApiError::Validation(std::string_view field, std::string_view code, std::string_view message) {
  return ValidationFailed({{std::string(field), std::string(code), std::string(message)}});
}

ApiError ApiError::ValidationFailed(const std::vector<FieldError>& errors) {
  std::string text;
  boost::json::array fields;
  for (const auto& f : errors) {
    if (!text.empty()) text += ", ";
    text += f.field + " " + f.message;
    fields.push_back(boost::json::object{{"field", f.field}, {"code", f.code}, {"message", f.message}});
  }
  // Pocket ID capitalises the first letter of every error message.
  if (!text.empty()) text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
  ApiError e{400, "validation_failed", std::move(text), {}};
  e.details["fields"] = std::move(fields);
  return e;
}

Response ErrorResponse(const Request& req, const ApiError& error) {
  return AppErrorResponse(req, error.status, error.code, error.message, &error.details);
}

std::optional<FieldError> CheckLength(std::string_view field, std::string_view value, size_t min, size_t max) {
  size_t n = text::CountCodePoints(value);
  if (n == 0) return FieldError{std::string(field), "required", "is required"};
  if (n < min) {
    return FieldError{std::string(field), "too_short", "must be at least " + std::to_string(min) + " characters long"};
  }
  if (n > max) {
    return FieldError{std::string(field), "too_long", "must be at most " + std::to_string(max) + " characters long"};
  }
  return std::nullopt;
}

ApiError InternalFromStatus(const Status& status, std::string_view context) {
  spdlog::error("{}: {}", context, status.message());
  return ApiError::Internal();
}

}  // namespace pocketid::http
