// The JSON of the user-group API (management.md §1.2), keys in Pocket ID's order.
#pragma once

#include <boost/json/object.hpp>

#include "groups/group_store.h"

namespace pocketid::groups {

// UserGroupMinimalDto: {"id","friendlyName","name","customClaims","userCount","ldapId","createdAt"}.
boost::json::object GroupMinimalDto(const GroupSummary& summary);

// UserGroupDto: {"id","friendlyName","name","customClaims","ldapId","createdAt","users","allowedOidcClients"}.
// Members are UserDtos without their own claims and groups (empty lists): Pocket ID loads only the users.
boost::json::object GroupDto(const GroupDetails& details);

}  // namespace pocketid::groups
