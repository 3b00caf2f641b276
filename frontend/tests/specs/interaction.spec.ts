// The OIDC interaction page (protocol.md §1.6) against the test double: the texts, buttons and test ids that
// Pocket ID's oidc.spec.ts drives, and the API calls of the "Sign in" pipeline.
import type { Page } from '@playwright/test';
import {
	addVirtualAuthenticator,
	expect,
	FAKE_USERS,
	refuseFirstReauthentication,
	SEED_CLIENTS,
	test
} from '../support/fixtures';

/** Runs `action` and waits for the browser to reach `callbackUrl` (answered here instead of a real app). */
async function expectCallbackRedirect(page: Page, callbackUrl: string, action: () => Promise<unknown>) {
	const host = new URL(callbackUrl).origin;
	await page.route(`${host}/**`, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: 'callback' }));
	const request = page.waitForRequest((r) => r.url().startsWith(callbackUrl));
	await action();
	const url = new URL((await request).url());
	expect(url.searchParams.get('code')).toBeTruthy();
	expect(url.searchParams.get('state')).toBe('nXx-6Qr-owc1SHBa');
	return url;
}

async function expectScopes(page: Page, scopes: string[]) {
	const scopeList = page.getByTestId('scopes').filter({ hasText: scopes[0] }).last();
	await expect(scopeList).toBeVisible();
	for (const scope of scopes) await expect(scopeList.getByText(scope, { exact: true })).toBeVisible();
}

test('consent: the scopes are shown, "Sign in" completes and leaves for /authorize', async ({
	page,
	scenario,
	signInAs,
	apiRequests
}) => {
	await scenario({ interactions: { i1: { clientId: SEED_CLIENTS.immich.id, steps: ['consent'] } } });
	await signInAs('tim');
	await page.goto('/interaction?interaction=i1');

	await expect(page.getByRole('heading', { name: 'Sign in to Immich' })).toBeVisible();
	await expect(page.getByText('Do you want to sign in to Immich with your Pocket ID account?')).toBeVisible();
	await expect(page.getByText('Immich wants to access the following information:')).toBeVisible();
	await expectScopes(page, ['Email', 'Profile']);
	await expect(page.getByTestId('scopes').getByText('Groups')).toHaveCount(0);

	await expectCallbackRedirect(page, SEED_CLIENTS.immich.callbackUrl, () =>
		page.getByRole('button', { name: 'Sign in' }).click()
	);
	const requests = await apiRequests();
	expect(requests.find((r) => r.path === '/api/oidc/interactions/i1/complete')?.body).toEqual({ step: 'consent' });
	expect(requests.some((r) => r.path === '/authorize' && r.query === '?interaction=i1')).toBe(true);
});

test('not signed in, authorized client: one click signs in with a passkey and continues', async ({
	page,
	scenario,
	apiRequests
}) => {
	await scenario({ interactions: { i1: { clientId: SEED_CLIENTS.nextcloud.id, steps: ['authenticate'] } } });
	await page.goto('/interaction?interaction=i1');
	await expect(page).toHaveURL('/interaction?interaction=i1');
	await expect(page.getByRole('link', { name: 'Alternative Sign In Methods' })).toBeVisible();
	await expect(page.getByTestId('scopes')).toHaveCount(0);

	await addVirtualAuthenticator(page, FAKE_USERS.tim.id);
	await expectCallbackRedirect(page, SEED_CLIENTS.nextcloud.callbackUrl, () =>
		page.getByRole('button', { name: 'Sign in' }).click()
	);
	const paths = (await apiRequests()).map((r) => `${r.method} ${r.path}`);
	expect(paths).toContain('POST /api/webauthn/login/finish');
	expect(paths).toContain('POST /api/oidc/interactions/i1/complete');
});

test('not signed in, new client: sign in, then consent with a second click', async ({ page, scenario }) => {
	await scenario({ interactions: { i1: { clientId: SEED_CLIENTS.immich.id, steps: ['authenticate'] } } });
	await page.goto('/interaction?interaction=i1');
	await addVirtualAuthenticator(page, FAKE_USERS.tim.id);
	await page.getByRole('button', { name: 'Sign in' }).click();

	await expectScopes(page, ['Email', 'Profile']);
	await expectCallbackRedirect(page, SEED_CLIENTS.immich.callbackUrl, () =>
		page.getByRole('button', { name: 'Sign in' }).click()
	);
});

test('reauthentication uses the fresh session first', async ({ page, scenario, signInAs, apiRequests }) => {
	await scenario({ interactions: { i1: { clientId: SEED_CLIENTS.nextcloud.id, steps: ['reauthenticate'] } } });
	await signInAs('tim');
	await page.goto('/interaction?interaction=i1');
	await expectCallbackRedirect(page, SEED_CLIENTS.nextcloud.callbackUrl, () =>
		page.getByRole('button', { name: /sign in/i }).click()
	);
	const requests = await apiRequests();
	const reauth = requests.filter((r) => r.path === '/api/webauthn/reauthenticate');
	expect(reauth).toHaveLength(1);
	expect(reauth[0].body).toBeUndefined();
	expect(requests.find((r) => r.path.endsWith('/complete'))?.body).toEqual({ step: 'reauthenticate' });
});

test('reauthentication falls back to a passkey assertion', async ({ page, scenario, signInAs, apiRequests }) => {
	await scenario({ interactions: { i1: { clientId: SEED_CLIENTS.nextcloud.id, steps: ['reauthenticate'] } } });
	await signInAs('tim');
	const reauthenticateCalls = await refuseFirstReauthentication(page);
	await page.goto('/interaction?interaction=i1');
	await addVirtualAuthenticator(page, FAKE_USERS.tim.id);
	await expectCallbackRedirect(page, SEED_CLIENTS.nextcloud.callbackUrl, () =>
		page.getByRole('button', { name: /sign in/i }).click()
	);
	expect(reauthenticateCalls()).toBe(2);
	const reauth = (await apiRequests()).filter((r) => r.path === '/api/webauthn/reauthenticate');
	expect((reauth[0].body as { type?: string }).type).toBe('public-key');
	expect((await apiRequests()).some((r) => r.path === '/api/webauthn/login/start')).toBe(true);
});

test('select_account shows the current user and continues on confirm', async ({ page, scenario, signInAs }) => {
	await scenario({ interactions: { i1: { clientId: SEED_CLIENTS.nextcloud.id, steps: ['select_account'] } } });
	await signInAs('tim');
	await page.goto('/interaction?interaction=i1');

	const selectionCard = page.getByTestId('account-selection');
	await expect(selectionCard).toBeVisible();
	await expect(selectionCard).toContainText('Tim Cook');
	await expect(selectionCard).toContainText('tim.cook@test.com');
	await expect(page.getByText('Do you want to use the following account to continue to Nextcloud?')).toBeVisible();

	await expectCallbackRedirect(page, SEED_CLIENTS.nextcloud.callbackUrl, () =>
		page.getByRole('button', { name: /sign in/i }).click()
	);
});

test('select_account: the account can be changed', async ({ page, scenario, signInAs, apiRequests }) => {
	await scenario({ interactions: { i1: { clientId: SEED_CLIENTS.nextcloud.id, steps: ['select_account'] } } });
	await signInAs('tim');
	await page.goto('/interaction?interaction=i1');

	await page.getByRole('button', { name: 'Use a different account' }).click();
	await expect(page.getByText('Do you want to sign in to Nextcloud')).toBeVisible();
	await expect(page.getByTestId('account-selection')).toHaveCount(0);
	expect((await apiRequests()).some((r) => r.path === '/api/webauthn/logout')).toBe(true);

	await addVirtualAuthenticator(page, FAKE_USERS.craig.id);
	await expectCallbackRedirect(page, SEED_CLIENTS.nextcloud.callbackUrl, () =>
		page.getByRole('button', { name: 'Sign In' }).click()
	);
	const completes = (await apiRequests()).filter((r) => r.path.endsWith('/complete'));
	expect(completes.at(-1)?.body).toEqual({ step: 'select_account' });
});

test('a user outside the allowed groups ends on the error page', async ({ page, scenario, signInAs }) => {
	await scenario({ interactions: { i1: { clientId: SEED_CLIENTS.immich.id, steps: ['consent'] } } });
	await signInAs('craig');
	await page.goto('/interaction?interaction=i1');
	await expectScopes(page, ['Email', 'Profile']);
	await page.getByRole('button', { name: 'Sign in' }).click();

	await expect(page).toHaveURL(/\/interaction\/error\?error=/);
	await expect(
		page.getByRole('paragraph').filter({ hasText: 'You are not allowed to access this service.' })
	).toBeVisible();
	await expect(page.getByRole('heading', { name: 'Error' })).toBeVisible();
});

test('a cancelled passkey prompt shows the error and "Try again"', async ({ page, scenario }) => {
	await scenario({ interactions: { i1: { clientId: SEED_CLIENTS.nextcloud.id, steps: ['authenticate'] } } });
	await page.goto('/interaction?interaction=i1');
	// An authenticator without a credential for this site: the browser rejects the request.
	const { client, authenticatorId } = await addVirtualAuthenticator(page);
	await client.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified: false });
	await page.getByRole('button', { name: 'Sign in' }).click();
	await expect(page.getByRole('button', { name: 'Try again' })).toBeVisible({ timeout: 10_000 });
	await expect(page).toHaveURL('/interaction?interaction=i1');
});

test('an unknown interaction shows the server message', async ({ page, scenario }) => {
	await scenario();
	await page.goto('/interaction?interaction=missing');
	await expect(page.getByText('OIDC interaction not found or expired')).toBeVisible();
});

test.describe('/interaction/error', () => {
	test('prints the error query value with a "Go back" button', async ({ page, scenario }) => {
		await scenario();
		await page.goto(`/interaction/error?error=${encodeURIComponent('Invalid PAR session')}`);
		await expect(page).toHaveURL(/\/interaction\/error/);
		await expect(page.getByRole('heading', { name: 'Error' })).toBeVisible();
		await expect(page.getByRole('paragraph').filter({ hasText: 'Invalid PAR session' })).toBeVisible();
		await expect(page.getByRole('link', { name: 'Go back' })).toHaveAttribute('href', '/');
	});

	test('has a default message (with Pocket ID spelling)', async ({ page, scenario }) => {
		await scenario();
		await page.goto('/interaction/error');
		await expect(page.getByText('An unknown error occured.', { exact: true })).toBeVisible();
	});
});
