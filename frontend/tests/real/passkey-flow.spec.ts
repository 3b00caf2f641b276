// The heart of the product, in a real browser against the real server: a person opens Pocket ID, becomes its
// first admin, registers a passkey (Chromium's virtual authenticator over CDP), signs out, signs in, and signs in
// again after a server restart. Once per credential algorithm.
import { test, expect, type Page } from '@playwright/test';
import { signUpFirstAdmin } from './browser';
import { PocketId } from './server';

const ALGORITHMS = { ES256: -7, RS256: -257, EdDSA: -8 } as const;

// Offers only one algorithm so the virtual authenticator creates that kind of key; the server still verifies
// against everything it offered.
async function offerOnly(page: Page, alg: number) {
	await page.route('**/api/webauthn/register/start', async (route) => {
		const response = await route.fetch();
		const options = await response.json();
		options.pubKeyCredParams = [{ type: 'public-key', alg }];
		await route.fulfill({ response, json: options });
	});
}

async function signInWithPasskey(page: Page, server: PocketId) {
	await page.goto(`${server.url}/login`);
	await page.getByRole('button', { name: 'Authenticate' }).click();
	await page.waitForURL(`${server.url}/settings/account`);
	await expect(page.getByLabel('Username')).toHaveValue('tim');
}

for (const [name, alg] of Object.entries(ALGORITHMS)) {
	test(`first admin: setup, ${name} passkey, sign out, sign in, restart, sign in`, async ({ page }) => {
		const server = await PocketId.create();
		try {
			await offerOnly(page, alg);
			const { cdp, authenticatorId } = await signUpFirstAdmin(page, server);

			const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
			expect(credentials).toHaveLength(1);
			expect(credentials[0].isResidentCredential).toBe(true);
			await expect(page.getByText('New Passkey')).toBeVisible();

			// Setup is closed now.
			expect((await fetch(`${server.url}/api/signup/setup`)).status).toBe(404);

			await page.goto(`${server.url}/logout`);
			await page.getByRole('button', { name: 'Sign out' }).click();
			await page.waitForURL(/\/login/);
			expect((await page.context().cookies()).find((c) => c.name === 'access_token')?.value ?? '').toBe('');

			await signInWithPasskey(page, server);

			await server.restart();
			await page.context().clearCookies();
			await signInWithPasskey(page, server);
		} finally {
			await server.dispose();
		}
	});
}

test('the login link printed by the CLI signs in an admin inserted with sqlite3', async ({ page }) => {
	test.skip(process.env.PID_ENGINE === 'postgres', 'the guides insert with the sqlite3 CLI');
	const server = await PocketId.create();
	try {
		const { execFileSync } = await import('node:child_process');
		execFileSync('sqlite3', [
			`${server.cwd}/data/pocket-id.db`,
			"INSERT INTO users (id, created_at, updated_at, username, email, first_name, last_name, display_name, is_admin, email_verified) VALUES ('admin-uuid-001', datetime('now'), datetime('now'), 'pocketid-admin', 'admin@example.com', 'Pocket ID', 'Admin', 'Admin', 1, 1);"
		]);
		const out = server.cli(['one-time-access-token', 'pocketid-admin']);
		const link = out.match(/Use the following URL to sign in once: (\S+)/)?.[1];
		expect(link).toBeTruthy();
		await page.goto(link!);
		await page.waitForURL(`${server.url}/settings/account`);
		await expect(page.getByLabel('Username')).toHaveValue('pocketid-admin');
		await expect(page.getByLabel('First name')).toHaveValue('Pocket ID');

		// A used link does not work twice.
		await page.context().clearCookies();
		await page.goto(link!);
		await expect(page.getByText('Token is invalid or expired')).toBeVisible();
	} finally {
		await server.dispose();
	}
});
