// The device authorization verification page /device (protocol.md §1.14) against the test double: the texts and
// buttons Pocket ID's oidc.spec.ts drives ("Authorize", the success, invalid-code and group messages) and the API
// calls behind them (info, reauthentication, verify).
import type { Page } from '@playwright/test';
import {
	addVirtualAuthenticator,
	expect,
	FAKE_USERS,
	refuseFirstReauthentication,
	SEED_CLIENTS,
	test
} from '../support/fixtures';

const IMMICH_CODE = 'EABCD123';
const NEXTCLOUD_CODE = 'EKXM7R2Q';

async function expectScopes(page: Page, scopes: string[]) {
	const scopeList = page.getByTestId('scopes');
	await expect(scopeList).toBeVisible();
	for (const scope of scopes) await expect(scopeList.getByText(scope, { exact: true })).toBeVisible();
}

const authorized = (page: Page) =>
	page.getByRole('paragraph').filter({ hasText: 'The device has been authorized.' });
const invalidCode = (page: Page) =>
	page.getByRole('alert').getByRole('paragraph').filter({ hasText: 'Device code is invalid. Please try again.' });

test('code from the URL: consent for a new client, "Authorize" verifies it', async ({
	page,
	scenario,
	signInAs,
	apiRequests
}) => {
	await scenario({ deviceCodes: { [IMMICH_CODE]: { clientId: SEED_CLIENTS.immich.id } } });
	await signInAs('tim');
	await page.goto(`/device?user_code=${IMMICH_CODE}`);

	await expect(page.getByRole('heading', { name: 'Authorize Device' })).toBeVisible();
	await expect(page.getByText('Immich wants to access the following information:')).toBeVisible();
	await expectScopes(page, ['Email', 'Profile']);
	// Nothing is verified before the user agrees.
	expect((await apiRequests()).some((r) => r.path === '/api/oidc/device/verify')).toBe(false);
	await expect(page.getByRole('button', { name: 'Authorize' })).toBeFocused();

	await page.getByRole('button', { name: 'Authorize' }).click();
	await expect(authorized(page)).toBeVisible();
	await expect(page.getByRole('button', { name: 'Authorize' })).toHaveCount(0);

	const requests = await apiRequests();
	const verify = requests.filter((r) => r.path === '/api/oidc/device/verify');
	expect(verify).toHaveLength(1);
	expect(verify[0]).toMatchObject({ method: 'POST', query: `?code=${IMMICH_CODE}` });
	expect(verify[0].body).toBeUndefined();
	expect(requests.some((r) => r.path === '/api/webauthn/reauthenticate')).toBe(false);
});

test('an already authorized client is verified without another click', async ({ page, scenario, signInAs }) => {
	await scenario({ deviceCodes: { [NEXTCLOUD_CODE]: { clientId: SEED_CLIENTS.nextcloud.id } } });
	await signInAs('tim');
	await page.goto(`/device?user_code=${NEXTCLOUD_CODE}`);
	await expect(authorized(page)).toBeVisible();
	await expect(page.getByTestId('scopes')).toHaveCount(0);
});

test('manual code entry: a labelled input, the code is trimmed and upper-cased', async ({
	page,
	scenario,
	signInAs,
	apiRequests
}) => {
	await scenario({ deviceCodes: { [NEXTCLOUD_CODE]: { clientId: SEED_CLIENTS.nextcloud.id } } });
	await signInAs('tim');
	await page.goto('/device');

	await expect(page.getByText('Enter the code shown on your device.')).toBeVisible();
	const input = page.getByLabel('Code');
	await expect(input).toBeFocused();
	await expect(page.getByRole('button', { name: 'Authorize' })).toBeDisabled();

	await input.fill(` ${NEXTCLOUD_CODE.toLowerCase()} `);
	await input.press('Enter');
	await expect(authorized(page)).toBeVisible();
	const info = (await apiRequests()).find((r) => r.path === '/api/oidc/device/info');
	expect(info?.query).toBe(`?code=${NEXTCLOUD_CODE}`);
});

test('an invalid code shows the message, then another code can be entered', async ({
	page,
	scenario,
	signInAs
}) => {
	await scenario({ deviceCodes: { [IMMICH_CODE]: { clientId: SEED_CLIENTS.immich.id } } });
	await signInAs('tim');
	await page.goto('/device?user_code=invalid-code');

	await expect(invalidCode(page)).toBeVisible();
	const input = page.getByLabel('Code');
	await expect(input).toBeFocused();
	await expect(input).toHaveAttribute('aria-invalid', 'true');

	await input.fill(IMMICH_CODE);
	await page.getByRole('button', { name: 'Authorize' }).click();
	await expect(invalidCode(page)).toHaveCount(0);
	await expectScopes(page, ['Email', 'Profile']);
	await page.getByRole('button', { name: 'Authorize' }).click();
	await expect(authorized(page)).toBeVisible();
});

test('an expired code and an unknown device-login (P…) code give the invalid-code message', async ({
	page,
	scenario,
	signInAs,
	apiRequests
}) => {
	await scenario({ deviceCodes: { [IMMICH_CODE]: { clientId: SEED_CLIENTS.immich.id, expired: true } } });
	await signInAs('tim');
	await page.goto(`/device?user_code=${IMMICH_CODE}`);
	await expect(invalidCode(page)).toBeVisible();

	await page.goto('/device?user_code=PABCD123');
	await expect(invalidCode(page)).toBeVisible();
	const queries = (await apiRequests()).filter((r) => r.path === '/api/oidc/device/info').map((r) => r.query);
	expect(queries).toEqual([`?code=${IMMICH_CODE}`]);
});

test('a user outside the allowed groups gets the group message', async ({ page, scenario, signInAs }) => {
	await scenario({ deviceCodes: { [IMMICH_CODE]: { clientId: SEED_CLIENTS.immich.id } } });
	await signInAs('craig');
	await page.goto(`/device?user_code=${IMMICH_CODE}`);
	await expectScopes(page, ['Email', 'Profile']);
	await page.getByRole('button', { name: 'Authorize' }).click();

	await expect(
		page.getByRole('alert').getByRole('paragraph').filter({ hasText: "You're not allowed to access this service." })
	).toBeVisible();
	await expect(authorized(page)).toHaveCount(0);
});

test('reauthentication: verify follows POST /api/webauthn/reauthenticate', async ({
	page,
	scenario,
	signInAs,
	apiRequests
}) => {
	await scenario({
		deviceCodes: { [NEXTCLOUD_CODE]: { clientId: SEED_CLIENTS.nextcloud.id } },
		clientOverrides: { [SEED_CLIENTS.nextcloud.id]: { requiresReauthentication: true } }
	});
	await signInAs('tim');
	await page.goto(`/device?user_code=${NEXTCLOUD_CODE}`);
	await expect(page.getByText('Do you want to sign in to Nextcloud with your Pocket ID account?')).toBeVisible();
	expect((await apiRequests()).some((r) => r.path === '/api/oidc/device/verify')).toBe(false);

	await page.getByRole('button', { name: 'Authorize' }).click();
	await expect(authorized(page)).toBeVisible();

	const paths = (await apiRequests()).map((r) => `${r.method} ${r.path}`);
	const reauth = paths.indexOf('POST /api/webauthn/reauthenticate');
	expect(reauth).toBeGreaterThan(-1);
	expect(paths.indexOf('POST /api/oidc/device/verify')).toBeGreaterThan(reauth);
	const reauthRequest = (await apiRequests()).find((r) => r.path === '/api/webauthn/reauthenticate');
	expect(reauthRequest?.body).toBeUndefined();
});

test('reauthentication falls back to a passkey assertion', async ({ page, scenario, signInAs, apiRequests }) => {
	await scenario({
		deviceCodes: { [NEXTCLOUD_CODE]: { clientId: SEED_CLIENTS.nextcloud.id } },
		clientOverrides: { [SEED_CLIENTS.nextcloud.id]: { requiresReauthentication: true } }
	});
	await signInAs('tim');
	const reauthenticateCalls = await refuseFirstReauthentication(page);
	await page.goto(`/device?user_code=${NEXTCLOUD_CODE}`);
	await addVirtualAuthenticator(page, FAKE_USERS.tim.id);
	await page.getByRole('button', { name: 'Authorize' }).click();
	await expect(authorized(page)).toBeVisible();

	expect(reauthenticateCalls()).toBe(2);
	const requests = await apiRequests();
	expect((requests.find((r) => r.path === '/api/webauthn/reauthenticate')?.body as { type?: string }).type).toBe(
		'public-key'
	);
	expect(requests.some((r) => r.path === '/api/webauthn/login/start')).toBe(true);
	expect(requests.some((r) => r.path === '/api/oidc/device/verify')).toBe(true);
});

test('signed out: the page stays public and "Authorize" signs in with a passkey first', async ({
	page,
	scenario,
	apiRequests
}) => {
	await scenario({ deviceCodes: { [IMMICH_CODE]: { clientId: SEED_CLIENTS.immich.id } } });
	await page.goto(`/device?user_code=${IMMICH_CODE}`);
	await expect(page).toHaveURL(`/device?user_code=${IMMICH_CODE}`);
	await expect(page.getByRole('link', { name: 'Alternative Sign In Methods' })).toHaveAttribute(
		'href',
		`/login/alternative?redirect=${encodeURIComponent(`/device?user_code=${IMMICH_CODE}`)}`
	);
	await expect(page.getByLabel('Code')).toHaveValue(IMMICH_CODE);
	expect((await apiRequests()).some((r) => r.path.startsWith('/api/oidc/device/'))).toBe(false);

	await addVirtualAuthenticator(page, FAKE_USERS.tim.id);
	await page.getByRole('button', { name: 'Authorize' }).click();
	await expectScopes(page, ['Email', 'Profile']);
	await page.getByRole('button', { name: 'Authorize' }).click();
	await expect(authorized(page)).toBeVisible();
	expect((await apiRequests()).some((r) => r.path === '/api/webauthn/login/finish')).toBe(true);
});
