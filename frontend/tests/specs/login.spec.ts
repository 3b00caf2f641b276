import { addVirtualAuthenticator, expect, FAKE_USERS, test } from '../support/fixtures';

test('sign-in page renders with the configured app name', async ({ page, scenario }) => {
	await scenario({ config: { appName: 'Acme ID' } });
	await page.goto('/login');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in to Acme ID');
	await expect(page.getByText('Authenticate yourself with your passkey to access your account.')).toBeVisible();
	await expect(page.getByRole('button', { name: 'Authenticate' })).toBeFocused();
	await expect(page.getByRole('link', { name: 'Alternative Sign In Methods' })).toHaveAttribute(
		'href',
		'/login/alternative'
	);
	await expect(page).toHaveTitle('Sign in');
});

test('passkey sign-in goes to the redirect target', async ({ page, scenario }) => {
	await scenario();
	await page.goto('/login?redirect=%2Fsettings%2Faudit-log');
	await addVirtualAuthenticator(page, FAKE_USERS.tim.id);
	await page.getByRole('button', { name: 'Authenticate' }).click();
	await page.waitForURL('/settings/audit-log');
	await expect(page.getByRole('button', { name: 'My Account' })).toBeVisible();
});

test('passkey sign-in without redirect lands on the account page', async ({ page, scenario }) => {
	await scenario();
	await page.goto('/login');
	await addVirtualAuthenticator(page, FAKE_USERS.craig.id);
	await page.getByRole('button', { name: 'Authenticate' }).click();
	await page.waitForURL('/settings/account');
	await expect(page.getByLabel('Username')).toHaveValue('craig');
});

test('a failed verification shows the error and offers a retry', async ({ page, scenario }) => {
	await scenario({
		loginFailure: { status: 401, code: 'webauthn_authentication_failed', error: "We couldn't verify your passkey" }
	});
	await page.goto('/login');
	await addVirtualAuthenticator(page, FAKE_USERS.tim.id);
	await page.getByRole('button', { name: 'Authenticate' }).click();
	await expect(page.getByText("We couldn't verify your passkey. Please try to sign in again.")).toBeVisible();
	await expect(page.getByRole('button', { name: 'Try again' })).toBeVisible();
});

test('alternative sign-in lists the login code and, when enabled, email', async ({ page, scenario }) => {
	await scenario();
	await page.goto('/login?redirect=%2Fsettings%2Fapps');
	await page.getByRole('link', { name: 'Alternative Sign In Methods' }).click();
	await expect(page).toHaveURL('/login/alternative?redirect=%2Fsettings%2Fapps');
	await expect(page.getByRole('heading', { name: 'Alternative Sign In' })).toBeVisible();
	await expect(page.getByRole('link', { name: /Login Code/ })).toHaveAttribute(
		'href',
		'/login/alternative/code?redirect=%2Fsettings%2Fapps'
	);
	await expect(page.getByRole('link', { name: /Email Login/ })).toHaveCount(0);

	await scenario({ config: { emailOneTimeAccessAsUnauthenticatedEnabled: 'true' } });
	await page.reload();
	await expect(page.getByRole('link', { name: /Email Login/ })).toBeVisible();
});

test('logout asks for confirmation and signs out', async ({ page, scenario, signInAs, apiRequests }) => {
	await scenario();
	await signInAs('tim');
	await page.goto('/logout');
	await expect(page.getByRole('heading', { name: 'Sign out' })).toBeVisible();
	await expect(page.getByText('Do you want to sign out of Pocket ID with the account tim?')).toBeVisible();
	await page.getByRole('button', { name: 'Sign out' }).click();
	await page.waitForURL(/\/login/);
	const calls = await apiRequests();
	expect(calls.some((c) => c.method === 'POST' && c.path === '/api/webauthn/logout')).toBe(true);
});

test('the avatar menu signs out', async ({ page, scenario, signInAs }) => {
	await scenario();
	await page.context().clearCookies();
	await page.goto('/login');
	await addVirtualAuthenticator(page, FAKE_USERS.tim.id);
	await page.getByRole('button', { name: 'Authenticate' }).click();
	await page.waitForURL('/settings/account');
	await page.getByRole('button', { name: 'My Account' }).click();
	await page.getByRole('menuitem', { name: 'Logout' }).click();
	await page.waitForURL('/login');
	await page.goto('/settings/account');
	await expect(page).toHaveURL(/\/login\?redirect=/);
	void signInAs;
});
