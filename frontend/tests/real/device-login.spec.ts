// "Sign in with another device" (protocol.md §5.5) through the real server in two browser contexts: the requester
// (signed out) chooses it on /login/alternative and waits on /login/alternative/device; the approver (the first
// admin, with a passkey in Chromium's virtual authenticator) reviews the request on /device and approves it after a
// passkey reauthentication, or denies it without one. Pocket ID's device-login.spec.ts scenarios.
// On SQLite, or on PostgreSQL with PID_ENGINE=postgres.
import { test, expect, type Browser, type Page } from '@playwright/test';
import { signUpFirstAdmin } from './browser';
import { PocketId } from './server';

type DeviceLoginRequest = { id: string; userCode: string; verificationUri: string; verificationUriComplete: string };

const APPROVED = 'The requesting device has been signed in.';
const REVIEW = 'Review the requesting device before approving this sign in.';

const displayed = (code: string) => `${code.slice(0, 4)} - ${code.slice(4)}`;

/** A signed-out browser that chose "Sign in with another device" and now waits for approval. */
async function openRequester(browser: Browser, server: PocketId, redirect?: string) {
	const context = await browser.newContext();
	const page = await context.newPage();
	const created = page.waitForResponse(
		(r) => r.request().method() === 'POST' && r.url().endsWith('/api/device-login/requests')
	);
	const query = redirect ? `?redirect=${encodeURIComponent(redirect)}` : '';
	await page.goto(`${server.url}/login/alternative${query}`);
	await page.getByRole('link', { name: /Sign in with another device/ }).click();
	const response = await created;
	expect(response.status(), await response.text()).toBe(201);
	const request = (await response.json()) as DeviceLoginRequest;
	expect(request.userCode).toMatch(/^P[ABCDEFGHJKMNPQRSTUVWXYZ0123456789]{7}$/);
	expect(request.id).toBe(request.userCode);
	expect(request.verificationUri).toBe(`${server.url}/device`);
	expect(request.verificationUriComplete).toBe(`${server.url}/device?user_code=${request.userCode}`);
	await expect(page.getByTestId('device-login-code')).toHaveText(displayed(request.userCode));
	await expect(page.getByRole('img', { name: 'Device login QR code' })).toBeVisible();
	await expect(page.getByTestId('login-code-qr')).toHaveAttribute('data-value', request.verificationUriComplete);
	return { context, page, request };
}

const decide = (server: PocketId, cookie: string, code: string, decision: 'approve' | 'deny') =>
	fetch(`${server.url}/api/device-login/verification/decision`, {
		method: 'POST',
		headers: { Cookie: cookie, 'Content-Type': 'application/json' },
		body: JSON.stringify({ code, decision })
	});

const reviewValue = (page: Page, label: string) =>
	page.getByTestId('device-login-request').locator('div', { has: page.locator('dt', { hasText: label }) }).locator('dd');

/** The payload of the requester's session JWT. */
async function sessionClaims(page: Page, server: PocketId) {
	const token = (await page.context().cookies(server.url)).find((c) => c.name === 'access_token')?.value;
	expect(token).toBeTruthy();
	return JSON.parse(Buffer.from(token!.split('.')[1], 'base64url').toString());
}

test('approve the QR link after reviewing the requester and a passkey reauthentication', async ({ page, browser }) => {
	const server = await PocketId.create();
	try {
		const admin = await signUpFirstAdmin(page, server);
		const requester = await openRequester(browser, server, '/settings/apps');
		const { userCode, verificationUriComplete } = requester.request;

		await page.goto(verificationUriComplete);
		await expect(page.getByText(REVIEW)).toBeVisible();
		await expect(reviewValue(page, 'Code')).toHaveText(displayed(userCode));
		await expect(reviewValue(page, 'Device')).toContainText('Chrome');
		await expect(reviewValue(page, 'IP Address')).toHaveText('127.0.0.1');
		await expect(reviewValue(page, 'Approximate Location')).toHaveText('LAN, Internal Network');

		// The server refuses an approval without a fresh reauthentication.
		const refused = await decide(server, admin.cookie, userCode, 'approve');
		expect(refused.status, await refused.clone().text()).toBe(401);
		expect((await refused.json()).code).toBe('reauthentication_required');

		const reauthentication = page.waitForResponse((r) => r.url().endsWith('/api/webauthn/reauthenticate') && r.ok());
		await page.getByRole('button', { name: 'Approve' }).click();
		await reauthentication;
		await expect(page.getByText(APPROVED)).toBeVisible();

		await requester.page.waitForURL(`${server.url}/settings/apps`);
		const me = await requester.page.request.get(`${server.url}/api/users/me`);
		expect((await me.json()).username).toBe('tim');
		expect((await sessionClaims(requester.page, server)).amr).toEqual(['otp']);

		const logs = await fetch(`${server.url}/api/audit-logs?sort[column]=createdAt&sort[direction]=desc`, {
			headers: { Cookie: admin.cookie }
		});
		expect((await logs.json()).data.map((l: { event: string }) => l.event)).toContain('REMOTE_SIGN_IN');

		// The request was consumed: the link is no longer valid.
		await page.goto(verificationUriComplete);
		await expect(page.getByText('Device code is invalid. Please try again.')).toBeVisible();
		await requester.context.close();
	} finally {
		await server.dispose();
	}
});

test('a signed-out approver signs in with a passkey before approving a typed code', async ({ page, browser }) => {
	const server = await PocketId.create();
	try {
		await signUpFirstAdmin(page, server);
		const requester = await openRequester(browser, server);

		await page.context().clearCookies();
		await page.goto(`${server.url}/device`);
		await page.getByLabel('Code').fill(requester.request.userCode.toLowerCase());
		await page.getByRole('button', { name: 'Authorize' }).click(); // signs in with the passkey
		await expect(page.getByText(REVIEW)).toBeVisible();
		await page.getByRole('button', { name: 'Approve' }).click();
		await expect(page.getByText(APPROVED)).toBeVisible();

		await requester.page.waitForURL(`${server.url}/settings/account`);
		await requester.context.close();
	} finally {
		await server.dispose();
	}
});

test('denying needs no reauthentication and the requester is told', async ({ page, browser }) => {
	const server = await PocketId.create();
	try {
		const admin = await signUpFirstAdmin(page, server);
		const requester = await openRequester(browser, server);
		const reauthentications: string[] = [];
		page.on('request', (r) => {
			if (r.url().endsWith('/api/webauthn/reauthenticate')) reauthentications.push(r.url());
		});

		await page.goto(requester.request.verificationUriComplete);
		await page.getByRole('button', { name: 'Deny' }).click();
		await expect(page.getByText('The sign-in request was denied.')).toBeVisible();
		expect(reauthentications).toEqual([]);

		await expect(requester.page.getByText('Device login request was denied')).toBeVisible();
		await expect(requester.page).toHaveURL(/\/login\/alternative\/device/);
		const me = await requester.page.request.get(`${server.url}/api/users/me`);
		expect(me.status()).toBe(401);

		// A denied request cannot be approved afterwards.
		const late = await decide(server, admin.cookie, requester.request.userCode, 'deny');
		expect(late.status, await late.clone().text()).toBe(401);
		expect((await late.json()).code).toBe('device_login_expired');
		await requester.context.close();
	} finally {
		await server.dispose();
	}
});

test('an unknown code on /device gives the invalid-code message', async ({ page }) => {
	const server = await PocketId.create();
	try {
		await signUpFirstAdmin(page, server);
		await page.goto(`${server.url}/device?user_code=PZZZZZZZ`);
		await expect(page.getByText('Device code is invalid. Please try again.')).toBeVisible();
		await expect(page.getByRole('button', { name: 'Approve' })).toHaveCount(0);
	} finally {
		await server.dispose();
	}
});
