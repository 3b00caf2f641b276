// The JSON the client admin API returns (management.md §1.5, §1.6), keys in Pocket ID's order.
#pragma once

#include <vector>

#include <boost/json/object.hpp>

#include "core/db/timestamp.h"
#include "oidcclients/admin_store.h"
#include "oidcclients/client.h"

namespace pocketid::oidcclients {

// OidcClientSecretDto: {"id","prefix","createdAt","expiresAt","isActive"}; isActive as of `now`.
boost::json::object SecretDto(const ClientSecret& secret, db::Timestamp now);

// OidcClientDto: the metadata plus callbackURLs, logoutCallbackURLs, isPublic, pkceEnabled,
// requiresPushedAuthorizationRequests, skipConsent, credentials {federatedIdentities (omitted when empty),
// secrets}, isGroupRestricted, pkceSupported (only when true), accessTokenDurationMinutes,
// refreshTokenDurationMinutes.
boost::json::object ClientDto(const Client& client, db::Timestamp now);

// UserGroupMinimalDto: {"id","friendlyName","name","customClaims","userCount","ldapId","createdAt"}.
boost::json::object GroupMinimalDto(const AllowedGroup& group);

// OidcClientWithAllowedUserGroupsDto.
boost::json::object ClientWithGroupsDto(const Client& client, const std::vector<AllowedGroup>& groups,
                                        db::Timestamp now);

// OidcClientWithAllowedGroupsCountDto (the admin list).
boost::json::object ClientListItemDto(const ClientListItem& item, db::Timestamp now);

// AuthorizedOidcClientDto: {"scope","client","lastUsedAt"}. Pocket ID declares `scope` a string; it carries the
// granted scopes separated by spaces.
boost::json::object AuthorizedClientDto(const AuthorizedClient& item);

// AccessibleOidcClientDto: the metadata (requiresReauthentication is always false here, as in Pocket ID) plus
// lastUsedAt (null when the user never used the client).
boost::json::object AccessibleClientDto(const AccessibleClient& item);

}  // namespace pocketid::oidcclients
