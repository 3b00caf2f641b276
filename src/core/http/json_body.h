// Reading JSON request bodies the way Pocket ID's REST endpoints do: Content-Type must be application/json or
// application/<x>+json, the body an object; anything else is 400 invalid_request_body.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "core/http/api_error.h"

namespace pocketid::http {

ApiResult<boost::json::object> ParseJsonObjectBody(const Request& req);
// Any JSON value (for endpoints whose body is an array or may be null).
ApiResult<boost::json::value> ParseJsonBody(const Request& req);

// Field readers for a parsed body. A present value of the wrong type is an invalid body, not a missing field.
ApiResult<std::optional<std::string>> OptionalStringField(const boost::json::object& body, std::string_view name);
// Absent or null is false (Go's zero value).
ApiResult<bool> BoolField(const boost::json::object& body, std::string_view name);
// Absent or null is an empty list; every element must be a string, a null element reads as "" (as Go decodes it).
ApiResult<std::vector<std::string>> StringListField(const boost::json::object& body, std::string_view name);

}  // namespace pocketid::http
