// The scenarios of Pocket ID's one-time-access-token.spec.ts, against the test double.
import { VALID_LOGIN_CODE, VALID_SHORT_LOGIN_CODE } from '../support/fake-api';
import { expect, test } from '../support/fixtures';

test('Sign in with login code', async ({ page, scenario }) => {
	await scenario();
	await page.goto(`/lc/${VALID_LOGIN_CODE}`);
	await page.waitForURL('/settings/account');
});

test('Sign in with expired login code fails', async ({ page, scenario }) => {
	await scenario();
	await page.goto('/lc/YCGDtftvsvYW');
	await expect(page.getByRole('paragraph')).toHaveText('Token is invalid or expired. Please try again.');
});

test('Sign in with login code entered manually', async ({ page, scenario }) => {
	await scenario();
	await page.goto('/lc');
	await page.getByPlaceholder('Code').fill(VALID_LOGIN_CODE);
	await page.getByText('Submit').click();
	await page.waitForURL('/settings/account');
});

test('Sign in with login code entered manually fails', async ({ page, scenario }) => {
	await scenario();
	await page.goto('/lc');
	await page.getByPlaceholder('Code').fill('YCGDtftvsvYW');
	await page.getByText('Submit').click();
	await expect(page.getByRole('paragraph')).toHaveText('Token is invalid or expired. Please try again.');
});

test('Sign in with login code entered manually when email login is enabled', async ({ page, scenario }) => {
	await scenario({ config: { emailOneTimeAccessAsUnauthenticatedEnabled: 'true' } });
	await page.goto('/lc');
	await page.getByText('I have a longer code').click();
	await page.getByPlaceholder('Code').fill(VALID_LOGIN_CODE);
	await page.getByText('Submit').click();
	await page.waitForURL('/settings/account');
});

test('a 6-character email code is accepted in the short input', async ({ page, scenario }) => {
	await scenario({ config: { emailOneTimeAccessAsUnauthenticatedEnabled: 'true' } });
	await page.goto('/lc?redirect=%2Fsettings%2Faudit-log');
	const submit = page.getByRole('button', { name: 'Submit' });
	await expect(submit).toBeDisabled();
	await page.getByPlaceholder('Code').fill(VALID_SHORT_LOGIN_CODE.slice(0, 5));
	await expect(submit).toBeDisabled();
	await page.getByPlaceholder('Code').fill(VALID_SHORT_LOGIN_CODE);
	await expect(submit).toBeEnabled();
	await page.keyboard.press('Enter');
	await page.waitForURL('/settings/audit-log');
});

test('the code page stays reachable when signed in', async ({ page, scenario, signInAs }) => {
	await scenario();
	await signInAs('craig');
	await page.goto('/login/alternative/code');
	await expect(page.getByRole('heading', { name: 'Login Code' })).toBeVisible();
});

test('email login requests a code and leads to the code page', async ({ page, scenario, apiRequests }) => {
	await scenario({ config: { emailOneTimeAccessAsUnauthenticatedEnabled: 'true' } });
	await page.goto('/login/alternative?redirect=%2Fsettings%2Fapps');
	await page.getByRole('link', { name: /Email Login/ }).click();
	await page.getByRole('button', { name: 'Submit' }).click();
	await expect(page.getByText('Invalid email address')).toBeVisible();
	await page.getByLabel('Email').fill('tim.cook@test.com');
	await page.getByRole('button', { name: 'Submit' }).click();
	await expect(page.getByText('An email has been sent to the provided email, if it exists in the system.')).toBeVisible();
	const post = (await apiRequests()).find((r) => r.path === '/api/one-time-access-email');
	expect(post?.body).toEqual({ email: 'tim.cook@test.com', redirectPath: '/settings/apps' });
	await page.getByRole('link', { name: 'Enter code' }).click();
	await expect(page).toHaveURL('/login/alternative/code?redirect=%2Fsettings%2Fapps');
});
