// TEST DOUBLE — the APIs part of tests/support/fake-api.ts: APIs (OAuth resource servers) with their permissions and
// the per-client grants (management.md §1.7), in memory and stateful, with the spec's shapes, validation and status
// codes. Seeded like Pocket ID's e2e data: the "Orders API" with read:orders and write:orders; Immich may request
// read:orders on behalf of users and write:orders for itself.
import { randomUUID } from 'node:crypto';
import {
	clientByParam,
	paginate,
	sortRows,
	validationError,
	type FakeClient,
	type OidcContext
} from './fake-oidc';

type FakePermission = { id: string; key: string; name: string; description?: string; allowedForCimdClients: boolean };

type FakeApi = {
	id: string;
	name: string;
	resource: string;
	createdAt: string;
	permissions: FakePermission[];
	allowCimdClients: boolean;
};

/** One client's access to one API; no access for either subject type means no grant. */
type FakeGrant = {
	apiId: string;
	clientId: string;
	userDelegatedAccess: boolean;
	clientAccess: boolean;
	userDelegatedPermissionIds: string[];
	clientPermissionIds: string[];
};

export type ApisState = { apis: FakeApi[]; grants: FakeGrant[] };

export const SEED_APIS = {
	orders: {
		id: 'f6a8b3c1-2d4e-4a6b-8c9d-0e1f2a3b4c5d',
		name: 'Orders API',
		resource: 'https://api.orders.test',
		permissions: {
			readOrders: { id: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d', key: 'read:orders', name: 'Read orders' },
			writeOrders: { id: '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e', key: 'write:orders', name: 'Write orders' }
		}
	}
} as const;

export function freshApisState(immichClientId: string): ApisState {
	const o = SEED_APIS.orders;
	const { readOrders, writeOrders } = o.permissions;
	return {
		apis: [
			{
				id: o.id,
				name: o.name,
				resource: o.resource,
				createdAt: '2025-01-01T00:00:00Z',
				allowCimdClients: false,
				permissions: [
					{ ...readOrders, description: 'Read order data', allowedForCimdClients: false },
					{ ...writeOrders, description: 'Create and modify orders', allowedForCimdClients: false }
				]
			}
		],
		grants: [
			{
				apiId: o.id,
				clientId: immichClientId,
				userDelegatedAccess: true,
				clientAccess: true,
				userDelegatedPermissionIds: [readOrders.id],
				clientPermissionIds: [writeOrders.id]
			}
		]
	};
}

const RESERVED_KEYS = ['openid', 'profile', 'email', 'email_verified', 'groups', 'offline_access'];
/** RFC 6749 scope-token characters: %x21 / %x23-5B / %x5D-7E. */
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

const apiDto = (a: FakeApi) => ({
	id: a.id,
	name: a.name,
	resource: a.resource,
	createdAt: a.createdAt,
	permissions: a.permissions.map((p) => ({ ...p })),
	allowCimdClients: a.allowCimdClients
});

const apiClientDto = (c: FakeClient) => ({
	id: c.id,
	name: c.name,
	clientType: c.clientType,
	isPublic: c.isPublic,
	hasLogo: c.hasLogo,
	hasDarkLogo: c.hasDarkLogo
});

const grantDto = (g: FakeGrant | undefined) => ({
	userDelegatedAccess: g?.userDelegatedAccess ?? false,
	clientAccess: g?.clientAccess ?? false,
	userDelegatedPermissionIds: [...(g?.userDelegatedPermissionIds ?? [])],
	clientPermissionIds: [...(g?.clientPermissionIds ?? [])]
});

/** What a client gets because the API allows all metadata-document clients. */
function cimdGrant(a: FakeApi, c: FakeClient) {
	const granted = c.clientType === 'cimd' && a.allowCimdClients;
	return {
		cimdGrantedAccess: granted,
		cimdGrantedPermissionIds: granted ? a.permissions.filter((p) => p.allowedForCimdClients).map((p) => p.id) : []
	};
}

function resourceError(resource: unknown): string | null {
	if (typeof resource !== 'string' || !resource) return 'is required';
	if (resource.length > 350) return 'must be at most 350 characters long';
	if (/^(javascript|data):/i.test(resource) || /[#\s]/.test(resource)) return 'must be a valid URL';
	try {
		new URL(resource);
	} catch {
		return 'must be a valid URL';
	}
	return null;
}

/** Answers the /api/apis and /api/api-access routes; returns false for other paths. */
export function handleApisApi(state: ApisState, clients: FakeClient[], issuer: string, ctx: OidcContext): boolean {
	const { res, url, method, path, user, send, apiError } = ctx;
	if (!path.startsWith('/api/apis') && !path.startsWith('/api/api-access/')) return false;
	if (!user) return apiError(res, 401, 'not_signed_in', 'You are not signed in'), true;
	if (!user.isAdmin) return apiError(res, 403, 'forbidden', "You don't have permission to perform this action"), true;

	const body = (ctx.body ?? {}) as Record<string, unknown>;
	const search = (url.searchParams.get('search') ?? '').toLowerCase();
	const notFound = (resource: string) =>
		send(res, 404, { error: `${resource} not found`, code: 'not_found', details: { resource }, request_id: randomUUID() });
	const grantOf = (apiId: string, clientId: string) =>
		state.grants.find((g) => g.apiId === apiId && g.clientId === clientId);
	const listApis = (rows: FakeApi[]) => {
		const filtered = rows
			.filter((a) => a.name.toLowerCase().includes(search) || a.resource.toLowerCase().includes(search))
			.map((a) => ({ ...apiDto(a), audience: a.resource }));
		const sorted = sortRows(filtered, url, ['name', 'audience', 'createdAt']).map(({ audience: _, ...a }) => a);
		return paginate(sorted, url);
	};
	let match: RegExpMatchArray | null;

	if (path === '/api/apis') {
		if (method === 'GET') return send(res, 200, listApis(state.apis)), true;
		if (method === 'POST') {
			const name = typeof body.name === 'string' ? body.name.trim() : '';
			if (!name) return validationError(ctx, 'name', 'required', 'is required'), true;
			if (name.length > 50) return validationError(ctx, 'name', 'too_long', 'must be at most 50 characters long'), true;
			const error = resourceError(body.resource);
			if (error) return validationError(ctx, 'resource', error === 'is required' ? 'required' : 'invalid_format', error), true;
			const resource = String(body.resource).replace(/\/+$/, '');
			if (resource.toLowerCase() === issuer.toLowerCase()) {
				send(res, 400, {
					error: 'Resource is reserved by Pocket ID and cannot be used for a custom API',
					code: 'validation_failed',
					details: {
						fields: [
							{ field: 'resource', code: 'reserved', message: 'is reserved by Pocket ID and cannot be used for a custom API' }
						]
					},
					request_id: randomUUID()
				});
				return true;
			}
			if (state.apis.some((a) => a.resource === resource)) {
				send(res, 409, {
					error: 'Resource is already in use',
					code: 'already_in_use',
					details: { property: 'resource' },
					request_id: randomUUID()
				});
				return true;
			}
			const created: FakeApi = {
				id: randomUUID(),
				name,
				resource,
				createdAt: new Date().toISOString(),
				permissions: [],
				allowCimdClients: false
			};
			state.apis.push(created);
			return send(res, 201, apiDto(created)), true;
		}
	}

	if ((match = path.match(/^\/api\/api-access\/([^/]+)\/(apis|assignable-apis)$/)) && method === 'GET') {
		const client = clientByParam(clients, match[1]);
		if (!client) return notFound('OIDC client'), true;
		const granted = (a: FakeApi) => !!grantOf(a.id, client.id) || cimdGrant(a, client).cimdGrantedAccess;
		if (match[2] === 'apis') {
			const rows = state.apis
				.filter(granted)
				.sort((a, b) => a.name.localeCompare(b.name))
				.map((a) => ({ api: apiDto(a), ...grantDto(grantOf(a.id, client.id)), ...cimdGrant(a, client) }));
			return send(res, 200, rows), true;
		}
		return send(res, 200, listApis(state.apis.filter((a) => !grantOf(a.id, client.id)))), true;
	}

	if (!(match = path.match(/^\/api\/apis\/([^/]+)(?:\/(.+))?$/))) return false;
	const api = state.apis.find((a) => a.id === decodeURIComponent(match![1]));
	if (!api) return notFound('API'), true;
	const sub = match[2] ?? '';

	if (sub === '') {
		if (method === 'GET') return send(res, 200, apiDto(api)), true;
		if (method === 'PUT') {
			const name = typeof body.name === 'string' ? body.name.trim() : '';
			if (!name) return validationError(ctx, 'name', 'required', 'is required'), true;
			if (name.length > 50) return validationError(ctx, 'name', 'too_long', 'must be at most 50 characters long'), true;
			api.name = name;
			return send(res, 200, apiDto(api)), true;
		}
		if (method === 'DELETE') {
			state.apis = state.apis.filter((a) => a !== api);
			state.grants = state.grants.filter((g) => g.apiId !== api.id);
			return send(res, 204), true;
		}
	}

	if (sub === 'permissions' && method === 'PUT') {
		const list = Array.isArray(body.permissions) ? (body.permissions as Record<string, unknown>[]) : null;
		if (!list) return validationError(ctx, 'permissions', 'required', 'is required'), true;
		const seen = new Set<string>();
		for (const [i, p] of list.entries()) {
			const key = typeof p.key === 'string' ? p.key : '';
			const field = `permissions[${i}].key`;
			if (!key) return validationError(ctx, field, 'required', 'is required'), true;
			if (key.length > 128) return validationError(ctx, field, 'too_long', 'must be at most 128 characters long'), true;
			if (!SCOPE_TOKEN.test(key)) return validationError(ctx, field, 'invalid_format', 'contains invalid characters'), true;
			if (RESERVED_KEYS.includes(key.toLowerCase())) return validationError(ctx, field, 'reserved', 'is reserved by Pocket ID'), true;
			if (seen.has(key)) return validationError(ctx, field, 'duplicate', 'is used more than once'), true;
			seen.add(key);
			const name = typeof p.name === 'string' ? p.name : '';
			if (!name) return validationError(ctx, `permissions[${i}].name`, 'required', 'is required'), true;
			if (name.length > 50) {
				return validationError(ctx, `permissions[${i}].name`, 'too_long', 'must be at most 50 characters long'), true;
			}
			if (typeof p.description === 'string' && p.description.length > 200) {
				return validationError(ctx, `permissions[${i}].description`, 'too_long', 'must be at most 200 characters long'), true;
			}
		}
		// Matched by key: kept keys keep their id (and so their grants).
		api.permissions = list.map((p) => {
			const existing = api.permissions.find((x) => x.key === p.key);
			return {
				id: existing?.id ?? randomUUID(),
				key: String(p.key),
				name: String(p.name),
				...(p.description ? { description: String(p.description) } : {}),
				allowedForCimdClients: existing?.allowedForCimdClients ?? false
			};
		});
		const ids = api.permissions.map((p) => p.id);
		for (const g of state.grants.filter((x) => x.apiId === api.id)) {
			g.userDelegatedPermissionIds = g.userDelegatedPermissionIds.filter((id) => ids.includes(id));
			g.clientPermissionIds = g.clientPermissionIds.filter((id) => ids.includes(id));
		}
		return send(res, 200, apiDto(api)), true;
	}

	if (sub === 'cimd-access' && method === 'PUT') {
		const ids = Array.isArray(body.permissionIds) ? (body.permissionIds as string[]) : [];
		api.allowCimdClients = !!body.enabled;
		for (const p of api.permissions) p.allowedForCimdClients = api.allowCimdClients && ids.includes(p.id);
		return send(res, 200, apiDto(api)), true;
	}

	if (sub === 'clients' && method === 'GET') {
		const rows = clients
			.filter((c) => !!grantOf(api.id, c.id) || cimdGrant(api, c).cimdGrantedAccess)
			.filter((c) => c.name.toLowerCase().includes(search))
			.sort((a, b) => a.name.localeCompare(b.name))
			.map((c) => ({ client: apiClientDto(c), ...grantDto(grantOf(api.id, c.id)), ...cimdGrant(api, c) }));
		return send(res, 200, paginate(rows, url)), true;
	}

	if (sub === 'assignable-clients' && method === 'GET') {
		let rows = clients
			.filter((c) => c.clientType !== 'cimd' && !grantOf(api.id, c.id))
			.filter((c) => c.name.toLowerCase().includes(search))
			.map(apiClientDto);
		rows = sortRows(rows, url, ['name', 'clientType']);
		return send(res, 200, paginate(rows, url)), true;
	}

	if ((match = sub.match(/^clients\/([^/]+)$/))) {
		const client = clientByParam(clients, match[1]);
		if (!client) return notFound('OIDC client'), true;
		if (method === 'DELETE') {
			state.grants = state.grants.filter((g) => !(g.apiId === api.id && g.clientId === client.id));
			return send(res, 204), true;
		}
		if (method === 'PUT') {
			// Foreign permission ids are dropped, a permission implies access, public clients get no client access.
			const own = (v: unknown) =>
				(Array.isArray(v) ? (v as string[]) : []).filter((id) => api.permissions.some((p) => p.id === id));
			const userIds = own(body.userDelegatedPermissionIds);
			const clientIds = client.isPublic ? [] : own(body.clientPermissionIds);
			const grant: FakeGrant = {
				apiId: api.id,
				clientId: client.id,
				userDelegatedAccess: !!body.userDelegatedAccess || userIds.length > 0,
				clientAccess: !client.isPublic && (!!body.clientAccess || clientIds.length > 0),
				userDelegatedPermissionIds: userIds,
				clientPermissionIds: clientIds
			};
			state.grants = state.grants.filter((g) => !(g.apiId === api.id && g.clientId === client.id));
			if (grant.userDelegatedAccess || grant.clientAccess) state.grants.push(grant);
			return send(res, 200, grantDto(grant)), true;
		}
	}

	return false;
}
