import { expect, test } from '../support/fixtures';

test.beforeEach(async ({ scenario, signInAs }) => {
	await scenario();
	await signInAs('tim');
});

test('settings sidebar has an accessible name', async ({ page }) => {
	await page.goto('/settings/account');
	await expect(page.getByRole('navigation', { name: 'Settings' })).toBeVisible();
});

test('keyboard focus stays on sidebar link after navigating', async ({ page }) => {
	await page.goto('/settings/account');
	const auditLog = page.getByRole('link', { name: 'Audit Log' });
	await auditLog.focus();
	await page.keyboard.press('Enter');
	await page.waitForURL('**/settings/audit-log');
	await expect(auditLog).toBeFocused();
});

test('admins see the Administration group with every admin page', async ({ page }) => {
	await page.goto('/settings/account');
	const nav = page.getByRole('navigation', { name: 'Settings' });
	for (const name of ['My Account', 'My Apps', 'Audit Log']) {
		await expect(nav.getByRole('link', { name })).toBeVisible();
	}
	const group = nav.getByRole('button', { name: 'Administration' });
	if ((await group.getAttribute('aria-expanded')) !== 'true') await group.click();
	for (const [name, href] of [
		['Users', '/settings/admin/users'],
		['User Groups', '/settings/admin/user-groups'],
		['OIDC Clients', '/settings/admin/oidc-clients'],
		['APIs', '/settings/admin/apis'],
		['API Keys', '/settings/admin/api-keys'],
		['Application Configuration', '/settings/admin/application-configuration']
	]) {
		await expect(nav.getByRole('link', { name, exact: true })).toHaveAttribute('href', href);
	}
	await group.click();
	await expect(group).toHaveAttribute('aria-expanded', 'false');
	await expect(nav.getByRole('link', { name: 'Users', exact: true })).toHaveCount(0);
});

test('the header shows the app name and the footer the server version', async ({ page, scenario }) => {
	await scenario({ config: { appName: 'Acme ID' } });
	await page.goto('/settings/account');
	await expect(page.getByTestId('application-name')).toHaveText('Acme ID');
	await expect(page.getByText('Powered by Pocket ID (2.14.0)')).toBeVisible();
});

test('a server without /api/version/current still renders the footer', async ({ page, scenario }) => {
	await scenario({ versionEndpoint: false });
	await page.goto('/settings/account');
	await expect(page.getByText(/Powered by Pocket ID \(.+\)/)).toBeVisible();
});

test('the avatar menu opens with the keyboard and links to the account', async ({ page }) => {
	await page.goto('/settings/audit-log');
	const trigger = page.getByRole('button', { name: 'My Account' });
	await trigger.focus();
	await page.keyboard.press('Enter');
	await expect(page.getByRole('menu')).toContainText('Tim Cook');
	await page.getByRole('menuitem', { name: 'My Account' }).click();
	await expect(page).toHaveURL('/settings/account');
});

test('the admin users page lists the users with the create form behind "Add User"', async ({ page }) => {
	await page.goto('/settings/admin/users');
	await expect(page.getByRole('heading', { name: 'Manage Users', level: 2 })).toBeVisible();
	const table = page.getByRole('table', { name: 'Users' });
	await expect(table.getByRole('cell', { name: 'tim', exact: true })).toBeVisible();
	await expect(page.getByLabel('Username')).toHaveCount(0);
	await page.getByRole('button', { name: 'Add User' }).click();
	await expect(page.getByLabel('Username')).toBeVisible();
});
