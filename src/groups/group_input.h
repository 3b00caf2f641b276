// The request bodies of the user-group API (management.md §1.2) with Pocket ID's validation rules.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "core/http/api_error.h"
#include "groups/group_store.h"

namespace pocketid::groups {

// UserGroupCreateDto: friendlyName (required, 2–50 characters) and name (required, 2–255), both checked before
// NFC normalisation as Go binds first. Every failed field is reported (400 validation_failed); a non-string
// value is 400 invalid_request_body.
http::ApiResult<GroupInput> ParseGroupInput(const boost::json::object& body);

// {"<field>": [string, ...]} for userIds / oidcClientIds: the list is required (missing or null → 400
// validation_failed, code required) but may be empty; null entries are skipped; anything but an array of strings is
// invalid_request_body.
http::ApiResult<std::vector<std::string>> ParseIdList(const boost::json::object& body, std::string_view field);

}  // namespace pocketid::groups
