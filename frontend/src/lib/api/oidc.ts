import { encodeClientIdParam } from '$lib/utils/client-id';
import { api, listQuery, type RequestOptions } from './client';
import type {
	AccessibleOidcClient,
	AuthorizedOidcClient,
	CompleteInteractionResponse,
	DeviceCodeInfo,
	InteractionSession,
	InteractionStep,
	ListRequestOptions,
	OidcClient,
	OidcClientCreate,
	OidcClientSecretCreated,
	OidcClientUpdate,
	OidcClientWithAllowedUserGroups,
	OidcClientWithAllowedUserGroupsCount,
	OidcDiscoveryConfiguration,
	Paginated
} from './types';

const clientPath = (id: string) => `/oidc/clients/${encodeClientIdParam(id)}`;

export type ClientPreview = {
	idToken: Record<string, unknown>;
	accessToken: Record<string, unknown>;
	userInfo: Record<string, unknown>;
};

/** Admin management of OIDC clients (management.md §1.5). */
export const oidcClientsApi = {
	/** GET /api/oidc/clients */
	list: (options?: ListRequestOptions) =>
		api.get<Paginated<OidcClientWithAllowedUserGroupsCount>>('/oidc/clients', { query: listQuery(options) }),
	/** POST /api/oidc/clients → 201 */
	create: (body: OidcClientCreate) => api.post<OidcClientWithAllowedUserGroups>('/oidc/clients', body),
	/** GET /api/oidc/clients/:id */
	get: (id: string, options?: RequestOptions) => api.get<OidcClientWithAllowedUserGroups>(clientPath(id), options),
	/** PUT /api/oidc/clients/:id */
	update: (id: string, body: OidcClientUpdate) => api.put<OidcClientWithAllowedUserGroups>(clientPath(id), body),
	/** DELETE /api/oidc/clients/:id */
	remove: (id: string) => api.delete(clientPath(id)),
	/** POST /api/oidc/clients/:id/logo?light= (multipart field `file`) */
	uploadLogo: (id: string, file: File, light: boolean) => {
		const form = new FormData();
		form.append('file', file);
		return api.post<void>(`${clientPath(id)}/logo`, form, { query: { light } });
	},
	/** DELETE /api/oidc/clients/:id/logo?light= */
	removeLogo: (id: string, light: boolean) => api.delete(`${clientPath(id)}/logo`, { query: { light } }),
	/** The public logo URL; `bust` defeats the browser cache after a change. */
	logoUrl: (id: string, light = true, bust?: number) =>
		`/api${clientPath(id)}/logo?light=${light}${bust ? `&skipCache=${bust}` : ''}`,
	/** POST /api/oidc/clients/:id/secrets → 201 with the clear `secret` (shown once). */
	createSecret: (id: string, body: { secret?: string; expiresAt?: string | null }) =>
		api.post<OidcClientSecretCreated>(`${clientPath(id)}/secrets`, body),
	/** DELETE /api/oidc/clients/:id/secrets/:secretId */
	deleteSecret: (id: string, secretId: string) =>
		api.delete(`${clientPath(id)}/secrets/${encodeURIComponent(secretId)}`),
	/** PUT /api/oidc/clients/:id/allowed-user-groups */
	updateAllowedUserGroups: (id: string, userGroupIds: string[]) =>
		api.put<OidcClient>(`${clientPath(id)}/allowed-user-groups`, { userGroupIds }),
	/** GET /api/oidc/clients/:id/preview/:userId?scopes=… */
	preview: (id: string, userId: string, scopes: string) =>
		api.get<ClientPreview>(`${clientPath(id)}/preview/${encodeURIComponent(userId)}`, { query: { scopes } })
};

/** The signed-in user's apps and consents (management.md §1.6). */
export const myAppsApi = {
	/** GET /api/oidc/users/me/clients: clients the user may use (`filters[hasLaunchURL]`, sort by lastUsedAt). */
	accessibleClients: (options?: ListRequestOptions) =>
		api.get<Paginated<AccessibleOidcClient>>('/oidc/users/me/clients', { query: listQuery(options) }),
	/** GET /api/oidc/users/me/authorized-clients */
	authorizedClients: (options?: ListRequestOptions) =>
		api.get<Paginated<AuthorizedOidcClient>>('/oidc/users/me/authorized-clients', {
			query: listQuery(options)
		}),
	/** DELETE /api/oidc/users/me/authorized-clients/:clientId */
	revoke: (clientId: string) => api.delete(`/oidc/users/me/authorized-clients/${encodeClientIdParam(clientId)}`)
};

/** The authorize interaction used by /interaction (protocol.md §1.6). */
export const interactionApi = {
	/** GET /api/oidc/interactions/:id (public) */
	get: (id: string, options?: RequestOptions) =>
		api.get<InteractionSession>(`/oidc/interactions/${encodeURIComponent(id)}`, options),
	/** POST /api/oidc/interactions/:id/complete {"step"} */
	complete: (id: string, step: InteractionStep) =>
		api.post<CompleteInteractionResponse>(`/oidc/interactions/${encodeURIComponent(id)}/complete`, { step })
};

/** The OAuth device authorization flow's user side, used by /device (protocol.md §1.14); session required. */
export const deviceApi = {
	/** GET /api/oidc/device/info?code=<user code> */
	info: (code: string, options?: RequestOptions) =>
		api.get<DeviceCodeInfo>('/oidc/device/info', { ...options, query: { code } }),
	/** POST /api/oidc/device/verify?code=<user code> (no body) → 204 */
	verify: (code: string) => api.post<void>('/oidc/device/verify', undefined, { query: { code } })
};

/** GET /.well-known/openid-configuration (not under /api). */
export async function getDiscoveryConfiguration(fetchFn: typeof fetch = fetch): Promise<OidcDiscoveryConfiguration> {
	const res = await fetchFn('/.well-known/openid-configuration', {
		headers: { Accept: 'application/json' },
		credentials: 'same-origin'
	});
	if (!res.ok) throw new Error(`Discovery document: HTTP ${res.status}`);
	return (await res.json()) as OidcDiscoveryConfiguration;
}
