// Pocket ID's application errors (management.md §0.2): a status, a stable code and a message, optionally with
// details. Domain code returns these; the HTTP layer renders {"error","code","details"?,"request_id"}.
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <boost/json/object.hpp>

#include "core/http/types.h"
#include "core/status/status.h"

namespace pocketid::http {

// One failed validation rule of one field, as listed in details.fields.
struct FieldError {
  std::string field;  // the JSON field name
  std::string code;   // required, too_short, invalid_format, ...
  std::string message;
};

struct ApiError {
  int status = 500;
  std::string code = "internal_error";
  std::string message = "Something went wrong";
  boost::json::object details;

  static ApiError Internal() { return {}; }
  static ApiError NotSignedIn() { return {401, "not_signed_in", "You are not signed in", {}}; }
  static ApiError Forbidden() { return {403, "forbidden", "You don't have permission to perform this action", {}}; }
  static ApiError UserDisabled() { return {403, "user_disabled", "User account is disabled", {}}; }
  static ApiError UserNotFound() { return {404, "user_not_found", "User not found", {}}; }
  static ApiError InvalidRequestBody() { return {400, "invalid_request_body", "Request body is invalid", {}}; }
  static ApiError NotFound(std::string_view resource, std::string message);
  // 409 "<Property> is already in use" with details.property (the JSON field name, or a label like "API key name").
  static ApiError AlreadyInUse(std::string_view property);
  // One failed field: {"error":"<Field> <message>","code":"validation_failed","details":{"fields":[...]}}.
  static ApiError Validation(std::string_view field, std::string_view code, std::string_view message);
  // Several failed fields, as Go's validator reports them: "<field> <message>" joined by ", ".
  static ApiError ValidationFailed(const std::vector<FieldError>& errors);
};

Response ErrorResponse(const Request& req, const ApiError& error);

// A domain result: the value, or the error to show. Internal failures (database down, ...) are logged where
// they are turned into ApiError::Internal(), never shown to the client.
template <typename T>
using ApiResult = std::variant<T, ApiError>;

// Go's validator rules required,min=<min>,max=<max> on a string, counted in code points: the first that fails.
std::optional<FieldError> CheckLength(std::string_view field, std::string_view value, size_t min, size_t max);

// Logs `status` (with context) and returns the generic 500 error.
ApiError InternalFromStatus(const Status& status, std::string_view context);

}  // namespace pocketid::http
