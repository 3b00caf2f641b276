// The flow of the /device page (protocol.md §1.14 "SPA /device"), kept free of UI so it can be unit-tested: sign in
// with a passkey when needed, load the code's info, stop for the user's confirmation when the client needs consent
// (or a reauthentication, which the user starts with a click), reauthenticate, then verify the code.
import { isApiError } from '$lib/api/client';
import type { DeviceCodeInfo } from '$lib/api/types';

/** User codes of the OAuth device flow: `E` + 7 characters (protocol.md §1.14). */
export const USER_CODE_LENGTH = 8;

/** The code as sent to the server: trimmed and upper-cased (the server maps I→1 and O→0 itself). */
export function normalizeUserCode(code: string): string {
	return code.trim().toUpperCase();
}

/**
 * Codes starting with `P` belong to Pocket ID's device login (sign in on another device, management.md §5.5), which
 * this page does not handle yet: they are treated as invalid codes.
 */
export function isDeviceLoginCode(code: string): boolean {
	return normalizeUserCode(code).startsWith('P');
}

/** Thrown for a code the page refuses without asking the server (a device-login code). */
export class InvalidUserCodeError extends Error {
	constructor() {
		super('Device code is invalid');
		this.name = 'InvalidUserCodeError';
	}
}

export type DeviceAuthorizationDeps = {
	isSignedIn: () => boolean;
	/** Passkey sign-in (login start → browser ceremony → login finish). */
	signIn: () => Promise<void>;
	/** GET /api/oidc/device/info?code= */
	info: (code: string) => Promise<DeviceCodeInfo>;
	/** POST /api/webauthn/reauthenticate without a body, then with a fresh assertion if that fails. */
	reauthenticate: () => Promise<void>;
	/** POST /api/oidc/device/verify?code= */
	verify: (code: string) => Promise<void>;
};

export type DeviceAuthorizationOptions = {
	/** The user has seen the client (and its scopes) and clicked "Authorize". */
	confirmed?: boolean;
	/** The info loaded by an earlier run for the same code (not fetched again). */
	info?: DeviceCodeInfo;
};

export type DeviceAuthorizationOutcome =
	/** Show the client (consent: its scopes) and wait for "Authorize". */
	| { kind: 'confirm'; info: DeviceCodeInfo }
	| { kind: 'authorized'; info: DeviceCodeInfo };

export async function runDeviceAuthorization(
	rawCode: string,
	deps: DeviceAuthorizationDeps,
	options: DeviceAuthorizationOptions = {}
): Promise<DeviceAuthorizationOutcome> {
	const code = normalizeUserCode(rawCode);
	if (!code || isDeviceLoginCode(code)) throw new InvalidUserCodeError();

	let signedInNow = false;
	if (!deps.isSignedIn()) {
		await deps.signIn();
		signedInNow = true;
	}

	const info = options.info ?? (await deps.info(code));
	// Consent is always confirmed by the user. A reauthentication may need a passkey prompt, which browsers only
	// allow after a click: it waits for one unless this run began with a click that signed the user in (the fresh
	// session then reauthenticates without a prompt, like the interaction page).
	const needsClick = info.authorizationRequired || (info.reauthenticationRequired && !signedInNow);
	if (needsClick && !options.confirmed) return { kind: 'confirm', info };

	if (info.reauthenticationRequired) await deps.reauthenticate();
	await deps.verify(code);
	return { kind: 'authorized', info };
}

export type DeviceAuthorizationFailure =
	/** Unknown, used or expired code (or one this page does not handle): the user can enter another one. */
	| 'invalid_code'
	/** 403: the user's groups do not admit the client. */
	| 'not_allowed'
	/** 401 not_signed_in: the session ended; the next attempt signs in first. */
	| 'not_signed_in'
	| 'other';

const invalidCodeErrors = new Set(['oidc_invalid_device_code', 'oidc_device_code_expired']);

export function deviceAuthorizationFailure(e: unknown): DeviceAuthorizationFailure {
	if (e instanceof InvalidUserCodeError) return 'invalid_code';
	if (isApiError(e, 400) && (invalidCodeErrors.has(e.code ?? '') || e.code === 'validation_failed')) {
		return 'invalid_code';
	}
	if (isApiError(e, 403)) return 'not_allowed';
	if (isApiError(e, 401) && e.code === 'not_signed_in') return 'not_signed_in';
	return 'other';
}
