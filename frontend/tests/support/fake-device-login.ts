// TEST DOUBLE — the "sign in with another device" part of tests/support/fake-api.ts (protocol.md §5.5): device-login
// requests in memory, with the spec's shapes, cookie binding, status codes and error envelopes. Like our server (and
// unlike upstream's 25 s long poll) a pending exchange is answered at once with 202.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes, randomInt } from 'node:crypto';
import type { OidcContext } from './fake-oidc';

export type DeviceLoginScenario = {
	deviceLogin?: {
		/** Seconds between exchanges the page is told to keep (default 3, as the server). */
		interval?: number;
		/** Lifetime of a request in seconds (default 300). */
		lifetimeSeconds?: number;
		/** The requester's location (default: loopback → "LAN, Internal Network", as GeoLite lookups do). */
		location?: { country: string; city: string };
	};
};

type FakeDeviceLoginRequest = {
	code: string;
	/** The value of the binding cookie. */
	token: string;
	expiresAt: number;
	status: 'pending' | 'approved' | 'denied';
	userId?: string;
	device: string;
	ipAddress: string;
};

export type DeviceLoginState = {
	requests: Map<string, FakeDeviceLoginRequest>;
	options: NonNullable<DeviceLoginScenario['deviceLogin']>;
};

export type DeviceLoginDeps<U extends { id: string; disabled: boolean }> = {
	users: Record<string, U>;
	/** Users who passed POST /api/webauthn/reauthenticate and have not used it yet (consumed by an approval). */
	reauthenticated: Set<string>;
	/** Sets the session cookie on `res`. */
	signIn: (res: ServerResponse, user: U) => void;
	readCookie: (req: IncomingMessage, name: string) => string | undefined;
};

const COOKIE = 'device_login_token';
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ0123456789';

export function freshDeviceLoginState(scenario: DeviceLoginScenario): DeviceLoginState {
	return { requests: new Map(), options: scenario.deviceLogin ?? {} };
}

/** "<browser> on <OS>", like the server's parsed User-Agent. */
function deviceName(userAgent: string): string {
	const browser = /Edg\//.test(userAgent)
		? 'Edge'
		: /Firefox\//.test(userAgent)
			? 'Firefox'
			: /Chrome\//.test(userAgent)
				? 'Chrome'
				: /Safari\//.test(userAgent)
					? 'Safari'
					: 'Unknown';
	const os = /Windows/.test(userAgent)
		? 'Windows'
		: /Android/.test(userAgent)
			? 'Android'
			: /Mac OS X|iPhone|iPad/.test(userAgent)
				? 'macOS'
				: /Linux/.test(userAgent)
					? 'Linux'
					: 'Unknown';
	return `${browser} on ${os}`;
}

export function handleDeviceLoginApi<U extends { id: string; disabled: boolean }>(
	state: DeviceLoginState,
	deps: DeviceLoginDeps<U>,
	ctx: OidcContext
): boolean {
	const { req, res, method, path, body, user, send, apiError } = ctx;
	if (!path.startsWith('/api/device-login/') || method !== 'POST') return false;
	const expired = () => apiError(res, 401, 'device_login_expired', 'Device login request is invalid or expired');
	const pending = (code: unknown) => {
		const r = state.requests.get(String(code ?? '').toUpperCase());
		return r && r.status === 'pending' && Date.now() < r.expiresAt ? r : undefined;
	};
	let match: RegExpMatchArray | null;

	if (path === '/api/device-login/requests') {
		const code = 'P' + Array.from({ length: 7 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
		const lifetime = state.options.lifetimeSeconds ?? 300;
		const ip = (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
		const request: FakeDeviceLoginRequest = {
			code,
			token: randomBytes(16).toString('hex'),
			expiresAt: Date.now() + lifetime * 1000,
			status: 'pending',
			device: deviceName(req.headers['user-agent'] ?? ''),
			ipAddress: ip
		};
		state.requests.set(code, request);
		const origin = `http://${req.headers.host}`;
		send(
			res,
			201,
			{
				id: code,
				userCode: code,
				verificationUri: `${origin}/device`,
				verificationUriComplete: `${origin}/device?user_code=${code}`,
				expiresAt: new Date(request.expiresAt).toISOString(),
				interval: state.options.interval ?? 3
			},
			{
				'Set-Cookie': `${COOKIE}=${request.token}; Path=/api/device-login/requests/${code}/exchange; Max-Age=900; HttpOnly; SameSite=Lax`
			}
		);
		return true;
	}

	if ((match = path.match(/^\/api\/device-login\/requests\/([^/]+)\/exchange$/))) {
		const r = state.requests.get(decodeURIComponent(match[1]));
		if (!r || deps.readCookie(req, COOKIE) !== r.token || Date.now() >= r.expiresAt) return expired(), true;
		if (r.status === 'pending') return send(res, 202), true;
		if (r.status === 'denied') {
			apiError(res, 403, 'device_login_denied', 'Device login request was denied');
			return true;
		}
		const approver = deps.users[r.userId!];
		if (!approver) return expired(), true;
		if (approver.disabled) return apiError(res, 403, 'user_disabled', 'User account is disabled'), true;
		state.requests.delete(r.code);
		deps.signIn(res, approver);
		send(res, 200, approver);
		return true;
	}

	if (path === '/api/device-login/verification' || path === '/api/device-login/verification/decision') {
		if (!user) return apiError(res, 401, 'not_signed_in', 'You are not signed in'), true;
		const b = (body ?? {}) as { code?: string; decision?: string };
		if (!b.code) return apiError(res, 400, 'validation_failed', 'code is required'), true;
		const r = pending(b.code);
		if (path === '/api/device-login/verification') {
			if (!r) return expired(), true;
			const location = state.options.location ?? { country: 'Internal Network', city: 'LAN' };
			send(res, 200, {
				userCode: r.code,
				device: r.device,
				ipAddress: r.ipAddress,
				...location,
				expiresAt: new Date(r.expiresAt).toISOString()
			});
			return true;
		}
		if (b.decision !== 'approve' && b.decision !== 'deny') {
			return apiError(res, 400, 'validation_failed', 'decision must be one of approve deny'), true;
		}
		if (!r) return expired(), true;
		if (b.decision === 'approve' && !deps.reauthenticated.delete(user.id)) {
			return apiError(res, 401, 'reauthentication_required', 'Reauthentication is required'), true;
		}
		r.status = b.decision === 'approve' ? 'approved' : 'denied';
		r.userId = user.id;
		send(res, 204);
		return true;
	}
	return false;
}
