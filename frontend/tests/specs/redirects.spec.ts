import { expect, test } from '../support/fixtures';

test.describe('root layout redirects (management.md §11)', () => {
	test('/ goes to the sign-in page', async ({ page, scenario }) => {
		await scenario();
		await page.goto('/');
		await expect(page).toHaveURL(/\/login(\?redirect=%2F)?$/);
		await expect(page.getByRole('button', { name: 'Authenticate' })).toBeVisible();
	});

	test('a signed-out visit to a settings page keeps the target in ?redirect=', async ({ page, scenario }) => {
		await scenario();
		await page.goto('/settings/account?tab=x');
		await expect(page).toHaveURL('/login?redirect=%2Fsettings%2Faccount%3Ftab%3Dx');
	});

	test('signed-in users are sent from /login to the home page', async ({ page, scenario, signInAs }) => {
		await scenario();
		await signInAs('tim');
		await page.goto('/login');
		await expect(page).toHaveURL('/settings/account');
	});

	test('/settings follows the configured home page', async ({ page, scenario, signInAs }) => {
		await scenario({ config: { homePageUrl: '/settings/apps' } });
		await signInAs('tim');
		await page.goto('/settings');
		await expect(page).toHaveURL('/settings/apps');
	});

	test('non-admins cannot open admin pages', async ({ page, scenario, signInAs }) => {
		await scenario();
		await signInAs('craig');
		await page.goto('/settings/admin/users');
		await expect(page).toHaveURL('/settings/account');
		await expect(page.getByRole('button', { name: 'Administration' })).toHaveCount(0);
	});

	test('admins can open admin pages', async ({ page, scenario, signInAs }) => {
		await scenario();
		await signInAs('tim');
		await page.goto('/settings/admin/users');
		await expect(page).toHaveURL('/settings/admin/users');
		await expect(page.getByRole('link', { name: 'Users', exact: true })).toHaveAttribute('aria-current', 'page');
	});

	test('/setup is an alias of /signup/setup', async ({ page, scenario }) => {
		await scenario({ setupAvailable: true });
		await page.goto('/setup');
		await expect(page).toHaveURL('/signup/setup');
	});

	test('/lc keeps the redirect parameter', async ({ page, scenario }) => {
		await scenario();
		await page.goto('/lc?redirect=%2Fsettings%2Faudit-log');
		await expect(page).toHaveURL('/login/alternative/code?redirect=%2Fsettings%2Faudit-log');
	});

	test('an unsafe redirect target is ignored after sign-in', async ({ page, scenario }) => {
		await scenario();
		await page.goto('/lc/HPe6k6u1DRRV?redirect=https%3A%2F%2Fevil.example');
		await expect(page).toHaveURL('/settings/account');
	});
});
