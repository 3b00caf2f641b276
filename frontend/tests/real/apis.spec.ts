// APIs (OAuth resource servers, RFC 8707) through the real server in a real browser, signed in as the first admin
// with a passkey (Chromium's virtual authenticator over CDP):
//  * the admin creates "Orders API" (resource https://api.orders.test/, stored without the trailing slash) and its
//    permission read:orders on /settings/admin/apis, and grants a confidential client (created over the REST API)
//    user-delegated access to read:orders from the API's "Add client";
//  * an authorization code flow (PKCE S256) with resource=https://api.orders.test: the consent shows the
//    permission's friendly name; the code is exchanged with client_secret_basic from node, and the access token
//    (verified against /.well-known/jwks.json) is for the API and, because openid was granted, the issuer;
//  * the same permission asked for without `resource` is refused at the redirect URI with invalid_scope.
// On SQLite, or on PostgreSQL with PID_ENGINE=postgres.
import { test, expect } from '@playwright/test';
import { createHash, createPublicKey, randomBytes, verify, type JsonWebKey } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signUpFirstAdmin } from './browser';
import { PocketId } from './server';

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const b64url = (b: Buffer) => b.toString('base64url');

// The client's redirect URI: a page on loopback that only has to exist (the test reads the redirect's query).
async function serveCallback(): Promise<{ server: Server; redirectUri: string }> {
	const server = createServer((_req, res) => {
		res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
		res.end('<!doctype html><html><head><title>Order desk</title></head><body><p>callback</p></body></html>');
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return { server, redirectUri: `http://127.0.0.1:${port}/callback` };
}

// A JWS (compact) checked against the server's JWKS with node:crypto; returns its payload.
async function verifyJwt(server: PocketId, jwt: string): Promise<Record<string, unknown>> {
	const [h, p, s] = jwt.split('.');
	const header = JSON.parse(Buffer.from(h, 'base64url').toString());
	const jwks = (await (await fetch(`${server.url}/.well-known/jwks.json`)).json()) as { keys: (JsonWebKey & { kid?: string })[] };
	const jwk = jwks.keys.find((k) => k.kid === header.kid) ?? (jwks.keys.length === 1 ? jwks.keys[0] : undefined);
	expect(jwk, `no JWKS key for kid ${header.kid}`).toBeTruthy();
	const key = createPublicKey({ key: jwk!, format: 'jwk' });
	const data = Buffer.from(`${h}.${p}`);
	const sig = Buffer.from(s, 'base64url');
	const algs: Record<string, () => boolean> = {
		RS256: () => verify('sha256', data, key, sig),
		RS384: () => verify('sha384', data, key, sig),
		RS512: () => verify('sha512', data, key, sig),
		ES256: () => verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, sig),
		ES384: () => verify('sha384', data, { key, dsaEncoding: 'ieee-p1363' }, sig),
		EdDSA: () => verify(null, data, key, sig)
	};
	expect(Object.keys(algs)).toContain(header.alg);
	expect(algs[header.alg](), 'signature verifies against the JWKS').toBe(true);
	return JSON.parse(Buffer.from(p, 'base64url').toString());
}

test('APIs: an API with a permission, a client granted user-delegated access, a token for the resource', async ({ page }) => {
	const server = await PocketId.create();
	let callback: Server | undefined;
	try {
		const admin = await signUpFirstAdmin(page, server);
		const api = (path: string, init: RequestInit = {}) =>
			fetch(`${server.url}${path}`, {
				...init,
				headers: { Cookie: admin.cookie, 'Content-Type': 'application/json', ...(init.headers ?? {}) }
			});
		const served = await serveCallback();
		callback = served.server;
		const redirectUri = served.redirectUri;
		const { issuer } = await (await fetch(`${server.url}/.well-known/openid-configuration`)).json();
		expect(issuer).toBe(server.url);

		// 1. The API, created in the UI. The backend trims the trailing slash of the resource.
		await page.goto(`${server.url}/settings/admin/apis`);
		await page.getByRole('button', { name: 'Add API' }).click();
		await page.getByLabel('Name', { exact: true }).fill('Orders API');
		await page.getByLabel('Resource').fill('https://api.orders.test/');
		await page.getByRole('button', { name: 'Save' }).click();
		await expect(page.locator('[data-type="success"]', { hasText: 'API created successfully' })).toBeVisible();
		await page.waitForURL(new RegExp(`^${escapeRegExp(server.url)}/settings/admin/apis/[^/?#]+$`));
		const apiId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
		await expect(page.getByLabel('Name', { exact: true })).toHaveValue('Orders API');
		await expect(page.getByLabel('Resource')).toHaveValue('https://api.orders.test');
		await expect(page.getByLabel('Resource')).toHaveAttribute('readonly', '');

		// Its permission, in the permissions editor: a new API starts with one blank row.
		const row = page.getByTestId('api-permission-row');
		await expect(row).toHaveCount(1);
		await expect(row.getByLabel('Permission', { exact: true })).toHaveValue('');
		await row.getByLabel('Permission', { exact: true }).fill('read:orders');
		await row.getByLabel('Permission name').fill('Read orders');
		await row.getByLabel('Description').fill('See your orders');
		await page.getByRole('button', { name: 'Save' }).nth(1).click();
		await expect(page.locator('[data-type="success"]', { hasText: 'Permissions updated successfully' })).toBeVisible();

		// Stored: the REST API and a reload of the page agree.
		const stored = await api(`/api/apis/${encodeURIComponent(apiId)}`);
		expect(stored.status, await stored.clone().text()).toBe(200);
		const storedApi = await stored.json();
		expect(storedApi).toMatchObject({ id: apiId, name: 'Orders API', resource: 'https://api.orders.test' });
		expect(storedApi.permissions).toHaveLength(1);
		expect(storedApi.permissions[0]).toMatchObject({ key: 'read:orders', name: 'Read orders', description: 'See your orders' });
		const permissionId = storedApi.permissions[0].id as string;
		await page.reload();
		await expect(row).toHaveCount(1);
		await expect(row.getByLabel('Permission', { exact: true })).toHaveValue('read:orders');
		await expect(row.getByLabel('Permission name')).toHaveValue('Read orders');
		await expect(row.getByLabel('Description')).toHaveValue('See your orders');

		// The list shows the trimmed resource and one permission.
		await page.goto(`${server.url}/settings/admin/apis`);
		const listRow = page.getByRole('row', { name: 'Orders API' });
		await expect(listRow.getByRole('cell').nth(1)).toHaveText('https://api.orders.test');
		await expect(listRow.getByRole('cell').nth(2)).toHaveText('1');
		await expect(listRow.getByRole('link', { name: 'Orders API' })).toHaveAttribute(
			'href',
			`/settings/admin/apis/${encodeURIComponent(apiId)}`
		);

		// 2. A confidential client over the REST API, with a secret.
		const created = await api('/api/oidc/clients', {
			method: 'POST',
			body: JSON.stringify({ name: 'Order desk', callbackURLs: [redirectUri], isPublic: false, pkceEnabled: true })
		});
		expect(created.status, await created.clone().text()).toBe(201);
		const clientId = (await created.json()).id as string;
		const secretRes = await api(`/api/oidc/clients/${encodeURIComponent(clientId)}/secrets`, { method: 'POST', body: '{}' });
		expect(secretRes.status, await secretRes.clone().text()).toBe(201);
		const clientSecret = (await secretRes.json()).secret as string;
		expect(clientSecret).toBeTruthy();

		// The grant, in the UI: the API's "Add client" → the client → user-delegated read:orders.
		await page.goto(`${server.url}/settings/admin/apis/${encodeURIComponent(apiId)}`);
		await expect(page.getByText('No client has been granted access to this API yet.')).toBeVisible();
		await expect(page.getByRole('row', { name: 'Order desk' })).toHaveCount(0);
		await page.getByRole('button', { name: 'Add client' }).click();
		await page.getByRole('dialog').getByRole('row', { name: 'Order desk' }).click();
		const dialog = page.getByRole('dialog');
		await expect(dialog.getByRole('switch', { name: 'Client access (M2M)' })).toBeEnabled(); // confidential
		await dialog.getByRole('checkbox', { name: 'User-delegated access: Read orders' }).click();
		await expect(dialog.getByRole('switch', { name: 'User-delegated access' })).toBeChecked();
		await expect(dialog.getByRole('checkbox', { name: 'Client access (M2M): Read orders' })).not.toBeChecked();
		await dialog.getByRole('button', { name: 'Save' }).click();
		await expect(page.locator('[data-type="success"]', { hasText: 'API access updated successfully' })).toBeVisible();
		await expect(page.getByRole('dialog')).toHaveCount(0);
		await expect(page.getByRole('row', { name: 'Order desk' })).toContainText('1 / 1');

		const grants = await api(`/api/apis/${encodeURIComponent(apiId)}/clients`);
		expect(grants.status, await grants.clone().text()).toBe(200);
		const grantList = await grants.json();
		const grant = (grantList.data ?? grantList).find((g: { client: { id: string } }) => g.client.id === clientId);
		expect(grant).toMatchObject({
			userDelegatedAccess: true,
			clientAccess: false,
			userDelegatedPermissionIds: [permissionId],
			clientPermissionIds: []
		});

		// The same grant on the client's side: its "API access" tab.
		await page.goto(`${server.url}/settings/admin/oidc-clients/${encodeURIComponent(clientId)}`);
		await page.getByRole('tab', { name: 'API access' }).click();
		await expect(page.getByRole('row', { name: 'Orders API' })).toContainText('1 / 1');

		// 3. Authorization code flow for the API's resource, with PKCE.
		const verifier = b64url(randomBytes(32));
		const challenge = b64url(createHash('sha256').update(verifier).digest());
		const state = b64url(randomBytes(12));
		const authorize = new URL(`${server.url}/authorize`);
		authorize.search = new URLSearchParams({
			client_id: clientId,
			response_type: 'code',
			redirect_uri: redirectUri,
			scope: 'openid read:orders',
			resource: 'https://api.orders.test',
			state,
			code_challenge: challenge,
			code_challenge_method: 'S256'
		}).toString();
		await page.goto(authorize.toString());
		await page.waitForURL(new RegExp(`^${escapeRegExp(server.url)}/interaction\\?interaction=`));
		await expect(page.getByRole('heading', { name: 'Sign in to Order desk' })).toBeVisible();
		const scopes = page.getByTestId('scopes');
		await expect(scopes).toBeVisible();
		// The permission by its friendly name and description, not its key; openid has no entry.
		await expect(scopes.getByRole('listitem')).toHaveCount(1);
		await expect(scopes.getByText('Read orders', { exact: true })).toBeVisible();
		await expect(scopes.getByText('See your orders', { exact: true })).toBeVisible();
		await expect(scopes).not.toContainText('read:orders');
		await page.getByRole('button', { name: 'Sign in', exact: true }).click();
		await page.waitForURL(new RegExp(`^${escapeRegExp(redirectUri)}\\?`));
		const back = new URL(page.url()).searchParams;
		expect(back.get('error'), back.toString()).toBeNull();
		expect(back.get('state')).toBe(state);
		const code = back.get('code');
		expect(code).toBeTruthy();

		// The code, exchanged from node with client_secret_basic and the PKCE verifier.
		const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64');
		const tokenRes = await fetch(`${server.url}/api/oidc/token`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: `Basic ${basic}` },
			body: new URLSearchParams({ grant_type: 'authorization_code', code: code!, redirect_uri: redirectUri, code_verifier: verifier })
		});
		expect(tokenRes.status, await tokenRes.clone().text()).toBe(200);
		const tokens = await tokenRes.json();
		expect(tokens.token_type.toLowerCase()).toBe('bearer');
		expect(String(tokens.scope).split(' ').sort()).toEqual(['openid', 'read:orders']);

		const access = await verifyJwt(server, tokens.access_token);
		expect(access.iss).toBe(issuer);
		expect(access.sub).toBe(admin.id);
		expect(access.aud).toEqual(['https://api.orders.test', issuer]);
		expect(String(access.scope).split(' ')).toContain('read:orders');
		expect(typeof access.exp).toBe('number');
		expect(access.exp as number).toBeGreaterThan(Date.now() / 1000);
		// The ID token stays the client's.
		const id = await verifyJwt(server, tokens.id_token);
		expect(id.aud).toEqual([clientId]);
		expect(id.sub).toBe(admin.id);

		// 4. The API permission without `resource`: refused at the redirect URI, no code.
		const state2 = b64url(randomBytes(12));
		authorize.searchParams.delete('resource');
		authorize.searchParams.set('state', state2);
		await page.goto(authorize.toString());
		await page.waitForURL(new RegExp(`^${escapeRegExp(redirectUri)}\\?`));
		const refused = new URL(page.url()).searchParams;
		expect(refused.get('error'), refused.toString()).toBe('invalid_scope');
		expect(refused.get('state')).toBe(state2);
		expect(refused.get('code')).toBeNull();
	} finally {
		callback?.closeAllConnections();
		await new Promise((r) => (callback ? callback.close(r) : r(undefined)));
		await server.dispose();
	}
});
