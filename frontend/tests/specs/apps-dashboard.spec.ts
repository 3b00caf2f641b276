// Mirrors Pocket ID's apps-dashboard.spec.ts (locators and texts), against the test double.
import { expect, SEED_CLIENTS, test } from '../support/fixtures';

test.beforeEach(async ({ scenario, signInAs }) => {
	await scenario();
	await signInAs('tim');
});

test('Dashboard shows only clients with launch URLs in the correct order', async ({ page, apiRequests }) => {
	await page.goto('/settings/apps');
	await expect(page.getByRole('heading', { name: 'My Apps', level: 1 })).toBeVisible();

	const appCards = page.getByRole('article');
	await expect(appCards).toHaveCount(2);

	const card1 = appCards.first();
	await expect(card1.getByRole('heading')).toHaveText(SEED_CLIENTS.nextcloud.name);
	await expect(card1.getByText('nextcloud.local')).toBeVisible();

	const card2 = page.getByRole('article', { name: SEED_CLIENTS.immich.name });
	await expect(card2.getByRole('heading', { name: SEED_CLIENTS.immich.name })).toBeVisible();
	await expect(card2.getByText('immich.local')).toBeVisible();

	await expect(page.getByRole('article', { name: SEED_CLIENTS.tailscale.name })).toHaveCount(0);

	const list = (await apiRequests()).find((r) => r.path === '/api/oidc/users/me/clients');
	const query = new URLSearchParams(list?.query);
	expect(query.get('filters[hasLaunchURL]')).toBe('true');
	expect(query.get('sort[column]')).toBe('lastUsedAt');
	expect(query.get('sort[direction]')).toBe('desc');
});

test("User can't see a restricted launchable client", async ({ page, context, signInAs }) => {
	await context.clearCookies();
	await signInAs('craig');
	await page.goto('/settings/apps');

	await expect(page.getByRole('article')).toHaveCount(1);
	await expect(page.getByRole('article', { name: SEED_CLIENTS.nextcloud.name })).toBeVisible();
	await expect(page.getByRole('article', { name: SEED_CLIENTS.immich.name })).toHaveCount(0);
	// No admin edit link and nothing to revoke: no menu.
	await expect(page.getByRole('button', { name: 'Toggle menu' })).toHaveCount(0);
});

test('Show and revoke a hidden authorized client in the app grid', async ({ page, apiRequests }) => {
	await page.goto('/settings/apps');

	const appCards = page.getByRole('article');
	const clientCard = page.getByRole('article', { name: SEED_CLIENTS.tailscale.name });
	await expect(clientCard).toHaveCount(0);

	await page.getByRole('button', { name: /Show all apps/ }).click();

	await expect(appCards).toHaveCount(4);
	await expect(clientCard).toBeVisible();
	await expect(page.getByRole('main').getByRole('separator')).toBeVisible();
	await expect(clientCard.getByRole('link', { name: 'Launch' })).toHaveCount(0);
	await expect(clientCard.getByRole('button', { name: 'Revoke' })).toHaveCount(0);
	await clientCard.getByRole('button', { name: 'Toggle menu' }).click();
	await page.getByRole('menuitem', { name: 'Revoke' }).click();
	await expect(page.getByRole('alertdialog')).toContainText(
		`Revoke access to ${SEED_CLIENTS.tailscale.name}. ${SEED_CLIENTS.tailscale.name} will no longer be able to access your account information.`
	);
	await page.getByRole('alertdialog').getByRole('button', { name: 'Revoke' }).click();

	await expect(
		page.getByText(`The access to ${SEED_CLIENTS.tailscale.name} has been successfully revoked.`, { exact: true })
	).toBeVisible();
	await expect(clientCard).toHaveCount(0);
	expect(
		(await apiRequests()).some(
			(r) => r.method === 'DELETE' && r.path === `/api/oidc/users/me/authorized-clients/${SEED_CLIENTS.tailscale.id}`
		)
	).toBe(true);
});

test('Revoke a launchable app', async ({ page }) => {
	await page.goto('/settings/apps');
	const card = page.getByRole('article', { name: SEED_CLIENTS.nextcloud.name });
	await card.getByRole('button', { name: 'Toggle menu' }).click();
	await page.getByRole('menuitem', { name: 'Revoke' }).click();
	await page.getByRole('alertdialog').getByRole('button', { name: 'Revoke' }).click();
	await expect(page.getByText(`The access to ${SEED_CLIENTS.nextcloud.name} has been successfully revoked.`)).toBeVisible();
	// Still accessible (not group-restricted), but no longer used: no revoke entry any more.
	await card.getByRole('button', { name: 'Toggle menu' }).click();
	await expect(page.getByRole('menuitem', { name: 'Revoke' })).toHaveCount(0);
	await expect(page.getByRole('menuitem', { name: 'Edit' })).toBeVisible();
});

test('Launch authorized client', async ({ page }) => {
	await page.goto('/settings/apps');

	const appCards = page.getByRole('article');
	await expect(appCards.getByRole('link', { name: 'Launch' })).toHaveCount(2);

	const card = page.getByRole('article', { name: SEED_CLIENTS.nextcloud.name });
	await expect(card.getByRole('link', { name: 'Launch' })).toHaveAttribute('href', SEED_CLIENTS.nextcloud.launchURL);
	await expect(card.getByRole('link', { name: 'Launch' })).toHaveAttribute('target', '_blank');
});

test('Admins get an edit link to the client settings', async ({ page }) => {
	await page.goto('/settings/apps');
	await page.getByRole('article', { name: SEED_CLIENTS.immich.name }).getByRole('button', { name: 'Toggle menu' }).click();
	await page.getByRole('menuitem', { name: 'Edit' }).click();
	await expect(page).toHaveURL(`/settings/admin/oidc-clients/${SEED_CLIENTS.immich.id}`);
});

test('No apps: an empty state with the hidden apps on demand', async ({ page, context, signInAs, request }) => {
	// craig may only use Nextcloud; without its launch URL he has no launchable app.
	const put = await request.put(`/api/oidc/clients/${SEED_CLIENTS.nextcloud.id}`, {
		data: { name: 'Nextcloud', callbackURLs: [SEED_CLIENTS.nextcloud.callbackUrl], isGroupRestricted: false },
		headers: { Cookie: 'access_token=fake-session-tim' }
	});
	expect(put.ok()).toBe(true);
	await context.clearCookies();
	await signInAs('craig');
	await page.goto('/settings/apps');
	await expect(page.getByText('No apps available')).toBeVisible();
	await expect(page.getByText('Contact your administrator to get access to applications.')).toBeVisible();
	await expect(page.getByRole('button', { name: 'Show hidden apps' })).toHaveCount(0);
});
