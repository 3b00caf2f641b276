// Not assertions: writes screenshots of the main pages to tests/.output/screenshots for a visual check.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { addVirtualAuthenticator, expect, FAKE_USERS, test } from '../support/fixtures';

const dir = 'tests/.output/screenshots';

for (const scheme of ['light', 'dark'] as const) {
	test(`screenshots (${scheme})`, async ({ page, scenario }) => {
		await scenario();
		await page.setViewportSize({ width: 1280, height: 860 });
		await page.emulateMedia({ colorScheme: scheme });
		await page.goto('/login');
		await expect(page.getByRole('button', { name: 'Authenticate' })).toBeVisible();
		await page.waitForTimeout(400);
		await page.screenshot({ path: `${dir}/login-${scheme}.png` });

		await addVirtualAuthenticator(page, FAKE_USERS.tim.id);
		await page.getByRole('button', { name: 'Authenticate' }).click();
		await page.waitForURL('/settings/account');
		await expect(page.getByText('Passkey 2')).toBeVisible();
		await page.waitForTimeout(400);
		await page.screenshot({ path: `${dir}/account-${scheme}.png`, fullPage: true });
	});
}

test('screenshot (mobile login code)', async ({ page, scenario }) => {
	await scenario();
	await page.setViewportSize({ width: 390, height: 780 });
	await page.goto('/lc/YCGDtftvsvYW');
	await expect(page.getByRole('paragraph')).toContainText('Token is invalid');
	await page.screenshot({ path: `${dir}/login-code-mobile.png` });
});

test('screenshot (login with background image)', async ({ page, scenario }) => {
	// The project's shared fixtures sit beside the repository (…/shared/fixtures).
	const fixtures = process.env.PID_FIXTURES_DIR ?? fileURLToPath(new URL('../../../../shared/fixtures', import.meta.url));
	const background = `${fixtures}/images/clouds.jpg`;
	test.skip(!existsSync(background), 'shared/fixtures/images/clouds.jpg not found');
	await scenario({ backgroundImage: background });
	await page.setViewportSize({ width: 1280, height: 800 });
	await page.goto('/login');
	await expect(page.getByRole('button', { name: 'Authenticate' })).toBeVisible();
	await page.waitForTimeout(600);
	await page.screenshot({ path: `${dir}/login-background.png` });
});

test('screenshots (OIDC pages)', async ({ page, scenario, signInAs }) => {
	test.setTimeout(60_000);
	await scenario({ interactions: { i1: { clientId: '606c7782-f2b1-49e5-8ea9-26eb1b06d018', steps: ['consent'] } } });
	await signInAs('tim');
	await page.setViewportSize({ width: 1280, height: 860 });
	const shots: [string, string, () => Promise<void>][] = [
		['oidc-clients', '/settings/admin/oidc-clients', async () => {
			await page.getByRole('button', { name: 'Add OIDC Client' }).click();
		}],
		['oidc-client', '/settings/admin/oidc-clients/3654a746-35d4-4321-ac61-0bdcff2b4055', async () => {
			await page.getByRole('button', { name: 'Show more details' }).click();
		}],
		['oidc-client-credentials', '/settings/admin/oidc-clients/3654a746-35d4-4321-ac61-0bdcff2b4055#credentials', async () => {
			await page.getByRole('button', { name: 'Add client secret' }).click();
			await expect(page.getByTestId('client-secret-row')).toHaveCount(2);
		}],
		['oidc-client-groups', '/settings/admin/oidc-clients/606c7782-f2b1-49e5-8ea9-26eb1b06d018#user-groups', async () => {
			await expect(page.getByRole('checkbox').first()).toBeVisible();
		}],
		['apis', '/settings/admin/apis', async () => {
			await page.getByRole('button', { name: 'Add API' }).click();
		}],
		['api', '/settings/admin/apis/f6a8b3c1-2d4e-4a6b-8c9d-0e1f2a3b4c5d', async () => {
			await expect(page.getByRole('row', { name: 'Immich' })).toBeVisible();
		}],
		['api-grant', '/settings/admin/apis/f6a8b3c1-2d4e-4a6b-8c9d-0e1f2a3b4c5d', async () => {
			await page.getByRole('row', { name: 'Immich' }).getByRole('button', { name: 'Edit' }).click();
			await expect(page.getByRole('dialog').getByRole('checkbox').first()).toBeVisible();
		}],
		['oidc-client-api-access', '/settings/admin/oidc-clients/606c7782-f2b1-49e5-8ea9-26eb1b06d018#api-access', async () => {
			await expect(page.getByRole('row', { name: 'Orders API' })).toBeVisible();
		}],
		['apps', '/settings/apps', async () => {
			await page.getByRole('button', { name: /Show all apps/ }).click();
		}],
		['interaction', '/interaction?interaction=i1', async () => {
			await expect(page.getByTestId('scopes')).toBeVisible();
		}]
	];
	for (const [name, url, prepare] of shots) {
		await page.goto(url);
		await prepare();
		await page.waitForTimeout(400);
		await page.screenshot({ path: `${dir}/${name}.png`, fullPage: true });
	}
});
