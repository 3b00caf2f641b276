// TEST DOUBLE — used only by the Playwright specs in this folder, never shipped.
//
// A tiny HTTP server that serves the built SPA (frontend/build) with the same fallback rules as the C++
// backend (a file if it exists, otherwise index.html) and answers the few /api routes the specs need with
// fixed, in-memory data. It stands in for the backend until the real one serves these routes; the specs that
// depend on its data skip themselves when PID_BASE_URL points at a real server.
//
// Control routes (test harness only): POST /__fake/reset with a JSON scenario, GET /__fake/requests.
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import { freshApisState, handleApisApi, type ApisState } from './fake-apis';
import {
	freshDeviceLoginState,
	handleDeviceLoginApi,
	type DeviceLoginScenario,
	type DeviceLoginState
} from './fake-device-login';
import {
	discoveryDocument,
	freshOidcState,
	handleAuthorize,
	handleOidcApi,
	SEED_CLIENTS,
	type OidcScenario,
	type OidcState
} from './fake-oidc';

export type FakeUser = {
	id: string;
	username: string;
	email: string | null;
	emailVerified: boolean;
	firstName: string;
	lastName: string | null;
	displayName: string;
	isAdmin: boolean;
	locale: string | null;
	customClaims: { key: string; value: string }[];
	userGroups: unknown[];
	ldapId: string | null;
	disabled: boolean;
};

export type FakePasskey = {
	id: string;
	name: string;
	credentialID: string;
	attestationType: string;
	transport: string[];
	backupEligible: boolean;
	backupState: boolean;
	createdAt: string;
	lastUsedAt?: string;
	userId: string;
};

/** What a spec can change through POST /__fake/reset. */
export type Scenario = OidcScenario & DeviceLoginScenario & {
	/** Public app-config values (as strings, like the real endpoint). */
	config?: Record<string, string>;
	setupAvailable?: boolean;
	/** false → GET /api/version/current answers 404. */
	versionEndpoint?: boolean;
	/** Passkeys per username; default: tim has "Passkey 1" and "Passkey 2", craig has one. */
	passkeys?: Record<string, { name: string; lastUsedAt?: string }[]>;
	/** Number of audit-log rows for the signed-in user. */
	auditLogCount?: number;
	/** A JPEG served as the login background (GET/HEAD /api/application-images/background). */
	backgroundImage?: string;
	/** Make POST /api/webauthn/login/finish fail with this error envelope. */
	loginFailure?: { status: number; error: string; code: string };
};

export const FAKE_USERS = {
	tim: {
		id: 'f4b89dc2-62fb-46bf-9f5f-c34f4eafe93e',
		username: 'tim',
		email: 'tim.cook@test.com',
		emailVerified: true,
		firstName: 'Tim',
		lastName: 'Cook',
		displayName: 'Tim Cook',
		isAdmin: true,
		locale: null,
		customClaims: [],
		userGroups: [],
		ldapId: null,
		disabled: false
	},
	craig: {
		id: '1cd19686-f9a6-43f4-a41f-14a0bf5b4036',
		username: 'craig',
		email: 'craig.federighi@test.com',
		emailVerified: false,
		firstName: 'Craig',
		lastName: 'Federighi',
		displayName: 'Craig Federighi',
		isAdmin: false,
		locale: null,
		customClaims: [],
		userGroups: [],
		ldapId: null,
		disabled: false
	}
} satisfies Record<string, FakeUser>;

/** The valid login code (12 characters, as made by the CLI) and its owner. */
export const VALID_LOGIN_CODE = 'HPe6k6u1DRRV';
export const VALID_SHORT_LOGIN_CODE = 'abc234';
export const VALID_SIGNUP_TOKEN = 'VALID1234567890A';

const defaultConfig: Record<string, string> = {
	appName: 'Pocket ID',
	homePageUrl: '/settings/account',
	accentColor: 'default',
	disableAnimations: 'false',
	allowOwnAccountEdit: 'true',
	allowUserSignups: 'disabled',
	requireUserEmail: 'true',
	emailOneTimeAccessAsUnauthenticatedEnabled: 'false',
	emailOneTimeAccessAsAdminEnabled: 'false',
	emailVerificationEnabled: 'false',
	ldapEnabled: 'false',
	uiConfigDisabled: 'false',
	tracingEnabled: 'false'
};

type State = {
	scenario: Scenario;
	users: Record<string, FakeUser>;
	passkeys: FakePasskey[];
	sessions: Map<string, string>; // cookie value → user id
	oidc: OidcState;
	apis: ApisState;
	deviceLogin: DeviceLoginState;
	requests: { method: string; path: string; query: string; body: unknown }[];
};

function freshState(scenario: Scenario = {}): State {
	const users: Record<string, FakeUser> = {};
	for (const u of Object.values(FAKE_USERS)) users[u.id] = structuredClone(u);
	const perUser = scenario.passkeys ?? {
		tim: [{ name: 'Passkey 1', lastUsedAt: '2025-08-14T09:30:00Z' }, { name: 'Passkey 2' }],
		craig: [{ name: 'Passkey 3' }]
	};
	const passkeys: FakePasskey[] = [];
	for (const [username, list] of Object.entries(perUser)) {
		const user = Object.values(users).find((u) => u.username === username);
		if (!user) continue;
		list.forEach((p, i) =>
			passkeys.push({
				id: randomUUID(),
				name: p.name,
				credentialID: `cred-${username}-${i}`,
				attestationType: 'none',
				transport: ['internal'],
				backupEligible: false,
				backupState: false,
				createdAt: new Date(Date.UTC(2025, 0, 10 + i)).toISOString(),
				...(p.lastUsedAt ? { lastUsedAt: p.lastUsedAt } : {}),
				userId: user.id
			})
		);
	}
	const oidc = freshOidcState(scenario, { tim: FAKE_USERS.tim.id, craig: FAKE_USERS.craig.id });
	const apis = freshApisState(SEED_CLIENTS.immich.id);
	const deviceLogin = freshDeviceLoginState(scenario);
	return { scenario, users, passkeys, sessions: new Map(), oidc, apis, deviceLogin, requests: [] };
}

/** Session cookie values the specs can set directly to be "signed in" as a seeded user. */
export const SESSION_COOKIE = 'access_token';
export const sessionTokenFor = (username: keyof typeof FAKE_USERS) => `fake-session-${username}`;

const mime: Record<string, string> = {
	'.html': 'text/html; charset=utf-8',
	'.js': 'text/javascript; charset=utf-8',
	'.css': 'text/css; charset=utf-8',
	'.json': 'application/json',
	'.svg': 'image/svg+xml',
	'.png': 'image/png',
	'.ico': 'image/x-icon',
	'.txt': 'text/plain; charset=utf-8',
	'.webmanifest': 'application/manifest+json'
};

export const cspFor = (nonce: string) =>
	"default-src 'self'; base-uri 'self'; object-src 'none'; frame-ancestors 'none'; form-action 'self'; " +
	`img-src * blob:;font-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'self' 'nonce-${nonce}'`;

function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}) {
	const payload = body === undefined ? '' : JSON.stringify(body);
	res.writeHead(status, {
		'Cache-Control': 'private, no-store',
		'X-Request-ID': randomUUID(),
		...(body === undefined ? {} : { 'Content-Type': 'application/json; charset=utf-8' }),
		...headers
	});
	res.end(payload);
}

function apiError(res: ServerResponse, status: number, code: string, error: string) {
	send(res, status, { error, code, request_id: randomUUID() });
}

function readCookie(req: IncomingMessage, name: string): string | undefined {
	const header = req.headers.cookie ?? '';
	for (const part of header.split(';')) {
		const [k, ...v] = part.trim().split('=');
		if (k === name) return decodeURIComponent(v.join('='));
	}
	return undefined;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	const text = Buffer.concat(chunks).toString('utf8');
	if (!text) return undefined;
	if (!(req.headers['content-type'] ?? '').includes('application/json')) return { __raw: text.length };
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

const b64url = (buf: Buffer) => buf.toString('base64url');

export function startFakeApi(options: { port: number; buildDir: string }): Promise<Server> {
	const buildDir = resolve(options.buildDir);
	const indexFile = join(buildDir, 'index.html');
	if (!existsSync(indexFile)) {
		throw new Error(`fake-api: ${indexFile} is missing — run "npm run build" first`);
	}
	let state = freshState();

	function currentUser(req: IncomingMessage): FakeUser | null {
		const token = readCookie(req, SESSION_COOKIE);
		if (!token) return null;
		const fixed = Object.values(FAKE_USERS).find((u) => token === sessionTokenFor(u.username as 'tim'));
		const id = state.sessions.get(token) ?? fixed?.id;
		return id ? (state.users[id] ?? null) : null;
	}

	function signIn(res: ServerResponse, user: FakeUser) {
		const token = `fake-${randomBytes(8).toString('hex')}`;
		state.sessions.set(token, user.id);
		res.setHeader('Set-Cookie', `${SESSION_COOKIE}=${token}; Path=/; Max-Age=3600; HttpOnly; SameSite=Lax`);
	}

	function publicPasskey(p: FakePasskey) {
		// eslint-disable-next-line @typescript-eslint/no-unused-vars
		const { userId, ...rest } = p;
		return rest;
	}

	function configList() {
		const merged = { ...defaultConfig, ...state.scenario.config };
		return Object.entries(merged).map(([key, value]) => ({ key, type: '', value }));
	}

	async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL) {
		const method = req.method ?? 'GET';
		const path = url.pathname;
		const body = method === 'GET' || method === 'HEAD' ? undefined : await readJson(req);
		state.requests.push({ method, path, query: url.search, body });
		const user = currentUser(req);
		const requireUser = () => {
			if (!user) apiError(res, 401, 'not_signed_in', 'You are not signed in');
			return user;
		};
		let match: RegExpMatchArray | null;

		if (path === '/api/application-configuration' && method === 'GET') return send(res, 200, configList());
		if (path === '/api/version/current' && method === 'GET') {
			if (!requireUser()) return;
			if (state.scenario.versionEndpoint === false) return send(res, 404, { error: 'API endpoint not found' });
			return send(res, 200, { currentVersion: '2.14.0' });
		}
		if (path === '/api/version/latest' && method === 'GET') return send(res, 200, { latestVersion: '' });

		if (path === '/api/users/me' && method === 'GET') {
			const u = requireUser();
			return u && send(res, 200, u);
		}
		if (path === '/api/users/me' && method === 'PUT') {
			const u = requireUser();
			if (!u) return;
			const b = (body ?? {}) as Partial<FakeUser>;
			if (!b.username) {
				return send(res, 400, {
					error: 'username is required',
					code: 'validation_failed',
					details: { fields: [{ field: 'username', code: 'required', message: 'is required' }] }
				});
			}
			const others = Object.values(state.users).filter((o) => o.id !== u.id);
			if (b.email && others.some((o) => o.email?.toLowerCase() === b.email!.toLowerCase())) {
				return send(res, 409, { error: 'Email is already in use', code: 'already_in_use', details: { property: 'email' } });
			}
			if (others.some((o) => o.username.toLowerCase() === b.username!.toLowerCase())) {
				return send(res, 409, {
					error: 'Username is already in use',
					code: 'already_in_use',
					details: { property: 'username' }
				});
			}
			const editable = state.scenario.config?.allowOwnAccountEdit !== 'false';
			if (editable) {
				u.username = b.username;
				u.email = b.email ?? null;
				u.firstName = b.firstName ?? '';
				u.lastName = b.lastName ?? '';
				u.displayName = b.displayName ?? '';
			}
			u.locale = b.locale ?? null;
			return send(res, 200, u);
		}
		if ((match = path.match(/^\/api\/users\/([^/]+)\/profile-picture\.png$/)) && method === 'GET') {
			return apiError(res, 404, 'image_not_found', 'Image not found');
		}

		if (path === '/api/application-images/background' && state.scenario.backgroundImage) {
			const file = state.scenario.backgroundImage;
			if (!existsSync(file)) return apiError(res, 404, 'image_not_found', 'Image not found');
			res.writeHead(200, { 'Content-Type': 'image/jpeg', 'Cache-Control': 'public, max-age=900' });
			return res.end(method === 'HEAD' ? undefined : readFileSync(file));
		}
		if (path === '/api/application-images/logo' || path === '/api/application-images/background') {
			return apiError(res, 404, 'image_not_found', 'Image not found');
		}
		if (path === '/api/one-time-access-email' && method === 'POST') {
			if (state.scenario.config?.emailOneTimeAccessAsUnauthenticatedEnabled !== 'true') {
				return apiError(res, 403, 'one_time_access_disabled', 'One-time access is disabled');
			}
			return send(res, 204);
		}

		if (path === '/api/signup/setup' && method === 'GET') {
			return state.scenario.setupAvailable ? send(res, 204) : apiError(res, 404, 'setup_not_available', 'Not found');
		}
		if (path === '/api/signup/setup' && method === 'POST') {
			if (!state.scenario.setupAvailable) return apiError(res, 409, 'setup_already_completed', 'Setup already completed');
			const b = (body ?? {}) as { username: string; email?: string; firstName?: string; lastName?: string };
			const created: FakeUser = {
				...structuredClone(FAKE_USERS.tim),
				id: randomUUID(),
				username: b.username,
				email: b.email ?? null,
				firstName: b.firstName ?? '',
				lastName: b.lastName ?? '',
				displayName: `${b.firstName ?? ''} ${b.lastName ?? ''}`.trim(),
				isAdmin: true
			};
			state.users = { [created.id]: created };
			state.passkeys = [];
			state.scenario.setupAvailable = false;
			signIn(res, created);
			return send(res, 200, created);
		}

		if (path === '/api/signup' && method === 'POST') {
			const b = (body ?? {}) as { username: string; email?: string; firstName?: string; lastName?: string; token?: string };
			const mode = state.scenario.config?.allowUserSignups ?? 'disabled';
			if (!b.token && mode !== 'open') return apiError(res, 403, 'open_signup_disabled', 'Open user signup is not enabled');
			if (b.token && b.token !== VALID_SIGNUP_TOKEN) {
				return apiError(res, 401, 'token_invalid_or_expired', 'Token is invalid or expired');
			}
			const all = Object.values(state.users);
			if (b.email && all.some((u) => u.email?.toLowerCase() === b.email!.toLowerCase())) {
				return send(res, 409, { error: 'Email is already in use', code: 'already_in_use', details: { property: 'email' } });
			}
			if (all.some((u) => u.username.toLowerCase() === b.username.toLowerCase())) {
				return send(res, 409, {
					error: 'Username is already in use',
					code: 'already_in_use',
					details: { property: 'username' }
				});
			}
			const created: FakeUser = {
				...structuredClone(FAKE_USERS.craig),
				id: randomUUID(),
				username: b.username,
				email: b.email ?? null,
				firstName: b.firstName ?? '',
				lastName: b.lastName ?? '',
				displayName: `${b.firstName ?? ''} ${b.lastName ?? ''}`.trim()
			};
			state.users[created.id] = created;
			signIn(res, created);
			return send(res, 201, created);
		}

		if ((match = path.match(/^\/api\/one-time-access-token\/([^/]+)$/)) && method === 'POST') {
			const code = decodeURIComponent(match[1]);
			if (code === VALID_LOGIN_CODE || code === VALID_SHORT_LOGIN_CODE) {
				signIn(res, state.users[FAKE_USERS.tim.id]);
				return send(res, 200, state.users[FAKE_USERS.tim.id]);
			}
			return apiError(res, 401, 'token_invalid_or_expired', 'Token is invalid or expired');
		}

		if (path === '/api/webauthn/login/start' && method === 'GET') {
			return send(res, 200, {
				challenge: b64url(randomBytes(32)),
				timeout: 60000,
				rpId: url.hostname,
				userVerification: 'required'
			});
		}
		if (path === '/api/webauthn/login/finish' && method === 'POST') {
			if (state.scenario.loginFailure) {
				const f = state.scenario.loginFailure;
				return apiError(res, f.status, f.code, f.error);
			}
			// A test double: the assertion is not verified; the user handle picks the account.
			const handle = (body as { response?: { userHandle?: string } })?.response?.userHandle;
			const id = handle ? Buffer.from(handle, 'base64url').toString('utf8') : '';
			const u = state.users[id];
			if (!u) return apiError(res, 401, 'webauthn_authentication_failed', "We couldn't verify your passkey");
			signIn(res, u);
			return send(res, 200, u);
		}
		if (path === '/api/webauthn/register/start' && method === 'GET') {
			const u = requireUser();
			if (!u) return;
			return send(res, 200, {
				rp: { name: state.scenario.config?.appName ?? 'Pocket ID', id: url.hostname },
				user: { name: u.username, displayName: u.displayName, id: b64url(Buffer.from(u.id)) },
				challenge: b64url(randomBytes(32)),
				pubKeyCredParams: [
					{ type: 'public-key', alg: -7 },
					{ type: 'public-key', alg: -257 }
				],
				timeout: 60000,
				authenticatorSelection: { requireResidentKey: true, residentKey: 'required', userVerification: 'required' },
				extensions: { credProps: true }
			});
		}
		if (path === '/api/webauthn/register/finish' && method === 'POST') {
			const u = requireUser();
			if (!u) return;
			const p: FakePasskey = {
				id: randomUUID(),
				name: 'New Passkey',
				credentialID: String((body as { id?: string })?.id ?? 'new'),
				attestationType: 'none',
				transport: ['internal'],
				backupEligible: false,
				backupState: false,
				createdAt: new Date().toISOString(),
				userId: u.id
			};
			state.passkeys.push(p);
			return send(res, 200, publicPasskey(p));
		}
		if (path === '/api/webauthn/logout' && method === 'POST') {
			const token = readCookie(req, SESSION_COOKIE);
			if (token) state.sessions.delete(token);
			return send(res, 204, undefined, { 'Set-Cookie': `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax` });
		}
		if (path === '/api/webauthn/credentials' && method === 'GET') {
			const u = requireUser();
			return u && send(res, 200, state.passkeys.filter((p) => p.userId === u.id).map(publicPasskey));
		}
		if ((match = path.match(/^\/api\/webauthn\/credentials\/([^/]+)$/))) {
			const u = requireUser();
			if (!u) return;
			const p = state.passkeys.find((x) => x.id === match![1] && x.userId === u.id);
			if (!p) return apiError(res, 404, 'not_found', 'Passkey not found');
			if (method === 'PATCH') {
				const name = String((body as { name?: string })?.name ?? '');
				if (!name) return apiError(res, 400, 'validation_failed', 'name is required');
				p.name = name;
				return send(res, 200, publicPasskey(p));
			}
			if (method === 'DELETE') {
				state.passkeys = state.passkeys.filter((x) => x !== p);
				return send(res, 204);
			}
		}

		if (path === '/api/audit-logs' && method === 'GET') {
			const u = requireUser();
			if (!u) return;
			const count = state.scenario.auditLogCount ?? 3;
			const events = ['SIGN_IN', 'PASSKEY_ADDED', 'TOKEN_SIGN_IN', 'CLIENT_AUTHORIZATION'];
			let rows = Array.from({ length: count }, (_, i) => ({
				id: `log-${i + 1}`,
				createdAt: new Date(Date.UTC(2025, 7, 1, 8, i)).toISOString(),
				event: events[i % events.length],
				ipAddress: `192.0.2.${(i % 250) + 1}`,
				country: i % 2 ? 'Switzerland' : '',
				city: i % 2 ? 'Zurich' : '',
				device: 'Chrome on Linux',
				userID: u.id,
				actorUsername: '',
				data: i % 4 === 3 ? { clientName: 'Nextcloud' } : {}
			}));
			const column = url.searchParams.get('sort[column]');
			const direction = url.searchParams.get('sort[direction]') === 'desc' ? -1 : 1;
			if (column === 'createdAt' || column === 'event' || column === 'ipAddress') {
				rows = rows.sort((a, b) => (a[column] < b[column] ? -1 : a[column] > b[column] ? 1 : 0) * direction);
			}
			const limit = Math.min(100, Math.max(1, Number(url.searchParams.get('pagination[limit]') ?? 20) || 20));
			const totalPages = Math.max(1, Math.ceil(rows.length / limit));
			const page = Math.min(totalPages, Math.max(1, Number(url.searchParams.get('pagination[page]') ?? 1) || 1));
			return send(res, 200, {
				data: rows.slice((page - 1) * limit, page * limit),
				pagination: { totalPages, totalItems: rows.length, currentPage: page, itemsPerPage: limit }
			});
		}

		if (path === '/api/users' && method === 'GET') {
			const u = requireUser();
			if (!u) return;
			if (!u.isAdmin) return apiError(res, 403, 'forbidden', "You don't have permission to perform this action");
			const rows = Object.values(state.users).sort((a, b) => a.username.localeCompare(b.username));
			return send(res, 200, {
				data: rows,
				pagination: { totalPages: 1, totalItems: rows.length, currentPage: 1, itemsPerPage: 100 }
			});
		}
		if ((match = path.match(/^\/api\/oidc\/clients\/([^/]+)\/preview\/([^/]+)$/)) && method === 'GET') {
			const u = requireUser();
			if (!u) return;
			const client = state.oidc.clients.find((c) => c.id === decodeURIComponent(match![1]));
			const target = state.users[decodeURIComponent(match[2])];
			if (!client || !target) return apiError(res, 404, 'not_found', 'Not found');
			const scopes = (url.searchParams.get('scopes') ?? '').split(' ').filter(Boolean);
			if (!scopes.length) return apiError(res, 400, 'validation_failed', 'scopes is required');
			const groups = state.oidc.groups.filter((g) => g.memberIds.includes(target.id));
			if (client.isGroupRestricted && !groups.some((g) => client.allowedUserGroupIds.includes(g.id))) {
				return apiError(res, 403, 'oidc_access_denied', 'You are not allowed to access this service');
			}
			const claims: Record<string, unknown> = { sub: target.id };
			if (scopes.includes('email')) Object.assign(claims, { email: target.email, email_verified: target.emailVerified });
			if (scopes.includes('profile')) {
				Object.assign(claims, {
					given_name: target.firstName,
					family_name: target.lastName,
					name: target.displayName,
					preferred_username: target.username
				});
			}
			if (scopes.includes('groups')) claims.groups = groups.map((g) => g.name);
			const iss = `http://${req.headers.host}`;
			return send(res, 200, {
				idToken: { ...claims, aud: [client.id], iss, exp: 1767225600, iat: 1767222000 },
				accessToken: { sub: target.id, aud: [client.id], iss, scope: scopes.join(' '), exp: 1767225600 },
				userInfo: claims
			});
		}

		const ctx = { req, res, url, method, path, body, user, send, apiError };
		if (handleApisApi(state.apis, state.oidc.clients, `http://${req.headers.host}`, ctx)) return;
		const deviceLoginDeps = { users: state.users, reauthenticated: state.oidc.reauthenticated, signIn, readCookie };
		if (handleDeviceLoginApi(state.deviceLogin, deviceLoginDeps, ctx)) return;
		if (handleOidcApi(state.oidc, ctx)) return;

		return send(res, 404, { error: 'API endpoint not found' });
	}

	function serveStatic(req: IncomingMessage, res: ServerResponse, url: URL) {
		const rel = normalize(decodeURIComponent(url.pathname)).replace(/^([/\\])+/, '');
		const file = join(buildDir, rel);
		if (rel && file.startsWith(buildDir) && existsSync(file) && statSync(file).isFile()) {
			const immutable = url.pathname.startsWith('/_app/immutable/');
			res.writeHead(200, {
				'Content-Type': mime[extname(file)] ?? 'application/octet-stream',
				'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'public, max-age=86400'
			});
			return res.end(req.method === 'HEAD' ? undefined : readFileSync(file));
		}
		// Like the backend (protocol.md §8.2, management.md §11): a per-request nonce on every bare script tag of
		// index.html and the same Content-Security-Policy, so the specs run under the real policy.
		const nonce = randomBytes(16).toString('base64url');
		const html = readFileSync(indexFile, 'utf8').replaceAll('<script>', `<script nonce="${nonce}">`);
		res.writeHead(200, {
			'Content-Type': 'text/html; charset=utf-8',
			'Cache-Control': 'no-store',
			'Content-Security-Policy': cspFor(nonce)
		});
		res.end(req.method === 'HEAD' ? undefined : html);
	}

	const server = createServer(async (req, res) => {
		try {
			const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
			if (url.pathname === '/__fake/reset' && req.method === 'POST') {
				state = freshState(((await readJson(req)) ?? {}) as Scenario);
				return send(res, 204);
			}
			if (url.pathname === '/__fake/requests') return send(res, 200, state.requests);
			if (url.pathname.length > 1 && url.pathname.endsWith('/')) {
				res.writeHead(301, { Location: url.pathname.replace(/\/+$/, '') + url.search });
				return res.end();
			}
			if (url.pathname.startsWith('/api/')) return await handleApi(req, res, url);
			if (url.pathname === '/.well-known/openid-configuration') {
				return send(res, 200, discoveryDocument(`http://${req.headers.host ?? 'localhost'}`));
			}
			if (url.pathname === '/authorize') {
				state.requests.push({ method: req.method ?? 'GET', path: url.pathname, query: url.search, body: undefined });
				return handleAuthorize(state.oidc, url, currentUser(req)?.id ?? null, res);
			}
			return serveStatic(req, res, url);
		} catch (e) {
			console.error('fake-api error', e);
			if (!res.headersSent) send(res, 500, { error: 'Something went wrong', code: 'internal_error' });
			else res.end();
		}
	});

	return new Promise((resolvePromise, reject) => {
		server.once('error', reject);
		server.listen(options.port, '127.0.0.1', () => resolvePromise(server));
	});
}
