// User groups (management.md §1.2; admin only).
import { api, listQuery, type RequestOptions } from './client';
import type { CustomClaim, ListRequestOptions, OidcClientMetaData, Paginated, User, UserGroupMinimal } from './types';

/** UserGroupDto: a group with its members, claims and the OIDC clients it may sign in to. */
export type UserGroup = {
	id: string;
	friendlyName: string;
	name: string;
	customClaims: CustomClaim[];
	ldapId: string | null;
	createdAt: string;
	users: User[];
	allowedOidcClients: OidcClientMetaData[];
};

/** UserGroupCreateDto (POST and PUT): friendlyName 2–50, name 2–255 characters. */
export type UserGroupCreate = { friendlyName: string; name: string };

const groupPath = (id: string) => `/user-groups/${encodeURIComponent(id)}`;

export const userGroupsApi = {
	/** GET /api/user-groups: `search`, pagination, sort (`friendlyName`, `name`, `userCount`, `createdAt`). */
	list: (options?: ListRequestOptions) =>
		api.get<Paginated<UserGroupMinimal>>('/user-groups', { query: listQuery(options) }),
	/** GET /api/user-groups/:id (404 not_found) */
	get: (id: string, options?: RequestOptions) => api.get<UserGroup>(groupPath(id), options),
	/** POST /api/user-groups → 201; a taken name → 409 already_in_use. */
	create: (body: UserGroupCreate) => api.post<UserGroup>('/user-groups', body),
	/** PUT /api/user-groups/:id (403 ldap_user_group_update for LDAP groups while LDAP is on) */
	update: (id: string, body: UserGroupCreate) => api.put<UserGroup>(groupPath(id), body),
	/** DELETE /api/user-groups/:id → 204 */
	remove: (id: string) => api.delete(groupPath(id)),
	/** PUT /api/user-groups/:id/users: replaces the members. */
	updateUsers: (id: string, userIds: string[]) => api.put<UserGroup>(`${groupPath(id)}/users`, { userIds }),
	/** PUT /api/user-groups/:id/allowed-oidc-clients: replaces the clients the members may sign in to. */
	updateAllowedOidcClients: (id: string, oidcClientIds: string[]) =>
		api.put<UserGroup>(`${groupPath(id)}/allowed-oidc-clients`, { oidcClientIds })
};

/** Pocket ID derives the group name from the friendly name while the name was not edited by hand. */
export function groupNameFromFriendlyName(friendlyName: string): string {
	return friendlyName.toLowerCase().replace(/[^a-z0-9_]/g, '_');
}
