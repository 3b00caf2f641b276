// The JSON shapes of the APIs admin API (management.md §1.7).
#pragma once

#include <boost/json/object.hpp>

#include "apis/api.h"
#include "apis/api_store.h"
#include "oidcclients/client.h"

namespace pocketid::apis {

// apiResponseDto: {id, name, resource, createdAt, permissions: [{id, key, name, description?, allowedForCimdClients}],
// allowCimdClients}.
boost::json::object ApiDto(const Api& api);
// apiClientDto: {id, name, clientType, isPublic, hasLogo, hasDarkLogo}.
boost::json::object ApiClientDto(const oidcclients::Client& client);
// {userDelegatedAccess, clientAccess, userDelegatedPermissionIds, clientPermissionIds} (lists never null).
boost::json::object ClientGrantDto(const ClientGrant& grant);
// A row of the API's clients tab: {client, <grant fields>, cimdGrantedAccess, cimdGrantedPermissionIds}.
boost::json::object ApiClientAccessDto(const ApiClientAccess& row);
// A row of the client's API access card: {api, <grant fields>, cimdGrantedAccess, cimdGrantedPermissionIds}.
boost::json::object ClientApiAccessDto(const ClientApiAccess& row);

}  // namespace pocketid::apis
