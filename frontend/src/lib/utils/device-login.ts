// The waiting side of "Sign in with another device" (protocol.md §5.5), kept free of UI so it can be unit-tested:
// exchange the request every `interval` seconds until a user approved it on /device (the server then signs this
// browser in), denied it, or it expired. Our server answers a pending exchange at once (202) instead of holding it
// like upstream's long poll, so the waiting happens here.
import { errorMessage, isApiError, NetworkError } from '$lib/api/client';
import type { DeviceLoginRequest, User } from '$lib/api/types';
import { m } from '$lib/paraglide/messages';

/** The request's lifetime ended while it was still pending. */
export class DeviceLoginExpiredError extends Error {
	constructor() {
		super('Device login request is invalid or expired');
		this.name = 'DeviceLoginExpiredError';
	}
}

/** Failures on the way to the server, after which the request is still pending: the next exchange is tried. */
const transientStatuses = new Set([408, 425, 429, 502, 503, 504]);

export function isTransientExchangeError(e: unknown): boolean {
	return e instanceof NetworkError || (isApiError(e) && transientStatuses.has(e.status));
}

export type DeviceLoginPollDeps = {
	/** POST /api/device-login/requests/:id/exchange: the user once approved, null while pending. */
	exchange: (id: string, signal: AbortSignal) => Promise<User | null>;
	/** Resolves after `ms`; rejects when `signal` aborts. */
	wait: (ms: number, signal: AbortSignal) => Promise<void>;
	now: () => number;
};

/** Seconds between exchanges when the server names no interval. */
const DEFAULT_INTERVAL = 3;

/**
 * Exchanges `request` every `interval` seconds until it is approved (resolves with the signed-in user). Rejects with
 * the server's error (denied: 403 `device_login_denied`, expired: 401 `device_login_expired`, 403 `user_disabled`),
 * with DeviceLoginExpiredError once `expiresAt` has passed, or with the abort reason when `signal` aborts.
 */
export async function waitForDeviceLoginApproval(
	request: DeviceLoginRequest,
	deps: DeviceLoginPollDeps,
	signal: AbortSignal
): Promise<User> {
	const intervalMs = (request.interval > 0 ? request.interval : DEFAULT_INTERVAL) * 1000;
	const expiresAt = Date.parse(request.expiresAt);
	// With a clock that already sees the request as expired, only the server's answer ends it.
	const deadline = expiresAt > deps.now() ? expiresAt : Infinity;
	for (;;) {
		await deps.wait(intervalMs, signal);
		signal.throwIfAborted();
		try {
			const user = await deps.exchange(request.id, signal);
			if (user) return user;
		} catch (e) {
			if (signal.aborted || !isTransientExchangeError(e)) throw e;
		}
		if (deps.now() >= deadline) throw new DeviceLoginExpiredError();
	}
}

/** A timer that stops early when `signal` aborts (rejecting with its reason). */
export function abortableWait(ms: number, signal: AbortSignal): Promise<void> {
	return new Promise((resolve, reject) => {
		if (signal.aborted) return reject(signal.reason);
		const timer = setTimeout(() => {
			signal.removeEventListener('abort', onAbort);
			resolve();
		}, ms);
		const onAbort = () => {
			clearTimeout(timer);
			reject(signal.reason);
		};
		signal.addEventListener('abort', onAbort, { once: true });
	});
}

/** What the waiting page says when the wait ended without a sign-in. */
export function deviceLoginErrorMessage(e: unknown): string {
	if (e instanceof DeviceLoginExpiredError || isApiError(e, 401)) return m.device_login_request_expired();
	return errorMessage(e);
}

/** `PABC1234` → `PABC - 1234`, as on both devices. */
export function formatDeviceLoginCode(code: string): string {
	return code.length === 8 ? `${code.slice(0, 4)} - ${code.slice(4)}` : code;
}
