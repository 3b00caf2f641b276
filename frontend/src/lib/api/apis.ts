// APIs (OAuth resource servers, RFC 8707) and which clients may request tokens for them (management.md §1.7;
// admin only). A grant is per client and subject type: user-delegated access (tokens on behalf of a signed-in user)
// and client access (client credentials, machine to machine), each with its own permission selection.
import { encodeClientIdParam } from '$lib/utils/client-id';
import { api, listQuery, type RequestOptions } from './client';
import type { ListRequestOptions, OidcClientType, Paginated } from './types';

export type ApiPermission = {
	id: string;
	/** The OAuth scope clients request. */
	key: string;
	name: string;
	description?: string;
	allowedForCimdClients: boolean;
};

/** apiResponseDto */
export type Api = {
	id: string;
	name: string;
	/** The audience URI (the `resource` parameter of RFC 8707); immutable. */
	resource: string;
	createdAt: string;
	permissions: ApiPermission[];
	allowCimdClients: boolean;
};

export type ApiCreate = { name: string; resource: string };

/** One row of PUT /api/apis/:id/permissions (a full replacement, matched by key). */
export type ApiPermissionInput = { key: string; name: string; description: string };

/** The editable part of a client's access to an API (body and result of PUT /api/apis/:id/clients/:clientId). */
export type ApiClientGrant = {
	userDelegatedAccess: boolean;
	clientAccess: boolean;
	userDelegatedPermissionIds: string[];
	clientPermissionIds: string[];
};

/** What a client gets without an individual grant because the API allows all CIMD clients. */
export type CimdGrant = { cimdGrantedAccess: boolean; cimdGrantedPermissionIds: string[] };

export type ApiClient = {
	id: string;
	name: string;
	clientType: OidcClientType;
	isPublic: boolean;
	hasLogo: boolean;
	hasDarkLogo: boolean;
};

/** A row of GET /api/apis/:id/clients. */
export type ApiClientAccess = ApiClientGrant & CimdGrant & { client: ApiClient };

/** A row of GET /api/api-access/:clientId/apis. */
export type ClientApiAccess = ApiClientGrant & CimdGrant & { api: Api };

const apiPath = (id: string) => `/apis/${encodeURIComponent(id)}`;
const grantPath = (apiId: string, clientId: string) => `${apiPath(apiId)}/clients/${encodeClientIdParam(clientId)}`;
const clientAccessPath = (clientId: string) => `/api-access/${encodeClientIdParam(clientId)}`;

export const apisApi = {
	/** GET /api/apis: `search` (name or resource), pagination, sort `name`, `audience`, `createdAt`. */
	list: (options?: ListRequestOptions) => api.get<Paginated<Api>>('/apis', { query: listQuery(options) }),
	/** GET /api/apis/:id (404 not_found) */
	get: (id: string, options?: RequestOptions) => api.get<Api>(apiPath(id), options),
	/** POST /api/apis → 201; the issuer as resource → 400 (field `resource`, code `reserved`); taken → 409. */
	create: (body: ApiCreate) => api.post<Api>('/apis', body),
	/** PUT /api/apis/:id: only the name can change. */
	update: (id: string, name: string) => api.put<Api>(apiPath(id), { name }),
	/** DELETE /api/apis/:id → 204 (with its permissions and grants) */
	remove: (id: string) => api.delete(apiPath(id)),
	/** PUT /api/apis/:id/permissions; errors name the row: field `permissions[i].key`. */
	updatePermissions: (id: string, permissions: ApiPermissionInput[]) =>
		api.put<Api>(`${apiPath(id)}/permissions`, { permissions }),
	/** PUT /api/apis/:id/cimd-access */
	updateCimdAccess: (id: string, body: { enabled: boolean; permissionIds: string[] }) =>
		api.put<Api>(`${apiPath(id)}/cimd-access`, body),
	/** GET /api/apis/:id/clients: the clients with access. */
	listClients: (id: string, options?: ListRequestOptions) =>
		api.get<Paginated<ApiClientAccess>>(`${apiPath(id)}/clients`, { query: listQuery(options) }),
	/** GET /api/apis/:id/assignable-clients: non-CIMD clients without a grant yet. */
	listAssignableClients: (id: string, options?: ListRequestOptions) =>
		api.get<Paginated<ApiClient>>(`${apiPath(id)}/assignable-clients`, { query: listQuery(options) }),
	/** PUT /api/apis/:id/clients/:clientId → the grant as applied (public clients never get client access). */
	saveGrant: (apiId: string, clientId: string, grant: ApiClientGrant) =>
		api.put<ApiClientGrant>(grantPath(apiId, clientId), grant),
	/** DELETE /api/apis/:id/clients/:clientId → 204 */
	revokeGrant: (apiId: string, clientId: string) => api.delete(grantPath(apiId, clientId)),
	/** GET /api/api-access/:clientId/apis: the APIs a client may access, by name. */
	listClientApis: (clientId: string) => api.get<ClientApiAccess[]>(`${clientAccessPath(clientId)}/apis`),
	/** GET /api/api-access/:clientId/assignable-apis: the APIs it has no grant for yet. */
	listAssignableApis: (clientId: string, options?: ListRequestOptions) =>
		api.get<Paginated<Api>>(`${clientAccessPath(clientId)}/assignable-apis`, { query: listQuery(options) })
};
