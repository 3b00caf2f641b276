// The device authorization flow (RFC 8628) through the real server in a real browser: a "device" (this test, with
// fetch) asks for codes and polls the token endpoint; the person opens the /device page, signs in with a passkey
// (Chromium's virtual authenticator over CDP), consents, and the device receives tokens. Then the page's refusals
// with a real server: an unknown code, and a client the user's groups may not use.
// On SQLite, or on PostgreSQL with PID_ENGINE=postgres.
import { test, expect } from '@playwright/test';
import { signUpFirstAdmin } from './browser';
import { PocketId } from './server';

async function createPublicClient(server: PocketId, cookie: string, body: Record<string, unknown>) {
	const res = await fetch(`${server.url}/api/oidc/clients`, {
		method: 'POST',
		headers: { Cookie: cookie, 'Content-Type': 'application/json' },
		body: JSON.stringify({ callbackURLs: ['http://localhost/cb'], isPublic: true, ...body })
	});
	expect(res.status, await res.clone().text()).toBe(201);
	return (await res.json()).id as string;
}

const form = (url: string, params: Record<string, string>) =>
	fetch(url, {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams(params)
	});

async function deviceCodes(server: PocketId, clientId: string) {
	const res = await form(`${server.url}/api/oidc/device/authorize`, { client_id: clientId, scope: 'openid profile email' });
	expect(res.status, await res.clone().text()).toBe(200);
	return (await res.json()) as { device_code: string; user_code: string; verification_uri_complete: string };
}

const poll = (server: PocketId, clientId: string, deviceCode: string) =>
	form(`${server.url}/api/oidc/token`, {
		client_id: clientId,
		grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
		device_code: deviceCode
	});

test('device flow: signed out on /device, passkey sign-in, consent, the device gets tokens', async ({ page }) => {
	const server = await PocketId.create();
	try {
		const { cookie: admin } = await signUpFirstAdmin(page, server);
		const clientId = await createPublicClient(server, admin, { name: 'Living room TV' });
		const codes = await deviceCodes(server, clientId);
		expect((await (await poll(server, clientId, codes.device_code)).json()).error).toBe('authorization_pending');

		// The person follows verification_uri_complete in a browser that is not signed in.
		await page.context().clearCookies();
		await page.goto(codes.verification_uri_complete);
		await expect(page.getByRole('heading', { name: 'Authorize Device' })).toBeVisible();
		await page.getByRole('button', { name: 'Authorize' }).click(); // signs in with the passkey
		const scopes = page.getByTestId('scopes');
		await expect(scopes).toBeVisible();
		for (const scope of ['Profile', 'Email']) await expect(scopes.getByText(scope, { exact: true })).toBeVisible();
		await page.getByRole('button', { name: 'Authorize' }).click(); // consents
		await expect(page.getByText('The device has been authorized.')).toBeVisible();

		const res = await poll(server, clientId, codes.device_code);
		expect(res.status, await res.clone().text()).toBe(200);
		const tokens = await res.json();
		expect(tokens.scope).toBe('openid profile email');
		const claims = JSON.parse(Buffer.from(tokens.id_token.split('.')[1], 'base64url').toString());
		expect(claims.aud).toEqual([clientId]);
		expect(claims.email).toBe('tim.cook@test.com');
		expect(claims.amr).toEqual(['phr']);
	} finally {
		await server.dispose();
	}
});

test('device flow: a typed unknown code, then a client the user may not use', async ({ page }) => {
	const server = await PocketId.create();
	try {
		const { cookie: admin } = await signUpFirstAdmin(page, server);
		await page.goto(`${server.url}/device`);
		await page.getByLabel('Code').fill('EZZZZZZZ');
		await page.getByRole('button', { name: 'Authorize' }).click();
		await expect(page.getByText('Device code is invalid. Please try again.')).toBeVisible();

		const restricted = await createPublicClient(server, admin, { name: 'Team only', isGroupRestricted: true });
		const codes = await deviceCodes(server, restricted);
		await page.getByLabel('Code').fill(codes.user_code.toLowerCase());
		await page.getByRole('button', { name: 'Authorize' }).click(); // consent for the new client
		await page.getByRole('button', { name: 'Authorize' }).click();
		await expect(page.getByText("You're not allowed to access this service.")).toBeVisible();
		expect((await (await poll(server, restricted, codes.device_code)).json()).error).toBe('authorization_pending');
	} finally {
		await server.dispose();
	}
});
