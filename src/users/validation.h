// Input rules of Pocket ID's user DTOs (management.md §0.2, §1.1), shared by setup, sign-up and the user API.
#pragma once

#include <optional>
#include <string>

#include <boost/json/object.hpp>

#include "core/http/api_error.h"
#include "users/user.h"

namespace pocketid::users {

bool IsValidUsername(std::string_view username);
bool IsValidEmail(std::string_view email);

struct ProfileInput {
  NewUser user;
  bool has_email_verified = false;  // the body carried emailVerified (admin updates only)
};

// Parses and validates a UserCreateDto / signUpDto body. `require_email` is the requireUserEmail setting.
// Display name defaults to "<first> <last>" trimmed when the body has none.
http::ApiResult<ProfileInput> ParseProfile(const boost::json::object& body, bool require_email);

}  // namespace pocketid::users
