// "Sign in with another device" (protocol.md §5.5) against the test double: the waiting page
// /login/alternative/device (code, QR code, polling the exchange until approved, denied or expired) and the
// approving side on /device (review of the requesting device, passkey reauthentication before "Approve", none
// before "Deny"). Two browser contexts: the requester (signed out) and the approver.
import type { APIRequestContext, Browser, Page } from '@playwright/test';
import { SESSION_COOKIE, sessionTokenFor } from '../support/fake-api';
import {
	addVirtualAuthenticator,
	expect,
	FAKE_USERS,
	refuseFirstReauthentication,
	test
} from '../support/fixtures';

type DeviceLoginRequest = { id: string; userCode: string; verificationUri: string; verificationUriComplete: string };

const EXCHANGE = /^\/api\/device-login\/requests\/[^/]+\/exchange$/;
const APPROVED = 'The requesting device has been signed in.';
const DENIED = 'The sign-in request was denied.';
const EXPIRED = 'Your QR-Code has expired. Please start the sign-in process again.';
const INVALID_CODE = 'Device code is invalid. Please try again.';

const displayed = (code: string) => `${code.slice(0, 4)} - ${code.slice(4)}`;

/** A signed-out browser that chose "Sign in with another device" on /login/alternative and waits for approval. */
async function openRequester(browser: Browser, baseURL: string, redirect?: string) {
	const context = await browser.newContext({ baseURL });
	const page = await context.newPage();
	const created = page.waitForResponse(
		(r) => r.request().method() === 'POST' && r.url().endsWith('/api/device-login/requests')
	);
	await page.goto(redirect ? `/login/alternative?redirect=${encodeURIComponent(redirect)}` : '/login/alternative');
	await page.getByRole('link', { name: /Sign in with another device/ }).click();
	const response = await created;
	expect(response.status()).toBe(201);
	const request = (await response.json()) as DeviceLoginRequest;
	expect(request.userCode).toMatch(/^P[ABCDEFGHJKMNPQRSTUVWXYZ0123456789]{7}$/);
	await expect(page.getByTestId('device-login-code')).toHaveText(displayed(request.userCode));
	return { context, page, request };
}

/** The decision endpoint called directly with a seeded user's session (no page involved). */
function decide(request: APIRequestContext, code: string, decision: 'approve' | 'deny') {
	return request.post('/api/device-login/verification/decision', {
		headers: { Cookie: `${SESSION_COOKIE}=${sessionTokenFor('tim')}` },
		data: { code, decision }
	});
}

const exchanges = async (apiRequests: () => Promise<{ path: string }[]>) =>
	(await apiRequests()).filter((r) => EXCHANGE.test(r.path)).length;

const reviewValue = (page: Page, label: string) =>
	page.getByTestId('device-login-request').locator('div', { has: page.locator('dt', { hasText: label }) }).locator('dd');

test('the waiting page shows the code and QR code and signs in once the request is approved', async ({
	browser,
	baseURL,
	request,
	scenario,
	apiRequests
}) => {
	await scenario({ deviceLogin: { interval: 1 } });
	const requester = await openRequester(browser, baseURL!, '/settings/apps');
	try {
		const { page } = requester;
		const { userCode, verificationUriComplete } = requester.request;
		await expect(page).toHaveURL('/login/alternative/device?redirect=%2Fsettings%2Fapps');
		await expect(page.getByRole('heading', { name: 'Sign in with another device' })).toBeVisible();
		await expect(page.getByRole('img', { name: 'Device login QR code' })).toBeVisible();
		await expect(page.getByTestId('login-code-qr')).toHaveAttribute('data-value', verificationUriComplete);
		await expect(page.getByText(`Visit ${baseURL}/device and enter:`)).toBeVisible();
		await expect(page.getByRole('button', { name: 'Waiting for approval' })).toBeDisabled();

		// Still pending: the page keeps exchanging (202) and stays.
		await expect.poll(() => exchanges(apiRequests)).toBeGreaterThanOrEqual(2);
		await expect(page).toHaveURL(/\/login\/alternative\/device/);

		// Approving needs a reauthentication.
		expect((await decide(request, userCode, 'approve')).status()).toBe(401);
		const headers = { Cookie: `${SESSION_COOKIE}=${sessionTokenFor('tim')}` };
		expect((await request.post('/api/webauthn/reauthenticate', { headers })).status()).toBe(204);
		expect((await decide(request, userCode, 'approve')).status()).toBe(204);

		await page.waitForURL('/settings/apps');
		await expect(page.getByRole('button', { name: 'My Account' })).toBeVisible();
	} finally {
		await requester.context.close();
	}
});

test('approving on /device shows the requesting device and reauthenticates with a passkey first', async ({
	browser,
	baseURL,
	page,
	scenario,
	signInAs,
	apiRequests
}) => {
	await scenario({ deviceLogin: { interval: 1, location: { country: 'Switzerland', city: 'Zurich' } } });
	const requester = await openRequester(browser, baseURL!, '/settings/apps');
	try {
		const { userCode, verificationUriComplete } = requester.request;
		await signInAs('tim');
		const reauthenticateCalls = await refuseFirstReauthentication(page);
		await page.goto(verificationUriComplete);
		await addVirtualAuthenticator(page, FAKE_USERS.tim.id);

		await expect(page.getByText('Review the requesting device before approving this sign in.')).toBeVisible();
		await expect(reviewValue(page, 'Code')).toHaveText(displayed(userCode));
		await expect(reviewValue(page, 'Device')).toHaveText(/^Chrome on /);
		await expect(reviewValue(page, 'IP Address')).toHaveText('127.0.0.1');
		await expect(reviewValue(page, 'Approximate Location')).toHaveText('Zurich, Switzerland');
		await expect(reviewValue(page, 'Expires At')).not.toBeEmpty();
		// Nothing is decided before a click.
		expect((await apiRequests()).some((r) => r.path === '/api/device-login/verification/decision')).toBe(false);

		await page.getByRole('button', { name: 'Approve' }).click();
		await expect(page.getByText(APPROVED)).toBeVisible();
		await expect(page.getByRole('button', { name: 'Approve' })).toHaveCount(0);

		// The session alone was refused, so the passkey proved the user, before the decision.
		expect(reauthenticateCalls()).toBe(2);
		const requests = await apiRequests();
		const reauth = requests.findIndex((r) => r.path === '/api/webauthn/reauthenticate');
		const decision = requests.findIndex((r) => r.path === '/api/device-login/verification/decision');
		expect((requests[reauth].body as { type?: string }).type).toBe('public-key');
		expect(decision).toBeGreaterThan(reauth);
		expect(requests[decision].body).toEqual({ code: userCode, decision: 'approve' });

		await requester.page.waitForURL('/settings/apps');
	} finally {
		await requester.context.close();
	}
});

test('a signed-out approver signs in with a passkey before a typed code is reviewed', async ({
	browser,
	baseURL,
	page,
	scenario,
	apiRequests
}) => {
	await scenario({ deviceLogin: { interval: 1 } });
	const requester = await openRequester(browser, baseURL!);
	try {
		await page.goto('/device');
		await addVirtualAuthenticator(page, FAKE_USERS.tim.id);
		// Typed as displayed on the other device, lower case.
		await page.getByLabel('Code').fill(displayed(requester.request.userCode).toLowerCase());
		await page.getByRole('button', { name: 'Authorize' }).click();

		await expect(page.getByText('Review the requesting device before approving this sign in.')).toBeVisible();
		const paths = (await apiRequests()).map((r) => r.path);
		expect(paths.indexOf('/api/webauthn/login/finish')).toBeGreaterThan(-1);
		expect(paths.indexOf('/api/device-login/verification')).toBeGreaterThan(paths.indexOf('/api/webauthn/login/finish'));
		expect(paths).not.toContain('/api/oidc/device/info');

		await page.getByRole('button', { name: 'Approve' }).click();
		await expect(page.getByText(APPROVED)).toBeVisible();
		await requester.page.waitForURL('/settings/account');
	} finally {
		await requester.context.close();
	}
});

test('denying needs no reauthentication and the requester sees the denial', async ({
	browser,
	baseURL,
	page,
	scenario,
	signInAs
}) => {
	await scenario({ deviceLogin: { interval: 1 } });
	const requester = await openRequester(browser, baseURL!);
	try {
		await signInAs('tim');
		let reauthenticated = false;
		await page.route('**/api/webauthn/reauthenticate', (route) => {
			reauthenticated = true;
			return route.continue();
		});
		await page.goto(requester.request.verificationUriComplete);
		await page.getByRole('button', { name: 'Deny' }).click();

		await expect(page.getByText(DENIED)).toBeVisible();
		await expect(page.getByRole('button', { name: 'Deny' })).toHaveCount(0);
		expect(reauthenticated).toBe(false);

		await expect(requester.page.getByText('Device login request was denied')).toBeVisible();
		await expect(requester.page.getByTestId('device-login-code')).toHaveCount(0);
		await expect(requester.page).toHaveURL(/\/login\/alternative\/device/);

		// "Try again" starts over with a new request.
		const created = requester.page.waitForResponse((r) => r.url().endsWith('/api/device-login/requests'));
		await requester.page.getByRole('button', { name: 'Try again' }).click();
		const next = (await (await created).json()) as DeviceLoginRequest;
		expect(next.userCode).not.toBe(requester.request.userCode);
		await expect(requester.page.getByTestId('device-login-code')).toHaveText(displayed(next.userCode));
	} finally {
		await requester.context.close();
	}
});

test('an unknown or expired code on /device gives the invalid-code message', async ({
	page,
	request,
	scenario,
	signInAs
}) => {
	await scenario({ deviceLogin: { lifetimeSeconds: 1 } });
	await signInAs('tim');
	await page.goto('/device?user_code=PZZZZZZZ');
	await expect(page.getByRole('alert').getByText(INVALID_CODE)).toBeVisible();
	await expect(page.getByLabel('Code')).toBeFocused();
	await expect(page.getByRole('button', { name: 'Approve' })).toHaveCount(0);

	const created = (await (await request.post('/api/device-login/requests')).json()) as DeviceLoginRequest;
	await page.waitForTimeout(1100);
	await page.getByLabel('Code').fill(created.userCode);
	await page.getByRole('button', { name: 'Authorize' }).click();
	await expect(page.getByRole('alert').getByText(INVALID_CODE)).toBeVisible();
	await expect(page.getByText('Review the requesting device before approving this sign in.')).toHaveCount(0);
});

test('a request that expires while waiting offers a new code', async ({ page, scenario }) => {
	await scenario({ deviceLogin: { interval: 1, lifetimeSeconds: 2 } });
	await page.goto('/login/alternative/device');
	const first = await page.getByTestId('device-login-code').textContent();

	await expect(page.getByText(EXPIRED)).toBeVisible({ timeout: 6_000 });
	await expect(page.getByTestId('device-login-code')).toHaveCount(0);
	await page.getByRole('button', { name: 'Try again' }).click();
	await expect(page.getByTestId('device-login-code')).toBeVisible();
	await expect(page.getByTestId('device-login-code')).not.toHaveText(first!);
	await expect(page.getByText(EXPIRED)).toHaveCount(0);
});

test('leaving the waiting page stops the polling', async ({ page, scenario, apiRequests }) => {
	await scenario({ deviceLogin: { interval: 1 } });
	await page.goto('/login/alternative/device?redirect=%2Fsettings%2Fapps');
	await expect.poll(() => exchanges(apiRequests)).toBeGreaterThanOrEqual(1);

	await page.getByRole('link', { name: 'Go back' }).click();
	await expect(page).toHaveURL('/login/alternative?redirect=%2Fsettings%2Fapps');
	await page.waitForTimeout(300); // an exchange already on its way may still arrive
	const count = await exchanges(apiRequests);
	await page.waitForTimeout(2_500);
	expect(await exchanges(apiRequests)).toBe(count);
});
