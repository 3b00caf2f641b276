import { VALID_SIGNUP_TOKEN } from '../support/fake-api';
import { expect, FAKE_USERS, test } from '../support/fixtures';

test('Initial Signup - success flow', async ({ page, scenario, apiRequests }) => {
	await scenario({ setupAvailable: true });
	await page.goto('/setup');
	await expect(page.getByRole('heading', { name: 'Sign Up to Pocket ID' })).toBeVisible();
	await page.getByLabel('First name').fill('Jane');
	await page.getByLabel('Last name').fill('Smith');
	await page.getByLabel('Username').fill('janesmith');
	await page.getByLabel('Email').fill('jane.smith@test.com');
	await page.getByRole('button', { name: 'Sign Up' }).click();
	await page.waitForURL('/signup/add-passkey');
	await expect(page.getByText('Set up your passkey')).toBeVisible();

	const post = (await apiRequests()).find((r) => r.method === 'POST' && r.path === '/api/signup/setup');
	expect(post?.body).toEqual({ username: 'janesmith', email: 'jane.smith@test.com', firstName: 'Jane', lastName: 'Smith' });
});

test('Initial Signup - validation messages', async ({ page, scenario, apiRequests }) => {
	await scenario({ setupAvailable: true });
	await page.goto('/signup/setup');
	await page.getByRole('button', { name: 'Sign Up' }).click();
	await expect(page.getByText('Invalid email address')).toBeVisible();
	await expect(page.getByText('Too small: expected string to have >=1 characters')).toBeVisible();
	await expect(page.getByLabel('Username')).toHaveAttribute('aria-invalid', 'true');

	await page.getByLabel('Username').fill('-jane');
	await page.getByRole('button', { name: 'Sign Up' }).click();
	await expect(page.getByText('Username must start with an alphanumeric character')).toBeVisible();
	expect((await apiRequests()).filter((r) => r.method === 'POST')).toHaveLength(0);
});

test('Initial Signup - setup route unavailable after completion', async ({ page, scenario }) => {
	await scenario({ setupAvailable: false });
	await page.goto('/setup');
	await expect(page.getByText('Not found')).toBeVisible();
	await expect(page.getByRole('button', { name: 'Sign Up' })).not.toBeVisible();
});

test('Skip passkey creation during signup', async ({ page, scenario }) => {
	await scenario({ setupAvailable: true });
	await page.goto('/signup/setup');
	await page.getByLabel('Username').fill('skipuser');
	await page.getByLabel('Email').fill('skip.user@test.com');
	await page.getByRole('button', { name: 'Sign Up' }).click();
	await page.waitForURL('/signup/add-passkey');

	await page.getByRole('button', { name: 'Skip for now' }).click();
	await expect(page.getByText('Skip Passkey Setup')).toBeVisible();
	await page.getByRole('button', { name: 'Skip for now' }).nth(1).click();

	await page.waitForURL('/settings/account');
	await expect(page.getByText('Passkey missing')).toBeVisible();
});

// The self sign-up scenarios of Pocket ID's user-signup.spec.ts (the signup mode is set through the double).
test.describe('User Signup', () => {
	test('Signup is disabled - shows error message', async ({ page, scenario }) => {
		await scenario({ config: { allowUserSignups: 'disabled' } });
		await page.goto('/signup');
		await expect(page.getByText('User signups are currently disabled')).toBeVisible();
		await expect(page.getByRole('link', { name: 'Go to login' })).toBeVisible();
	});

	test('Signup with token - success flow', async ({ page, scenario }) => {
		await scenario({ config: { allowUserSignups: 'withToken' } });
		await page.goto(`/st/${VALID_SIGNUP_TOKEN}`);
		await page.getByLabel('First name').fill('John');
		await page.getByLabel('Last name').fill('Doe');
		await page.getByLabel('Username').fill('johndoe');
		await page.getByLabel('Email').fill('john.doe@test.com');
		await page.getByRole('button', { name: 'Sign Up' }).click();
		await page.waitForURL('/signup/add-passkey');
		await expect(page.getByText('Set up your passkey')).toBeVisible();
	});

	test('Signup with token - invalid token shows error', async ({ page, scenario }) => {
		await scenario({ config: { allowUserSignups: 'withToken' } });
		await page.goto('/st/invalid-token-123');
		await page.getByLabel('First name').fill('Complete');
		await page.getByLabel('Last name').fill('User');
		await page.getByLabel('Username').fill('completeuser');
		await page.getByLabel('Email').fill('complete.user@test.com');
		await page.getByRole('button', { name: 'Sign Up' }).click();
		await expect(page.getByText('Token is invalid or expired.')).toBeVisible();
	});

	test('Signup with token - no token in URL shows error', async ({ page, scenario }) => {
		await scenario({ config: { allowUserSignups: 'withToken' } });
		await page.goto('/signup');
		await expect(page.getByText('A valid signup token is required to create an account.')).toBeVisible();
	});

	test('Open signup - success flow', async ({ page, scenario }) => {
		await scenario({ config: { allowUserSignups: 'open' } });
		await page.goto('/login');
		await page.getByRole('link', { name: 'Sign Up' }).click();
		await expect(page.getByText('Create your account to get started')).toBeVisible();
		await page.getByLabel('First name').fill('Jane');
		await page.getByLabel('Last name').fill('Smith');
		await page.getByLabel('Username').fill('janesmith');
		await page.getByLabel('Email').fill('jane.smith@test.com');
		await page.getByRole('button', { name: 'Sign Up' }).click();
		await page.waitForURL('/signup/add-passkey');
		await expect(page.getByText('Set up your passkey')).toBeVisible();
	});

	test('Open signup - validation errors', async ({ page, scenario }) => {
		await scenario({ config: { allowUserSignups: 'open' } });
		await page.goto('/signup');
		await page.getByRole('button', { name: 'Sign Up' }).click();
		await expect(page.getByText('Invalid email address').first()).toBeVisible();
	});

	test('Open signup - duplicate email and username show errors', async ({ page, scenario }) => {
		await scenario({ config: { allowUserSignups: 'open' } });
		await page.goto('/signup');
		await page.getByLabel('First name').fill('Test');
		await page.getByLabel('Last name').fill('User');
		await page.getByLabel('Username').fill('testuser123');
		await page.getByLabel('Email').fill(FAKE_USERS.tim.email);
		await page.getByRole('button', { name: 'Sign Up' }).click();
		await expect(page.getByText('Email is already in use.')).toBeVisible();

		await page.getByLabel('Username').fill(FAKE_USERS.tim.username);
		await page.getByLabel('Email').fill('newuser@test.com');
		await page.getByRole('button', { name: 'Sign Up' }).click();
		await expect(page.getByText('Username is already in use.')).toBeVisible();
	});
});
