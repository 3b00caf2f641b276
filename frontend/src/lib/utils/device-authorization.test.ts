import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '$lib/api/client';
import type { DeviceCodeInfo, DeviceLoginVerificationInfo } from '$lib/api/types';
import {
	decideDeviceLogin,
	deviceAuthorizationFailure,
	InvalidUserCodeError,
	isDeviceLoginCode,
	normalizeUserCode,
	runDeviceAuthorization,
	type DeviceAuthorizationDeps
} from './device-authorization';

function info(overrides: Partial<DeviceCodeInfo> = {}): DeviceCodeInfo {
	return {
		scope: ['openid', 'profile'],
		scopeInfo: [],
		authorizationRequired: false,
		reauthenticationRequired: false,
		client: {
			id: 'c1',
			name: 'Immich',
			description: '',
			hasLogo: false,
			hasDarkLogo: false,
			launchURL: null,
			requiresReauthentication: false,
			clientType: 'standard'
		},
		...overrides
	};
}

const loginRequest: DeviceLoginVerificationInfo = {
	userCode: 'PABC2345',
	device: 'Chrome on Linux',
	ipAddress: '192.0.2.7',
	country: 'Switzerland',
	city: 'Zurich',
	expiresAt: '2030-01-01T00:05:00Z'
};

function deps(codeInfo: DeviceCodeInfo, signedIn = true) {
	const log: string[] = [];
	let isSignedIn = signedIn;
	const d: DeviceAuthorizationDeps = {
		isSignedIn: () => isSignedIn,
		signIn: vi.fn(async () => {
			log.push('signIn');
			isSignedIn = true;
		}),
		info: vi.fn(async (code: string) => {
			log.push(`info:${code}`);
			return codeInfo;
		}),
		reauthenticate: vi.fn(async () => {
			log.push('reauthenticate');
		}),
		verify: vi.fn(async (code: string) => {
			log.push(`verify:${code}`);
		}),
		inspectDeviceLogin: vi.fn(async (code: string) => {
			log.push(`inspectDeviceLogin:${code}`);
			return loginRequest;
		}),
		decideDeviceLogin: vi.fn(async (code: string, decision: string) => {
			log.push(`decideDeviceLogin:${code}:${decision}`);
		})
	};
	return { d, log };
}

describe('user codes', () => {
	it('are trimmed and upper-cased', () => {
		expect(normalizeUserCode('  eabcd123 \n')).toBe('EABCD123');
		expect(normalizeUserCode('')).toBe('');
	});

	it('lose the separator they are displayed with, and I/O become 1/0', () => {
		expect(normalizeUserCode('PABC - 2345')).toBe('PABC2345');
		expect(normalizeUserCode('pabc-2345')).toBe('PABC2345');
		expect(normalizeUserCode('PIOA2345')).toBe('P10A2345');
	});

	it('starting with P are device-login codes', () => {
		expect(isDeviceLoginCode(' pabcd123')).toBe(true);
		expect(isDeviceLoginCode('EABCD123')).toBe(false);
	});
});

describe('runDeviceAuthorization', () => {
	it('verifies an already authorized client straight away', async () => {
		const { d, log } = deps(info());
		const out = await runDeviceAuthorization(' eabcd123 ', d);
		expect(out.kind).toBe('authorized');
		expect(log).toEqual(['info:EABCD123', 'verify:EABCD123']);
	});

	it('stops for consent, then verifies with the loaded info after the click', async () => {
		const needsConsent = info({ authorizationRequired: true });
		const { d, log } = deps(needsConsent);
		const first = await runDeviceAuthorization('EABCD123', d);
		expect(first).toEqual({ kind: 'confirm', info: needsConsent });
		expect(d.verify).not.toHaveBeenCalled();

		if (first.kind !== 'confirm') throw new Error('expected a confirmation');
		const second = await runDeviceAuthorization('EABCD123', d, { confirmed: true, info: first.info });
		expect(second.kind).toBe('authorized');
		expect(log).toEqual(['info:EABCD123', 'verify:EABCD123']);
	});

	it('waits for a click before a reauthentication, then reauthenticates before verifying', async () => {
		const { d, log } = deps(info({ reauthenticationRequired: true }));
		const first = await runDeviceAuthorization('EABCD123', d);
		if (first.kind !== 'confirm') throw new Error('expected a confirmation');
		await runDeviceAuthorization('EABCD123', d, { confirmed: true, info: first.info });
		expect(log).toEqual(['info:EABCD123', 'reauthenticate', 'verify:EABCD123']);
	});

	it('signs in first when signed out and reauthenticates in the same click', async () => {
		const { d, log } = deps(info({ reauthenticationRequired: true }), false);
		const out = await runDeviceAuthorization('EABCD123', d);
		expect(out.kind).toBe('authorized');
		expect(log).toEqual(['signIn', 'info:EABCD123', 'reauthenticate', 'verify:EABCD123']);
	});

	it('still asks for consent after a sign-in', async () => {
		const { d, log } = deps(info({ authorizationRequired: true }), false);
		const out = await runDeviceAuthorization('EABCD123', d);
		expect(out.kind).toBe('confirm');
		expect(log).toEqual(['signIn', 'info:EABCD123']);
	});

	it('refuses an empty code without calling the server or signing in', async () => {
		const { d, log } = deps(info(), false);
		await expect(runDeviceAuthorization('   ', d)).rejects.toBeInstanceOf(InvalidUserCodeError);
		expect(log).toEqual([]);
	});

	it('shows a device-login (P…) request after signing in, without deciding or touching the OAuth API', async () => {
		const { d, log } = deps(info(), false);
		const out = await runDeviceAuthorization(' pabc-2345 ', d);
		expect(out).toEqual({ kind: 'device_login', request: loginRequest });
		expect(log).toEqual(['signIn', 'inspectDeviceLogin:PABC2345']);
	});

	it('does not verify when the reauthentication fails', async () => {
		const { d } = deps(info({ reauthenticationRequired: true }));
		d.reauthenticate = vi.fn(async () => Promise.reject(new Error('NotAllowedError')));
		await expect(runDeviceAuthorization('EABCD123', d, { confirmed: true })).rejects.toThrow('NotAllowedError');
		expect(d.verify).not.toHaveBeenCalled();
	});
});

describe('decideDeviceLogin', () => {
	it('reauthenticates before approving', async () => {
		const { d, log } = deps(info());
		await decideDeviceLogin('pabc2345', 'approve', d);
		expect(log).toEqual(['reauthenticate', 'decideDeviceLogin:PABC2345:approve']);
	});

	it('denies without a reauthentication', async () => {
		const { d, log } = deps(info());
		await decideDeviceLogin('PABC2345', 'deny', d);
		expect(log).toEqual(['decideDeviceLogin:PABC2345:deny']);
	});

	it('does not approve when the reauthentication fails', async () => {
		const { d } = deps(info());
		d.reauthenticate = vi.fn(async () => Promise.reject(new Error('NotAllowedError')));
		await expect(decideDeviceLogin('PABC2345', 'approve', d)).rejects.toThrow('NotAllowedError');
		expect(d.decideDeviceLogin).not.toHaveBeenCalled();
	});
});

describe('deviceAuthorizationFailure', () => {
	const api = (status: number, code?: string, serverMessage?: string) => new ApiError({ status, code, serverMessage });

	it('treats invalid, expired and missing codes as an invalid code', () => {
		expect(deviceAuthorizationFailure(api(400, 'oidc_invalid_device_code', 'Device code is invalid'))).toBe(
			'invalid_code'
		);
		expect(deviceAuthorizationFailure(api(400, 'oidc_device_code_expired', 'Device code has expired'))).toBe(
			'invalid_code'
		);
		expect(deviceAuthorizationFailure(api(400, 'validation_failed', 'code is required'))).toBe('invalid_code');
		expect(deviceAuthorizationFailure(new InvalidUserCodeError())).toBe('invalid_code');
		expect(
			deviceAuthorizationFailure(api(401, 'device_login_expired', 'Device login request is invalid or expired'))
		).toBe('invalid_code');
	});

	it('recognises the group refusal (403 without a code)', () => {
		expect(deviceAuthorizationFailure(api(403, undefined, "You're not allowed to access this service."))).toBe(
			'not_allowed'
		);
	});

	it('recognises an ended session and leaves other errors alone', () => {
		expect(deviceAuthorizationFailure(api(401, 'not_signed_in'))).toBe('not_signed_in');
		expect(deviceAuthorizationFailure(api(401, 'reauthentication_required'))).toBe('other');
		expect(deviceAuthorizationFailure(api(400, 'something_else'))).toBe('other');
		expect(deviceAuthorizationFailure(new Error('NotAllowedError'))).toBe('other');
	});
});
