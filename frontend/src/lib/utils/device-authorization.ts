// The flow of the /device page (protocol.md §1.14 "SPA /device"), kept free of UI so it can be unit-tested: sign in
// with a passkey when needed, load the code's info, stop for the user's confirmation when the client needs consent
// (or a reauthentication, which the user starts with a click), reauthenticate, then verify the code.
// Codes starting with `P` are Pocket ID device-login requests (sign in with another device, protocol.md §5.5): after
// the sign-in the page shows the requesting device, and the user approves (after a reauthentication) or denies it.
import { isApiError } from '$lib/api/client';
import type { DeviceCodeInfo, DeviceLoginDecision, DeviceLoginVerificationInfo } from '$lib/api/types';

/** User codes of the OAuth device flow: `E` + 7 characters (protocol.md §1.14). */
export const USER_CODE_LENGTH = 8;

/**
 * The code as sent to the server: without spaces and dashes (as displayed: `PABC - 1234`), upper-cased, and with
 * I→1 and O→0 (neither alphabet has I or O).
 */
export function normalizeUserCode(code: string): string {
	return code.replace(/[\s-]/g, '').toUpperCase().replaceAll('I', '1').replaceAll('O', '0');
}

/** Codes starting with `P` belong to Pocket ID's device login (sign in with another device, protocol.md §5.5). */
export function isDeviceLoginCode(code: string): boolean {
	return normalizeUserCode(code).startsWith('P');
}

/** Thrown for a code the page refuses without asking the server (an empty one). */
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
	/** POST /api/device-login/verification: the device that asks to be signed in. */
	inspectDeviceLogin: (code: string) => Promise<DeviceLoginVerificationInfo>;
	/** POST /api/device-login/verification/decision */
	decideDeviceLogin: (code: string, decision: DeviceLoginDecision) => Promise<void>;
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
	| { kind: 'authorized'; info: DeviceCodeInfo }
	/** A device-login code: show the requesting device and wait for "Approve" or "Deny". */
	| { kind: 'device_login'; request: DeviceLoginVerificationInfo };

export async function runDeviceAuthorization(
	rawCode: string,
	deps: DeviceAuthorizationDeps,
	options: DeviceAuthorizationOptions = {}
): Promise<DeviceAuthorizationOutcome> {
	const code = normalizeUserCode(rawCode);
	if (!code) throw new InvalidUserCodeError();

	let signedInNow = false;
	if (!deps.isSignedIn()) {
		await deps.signIn();
		signedInNow = true;
	}
	if (isDeviceLoginCode(code)) return { kind: 'device_login', request: await deps.inspectDeviceLogin(code) };

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

/**
 * "Approve" or "Deny" of a device-login request. Approving needs a fresh passkey reauthentication (≤ 60 s, done
 * like the one of clients that require it); denying does not.
 */
export async function decideDeviceLogin(
	rawCode: string,
	decision: DeviceLoginDecision,
	deps: Pick<DeviceAuthorizationDeps, 'reauthenticate' | 'decideDeviceLogin'>
): Promise<void> {
	if (decision === 'approve') await deps.reauthenticate();
	await deps.decideDeviceLogin(normalizeUserCode(rawCode), decision);
}

export type DeviceAuthorizationFailure =
	/** Unknown, used or expired code (or an empty one): the user can enter another one. */
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
	if (isApiError(e, 401) && e.code === 'device_login_expired') return 'invalid_code';
	if (isApiError(e, 403)) return 'not_allowed';
	if (isApiError(e, 401) && e.code === 'not_signed_in') return 'not_signed_in';
	return 'other';
}
