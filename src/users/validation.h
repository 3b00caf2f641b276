// Input rules of Pocket ID's user DTOs (management.md §0.2, §1.1), shared by setup, sign-up and the user API.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "core/http/api_error.h"
#include "users/user.h"

namespace pocketid::users {

bool IsValidUsername(std::string_view username);
bool IsValidEmail(std::string_view email);
// The `uuid` tag of Go's validator: lowercase 8-4-4-4-12 hex.
bool IsValidUuid(std::string_view id);

struct ProfileInput {
  NewUser user;  // user.id only when the body carried a (valid) id
  bool has_email_verified = false;  // the body carried emailVerified (admin updates only)
  std::vector<std::string> user_group_ids;  // UserCreateDto.userGroupIds (admin create only)
};

struct ProfileOptions {
  // Setup and sign-up fill an empty displayName with "<first> <last>"; the user API stores what it is given, as
  // Pocket ID does.
  bool default_display_name = true;
};

// Parses and validates a UserCreateDto / signUpDto body. `require_email` is the requireUserEmail setting.
// Field errors are reported together, in the DTO's field order (id, username, email, firstName, lastName,
// displayName), each field with its first failing rule; a value of the wrong JSON type is invalid_request_body.
http::ApiResult<ProfileInput> ParseProfile(const boost::json::object& body, bool require_email,
                                           ProfileOptions options = {});

// UserUpdateUserGroupDto: `userGroupIds` is required (an empty array is fine).
http::ApiResult<std::vector<std::string>> ParseUserGroupIds(const boost::json::object& body);

}  // namespace pocketid::users
