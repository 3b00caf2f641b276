import { describe, expect, it, vi } from 'vitest';
import { ApiError, NetworkError } from '$lib/api/client';
import type { DeviceLoginRequest, User } from '$lib/api/types';
import {
	abortableWait,
	DeviceLoginExpiredError,
	deviceLoginErrorMessage,
	formatDeviceLoginCode,
	waitForDeviceLoginApproval,
	type DeviceLoginPollDeps
} from './device-login';

const START = Date.parse('2030-01-01T00:00:00Z');
const user = { id: 'u1', username: 'tim' } as User;

function request(overrides: Partial<DeviceLoginRequest> = {}): DeviceLoginRequest {
	return {
		id: 'PABC2345',
		userCode: 'PABC2345',
		verificationUri: 'http://localhost/device',
		verificationUriComplete: 'http://localhost/device?user_code=PABC2345',
		expiresAt: new Date(START + 5 * 60_000).toISOString(),
		interval: 3,
		...overrides
	};
}

/** A fake clock that `wait` advances; `answers` are the exchange results in turn (an Error is thrown). */
function deps(answers: (User | null | Error)[]) {
	let now = START;
	const waits: number[] = [];
	const d: DeviceLoginPollDeps = {
		exchange: vi.fn(async () => {
			const next = answers.length > 1 ? answers.shift() : answers[0];
			if (next instanceof Error) throw next;
			return next ?? null;
		}),
		wait: vi.fn(async (ms: number) => {
			waits.push(ms);
			now += ms;
		}),
		now: () => now
	};
	return { d, waits };
}

const api = (status: number, code?: string, serverMessage?: string) => new ApiError({ status, code, serverMessage });

describe('waitForDeviceLoginApproval', () => {
	it('exchanges every interval until the request is approved', async () => {
		const { d, waits } = deps([null, null, user]);
		await expect(waitForDeviceLoginApproval(request(), d, new AbortController().signal)).resolves.toBe(user);
		expect(waits).toEqual([3000, 3000, 3000]);
		expect(d.exchange).toHaveBeenCalledTimes(3);
		expect(d.exchange).toHaveBeenCalledWith('PABC2345', expect.any(AbortSignal));
	});

	it('stops with the server error when the request is denied or expired', async () => {
		const denied = api(403, 'device_login_denied', 'Device login request was denied');
		const { d } = deps([null, denied]);
		await expect(waitForDeviceLoginApproval(request(), d, new AbortController().signal)).rejects.toBe(denied);
		expect(d.exchange).toHaveBeenCalledTimes(2);

		const expired = api(401, 'device_login_expired');
		await expect(waitForDeviceLoginApproval(request(), deps([expired]).d, new AbortController().signal)).rejects.toBe(
			expired
		);
	});

	it('keeps polling through network failures and transient answers', async () => {
		const { d } = deps([new NetworkError(new Error('offline')), api(429, 'rate_limited'), api(502), user]);
		await expect(waitForDeviceLoginApproval(request(), d, new AbortController().signal)).resolves.toBe(user);
		expect(d.exchange).toHaveBeenCalledTimes(4);
	});

	it('gives up once the request has expired', async () => {
		const { d } = deps([null]);
		const short = request({ expiresAt: new Date(START + 10_000).toISOString() });
		await expect(waitForDeviceLoginApproval(short, d, new AbortController().signal)).rejects.toBeInstanceOf(
			DeviceLoginExpiredError
		);
		// 3 s, 6 s, 9 s: pending; 12 s: past the expiry.
		expect(d.exchange).toHaveBeenCalledTimes(4);
	});

	it('leaves an expiry the local clock already sees as past to the server', async () => {
		const { d } = deps([null, null, user]);
		const skewed = request({ expiresAt: new Date(START - 60_000).toISOString() });
		await expect(waitForDeviceLoginApproval(skewed, d, new AbortController().signal)).resolves.toBe(user);
	});

	it('uses 3 s without an interval', async () => {
		const { d, waits } = deps([user]);
		await waitForDeviceLoginApproval(request({ interval: 0 }), d, new AbortController().signal);
		expect(waits).toEqual([3000]);
	});

	it('stops when aborted, without another exchange', async () => {
		const controller = new AbortController();
		const { d } = deps([null]);
		d.wait = vi.fn(async () => controller.abort(new Error('left the page')));
		await expect(waitForDeviceLoginApproval(request(), d, controller.signal)).rejects.toThrow('left the page');
		expect(d.exchange).not.toHaveBeenCalled();
	});
});

describe('abortableWait', () => {
	it('resolves after the time, or rejects as soon as the signal aborts', async () => {
		vi.useFakeTimers();
		try {
			const done = vi.fn();
			void abortableWait(1000, new AbortController().signal).then(done);
			await vi.advanceTimersByTimeAsync(999);
			expect(done).not.toHaveBeenCalled();
			await vi.advanceTimersByTimeAsync(1);
			expect(done).toHaveBeenCalled();

			const controller = new AbortController();
			const aborted = abortableWait(60_000, controller.signal);
			controller.abort(new Error('stop'));
			await expect(aborted).rejects.toThrow('stop');
			expect(vi.getTimerCount()).toBe(0);
		} finally {
			vi.useRealTimers();
		}
	});
});

describe('deviceLoginErrorMessage', () => {
	it('words expiry itself and shows the server message otherwise', () => {
		const expired = 'Your QR-Code has expired. Please start the sign-in process again.';
		expect(deviceLoginErrorMessage(new DeviceLoginExpiredError())).toBe(expired);
		expect(deviceLoginErrorMessage(api(401, 'device_login_expired', 'Device login request is invalid or expired'))).toBe(
			expired
		);
		expect(deviceLoginErrorMessage(api(403, 'device_login_denied', 'Device login request was denied'))).toBe(
			'Device login request was denied'
		);
		expect(deviceLoginErrorMessage(api(403, 'user_disabled', 'User is disabled'))).toBe('User is disabled');
	});
});

describe('formatDeviceLoginCode', () => {
	it('splits the code in two halves', () => {
		expect(formatDeviceLoginCode('PABC2345')).toBe('PABC - 2345');
		expect(formatDeviceLoginCode('odd')).toBe('odd');
	});
});
