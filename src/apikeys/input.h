// Request bodies of the API key endpoints (management.md §1.4), validated the way Pocket ID's apiKeyCreateDto and
// apiKeyRenewDto bind: wrong JSON types are invalid_request_body, missing or out-of-range fields are
// validation_failed (every failing field listed), an expiry that is not in the future is invalid_api_key_expiration.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "core/db/timestamp.h"
#include "core/http/api_error.h"

namespace pocketid::apikeys {

struct CreateInput {
  std::string name;
  std::optional<std::string> description;
  db::Timestamp expires_at;
};

struct RenewInput {
  db::Timestamp expires_at;
};

// Go's time.Time JSON form: "YYYY-MM-DDTHH:MM:SS[.fraction](Z|±hh:mm)", nothing else. Fractions are dropped.
std::optional<db::Timestamp> ParseRfc3339(std::string_view text);

http::ApiResult<CreateInput> ParseCreateInput(const boost::json::object& body, db::Timestamp now);
http::ApiResult<RenewInput> ParseRenewInput(const boost::json::object& body, db::Timestamp now);

// 400 invalid_api_key_expiration, with the field error Pocket ID attaches.
http::ApiError InvalidExpiration();

}  // namespace pocketid::apikeys
