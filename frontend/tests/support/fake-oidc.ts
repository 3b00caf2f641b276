// TEST DOUBLE — the OIDC part of tests/support/fake-api.ts: OIDC client administration (management.md §1.5),
// user groups (list only, §1.2), the apps dashboard and consents (§1.6), the authorize interaction
// (protocol.md §1.6) and the device-code verification behind /device (§1.14), in memory and stateful, with the
// spec's shapes and status codes. Not a protocol implementation: /authorize only resumes a finished interaction by
// redirecting to the client's callback, and device codes are seeded by the scenario (no /device/authorize).
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export type InteractionStep = 'authenticate' | 'select_account' | 'reauthenticate' | 'consent';

export type FakeClientSecret = {
	id: string;
	prefix: string;
	hash: string;
	createdAt: string;
	expiresAt: string | null;
};

export type FakeClient = {
	id: string;
	name: string;
	description: string;
	hasLogo: boolean;
	hasDarkLogo: boolean;
	launchURL: string | null;
	requiresReauthentication: boolean;
	clientType: 'standard' | 'cimd';
	callbackURLs: string[];
	logoutCallbackURLs: string[];
	isPublic: boolean;
	pkceEnabled: boolean;
	pkceSupported: boolean;
	requiresPushedAuthorizationRequests: boolean;
	skipConsent: boolean;
	federatedIdentities: unknown[];
	secrets: FakeClientSecret[];
	isGroupRestricted: boolean;
	allowedUserGroupIds: string[];
	accessTokenDurationMinutes: number;
	refreshTokenDurationMinutes: number;
	createdAt: string;
};

export type FakeGroup = { id: string; friendlyName: string; name: string; memberIds: string[]; createdAt: string };

/** What the backend tells the consent screen about a custom scope (an API permission). */
export type ScopeInfo = { key: string; name: string; description?: string };

type Interaction = {
	id: string;
	clientId: string;
	scopes: string[];
	scopeInfo: ScopeInfo[];
	steps: InteractionStep[];
	userId: string | null;
	state: string;
	consentPrompt: boolean;
};

/** A pending RFC 8628 device authorization, by user code. */
type DeviceCode = { clientId: string; scopes: string[]; expired: boolean; approved: boolean };

/** The OIDC part of a scenario (POST /__fake/reset). */
export type OidcScenario = {
	/** false → GET /api/user-groups answers 404 (a backend without the endpoint). */
	userGroupsEndpoint?: boolean;
	/** Interactions to seed: id → client, required steps, scopes. */
	interactions?: Record<
		string,
		{ clientId: string; steps: InteractionStep[]; scopes?: string[]; scopeInfo?: ScopeInfo[] }
	>;
	/** Device authorizations to seed: user code (`E` + 7 characters) → client, scopes, expiry. */
	deviceCodes?: Record<string, { clientId: string; scopes?: string[]; expired?: boolean }>;
	/** Changes to seeded clients, by client id (e.g. `requiresReauthentication`). */
	clientOverrides?: Record<string, Partial<Pick<FakeClient, 'requiresReauthentication' | 'skipConsent' | 'isPublic'>>>;
};

export const SEED_CLIENTS = {
	nextcloud: {
		id: '3654a746-35d4-4321-ac61-0bdcff2b4055',
		name: 'Nextcloud',
		secret: 'w2mUeZISmEvIDMEDvpY0PnxQIpj1m3zY',
		callbackUrl: 'http://nextcloud.localhost/auth/callback',
		launchURL: 'https://nextcloud.local'
	},
	immich: {
		id: '606c7782-f2b1-49e5-8ea9-26eb1b06d018',
		name: 'Immich',
		secret: 'PYjrE9u4v9GVqXKi52eur0eb2Ci4kc0x',
		callbackUrl: 'http://immich.localhost/auth/callback',
		launchURL: 'https://immich.local'
	},
	tailscale: {
		id: '7c21a609-96b5-4011-9900-272b8d31a9d1',
		name: 'Tailscale',
		secret: 'n4VfQeXlTzA6yKpWbR9uJcMdSx2qH0Lo',
		callbackUrl: 'http://tailscale.localhost/auth/callback'
	},
	parClient: {
		id: 'a1b2c3d4-e5f6-7890-abcd-ef0000000001',
		name: 'PAR Test Client',
		callbackUrl: 'http://par.localhost/auth/callback'
	}
} as const;

export const SEED_GROUPS = {
	developers: { id: 'c7ae7c01-28a3-4f3c-9572-1ee734ea8368', friendlyName: 'Developers', name: 'developers' },
	designers: { id: 'adab18bf-f89d-4087-9ee1-70ff15b48211', friendlyName: 'Designers', name: 'designers' }
} as const;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

function secretRecord(secret: string, createdAt: string, expiresAt: string | null = null): FakeClientSecret {
	return { id: randomUUID(), prefix: secret.length > 4 ? secret.slice(0, 4) : '', hash: sha256(secret), createdAt, expiresAt };
}

function baseClient(partial: Partial<FakeClient> & Pick<FakeClient, 'id' | 'name'>): FakeClient {
	return {
		description: '',
		hasLogo: false,
		hasDarkLogo: false,
		launchURL: null,
		requiresReauthentication: false,
		clientType: 'standard',
		callbackURLs: [],
		logoutCallbackURLs: [],
		isPublic: false,
		pkceEnabled: false,
		pkceSupported: false,
		requiresPushedAuthorizationRequests: false,
		skipConsent: false,
		federatedIdentities: [],
		secrets: [],
		isGroupRestricted: false,
		allowedUserGroupIds: [],
		accessTokenDurationMinutes: 60,
		refreshTokenDurationMinutes: 43200,
		createdAt: '2025-01-01T00:00:00Z',
		...partial
	};
}

export type OidcState = {
	clients: FakeClient[];
	groups: FakeGroup[];
	/** Consents: user id → client id → last use. */
	authorizations: { userId: string; clientId: string; lastUsedAt: string }[];
	interactions: Map<string, Interaction>;
	deviceCodes: Map<string, DeviceCode>;
	/** Users who passed POST /api/webauthn/reauthenticate and have not used it yet. */
	reauthenticated: Set<string>;
	scenario: OidcScenario;
};

export function freshOidcState(scenario: OidcScenario, userIds: { tim: string; craig: string }): OidcState {
	const c = SEED_CLIENTS;
	const created = '2025-01-01T00:00:00Z';
	const clients: FakeClient[] = [
		baseClient({
			id: c.nextcloud.id,
			name: c.nextcloud.name,
			description: 'Nextcloud is a suite of client-server software for creating and using file hosting services.',
			callbackURLs: [c.nextcloud.callbackUrl],
			logoutCallbackURLs: ['http://nextcloud.localhost/auth/logout/callback'],
			launchURL: c.nextcloud.launchURL,
			secrets: [secretRecord(c.nextcloud.secret, created)]
		}),
		baseClient({
			id: c.immich.id,
			name: c.immich.name,
			callbackURLs: [c.immich.callbackUrl],
			launchURL: c.immich.launchURL,
			secrets: [secretRecord(c.immich.secret, created)],
			isGroupRestricted: true,
			allowedUserGroupIds: [SEED_GROUPS.designers.id]
		}),
		baseClient({
			id: c.tailscale.id,
			name: c.tailscale.name,
			callbackURLs: [c.tailscale.callbackUrl],
			secrets: [secretRecord(c.tailscale.secret, created)],
			isGroupRestricted: true,
			allowedUserGroupIds: [SEED_GROUPS.developers.id]
		}),
		baseClient({ id: c.parClient.id, name: c.parClient.name, callbackURLs: [c.parClient.callbackUrl] })
	];
	const groups: FakeGroup[] = [
		{ ...SEED_GROUPS.developers, memberIds: [userIds.tim, userIds.craig], createdAt: created },
		{ ...SEED_GROUPS.designers, memberIds: [userIds.tim], createdAt: created }
	];
	const authorizations = [
		{ userId: userIds.tim, clientId: c.nextcloud.id, lastUsedAt: '2025-08-01T10:00:00Z' },
		{ userId: userIds.tim, clientId: c.tailscale.id, lastUsedAt: '2025-08-10T10:00:00Z' },
		{ userId: userIds.tim, clientId: c.parClient.id, lastUsedAt: '2024-01-01T10:00:00Z' }
	];
	const interactions = new Map<string, Interaction>();
	for (const [id, i] of Object.entries(scenario.interactions ?? {})) {
		interactions.set(id, {
			id,
			clientId: i.clientId,
			scopes: i.scopes ?? ['openid', 'profile', 'email'],
			scopeInfo: i.scopeInfo ?? [],
			steps: [...i.steps],
			userId: null,
			state: 'nXx-6Qr-owc1SHBa',
			consentPrompt: i.steps.includes('consent')
		});
	}
	for (const [id, overrides] of Object.entries(scenario.clientOverrides ?? {})) {
		const client = clients.find((x) => x.id === id);
		if (client) Object.assign(client, overrides);
	}
	const deviceCodes = new Map<string, DeviceCode>();
	for (const [userCode, d] of Object.entries(scenario.deviceCodes ?? {})) {
		deviceCodes.set(normalizeUserCode(userCode), {
			clientId: d.clientId,
			scopes: d.scopes ?? ['openid', 'profile', 'email'],
			expired: !!d.expired,
			approved: false
		});
	}
	return { clients, groups, authorizations, interactions, deviceCodes, reauthenticated: new Set(), scenario };
}

export type OidcContext = {
	req: IncomingMessage;
	res: ServerResponse;
	url: URL;
	method: string;
	path: string;
	body: unknown;
	user: { id: string; isAdmin: boolean } | null;
	send: (res: ServerResponse, status: number, body?: unknown, headers?: Record<string, string>) => void;
	apiError: (res: ServerResponse, status: number, code: string, error: string) => void;
};

const stepOrder: InteractionStep[] = ['authenticate', 'select_account', 'reauthenticate', 'consent'];

/** A 1×1 transparent PNG served as every uploaded logo. */
const PNG = Buffer.from(
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
	'base64'
);

function metaDto(c: FakeClient) {
	return {
		id: c.id,
		name: c.name,
		description: c.description,
		hasLogo: c.hasLogo,
		hasDarkLogo: c.hasDarkLogo,
		launchURL: c.launchURL,
		requiresReauthentication: c.requiresReauthentication,
		clientType: c.clientType
	};
}

function secretDto(s: FakeClientSecret) {
	return {
		id: s.id,
		prefix: s.prefix,
		createdAt: s.createdAt,
		expiresAt: s.expiresAt,
		isActive: !s.expiresAt || new Date(s.expiresAt).getTime() > Date.now()
	};
}

function groupMinimal(g: FakeGroup) {
	return {
		id: g.id,
		friendlyName: g.friendlyName,
		name: g.name,
		customClaims: [],
		userCount: g.memberIds.length,
		ldapId: null,
		createdAt: g.createdAt
	};
}

function clientDto(state: OidcState, c: FakeClient) {
	return {
		...metaDto(c),
		callbackURLs: c.callbackURLs,
		logoutCallbackURLs: c.logoutCallbackURLs,
		isPublic: c.isPublic,
		pkceEnabled: c.pkceEnabled,
		requiresPushedAuthorizationRequests: c.requiresPushedAuthorizationRequests,
		skipConsent: c.skipConsent,
		credentials: {
			...(c.federatedIdentities.length ? { federatedIdentities: c.federatedIdentities } : {}),
			secrets: c.secrets.map(secretDto)
		},
		isGroupRestricted: c.isGroupRestricted,
		...(c.pkceSupported ? { pkceSupported: true } : {}),
		accessTokenDurationMinutes: c.accessTokenDurationMinutes,
		refreshTokenDurationMinutes: c.refreshTokenDurationMinutes
	};
}

function withGroups(state: OidcState, c: FakeClient) {
	return {
		...clientDto(state, c),
		allowedUserGroups: state.groups.filter((g) => c.allowedUserGroupIds.includes(g.id)).map(groupMinimal)
	};
}

/** Pagination, sorting and `filters[…]` of a list endpoint (management.md §0.3). */
export function paginate<T>(rows: T[], url: URL) {
	const limit = Math.min(100, Math.max(1, Number(url.searchParams.get('pagination[limit]') ?? 20) || 20));
	const totalPages = Math.max(1, Math.ceil(rows.length / limit));
	const page = Math.min(totalPages, Math.max(1, Number(url.searchParams.get('pagination[page]') ?? 1) || 1));
	return {
		data: rows.slice((page - 1) * limit, page * limit),
		pagination: { totalPages, totalItems: rows.length, currentPage: page, itemsPerPage: limit }
	};
}

export function sortRows<T extends Record<string, unknown>>(rows: T[], url: URL, allowed: string[]): T[] {
	const column = url.searchParams.get('sort[column]');
	if (!column || !allowed.includes(column)) return rows;
	const dir = url.searchParams.get('sort[direction]') === 'desc' ? -1 : 1;
	return [...rows].sort((a, b) => {
		const x = a[column];
		const y = b[column];
		if (x === y) return 0;
		if (x === null || x === undefined) return 1; // NULLS LAST
		if (y === null || y === undefined) return -1;
		return (x < y ? -1 : 1) * dir;
	});
}

function filterValues(url: URL, field: string): string[] {
	const out: string[] = [];
	for (const [k, v] of url.searchParams) {
		if (k === `filters[${field}]` || k.startsWith(`filters[${field}][`)) out.push(v);
	}
	return out;
}

type ClientBody = Partial<{
	id: string;
	name: string;
	description: string;
	callbackURLs: string[];
	logoutCallbackURLs: string[];
	isPublic: boolean;
	pkceEnabled: boolean;
	requiresReauthentication: boolean;
	requiresPushedAuthorizationRequests: boolean;
	skipConsent: boolean;
	credentials: { federatedIdentities?: unknown[] };
	launchURL: string;
	logoUrl: string;
	darkLogoUrl: string;
	isGroupRestricted: boolean;
	accessTokenDurationMinutes: number;
	refreshTokenDurationMinutes: number;
}>;

export function validationError(ctx: OidcContext, field: string, code: string, message: string) {
	ctx.send(ctx.res, 400, {
		error: `${field} ${message}`,
		code: 'validation_failed',
		details: { fields: [{ field, code, message }] },
		request_id: randomUUID()
	});
}

/** Validates a create/update body; sends the error and returns false when invalid. */
function checkClientBody(ctx: OidcContext, b: ClientBody): boolean {
	if (!b.name) return validationError(ctx, 'name', 'required', 'is required'), false;
	if (b.name.length > 50) return validationError(ctx, 'name', 'too_long', 'must be at most 50 characters long'), false;
	for (const list of ['callbackURLs', 'logoutCallbackURLs'] as const) {
		for (const u of b[list] ?? []) {
			if (/^(javascript|data):/i.test(u) || (!u.includes('*') && !/^[a-z][a-z0-9+.-]*:/i.test(u))) {
				return validationError(ctx, list, 'invalid_format', 'must be a valid URL'), false;
			}
		}
	}
	for (const f of ['accessTokenDurationMinutes', 'refreshTokenDurationMinutes'] as const) {
		const v = b[f];
		if (v !== undefined && v !== 0 && (v < 1 || v > 525600)) {
			return validationError(ctx, f, 'max', 'is invalid'), false;
		}
	}
	return true;
}

function applyClientBody(c: FakeClient, b: ClientBody) {
	c.name = b.name ?? c.name;
	c.description = b.description ?? '';
	c.callbackURLs = b.callbackURLs ?? [];
	c.logoutCallbackURLs = b.logoutCallbackURLs ?? [];
	c.isPublic = !!b.isPublic;
	c.pkceEnabled = !!b.isPublic || !!b.pkceEnabled;
	if (!c.pkceEnabled) c.pkceSupported = false;
	c.requiresReauthentication = !!b.requiresReauthentication;
	c.requiresPushedAuthorizationRequests = !!b.requiresPushedAuthorizationRequests;
	c.skipConsent = !!b.skipConsent;
	c.federatedIdentities = b.credentials?.federatedIdentities ?? [];
	c.launchURL = b.launchURL || null;
	c.isGroupRestricted = !!b.isGroupRestricted;
	if (!c.isGroupRestricted) c.allowedUserGroupIds = [];
	c.accessTokenDurationMinutes = b.accessTokenDurationMinutes || 60;
	c.refreshTokenDurationMinutes = b.refreshTokenDurationMinutes || 43200;
	if (b.logoUrl) c.hasLogo = true;
	if (b.darkLogoUrl) c.hasDarkLogo = true;
}

function canAccess(state: OidcState, c: FakeClient, userId: string): boolean {
	if (!c.isGroupRestricted) return true;
	return state.groups.some((g) => c.allowedUserGroupIds.includes(g.id) && g.memberIds.includes(userId));
}

function interactionDto(state: OidcState, i: Interaction) {
	const c = state.clients.find((x) => x.id === i.clientId)!;
	const steps = stepOrder.filter((s) => i.steps.includes(s));
	return {
		id: i.id,
		scopes: i.scopes,
		scopeInfo: i.scopeInfo,
		client: metaDto(c),
		...(steps.length ? { currentStep: steps[0] } : {}),
		requiredSteps: steps
	};
}

/** The backend's user-code lookup normalisation (protocol.md §1.14). */
function normalizeUserCode(code: string): string {
	return code.trim().toUpperCase().replaceAll('I', '1').replaceAll('O', '0');
}

/** The client named by a path segment: the id itself, or `~<base64url(id)>` for CIMD ids (management.md §0.5). */
export function clientByParam(clients: FakeClient[], raw: string): FakeClient | undefined {
	let id = decodeURIComponent(raw);
	if (id.startsWith('~')) id = Buffer.from(id.slice(1), 'base64url').toString('utf8');
	return clients.find((c) => c.id === id);
}

/** Answers the OIDC routes; returns false for paths it does not handle. */
export function handleOidcApi(state: OidcState, ctx: OidcContext): boolean {
	const { res, url, method, path, user, send, apiError } = ctx;
	const b = (ctx.body ?? {}) as ClientBody;
	let match: RegExpMatchArray | null;

	const requireUser = () => {
		if (!user) apiError(res, 401, 'not_signed_in', 'You are not signed in');
		return user;
	};
	const requireAdmin = () => {
		if (!requireUser()) return null;
		if (!user!.isAdmin) {
			apiError(res, 403, 'forbidden', "You don't have permission to perform this action");
			return null;
		}
		return user;
	};
	const findClient = (raw: string) => clientByParam(state.clients, raw);
	const clientNotFound = () =>
		send(res, 404, {
			error: 'OIDC client not found',
			code: 'not_found',
			details: { resource: 'OIDC client' },
			request_id: randomUUID()
		});

	// --- user groups ---
	if (path === '/api/user-groups' && method === 'GET') {
		if (!requireAdmin()) return true;
		if (state.scenario.userGroupsEndpoint === false) {
			send(res, 404, { error: 'API endpoint not found' });
			return true;
		}
		const search = (url.searchParams.get('search') ?? '').toLowerCase();
		let rows = state.groups.map(groupMinimal).filter((g) => g.name.toLowerCase().includes(search));
		rows = sortRows(rows, url, ['friendlyName', 'name', 'userCount', 'createdAt']);
		send(res, 200, paginate(rows, url));
		return true;
	}

	// --- OIDC client administration ---
	if (path === '/api/oidc/clients' && method === 'GET') {
		if (!requireAdmin()) return true;
		const search = (url.searchParams.get('search') ?? '').toLowerCase();
		let rows = state.clients
			.filter((c) => c.name.toLowerCase().includes(search))
			.map((c) => ({ ...clientDto(state, c), allowedUserGroupsCount: c.allowedUserGroupIds.length }));
		for (const field of [
			'pkceEnabled',
			'requiresReauthentication',
			'requiresPushedAuthorizationRequests',
			'skipConsent',
			'isGroupRestricted',
			'clientType'
		]) {
			const values = filterValues(url, field);
			if (values.length) rows = rows.filter((r) => values.includes(String((r as Record<string, unknown>)[field])));
		}
		rows = sortRows(rows, url, [
			'name',
			'pkceEnabled',
			'requiresReauthentication',
			'requiresPushedAuthorizationRequests',
			'skipConsent',
			'isGroupRestricted',
			'clientType',
			'allowedUserGroupsCount'
		]);
		send(res, 200, paginate(rows, url));
		return true;
	}
	if (path === '/api/oidc/clients' && method === 'POST') {
		if (!requireAdmin()) return true;
		if (!checkClientBody(ctx, b)) return true;
		if (b.id !== undefined && (!/^[a-zA-Z0-9._-]+$/.test(b.id) || b.id.length < 2 || b.id.length > 128)) {
			validationError(ctx, 'id', 'invalid_format', 'is invalid');
			return true;
		}
		if (b.id && state.clients.some((c) => c.id === b.id)) {
			apiError(res, 409, 'client_id_already_exists', 'Client ID already exists');
			return true;
		}
		const c = baseClient({ id: b.id || randomUUID(), name: b.name!, createdAt: new Date().toISOString() });
		applyClientBody(c, b);
		state.clients.push(c);
		send(res, 201, withGroups(state, c));
		return true;
	}
	if ((match = path.match(/^\/api\/oidc\/clients\/([^/]+)\/meta$/)) && method === 'GET') {
		const c = findClient(match[1]);
		if (!c) return clientNotFound(), true;
		send(res, 200, metaDto(c));
		return true;
	}
	if ((match = path.match(/^\/api\/oidc\/clients\/([^/]+)\/logo$/))) {
		const c = findClient(match[1]);
		const light = url.searchParams.get('light') !== 'false';
		if (method === 'GET' || method === 'HEAD') {
			if (!c || !(c.hasLogo || c.hasDarkLogo)) return apiError(res, 404, 'image_not_found', 'Image not found'), true;
			res.writeHead(200, { 'Content-Type': 'image/png', 'Cache-Control': 'public, max-age=900' });
			res.end(method === 'HEAD' ? undefined : PNG);
			return true;
		}
		if (!requireAdmin()) return true;
		if (!c) return clientNotFound(), true;
		if (method === 'POST') {
			if (!(ctx.req.headers['content-type'] ?? '').startsWith('multipart/form-data')) {
				apiError(res, 400, 'invalid_request_body', 'A file is required');
				return true;
			}
			if (light) c.hasLogo = true;
			else c.hasDarkLogo = true;
			send(res, 204);
			return true;
		}
		if (method === 'DELETE') {
			const has = light ? c.hasLogo : c.hasDarkLogo;
			if (!has) return apiError(res, 404, 'image_not_found', 'Image not found'), true;
			if (light) c.hasLogo = false;
			else c.hasDarkLogo = false;
			send(res, 204);
			return true;
		}
	}
	if ((match = path.match(/^\/api\/oidc\/clients\/([^/]+)\/secrets$/))) {
		if (!requireAdmin()) return true;
		const c = findClient(match[1]);
		if (!c) return clientNotFound(), true;
		if (method === 'GET') {
			send(res, 200, c.secrets.map(secretDto));
			return true;
		}
		if (method === 'POST') {
			const body = (ctx.body ?? {}) as { secret?: string; expiresAt?: string | null };
			if (c.isPublic) return apiError(res, 400, 'validation_failed', 'Cannot create a secret for a public client'), true;
			if (c.secrets.length >= 20) {
				apiError(res, 400, 'validation_failed', 'A client cannot have more than 20 secrets');
				return true;
			}
			if (body.expiresAt && new Date(body.expiresAt).getTime() <= Date.now()) {
				apiError(res, 400, 'validation_failed', 'The expiration date of a client secret must be in the future');
				return true;
			}
			if (body.secret !== undefined && (body.secret.length < 16 || !/^[\x20-\x7e]+$/.test(body.secret))) {
				validationError(ctx, 'secret', 'too_short', 'must be at least 16 characters long');
				return true;
			}
			const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
			const secret = body.secret ?? Array.from(randomBytes(32), (x) => alphabet[x % alphabet.length]).join('');
			const record = secretRecord(secret, new Date().toISOString(), body.expiresAt ?? null);
			c.secrets.push(record);
			send(res, 201, { ...secretDto(record), secret });
			return true;
		}
	}
	if ((match = path.match(/^\/api\/oidc\/clients\/([^/]+)\/secrets\/([^/]+)$/)) && method === 'DELETE') {
		if (!requireAdmin()) return true;
		const c = findClient(match[1]);
		if (!c) return clientNotFound(), true;
		const before = c.secrets.length;
		c.secrets = c.secrets.filter((s) => s.id !== decodeURIComponent(match![2]));
		if (c.secrets.length === before) {
			send(res, 404, { error: 'Client secret not found', code: 'not_found', details: { resource: 'Client secret' } });
			return true;
		}
		send(res, 204);
		return true;
	}
	if ((match = path.match(/^\/api\/oidc\/clients\/([^/]+)\/allowed-user-groups$/)) && method === 'PUT') {
		if (!requireAdmin()) return true;
		const c = findClient(match[1]);
		if (!c) return clientNotFound(), true;
		const ids = (ctx.body as { userGroupIds?: string[] })?.userGroupIds;
		if (!Array.isArray(ids)) return validationError(ctx, 'userGroupIds', 'required', 'is required'), true;
		c.allowedUserGroupIds = state.groups.filter((g) => ids.includes(g.id)).map((g) => g.id);
		send(res, 200, clientDto(state, c));
		return true;
	}
	if ((match = path.match(/^\/api\/oidc\/clients\/([^/]+)$/))) {
		if (!requireAdmin()) return true;
		const c = findClient(match[1]);
		if (!c) return clientNotFound(), true;
		if (method === 'GET') {
			send(res, 200, withGroups(state, c));
			return true;
		}
		if (method === 'PUT') {
			if (!checkClientBody(ctx, b)) return true;
			applyClientBody(c, b);
			send(res, 200, withGroups(state, c));
			return true;
		}
		if (method === 'DELETE') {
			state.clients = state.clients.filter((x) => x !== c);
			state.authorizations = state.authorizations.filter((a) => a.clientId !== c.id);
			send(res, 204);
			return true;
		}
	}

	// --- apps dashboard and consents ---
	if (path === '/api/oidc/users/me/clients' && method === 'GET') {
		const u = requireUser();
		if (!u) return true;
		const hasLaunch = filterValues(url, 'hasLaunchURL');
		let rows = state.clients
			.filter((c) => canAccess(state, c, u.id))
			.filter((c) => !hasLaunch.length || hasLaunch.includes(String(!!c.launchURL)))
			.map((c) => ({
				...metaDto(c),
				requiresReauthentication: false,
				lastUsedAt:
					state.authorizations.find((a) => a.userId === u.id && a.clientId === c.id)?.lastUsedAt ?? null
			}));
		rows = sortRows(rows, url, ['lastUsedAt', 'name']);
		send(res, 200, paginate(rows, url));
		return true;
	}
	if (path === '/api/oidc/users/me/authorized-clients' && method === 'GET') {
		const u = requireUser();
		if (!u) return true;
		const hasLaunch = filterValues(url, 'hasLaunchURL');
		let rows = state.authorizations
			.filter((a) => a.userId === u.id)
			.map((a) => ({ a, c: state.clients.find((c) => c.id === a.clientId)! }))
			.filter(({ c }) => c && (!hasLaunch.length || hasLaunch.includes(String(!!c.launchURL))))
			.map(({ a, c }) => ({ scope: '', client: metaDto(c), lastUsedAt: a.lastUsedAt }));
		rows = sortRows(rows, url, ['lastUsedAt']);
		send(res, 200, paginate(rows, url));
		return true;
	}
	if ((match = path.match(/^\/api\/oidc\/users\/me\/authorized-clients\/([^/]+)$/)) && method === 'DELETE') {
		const u = requireUser();
		if (!u) return true;
		const c = findClient(match[1]);
		const before = state.authorizations.length;
		state.authorizations = state.authorizations.filter((a) => !(a.userId === u.id && a.clientId === c?.id));
		if (state.authorizations.length === before) {
			send(res, 404, {
				error: 'Client authorization not found',
				code: 'not_found',
				details: { resource: 'Client authorization' }
			});
			return true;
		}
		send(res, 204);
		return true;
	}

	// --- authorize interaction ---
	if (path === '/api/webauthn/reauthenticate' && method === 'POST') {
		const u = requireUser();
		if (!u) return true;
		state.reauthenticated.add(u.id);
		send(res, 204);
		return true;
	}
	if ((match = path.match(/^\/api\/oidc\/interactions\/([^/]+)(\/complete)?$/))) {
		const i = state.interactions.get(decodeURIComponent(match[1]));
		const notFound = () =>
			send(res, 404, {
				error: 'OIDC interaction not found or expired',
				code: 'not_found',
				details: { resource: 'OIDC interaction' },
				request_id: randomUUID()
			});
		if (!match[2] && method === 'GET') {
			if (!i) return notFound(), true;
			send(res, 200, interactionDto(state, i));
			return true;
		}
		if (match[2] && method === 'POST') {
			const u = requireUser();
			if (!u) return true;
			if (!i) return notFound(), true;
			const client = state.clients.find((c) => c.id === i.clientId)!;
			const authorized = () => state.authorizations.some((a) => a.userId === u.id && a.clientId === client.id);
			if (i.userId && i.userId !== u.id) {
				// Re-bound to the caller: consent is recomputed.
				i.userId = u.id;
				i.steps = i.steps.filter((s) => s !== 'authenticate' && s !== 'consent');
				if (i.consentPrompt || (!authorized() && !client.skipConsent)) i.steps.push('consent');
			}
			const steps = stepOrder.filter((s) => i.steps.includes(s));
			const redirect = () => send(res, 200, { redirectUrl: `/authorize?interaction=${encodeURIComponent(i.id)}` });
			if (!steps.length) return redirect(), true;
			const step = (ctx.body as { step?: string })?.step;
			if (!step || !stepOrder.includes(step as InteractionStep)) {
				apiError(res, 400, 'validation_failed', `unknown interaction step ${step ?? ''}`);
				return true;
			}
			if (step !== steps[0]) {
				apiError(res, 400, 'validation_failed', `expected interaction step ${steps[0]} but got ${step}`);
				return true;
			}
			if (step === 'reauthenticate') {
				if (!state.reauthenticated.delete(u.id)) {
					validationError(ctx, 'reauthenticationToken', 'required', 'is required');
					return true;
				}
			}
			i.steps = i.steps.filter((s) => s !== step);
			if (step === 'authenticate') {
				i.userId = u.id;
				if (!i.steps.includes('consent') && !authorized() && !client.skipConsent) i.steps.push('consent');
			}
			if (step === 'select_account') i.userId = u.id;
			if (step === 'consent') {
				const existing = state.authorizations.find((a) => a.userId === u.id && a.clientId === client.id);
				if (existing) existing.lastUsedAt = new Date().toISOString();
				else state.authorizations.push({ userId: u.id, clientId: client.id, lastUsedAt: new Date().toISOString() });
			}
			const remaining = stepOrder.filter((s) => i.steps.includes(s));
			if (remaining.length) send(res, 200, { interaction: interactionDto(state, i) });
			else redirect();
			return true;
		}
	}

	// --- device authorization, user side (protocol.md §1.14) ---
	const deviceRoute =
		(path === '/api/oidc/device/info' && method === 'GET') || (path === '/api/oidc/device/verify' && method === 'POST');
	if (deviceRoute) {
		const u = requireUser();
		if (!u) return true;
		const raw = url.searchParams.get('code');
		if (!raw) {
			validationError(ctx, 'code', 'required', 'is required');
			return true;
		}
		const d = state.deviceCodes.get(normalizeUserCode(raw));
		if (!d || d.approved) {
			apiError(res, 400, 'oidc_invalid_device_code', 'Device code is invalid');
			return true;
		}
		if (d.expired) {
			apiError(res, 400, 'oidc_device_code_expired', 'Device code has expired');
			return true;
		}
		const client = state.clients.find((c) => c.id === d.clientId)!;
		const authorization = state.authorizations.find((a) => a.userId === u.id && a.clientId === client.id);
		if (method === 'GET') {
			send(res, 200, {
				scope: d.scopes,
				scopeInfo: [],
				authorizationRequired: !authorization && !client.skipConsent,
				reauthenticationRequired: client.requiresReauthentication,
				client: { ...metaDto(client), description: '' }
			});
			return true;
		}
		if (!canAccess(state, client, u.id)) {
			// The one error of this API without a `code` field.
			send(res, 403, { error: "You're not allowed to access this service." });
			return true;
		}
		if (client.requiresReauthentication && !state.reauthenticated.delete(u.id)) {
			apiError(res, 401, 'reauthentication_required', 'Reauthentication is required');
			return true;
		}
		d.approved = true;
		if (authorization) authorization.lastUsedAt = new Date().toISOString();
		else state.authorizations.push({ userId: u.id, clientId: client.id, lastUsedAt: new Date().toISOString() });
		send(res, 204);
		return true;
	}

	return false;
}

/**
 * GET /authorize?interaction=<id> (a backend route): the double only resumes finished interactions, redirecting
 * to the client's first callback URL with a fake code, or to /interaction/error when the user may not use the
 * client. Anything else goes to /interaction/error.
 */
export function handleAuthorize(
	state: OidcState,
	url: URL,
	userId: string | null,
	res: ServerResponse
): void {
	const i = state.interactions.get(url.searchParams.get('interaction') ?? '');
	const location = (() => {
		if (!i || i.steps.length || !userId) {
			return `/interaction/error?error=${encodeURIComponent('The interaction session is invalid or has expired.')}`;
		}
		const client = state.clients.find((c) => c.id === i.clientId)!;
		if (!canAccess(state, client, userId)) {
			return `/interaction/error?error=${encodeURIComponent('You are not allowed to access this service.')}`;
		}
		state.interactions.delete(i.id);
		const callback = new URL(client.callbackURLs[0]);
		callback.searchParams.set('code', `fake-code-${randomBytes(6).toString('hex')}`);
		callback.searchParams.set('state', i.state);
		return callback.toString();
	})();
	res.writeHead(302, { Location: location, 'Cache-Control': 'no-store' });
	res.end();
}

/** The discovery document's URLs for the client page. */
export function discoveryDocument(origin: string) {
	return {
		issuer: origin,
		authorization_endpoint: `${origin}/authorize`,
		token_endpoint: `${origin}/api/oidc/token`,
		userinfo_endpoint: `${origin}/api/oidc/userinfo`,
		end_session_endpoint: `${origin}/api/oidc/end-session`,
		jwks_uri: `${origin}/.well-known/jwks.json`
	};
}
