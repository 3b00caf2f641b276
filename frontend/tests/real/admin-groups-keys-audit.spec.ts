// The administration pages against the real server in a real browser, on SQLite or (PID_ENGINE=postgres)
// PostgreSQL: user groups created, edited (members, allowed clients, custom claims) and deleted through the UI;
// an API key created in the UI authenticates against the API until it is revoked, and an expired one is renewed;
// the audit log shows the GeoIP location of a sign-in behind a trusted proxy (X-Forwarded-For).
import { test, expect, type Page } from '@playwright/test';
import { copyFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { signUpFirstAdmin, type FirstAdmin } from './browser';
import { PocketId } from './server';

const FIXTURES = process.env.PID_FIXTURES_DIR ?? path.resolve(import.meta.dirname, '../../../../shared/fixtures');

type Admin = FirstAdmin;

async function apiCall(server: PocketId, admin: Admin, method: string, route: string, body?: unknown) {
	const res = await fetch(`${server.url}${route}`, {
		method,
		headers: { Cookie: admin.cookie, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
		body: body === undefined ? undefined : JSON.stringify(body)
	});
	const text = await res.text();
	return { status: res.status, text, json: text ? JSON.parse(text) : undefined };
}

function runSql(server: PocketId, sql: string) {
	if (process.env.PID_ENGINE === 'postgres') {
		execFileSync('psql', [server.env.DB_CONNECTION_STRING, '-v', 'ON_ERROR_STOP=1', '-qc', sql]);
	} else {
		execFileSync('sqlite3', [`${server.cwd}/data/pocket-id.db`, sql]);
	}
}

const toast = (page: Page) => page.locator('[data-sonner-toast][data-type="success"]');

test('user groups: create, edit, members, allowed clients, custom claims, delete', async ({ page }) => {
	const server = await PocketId.create();
	try {
		const admin = await signUpFirstAdmin(page, server);
		const craig = await apiCall(server, admin, 'POST', '/api/users', {
			username: 'craig',
			email: 'craig@test.com',
			firstName: 'Craig',
			lastName: 'Federighi',
			displayName: 'Craig Federighi'
		});
		expect(craig.status, craig.text).toBe(201);
		const restricted = await apiCall(server, admin, 'POST', '/api/oidc/clients', {
			name: 'Tailscale',
			callbackURLs: ['https://tailscale.test/callback'],
			isGroupRestricted: true
		});
		expect(restricted.status, restricted.text).toBe(201);
		const open = await apiCall(server, admin, 'POST', '/api/oidc/clients', {
			name: 'Nextcloud',
			callbackURLs: ['https://nextcloud.test/callback']
		});
		expect(open.status, open.text).toBe(201);

		// Create: the name follows the friendly name until it is edited.
		await page.goto(`${server.url}/settings/admin/user-groups`);
		await page.getByRole('button', { name: 'Add Group' }).click();
		await page.getByLabel('Friendly Name').fill('Human Resources');
		await expect(page.getByLabel('Name', { exact: true })).toHaveValue('human_resources');
		await page.getByRole('button', { name: 'Save' }).click();
		await expect(toast(page)).toHaveText('User group created successfully');
		await page.waitForURL(new RegExp(`${server.url}/settings/admin/user-groups/[0-9a-f-]{36}$`));
		const groupId = page.url().split('/').pop()!;
		await expect(page.getByLabel('Friendly Name')).toHaveValue('Human Resources');
		await expect(page.getByLabel('Name', { exact: true })).toHaveValue('human_resources');

		// A taken name is refused with the server's message.
		const taken = await apiCall(server, admin, 'POST', '/api/user-groups', { friendlyName: 'Other', name: 'human_resources' });
		expect(taken.status).toBe(409);

		// General.
		await page.getByLabel('Friendly Name').fill('HR Team');
		await page.getByLabel('Name', { exact: true }).fill('hr');
		await page.getByRole('button', { name: 'Save' }).click();
		await expect(toast(page).filter({ hasText: 'User group updated successfully' })).toBeVisible();
		let group = (await apiCall(server, admin, 'GET', `/api/user-groups/${groupId}`)).json;
		expect([group.friendlyName, group.name]).toEqual(['HR Team', 'hr']);

		// Users.
		await page.getByRole('tab', { name: 'Users' }).click();
		await expect(page).toHaveURL(/#users$/);
		await page.getByRole('row', { name: 'craig' }).getByRole('checkbox').click();
		await page.getByRole('tabpanel').getByRole('button', { name: 'Save' }).click();
		await expect(toast(page).filter({ hasText: 'Users updated successfully' })).toBeVisible();
		group = (await apiCall(server, admin, 'GET', `/api/user-groups/${groupId}`)).json;
		expect(group.users.map((u: { username: string }) => u.username)).toEqual(['craig']);
		await page.reload();
		await expect(page.getByRole('row', { name: 'craig' }).getByRole('checkbox')).toHaveAttribute('data-state', 'checked');
		await expect(page.getByRole('row', { name: 'tim' }).getByRole('checkbox')).toHaveAttribute('data-state', 'unchecked');

		// Allowed OIDC clients: the unrestricted client is checked and disabled.
		await page.getByRole('tab', { name: 'Allowed OIDC Clients' }).click();
		const nextcloud = page.getByRole('row', { name: 'Nextcloud' }).getByRole('checkbox');
		await expect(nextcloud).toHaveAttribute('data-state', 'checked');
		await expect(nextcloud).toBeDisabled();
		await page.getByRole('row', { name: 'Tailscale' }).getByRole('checkbox').click();
		await page.getByRole('tabpanel').getByRole('button', { name: 'Save' }).click();
		await expect(toast(page).filter({ hasText: 'Allowed OIDC clients updated successfully' })).toBeVisible();
		group = (await apiCall(server, admin, 'GET', `/api/user-groups/${groupId}`)).json;
		expect(group.allowedOidcClients.map((c: { name: string }) => c.name)).toEqual(['Tailscale']);
		await expect(page.getByRole('row', { name: 'Tailscale' })).toContainText('1');

		// Custom claims: saved, then a reserved key is refused with the server's message.
		await page.getByRole('tab', { name: 'Custom Claims' }).click();
		await page.getByRole('button', { name: 'Add custom claim' }).click();
		await page.getByPlaceholder('Key').fill('department');
		await page.getByPlaceholder('Value').fill('HR');
		await page.getByRole('button', { name: 'Add another' }).click();
		await page.getByPlaceholder('Key').nth(1).fill('floor');
		await page.getByPlaceholder('Value').nth(1).fill('3');
		await page.getByRole('tabpanel').getByRole('button', { name: 'Save' }).click();
		await expect(toast(page).filter({ hasText: 'Custom claims updated successfully' })).toBeVisible();
		group = (await apiCall(server, admin, 'GET', `/api/user-groups/${groupId}`)).json;
		expect(group.customClaims).toEqual([
			{ key: 'department', value: 'HR' },
			{ key: 'floor', value: '3' }
		]);
		await page.reload();
		await expect(page.getByPlaceholder('Key').first()).toHaveValue('department');
		await expect(page.getByPlaceholder('Value').nth(1)).toHaveValue('3');
		// The keys in use are suggested.
		await expect(page.locator('datalist option[value="department"]')).toHaveCount(0); // used by a row already
		await page.getByLabel('Remove custom claim').first().click();
		await page.getByRole('button', { name: 'Add another' }).click();
		await page.getByPlaceholder('Key').nth(1).fill('email');
		await page.getByPlaceholder('Value').nth(1).fill('x@test.com');
		await page.getByRole('tabpanel').getByRole('button', { name: 'Save' }).click();
		const claimError = page.getByRole('tabpanel').getByRole('alert');
		await expect(claimError).toBeVisible();
		await expect(claimError).toContainText(/email/i);
		group = (await apiCall(server, admin, 'GET', `/api/user-groups/${groupId}`)).json;
		expect(group.customClaims).toHaveLength(2); // unchanged
		await page.getByLabel('Remove custom claim').nth(1).click();
		await page.getByRole('tabpanel').getByRole('button', { name: 'Save' }).click();
		await expect(claimError).toBeHidden();
		group = (await apiCall(server, admin, 'GET', `/api/user-groups/${groupId}`)).json;
		expect(group.customClaims).toEqual([{ key: 'floor', value: '3' }]);

		// The list: user count, source, search, sort by user count, delete.
		await apiCall(server, admin, 'POST', '/api/user-groups', { friendlyName: 'Designers', name: 'designers' });
		await page.goto(`${server.url}/settings/admin/user-groups`);
		const table = page.getByRole('table', { name: 'User Groups' });
		const hr = table.getByRole('row', { name: /HR Team/ });
		await expect(hr.getByRole('cell').nth(2)).toHaveText('1');
		await expect(hr.getByRole('cell').nth(3)).toHaveText('Local');
		await table.getByRole('button', { name: 'User Count' }).click();
		await expect(table.getByRole('columnheader', { name: 'User Count' })).toHaveAttribute('aria-sort', 'ascending');
		await expect(table.getByRole('row').nth(1)).toContainText('Designers');
		await table.getByRole('button', { name: 'User Count' }).click();
		await expect(table.getByRole('row').nth(1)).toContainText('HR Team');
		await page.getByRole('searchbox').fill('design');
		await expect(table.getByRole('row')).toHaveCount(2);
		await page.getByRole('searchbox').fill('');
		await expect(table.getByRole('row')).toHaveCount(3);

		await hr.getByRole('button', { name: 'Toggle menu' }).click();
		await page.getByRole('menuitem', { name: 'Delete' }).click();
		await page.getByRole('alertdialog').getByRole('button', { name: 'Delete' }).click();
		await expect(toast(page).filter({ hasText: 'User group deleted successfully' })).toBeVisible();
		await expect(table.getByRole('row', { name: /HR Team/ })).toHaveCount(0);
		expect((await apiCall(server, admin, 'GET', `/api/user-groups/${groupId}`)).status).toBe(404);
	} finally {
		await server.dispose();
	}
});

test('API keys: created in the UI, used with X-API-Key, renewed when expired, revoked', async ({ page }) => {
	const server = await PocketId.create();
	try {
		await signUpFirstAdmin(page, server);
		await page.goto(`${server.url}/settings/admin/api-keys`);
		await page.getByRole('button', { name: 'Add API Key' }).click();
		await page.getByLabel('Name', { exact: true }).fill('CI pipeline');
		await page.getByLabel('Description').fill('Created by the browser test');
		await page.getByRole('button', { name: 'Save' }).click();

		const dialog = page.getByRole('dialog', { name: 'API Key Created' });
		await expect(dialog).toBeVisible();
		const token = (await dialog.getByTestId('api-key-token').textContent())!.trim();
		expect(token).toMatch(/^[A-Za-z0-9]{32}$/);
		await dialog.getByRole('button', { name: 'Close' }).last().click();
		await expect(dialog).toBeHidden();

		const table = page.getByRole('table', { name: 'API Keys' });
		const row = table.getByRole('row', { name: /CI pipeline/ });
		await expect(row).toContainText('Created by the browser test');
		await expect(row).toContainText('Never');

		// The key works against the API as its owner; its use is shown.
		const me = await fetch(`${server.url}/api/users/me`, { headers: { 'X-API-Key': token } });
		expect(me.status).toBe(200);
		expect((await me.json()).username).toBe('tim');
		await page.reload();
		await expect(row).not.toContainText('Never');

		// An expired key gets a Renew action and a new token.
		runSql(
			server,
			process.env.PID_ENGINE === 'postgres'
				? "UPDATE api_keys SET expires_at = now() - interval '1 day', created_at = now() - interval '11 days'"
				: "UPDATE api_keys SET expires_at = strftime('%s','now') - 86400, created_at = strftime('%s','now') - 11 * 86400"
		);
		expect((await fetch(`${server.url}/api/users/me`, { headers: { 'X-API-Key': token } })).status).toBe(401);
		await page.reload();
		await row.getByRole('button', { name: 'Toggle menu' }).click();
		await page.getByRole('menuitem', { name: 'Renew' }).click();
		const renew = page.getByRole('dialog', { name: 'Renew API Key' });
		await expect(renew.getByLabel('Expiration')).not.toHaveValue('');
		await renew.getByRole('button', { name: 'Renew' }).click();
		const renewed = page.getByRole('dialog', { name: 'API key renewed' });
		await expect(renewed).toBeVisible();
		const newToken = (await renewed.getByTestId('api-key-token').textContent())!.trim();
		expect(newToken).not.toBe(token);
		await renewed.getByRole('button', { name: 'Close' }).last().click();
		expect((await fetch(`${server.url}/api/users/me`, { headers: { 'X-API-Key': newToken } })).status).toBe(200);

		// Revoke.
		await row.getByRole('button', { name: 'Toggle menu' }).click();
		await expect(page.getByRole('menuitem', { name: 'Renew' })).toHaveCount(0);
		await page.getByRole('menuitem', { name: 'Revoke' }).click();
		await page.getByRole('alertdialog').getByRole('button', { name: 'Revoke' }).click();
		await expect(toast(page).filter({ hasText: 'API key revoked successfully' })).toBeVisible();
		await expect(table.getByRole('row', { name: /CI pipeline/ })).toHaveCount(0);
		expect((await fetch(`${server.url}/api/users/me`, { headers: { 'X-API-Key': newToken } })).status).toBe(401);
	} finally {
		await server.dispose();
	}
});

test('audit log: a sign-in behind a trusted proxy shows its GeoIP location; the global log filters', async ({ browser }) => {
	const server = await PocketId.create();
	try {
		copyFileSync(path.join(FIXTURES, 'geoip/GeoLite2-City-Test.mmdb'), path.join(server.cwd, 'GeoLite2-City.mmdb'));
		server.env.TRUST_PROXY = 'true';
		server.env.GEOLITE_DB_PATH = path.join(server.cwd, 'GeoLite2-City.mmdb');
		await server.restart();

		const context = await browser.newContext({ extraHTTPHeaders: { 'X-Forwarded-For': '81.2.69.142' } });
		const page = await context.newPage();
		await signUpFirstAdmin(page, server);
		await page.goto(`${server.url}/logout`);
		await page.getByRole('button', { name: 'Sign out' }).click();
		await page.waitForURL(/\/login/);
		await page.getByRole('button', { name: 'Authenticate' }).click();
		await page.waitForURL(`${server.url}/settings/account`);

		await page.goto(`${server.url}/settings/audit-log`);
		const table = page.getByRole('table', { name: 'Audit Log' });
		const signIn = table.getByRole('row', { name: /Sign in/ }).first();
		await expect(signIn).toContainText('London, United Kingdom');
		await expect(signIn).toContainText('81.2.69.142');
		await expect(signIn).toContainText(/Chrome/);

		// Admins switch to the global log.
		await page.getByRole('link', { name: 'Global' }).click();
		await page.waitForURL(`${server.url}/settings/audit-log/global`);
		const global = page.getByRole('table', { name: 'Global Audit Log' });
		await expect(global.getByRole('row', { name: /Sign in/ }).first()).toContainText('tim');
		await expect(global.getByRole('row', { name: /Sign in/ }).first()).toContainText('United Kingdom');
		const rowsBefore = await global.getByRole('row').count();
		expect(rowsBefore).toBeGreaterThan(2);

		await page.getByRole('combobox', { name: 'Event' }).click();
		await page.getByRole('option', { name: 'Sign in', exact: true }).click();
		await expect(global.getByRole('row')).toHaveCount(2);
		await page.getByRole('combobox', { name: 'User' }).click();
		await page.getByRole('option', { name: 'tim' }).click();
		await expect(global.getByRole('row')).toHaveCount(2);
		await page.getByRole('combobox', { name: 'Approximate Location' }).click();
		await page.getByRole('option', { name: 'Internal Networks' }).click();
		await expect(global.getByRole('row')).toHaveCount(2);
		await expect(global).toContainText('No items found');
		await context.close();
	} finally {
		await server.dispose();
	}
});

test('account: own profile picture uploaded and reset', async ({ page }) => {
	const server = await PocketId.create();
	try {
		const admin = await signUpFirstAdmin(page, server);
		const pictureUrl = `${server.url}/api/users/${admin.id}/profile-picture.png`;
		const before = Buffer.from(await (await fetch(pictureUrl)).arrayBuffer());

		await page.goto(`${server.url}/settings/account`);
		const upload = page.waitForResponse(
			(r) => r.url().endsWith('/api/users/me/profile-picture') && r.request().method() === 'PUT'
		);
		await page.getByTestId('profile-picture-input').setInputFiles(path.join(FIXTURES, 'images/clouds.jpg'));
		expect((await upload).status()).toBe(204);
		await expect(toast(page).filter({ hasText: 'Profile picture updated successfully' })).toBeVisible();
		// The page shows the stored picture, past the browser cache.
		const img = page.getByRole('button', { name: 'Profile Picture' }).locator('img');
		await expect(img).toHaveAttribute('src', new RegExp(`/api/users/${admin.id}/profile-picture\\.png\\?skipCache=\\d+$`));
		const uploaded = await fetch(`${pictureUrl}?skipCache=1`);
		expect(uploaded.headers.get('content-type')).toBe('image/png');
		const uploadedBytes = Buffer.from(await uploaded.arrayBuffer());
		expect(uploadedBytes.equals(before)).toBe(false);
		expect(uploadedBytes.readUInt32BE(16)).toBe(300); // PNG IHDR width
		expect(uploadedBytes.readUInt32BE(20)).toBe(300);

		await page.getByRole('button', { name: 'Reset to default' }).click();
		await page.getByRole('alertdialog').getByRole('button', { name: 'Reset' }).click();
		await expect(toast(page).filter({ hasText: 'Profile picture has been reset' })).toBeVisible();
		const reset = Buffer.from(await (await fetch(`${pictureUrl}?skipCache=2`)).arrayBuffer());
		expect(reset.equals(uploadedBytes)).toBe(false);
	} finally {
		await server.dispose();
	}
});
