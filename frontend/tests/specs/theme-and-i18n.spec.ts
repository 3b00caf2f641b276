import { addVirtualAuthenticator, expect, FAKE_USERS, test } from '../support/fixtures';

test('the theme follows the system by default', async ({ page, scenario }) => {
	await scenario();
	await page.emulateMedia({ colorScheme: 'dark' });
	await page.goto('/login');
	await expect(page.locator('html')).toHaveClass(/\bdark\b/);
	await page.emulateMedia({ colorScheme: 'light' });
	await expect(page.locator('html')).not.toHaveClass(/\bdark\b/);
});

test('the theme switch is persisted', async ({ page, scenario, signInAs }) => {
	await scenario();
	await signInAs('tim');
	await page.emulateMedia({ colorScheme: 'light' });
	await page.goto('/settings/account');
	await page.getByRole('button', { name: 'Toggle theme' }).click();
	await page.getByRole('menuitemradio', { name: 'Dark' }).click();
	await expect(page.locator('html')).toHaveClass(/\bdark\b/);
	await page.reload();
	await expect(page.locator('html')).toHaveClass(/\bdark\b/);
	await page.getByRole('button', { name: 'Toggle theme' }).click();
	await page.getByRole('menuitemradio', { name: 'System' }).click();
	await expect(page.locator('html')).not.toHaveClass(/\bdark\b/);
});

test('the accent colour from the configuration becomes the primary colour', async ({ page, scenario }) => {
	await scenario({ config: { accentColor: 'rgb(37, 99, 235)' } });
	await page.goto('/login');
	await expect
		.poll(() => page.evaluate(() => document.documentElement.style.getPropertyValue('--primary')))
		.toBe('rgb(37, 99, 235)');
});

test('Change Locale (as in Pocket ID): UI and validation messages switch to Dutch', async ({
	page,
	scenario,
	signInAs,
	apiRequests
}) => {
	await scenario();
	await signInAs('tim');
	await page.goto('/settings/account');

	await page.getByLabel('Select Locale').click();
	await page.getByRole('option', { name: 'Nederlands' }).click();

	await expect(page.getByText('Taal', { exact: true })).toBeVisible();
	await page.getByRole('textbox', { name: 'Gebruikersnaam' }).fill('');
	await page.getByRole('button', { name: 'Opslaan' }).click();
	await expect(page.getByText('Te kort: verwacht dat string >=1 tekens heeft')).toBeVisible();

	const put = (await apiRequests()).find((r) => r.method === 'PUT' && r.path === '/api/users/me');
	expect(put?.body).toMatchObject({ locale: 'nl', username: 'tim' });

	// Signed in again without the cookie, the saved locale comes back from the user, header included.
	await page.context().clearCookies();
	await page.goto('/login');
	await addVirtualAuthenticator(page, FAKE_USERS.tim.id);
	await page.getByRole('button', { name: 'Authenticate' }).click();
	await page.waitForURL('/settings/account');
	await expect(page.getByText('Taal', { exact: true })).toBeVisible();
	await expect(page.getByRole('button', { name: 'Mijn account' })).toBeVisible();
	await expect(page.getByRole('navigation', { name: 'Instellingen' })).toBeVisible();
});

test('a partly translated locale falls back to English per message', async ({ page, scenario, context, baseURL }) => {
	await scenario();
	await context.addCookies([{ name: 'locale', value: 'de', url: baseURL! }]);
	await page.goto('/login');
	await expect(page.getByRole('button', { name: 'Authentifizieren' })).toBeVisible();
	// not translated in messages/de.json → English
	await expect(page.getByRole('link', { name: 'Alternative Sign In Methods' })).toBeVisible();
	await expect(page.locator('html')).toHaveAttribute('lang', 'de');
});

test('the browser language is used when there is no cookie', async ({ browser, scenario, baseURL }) => {
	await scenario();
	const context = await browser.newContext({ locale: 'nl-NL', baseURL });
	const page = await context.newPage();
	await page.goto('/login');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Meld je aan bij Pocket ID');
	await context.close();
});
