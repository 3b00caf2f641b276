// Administration end to end, in a real browser against the real server (SQLite, or PostgreSQL with
// PID_ENGINE=postgres): the first admin signs up with a passkey, adds a user (Admin > Users > Add User), creates the
// group "Dashy admins" (name `admins`) with a custom claim, puts the user in it and gives the user a custom claim of
// their own, and hands them a login code. In a fresh browser the user signs in with that code, registers a passkey,
// and then signs in to an OIDC client with it: the ID token (verified with `jose` against the JWKS) carries
// `groups: ["admins"]` and both custom claims.
import { test, expect, type Browser, type Page } from '@playwright/test';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { addVirtualAuthenticator, signUpFirstAdmin } from './browser';
import { PocketId } from './server';
import { freePort } from '../../../tests/rp/apache/start-apache.mjs';

// openid-client and jose are dependencies of the black-box tests (tests/e2e, installed by scripts/setup-node.sh).
const e2eModules = path.resolve(import.meta.dirname, '../../../tests/e2e/node_modules');
type OpenIdClient = typeof import('../../../tests/e2e/node_modules/openid-client/build/index.js');
type Jose = typeof import('../../../tests/e2e/node_modules/jose/dist/types/index.js');
const loadOpenIdClient = async (): Promise<OpenIdClient> =>
	import(pathToFileURL(path.join(e2eModules, 'openid-client/build/index.js')).href);
const loadJose = async (): Promise<Jose> =>
	import(pathToFileURL(path.join(e2eModules, 'jose/dist/node/esm/index.js')).href);

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

async function openAdminPage(page: Page, name: string, url: string) {
	const nav = page.getByRole('navigation', { name: 'Settings' });
	const group = nav.getByRole('button', { name: 'Administration' });
	if ((await group.getAttribute('aria-expanded')) !== 'true') await group.click();
	await nav.getByRole('link', { name, exact: true }).click();
	await page.waitForURL(url);
}

/** A confidential OIDC client created through the API, with a secret. */
async function createOidcClient(server: PocketId, cookie: string, callback: string) {
	const headers = { Cookie: cookie, 'Content-Type': 'application/json' };
	const res = await fetch(`${server.url}/api/oidc/clients`, {
		method: 'POST',
		headers,
		body: JSON.stringify({ name: 'Dashy', callbackURLs: [callback], isPublic: false, pkceEnabled: true })
	});
	expect(res.status, await res.clone().text()).toBe(201);
	const { id } = await res.json();
	const s = await fetch(`${server.url}/api/oidc/clients/${encodeURIComponent(id)}/secrets`, {
		method: 'POST',
		headers,
		body: '{}'
	});
	expect(s.status, await s.clone().text()).toBe(201);
	return { id: id as string, secret: (await s.json()).secret as string };
}

/** The relying party's redirect URI: answers 200 so the browser stops there with the code in its URL. */
async function serveCallback(port: number): Promise<Server> {
	const rp = createServer((_req, res) => {
		res.writeHead(200, { 'Content-Type': 'text/plain' });
		res.end('callback');
	});
	await new Promise<void>((resolve) => rp.listen(port, '127.0.0.1', resolve));
	return rp;
}

async function newUserPage(browser: Browser) {
	const context = await browser.newContext();
	return context.newPage();
}

test('admin directory: add a user and a group, claims, login code, passkey, OIDC groups claim', async ({
	page,
	browser
}) => {
	test.setTimeout(120_000);
	const server = await PocketId.create();
	let rp: Server | undefined;
	let userPage: Page | undefined;
	try {
		const adminCookie = (await signUpFirstAdmin(page, server)).cookie;

		// Admin > Users > Add User.
		await openAdminPage(page, 'Users', `${server.url}/settings/admin/users`);
		await page.getByRole('button', { name: 'Add User' }).click();
		await page.getByLabel('First name').fill('Craig');
		await page.getByLabel('Last name').fill('Federighi');
		await expect(page.getByLabel('Display name')).toHaveValue('Craig Federighi');
		await page.getByLabel('Username').fill('craig');
		await page.getByLabel('Email').fill('craig.federighi@test.com');
		await page.getByRole('button', { name: 'Save' }).click();
		await expect(page.getByText('User created successfully')).toBeVisible();
		const users = page.getByRole('table', { name: 'Users' });
		const craigRow = users.getByRole('row').filter({ hasText: 'craig.federighi@test.com' });
		await expect(craigRow).toContainText('Craig');
		await expect(craigRow).toContainText('Federighi');
		await expect(craigRow).toContainText('User');
		await expect(craigRow).toContainText('Enabled');
		// The form is cleared for the next user.
		await expect(page.getByLabel('Username')).toHaveValue('');

		// Search finds the user, and only them.
		await page.getByRole('searchbox', { name: 'Search...' }).fill('federighi');
		await expect(users.getByRole('row')).toHaveCount(2);
		await expect(users.getByRole('row').nth(1)).toContainText('craig');
		await page.getByRole('searchbox', { name: 'Search...' }).fill('');
		await expect(users.getByRole('row')).toHaveCount(3);

		// Admin > User Groups > Add Group "Dashy admins" (name `admins`), then a claim of the group.
		await openAdminPage(page, 'User Groups', `${server.url}/settings/admin/user-groups`);
		await page.getByRole('button', { name: 'Add Group' }).click();
		await page.getByLabel('Friendly Name').fill('Dashy admins');
		await page.getByLabel('Name', { exact: true }).fill('admins');
		await page.getByRole('button', { name: 'Save' }).click();
		await expect(page.getByText('User group created successfully')).toBeVisible();
		await page.waitForURL(new RegExp(`^${escapeRegExp(server.url)}/settings/admin/user-groups/[0-9a-f-]{36}`));
		await page.getByRole('tab', { name: 'Custom Claims' }).click();
		await page.getByRole('button', { name: 'Add custom claim' }).click();
		await page.getByRole('combobox', { name: 'Key' }).fill('team');
		await page.getByRole('textbox', { name: 'Value' }).fill('dashboard');
		await page.getByRole('button', { name: 'Save' }).click();
		await expect(page.getByText('Custom claims updated successfully')).toBeVisible();

		// The user's page (Edit in the row menu): into the group, and a claim of their own.
		await openAdminPage(page, 'Users', `${server.url}/settings/admin/users`);
		await craigRow.getByRole('button', { name: 'Toggle menu' }).click();
		await page.getByRole('menuitem', { name: 'Edit' }).click();
		await page.waitForURL(new RegExp(`^${escapeRegExp(server.url)}/settings/admin/users/[0-9a-f-]{36}$`));
		const userId = page.url().split('/').pop()!;
		await expect(page.getByLabel('Username')).toHaveValue('craig');
		await expect(page.getByRole('button', { name: 'Mark as verified' })).toBeVisible();

		await page.getByRole('tab', { name: 'User Groups' }).click();
		await expect(page).toHaveURL(/#groups$/);
		await page.getByRole('checkbox', { name: 'Select Dashy admins' }).click();
		await page.getByRole('button', { name: 'Save' }).click();
		await expect(page.getByText('User groups updated successfully')).toBeVisible();

		await page.getByRole('tab', { name: 'Custom Claims' }).click();
		await page.getByRole('button', { name: 'Add custom claim' }).click();
		await page.getByRole('combobox', { name: 'Key' }).fill('department');
		await page.getByRole('textbox', { name: 'Value' }).fill('engineering');
		// The group page's toast with the same text may still be showing: wait until it is gone, so the one checked
		// below is this save's.
		await expect(page.getByText('Custom claims updated successfully')).toHaveCount(0, { timeout: 15_000 });
		await page.getByRole('button', { name: 'Save' }).click();
		await expect(page.getByText('Custom claims updated successfully')).toBeVisible();

		await page.getByRole('tab', { name: 'Passkeys' }).click();
		await expect(page.getByText('This user has no passkeys yet.')).toBeVisible();

		// What the server now holds.
		const saved = await (await fetch(`${server.url}/api/users/${userId}`, { headers: { Cookie: adminCookie } })).json();
		expect(saved).toMatchObject({
			username: 'craig',
			firstName: 'Craig',
			lastName: 'Federighi',
			displayName: 'Craig Federighi',
			email: 'craig.federighi@test.com',
			isAdmin: false,
			disabled: false,
			customClaims: [{ key: 'department', value: 'engineering' }]
		});
		expect(saved.userGroups.map((g: { name: string }) => g.name)).toEqual(['admins']);

		// A page reload keeps the tab and shows what was saved.
		await page.reload();
		await expect(page.getByRole('tab', { name: 'Passkeys' })).toHaveAttribute('aria-selected', 'true');
		await page.getByRole('tab', { name: 'User Groups' }).click();
		await expect(page.getByRole('checkbox', { name: 'Select Dashy admins' })).toBeChecked();

		// Login Code for the user, valid for a day: the code, its link and the link's QR code.
		await openAdminPage(page, 'Users', `${server.url}/settings/admin/users`);
		await craigRow.getByRole('button', { name: 'Toggle menu' }).click();
		await page.getByRole('menuitem', { name: 'Login Code' }).click();
		const dialog = page.getByRole('dialog', { name: 'Login Code' });
		await expect(dialog.getByRole('button', { name: 'Send Email' })).toHaveCount(0);
		await dialog.getByRole('combobox', { name: 'Expiration' }).click();
		await page.getByRole('option', { name: '1 day' }).click();
		await dialog.getByRole('button', { name: 'Show Code' }).click();
		const code = (await dialog.getByTestId('login-code').textContent())!.trim();
		expect(code).toMatch(/^[abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ0-9]{12}$/);
		const link = (await dialog.getByTestId('login-code-link').textContent())!.trim();
		expect(link).toBe(`${server.url}/lc/${code}`);
		await expect(dialog.getByRole('img', { name: link })).toBeVisible();
		await expect(dialog.getByTestId('login-code-qr')).toHaveAttribute('data-value', link);
		await page.keyboard.press('Escape');
		await expect(dialog).toHaveCount(0);

		// A fresh browser: the user signs in with the link and registers a passkey on their account page.
		userPage = await newUserPage(browser);
		const { client: cdp, authenticatorId } = await addVirtualAuthenticator(userPage);
		await userPage.goto(link);
		await userPage.waitForURL(`${server.url}/settings/account`);
		await expect(userPage.getByLabel('Username')).toHaveValue('craig');
		await userPage.getByRole('button', { name: 'Add Passkey' }).first().click();
		// The account page offers to name the new passkey right away; keep the default name.
		await expect(userPage.getByRole('dialog')).toBeVisible();
		await userPage.keyboard.press('Escape');
		await expect(userPage.getByRole('list', { name: 'Passkeys' }).getByRole('listitem')).toHaveCount(1);
		const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
		expect(credentials).toHaveLength(1);
		expect(credentials[0].isResidentCredential).toBe(true);
		// The code was used up.
		expect((await fetch(`${server.url}/api/one-time-access-token/${code}`, { method: 'POST' })).status).toBe(401);

		// The admin sees the new passkey on the user's page.
		await page.goto(`${server.url}/settings/admin/users/${userId}#passkeys`);
		await expect(page.getByText('Manage this user\'s passkeys.')).toBeVisible();
		await expect(page.getByRole('list', { name: 'Passkeys' }).getByRole('listitem')).toHaveCount(1);

		// OIDC: the user signs in to a client with the passkey (no session: cookies cleared).
		const openid = await loadOpenIdClient();
		const jose = await loadJose();
		const port = await freePort();
		const callback = `http://127.0.0.1:${port}/callback`;
		rp = await serveCallback(port);
		const client = await createOidcClient(server, adminCookie, callback);
		const config = await openid.discovery(
			new URL(server.url),
			client.id,
			{ client_secret: client.secret },
			openid.ClientSecretBasic(client.secret),
			{ execute: [openid.allowInsecureRequests] }
		);
		const pkceCodeVerifier = openid.randomPKCECodeVerifier();
		const expectedState = openid.randomState();
		const expectedNonce = openid.randomNonce();
		const authorizeUrl = openid.buildAuthorizationUrl(config, {
			redirect_uri: callback,
			scope: 'openid profile email groups',
			code_challenge: await openid.calculatePKCECodeChallenge(pkceCodeVerifier),
			code_challenge_method: 'S256',
			state: expectedState,
			nonce: expectedNonce
		});

		await userPage.context().clearCookies();
		await userPage.goto(authorizeUrl.href);
		await userPage.waitForURL(new RegExp(`^${escapeRegExp(server.url)}/interaction\\?interaction=`));
		await expect(userPage.getByRole('heading', { name: 'Sign in to Dashy' })).toBeVisible();
		await userPage.getByRole('button', { name: 'Sign in', exact: true }).click();
		await expect(userPage.getByTestId('scopes')).toBeVisible();
		await userPage.getByRole('button', { name: 'Sign in', exact: true }).click();
		await userPage.waitForURL(new RegExp(`^${escapeRegExp(callback)}\\?`));

		const tokens = await openid.authorizationCodeGrant(config, new URL(userPage.url()), {
			pkceCodeVerifier,
			expectedState,
			expectedNonce
		});
		const jwks = jose.createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri!));
		const { payload } = await jose.jwtVerify(tokens.id_token!, jwks, { issuer: server.url, audience: client.id });
		expect(payload).toMatchObject({
			sub: userId,
			preferred_username: 'craig',
			given_name: 'Craig',
			family_name: 'Federighi',
			name: 'Craig Federighi',
			email: 'craig.federighi@test.com',
			groups: ['admins'],
			department: 'engineering',
			team: 'dashboard',
			nonce: expectedNonce
		});
		expect(payload.amr).toEqual(['phr']);
	} finally {
		await userPage?.context().close();
		rp?.closeAllConnections();
		await new Promise((r) => (rp ? rp.close(r) : r(undefined)));
		await server.dispose();
	}
});

test('admin users: profile picture upload and reset, disable, enable and delete from the row menu', async ({ page }) => {
	const server = await PocketId.create();
	try {
		const adminCookie = (await signUpFirstAdmin(page, server)).cookie;
		const created = await fetch(`${server.url}/api/users`, {
			method: 'POST',
			headers: { Cookie: adminCookie, 'Content-Type': 'application/json' },
			body: JSON.stringify({ username: 'craig', firstName: 'Craig', lastName: 'Federighi', displayName: 'Craig Federighi', email: 'craig@test.com', isAdmin: false, disabled: false, emailVerified: false })
		});
		expect(created.status, await created.clone().text()).toBe(201);
		const { id } = await created.json();
		const getUser = async () =>
			fetch(`${server.url}/api/users/${id}`, { headers: { Cookie: adminCookie } });

		await page.goto(`${server.url}/settings/admin/users`);
		const row = page.getByRole('table', { name: 'Users' }).getByRole('row').filter({ hasText: 'craig@test.com' });
		const menu = async (item: string) => {
			await row.getByRole('button', { name: 'Toggle menu' }).click();
			await page.getByRole('menuitem', { name: item }).click();
		};

		// The admin's own row has no Disable or Delete.
		const own = page.getByRole('table', { name: 'Users' }).getByRole('row').filter({ hasText: 'tim.cook@test.com' });
		await own.getByRole('button', { name: 'Toggle menu' }).click();
		await expect(page.getByRole('menuitem', { name: 'Edit' })).toBeVisible();
		await expect(page.getByRole('menuitem', { name: 'Disable' })).toHaveCount(0);
		await expect(page.getByRole('menuitem', { name: 'Delete' })).toHaveCount(0);
		await page.keyboard.press('Escape');

		// Profile picture on the user's page: upload (a red 4×4 PNG, stored as 300×300) and reset.
		const picture = async () =>
			Buffer.from(await (await fetch(`${server.url}/api/users/${id}/profile-picture.png`)).arrayBuffer());
		const initials = await picture();
		await menu('Edit');
		await page.waitForURL(`${server.url}/settings/admin/users/${id}`);
		await page.getByTestId('profile-picture-input').setInputFiles({
			name: 'red.png',
			mimeType: 'image/png',
			buffer: Buffer.from(
				'iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAIAAAAmkwkpAAAAEElEQVR4nGP4z8AARwzEcQCukw/x0F8jngAAAABJRU5ErkJggg==',
				'base64'
			)
		});
		await expect(page.getByText(/^Profile picture updated successfully/)).toBeVisible();
		const uploaded = await picture();
		expect(uploaded.equals(initials)).toBe(false);
		await page.getByRole('button', { name: 'Reset to default' }).click();
		await page.getByRole('alertdialog').getByRole('button', { name: 'Reset' }).click();
		await expect(page.getByText(/^Profile picture has been reset/)).toBeVisible();
		expect((await picture()).equals(initials)).toBe(true);
		await page.getByRole('link', { name: 'Back' }).click();
		await page.waitForURL(`${server.url}/settings/admin/users`);

		await menu('Disable');
		const confirm = page.getByRole('alertdialog').or(page.getByRole('dialog'));
		await expect(confirm).toContainText('Disable Craig Federighi');
		await confirm.getByRole('button', { name: 'Disable' }).click();
		await expect(page.getByText('User has been disabled successfully.')).toBeVisible();
		await expect(row).toContainText('Disabled');
		expect((await (await getUser()).json()).disabled).toBe(true);

		await menu('Enable');
		await expect(page.getByText('User has been enabled successfully.')).toBeVisible();
		await expect(row).toContainText('Enabled');
		expect((await (await getUser()).json()).disabled).toBe(false);

		await menu('Delete');
		await expect(confirm).toContainText('Are you sure you want to delete this user?');
		await confirm.getByRole('button', { name: 'Delete' }).click();
		await expect(page.getByText('User deleted successfully')).toBeVisible();
		await expect(row).toHaveCount(0);
		expect((await getUser()).status).toBe(404);
	} finally {
		await server.dispose();
	}
});
