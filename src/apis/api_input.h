// The request bodies of the APIs admin API (management.md §1.7), validated with Pocket ID's rules. Every failed field
// is reported at once (400 validation_failed); a value of the wrong JSON type is 400 invalid_request_body.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "apis/api.h"
#include "apis/api_store.h"
#include "core/http/api_error.h"

namespace pocketid::apis {

struct ApiCreateInput {
  std::string name;
  std::string resource;  // canonical: trailing slashes removed
};

// {name (1–50), resource (absolute URI without whitespace or fragment, not javascript:/data:, ≤ 350)}, NFC
// normalised. A resource equal to `issuer` (after trimming, case-insensitive) is refused with code `reserved`.
http::ApiResult<ApiCreateInput> ParseApiCreate(const boost::json::object& body, std::string_view issuer);

// {name (1–50)}; NFC normalised.
http::ApiResult<std::string> ParseApiRename(const boost::json::object& body);

// {permissions: [{key (1–128), name (1–50), description (≤ 200)}]} (null or absent = none). Keys must be scope tokens
// (`invalid_format`), not Pocket ID's own scopes (`reserved`) and distinct (`duplicate`), reported on
// `permissions[<i>].key`.
http::ApiResult<std::vector<PermissionInput>> ParsePermissions(const boost::json::object& body);

struct CimdAccessInput {
  bool enabled = false;
  std::vector<std::string> permission_ids;
};
// {enabled, permissionIds: [non-empty string]}.
http::ApiResult<CimdAccessInput> ParseCimdAccess(const boost::json::object& body);

// {userDelegatedAccess, clientAccess, userDelegatedPermissionIds, clientPermissionIds}; the id lists may be absent.
http::ApiResult<ClientGrant> ParseClientGrant(const boost::json::object& body);

}  // namespace pocketid::apis
