// Mirrors Pocket ID's oidc-client-settings.spec.ts (locators and texts), against the test double.
import { expect, SEED_CLIENTS, SEED_GROUPS, test } from '../support/fixtures';

const PNG = Buffer.from(
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
	'base64'
);
const logoFile = { name: 'pingvin-share-logo.png', mimeType: 'image/png', buffer: PNG };

const pingvinShare = {
	name: 'Pingvin Share',
	description: 'A self-hosted file sharing platform.',
	launchURL: 'https://pingvin-share.local',
	callbackUrl: 'http://pingvin.share/auth/callback',
	secondCallbackUrl: 'http://pingvin.share/auth/callback/2'
};

test.beforeEach(async ({ scenario, signInAs }) => {
	await scenario();
	await signInAs('tim');
});

test.describe('Create OIDC client', () => {
	test('public client with PKCE, callback URLs and logos', async ({ page, apiRequests }) => {
		await page.goto('/settings/admin/oidc-clients');
		await page.getByRole('button', { name: 'Add OIDC Client' }).click();

		await page.getByLabel('Name').fill(pingvinShare.name);
		await page.getByLabel('Description').fill(pingvinShare.description);
		await page.getByLabel('Client Launch URL').fill(pingvinShare.launchURL);

		await page.getByRole('button', { name: 'Add' }).first().click();
		await page.getByTestId('callback-url-1').fill(pingvinShare.callbackUrl);
		await page.getByRole('button', { name: 'Add another' }).first().click();
		await page.getByTestId('callback-url-2').fill(pingvinShare.secondCallbackUrl);

		await page.getByRole('switch', { name: 'Public Client' }).click();
		// A public client always uses PKCE: the switch turns on and is locked.
		await expect(page.getByRole('switch', { name: 'PKCE' })).toBeChecked();
		await expect(page.getByRole('switch', { name: 'PKCE' })).toBeDisabled();

		await page.locator('[role="tab"][data-value="light-logo"]').first().click();
		await page.setInputFiles('#oidc-client-logo-light', logoFile);
		await page.locator('[role="tab"][data-value="dark-logo"]').first().click();
		await page.setInputFiles('#oidc-client-logo-dark', logoFile);

		await page.getByRole('button', { name: 'Save' }).click();
		await expect(page.locator('[data-type="success"]')).toHaveText('OIDC client created successfully');

		const clientId = (await page.getByTestId('client-id').innerText()).trim();
		expect(clientId).toMatch(/^[\w-]{36}$/);
		await expect(page).toHaveURL(`/settings/admin/oidc-clients/${clientId}`);

		await expect(page.getByLabel('Name')).toHaveValue(pingvinShare.name);
		await expect(page.getByLabel('Description')).toHaveValue(pingvinShare.description);
		await expect(page.getByTestId('callback-url-1')).toHaveValue(pingvinShare.callbackUrl);
		await expect(page.getByTestId('callback-url-2')).toHaveValue(pingvinShare.secondCallbackUrl);
		await expect(page.getByRole('switch', { name: 'Public Client' })).toBeChecked();
		await expect(page.getByRole('switch', { name: 'PKCE' })).toBeChecked();
		await expect(page.getByRole('img', { name: `${pingvinShare.name} logo` }).first()).toBeVisible();

		const requests = await apiRequests();
		const create = requests.find((r) => r.method === 'POST' && r.path === '/api/oidc/clients');
		expect(create?.body).toMatchObject({
			name: pingvinShare.name,
			description: pingvinShare.description,
			launchURL: pingvinShare.launchURL,
			callbackURLs: [pingvinShare.callbackUrl, pingvinShare.secondCallbackUrl],
			logoutCallbackURLs: [],
			isPublic: true,
			pkceEnabled: true,
			isGroupRestricted: true
		});
		expect(create?.body).not.toHaveProperty('id');
		const uploads = requests.filter((r) => r.method === 'POST' && r.path === `/api/oidc/clients/${clientId}/logo`);
		expect(uploads.map((r) => r.query).sort()).toEqual(['?light=false', '?light=true']);

		// Public clients have no secrets.
		await page.getByRole('tab', { name: 'Credentials' }).click();
		await expect(page.getByTestId('client-secrets-card')).toContainText('Public clients cannot have client secrets.');

		// The new client is in the list.
		await page.goto('/settings/admin/oidc-clients');
		await expect(page.getByRole('row', { name: pingvinShare.name })).toBeVisible();
	});

	test('with custom client ID', async ({ page }) => {
		await page.goto('/settings/admin/oidc-clients');
		await page.getByRole('button', { name: 'Add OIDC Client' }).click();
		await page.getByLabel('Name').fill(pingvinShare.name);
		await page.getByRole('button', { name: 'Show Advanced Options' }).click();
		await page.getByLabel('Client ID').fill('123e4567-e89b-12d3-a456-426614174000');
		await page.getByRole('button', { name: 'Save' }).click();

		await expect(page.locator('[data-type="success"]')).toHaveText('OIDC client created successfully');
		await expect(page.getByTestId('client-id')).toHaveText('123e4567-e89b-12d3-a456-426614174000');
	});

	test('invalid input shows inline errors and sends nothing', async ({ page, apiRequests }) => {
		await page.goto('/settings/admin/oidc-clients');
		await page.getByRole('button', { name: 'Add OIDC Client' }).click();
		await page.getByLabel('Name').fill('X');
		await page.getByRole('button', { name: 'Add' }).first().click();
		await page.getByTestId('callback-url-1').fill('javascript:alert(1)');
		await page.getByRole('button', { name: 'Show Advanced Options' }).click();
		await page.getByLabel('Client ID').fill('bad id');
		await page.getByRole('button', { name: 'Save' }).click();

		await expect(page.getByText('Invalid redirect URL')).toBeVisible();
		await expect(page.getByText('Client ID can only contain letters, numbers, underscores, and hyphens')).toBeVisible();
		await expect(page.getByLabel('Name')).toHaveAttribute('aria-invalid', 'true');
		expect((await apiRequests()).some((r) => r.method === 'POST')).toBe(false);
	});

	test('a duplicate client ID shows the server error', async ({ page }) => {
		await page.goto('/settings/admin/oidc-clients');
		await page.getByRole('button', { name: 'Add OIDC Client' }).click();
		await page.getByLabel('Name').fill('Copy');
		await page.getByRole('button', { name: 'Show Advanced Options' }).click();
		await page.getByLabel('Client ID').fill(SEED_CLIENTS.nextcloud.id);
		await page.getByRole('button', { name: 'Save' }).click();
		await expect(page.locator('[data-type="error"]')).toHaveText('Client ID already exists');
		await expect(page).toHaveURL('/settings/admin/oidc-clients');
	});
});

test('Edit OIDC client', async ({ page, apiRequests }) => {
	await page.goto(`/settings/admin/oidc-clients/${SEED_CLIENTS.nextcloud.id}`);

	await page.getByLabel('Name').fill('Nextcloud updated');
	await page.getByLabel('Description').fill('Updated description');
	await page.getByTestId('callback-url-1').first().fill('http://nextcloud-updated/auth/callback');
	await page.locator('[role="tab"][data-value="light-logo"]').first().click();
	await page.setInputFiles('#oidc-client-logo-light', logoFile);
	await page.getByRole('switch', { name: 'Requires Re-Authentication' }).click();
	const clientForm = page.getByLabel('Name').locator('xpath=ancestor::form');
	await clientForm.getByRole('button', { name: 'Save' }).click();

	await expect(page.locator('[data-type="success"]')).toHaveText('OIDC client updated successfully');
	await expect(page.getByRole('img', { name: 'Nextcloud updated logo' }).first()).toBeVisible();
	const put = (await apiRequests()).find((r) => r.method === 'PUT');
	expect(put?.body).toMatchObject({
		name: 'Nextcloud updated',
		description: 'Updated description',
		callbackURLs: ['http://nextcloud-updated/auth/callback'],
		logoutCallbackURLs: ['http://nextcloud.localhost/auth/logout/callback'],
		requiresReauthentication: true,
		isGroupRestricted: false,
		accessTokenDurationMinutes: 60,
		refreshTokenDurationMinutes: 43200
	});

	await page.reload();
	await expect(page.getByLabel('Name')).toHaveValue('Nextcloud updated');
	await expect(page.getByRole('switch', { name: 'Requires Re-Authentication' })).toBeChecked();
});

test('PAR toggle persists after save', async ({ page }) => {
	await page.goto(`/settings/admin/oidc-clients/${SEED_CLIENTS.parClient.id}`);
	await page.getByRole('button', { name: 'Show Advanced Options' }).click();
	await page.getByRole('switch', { name: 'Requires Pushed Authorization' }).click();
	await page.getByRole('button', { name: 'Save', exact: true }).first().click();
	await expect(page.getByText('OIDC client updated successfully', { exact: true })).toBeVisible();
	await page.reload();
	await page.getByRole('button', { name: 'Show Advanced Options' }).click();
	await expect(page.getByRole('switch', { name: 'Requires Pushed Authorization' })).toBeChecked();
});

test('Displays OIDC client endpoints from discovery configuration', async ({ page }) => {
	const oidcConfiguration = {
		issuer: 'https://id.example.com',
		authorization_endpoint: 'https://id.example.com/authorize',
		token_endpoint: 'http://pocket-id:1411/api/oidc/token',
		userinfo_endpoint: 'http://pocket-id:1411/api/oidc/userinfo',
		end_session_endpoint: 'https://id.example.com/api/oidc/end-session',
		jwks_uri: 'http://pocket-id:1411/.well-known/jwks.json'
	};
	await page.route('**/.well-known/openid-configuration', (route) => route.fulfill({ json: oidcConfiguration }));
	await page.goto(`/settings/admin/oidc-clients/${SEED_CLIENTS.nextcloud.id}`);
	await expect(page.getByTestId('client-id')).toHaveText(SEED_CLIENTS.nextcloud.id);
	await page.getByRole('button', { name: 'Show more details' }).click();

	await expect(page.getByText(oidcConfiguration.token_endpoint, { exact: true })).toBeVisible();
	await expect(page.getByText(oidcConfiguration.userinfo_endpoint, { exact: true })).toBeVisible();
	await expect(page.getByText(oidcConfiguration.jwks_uri, { exact: true })).toBeVisible();
	await expect(page.getByText('https://id.example.com/.well-known/openid-configuration', { exact: true })).toBeVisible();
	await expect(page.getByRole('button', { name: `Click to copy: ${oidcConfiguration.token_endpoint}` })).toBeVisible();
});

test('Update OIDC client token lifetimes', async ({ page, apiRequests }) => {
	await page.goto(`/settings/admin/oidc-clients/${SEED_CLIENTS.nextcloud.id}`);

	const card = page.getByTestId('token-lifetimes-card');
	const accessLifetime = card.getByLabel('Access token lifetime', { exact: true });
	const accessUnit = card.getByLabel('Access token lifetime unit');
	const refreshLifetime = card.getByLabel('Refresh token inactivity timeout', { exact: true });
	const refreshUnit = card.getByLabel('Refresh token inactivity timeout unit');

	await expect(accessLifetime).toHaveValue('1');
	await expect(accessUnit).toHaveText('Hours');
	await expect(refreshLifetime).toHaveValue('30');
	await expect(refreshUnit).toHaveText('Days');

	await accessUnit.click();
	await page.getByRole('option', { name: 'Minutes' }).click();
	await expect(accessLifetime).toHaveValue('60');
	await accessLifetime.fill('90');

	await refreshUnit.click();
	await page.getByRole('option', { name: 'Hours' }).click();
	await expect(refreshLifetime).toHaveValue('720');
	await refreshLifetime.fill('336');

	await card.getByRole('button', { name: 'Save' }).click();
	await expect(page.getByText('OIDC client updated successfully', { exact: true })).toBeVisible();
	const put = (await apiRequests()).find((r) => r.method === 'PUT');
	expect(put?.body).toMatchObject({ accessTokenDurationMinutes: 90, refreshTokenDurationMinutes: 20160, name: 'Nextcloud' });

	await page.reload();
	await expect(card.getByLabel('Access token lifetime', { exact: true })).toHaveValue('90');
	await expect(card.getByLabel('Access token lifetime unit')).toHaveText('Minutes');
	await expect(card.getByLabel('Refresh token inactivity timeout', { exact: true })).toHaveValue('14');
	await expect(card.getByLabel('Refresh token inactivity timeout unit')).toHaveText('Days');

	await card.getByLabel('Access token lifetime', { exact: true }).fill('0');
	await card.getByRole('button', { name: 'Save' }).click();
	await expect(card.getByText('Token lifetime must be at least 1 minute.')).toBeVisible();

	await card.getByLabel('Access token lifetime', { exact: true }).fill('525601');
	await card.getByRole('button', { name: 'Save' }).click();
	await expect(card.getByText('Token lifetime cannot exceed 365 days.')).toBeVisible();

	await card.getByLabel('Access token lifetime', { exact: true }).fill('1.5');
	await card.getByRole('button', { name: 'Save' }).click();
	await expect(card.getByText('Token lifetime must use whole-minute increments.')).toBeVisible();
});

test('Create and delete OIDC client secrets', async ({ page, apiRequests }) => {
	await page.goto(`/settings/admin/oidc-clients/${SEED_CLIENTS.nextcloud.id}#credentials`);

	const card = page.getByTestId('client-secrets-card');
	await expect(card).toBeVisible();
	await expect(card.getByTestId('client-secret-row')).toHaveCount(1);
	await expect(card.getByTestId('client-secret').first()).toHaveText('w2mU••••••••');

	await card.getByRole('button', { name: 'Add client secret' }).click();
	await expect(page.locator('[data-type="success"]')).toHaveText('New client secret created successfully');

	// The new secret is the only one shown in full, and only until the page is left.
	await expect(card.getByTestId('client-secret-row')).toHaveCount(2);
	const createdSecret = (await card.getByTestId('client-secret').nth(1).innerText()).trim();
	expect(createdSecret).toMatch(/^\w{32}$/);
	await expect(card.getByText('Copy the secret now: it will not be shown again.')).toBeVisible();
	const post = (await apiRequests()).find((r) => r.method === 'POST');
	expect(post?.body).toEqual({ expiresAt: null });

	await page.reload();
	await expect(card.getByTestId('client-secret').nth(1)).toHaveText(`${createdSecret.substring(0, 4)}••••••••`);
	await expect(card.getByText(createdSecret)).toHaveCount(0);

	await card.getByTestId('client-secret-row').nth(1).getByRole('button', { name: 'Toggle menu' }).click();
	await page.getByRole('menuitem', { name: 'Delete' }).click();
	await expect(page.getByRole('alertdialog')).toContainText('Delete client secret');
	await page.getByRole('button', { name: 'Delete' }).click();
	await expect(page.locator('[data-type="success"]')).toHaveText('Client secret deleted successfully');
	await expect(card.getByTestId('client-secret-row')).toHaveCount(1);
});

test('Client secrets can be created with an expiration or a custom value', async ({ page, apiRequests }) => {
	await page.goto(`/settings/admin/oidc-clients/${SEED_CLIENTS.nextcloud.id}#credentials`);

	const card = page.getByTestId('client-secrets-card');
	await card.getByRole('combobox', { name: 'Expiration' }).click();
	await page.getByRole('option', { name: '90 days' }).click();
	await card.getByLabel('Custom secret').fill('my-own-secret-value-123');
	await card.getByRole('button', { name: 'Add client secret' }).click();
	await expect(page.locator('[data-type="success"]')).toHaveText('New client secret created successfully');
	await expect(card.getByTestId('client-secret').nth(1)).toHaveText('my-own-secret-value-123');

	const post = (await apiRequests()).find((r) => r.method === 'POST');
	const body = post?.body as { secret: string; expiresAt: string };
	expect(body.secret).toBe('my-own-secret-value-123');
	const expected = Date.now() + 90 * 24 * 60 * 60 * 1000;
	expect(Math.abs(new Date(body.expiresAt).getTime() - expected)).toBeLessThan(5 * 60 * 1000);

	const secrets = await (await page.request.get(`/api/oidc/clients/${SEED_CLIENTS.nextcloud.id}/secrets`)).json();
	expect(secrets).toHaveLength(2);
	expect(secrets[1].isActive).toBe(true);

	// Too short: an inline error, no request.
	await card.getByLabel('Custom secret').fill('short');
	await card.getByRole('button', { name: 'Add client secret' }).click();
	await expect(card.getByRole('alert')).toHaveText(/>=16 characters/);
	await expect(card.getByLabel('Custom secret')).toHaveAttribute('aria-invalid', 'true');
});

test('Delete OIDC client', async ({ page }) => {
	await page.goto('/settings/admin/oidc-clients');
	await page
		.getByRole('row', { name: SEED_CLIENTS.nextcloud.name })
		.getByRole('button', { name: 'Toggle menu' })
		.click();
	await page.getByRole('menuitem', { name: 'Delete' }).click();
	await expect(page.getByRole('alertdialog')).toContainText('Are you sure you want to delete this OIDC client?');
	await page.getByRole('button', { name: 'Delete' }).click();

	await expect(page.locator('[data-type="success"]')).toHaveText('OIDC client deleted successfully');
	await expect(page.getByRole('row', { name: SEED_CLIENTS.nextcloud.name })).not.toBeVisible();
	await expect(page.getByRole('row', { name: SEED_CLIENTS.immich.name })).toBeVisible();
});

test('Edit from the client list', async ({ page }) => {
	await page.goto('/settings/admin/oidc-clients');
	await page.getByRole('row', { name: SEED_CLIENTS.immich.name }).getByRole('button', { name: 'Toggle menu' }).click();
	await page.getByRole('menuitem', { name: 'Edit' }).click();
	await expect(page).toHaveURL(`/settings/admin/oidc-clients/${SEED_CLIENTS.immich.id}`);
	await expect(page.getByLabel('Name')).toHaveValue('Immich');
});

test('Filter OIDC clients by PAR requirement', async ({ page, request }) => {
	const put = await request.put(`/api/oidc/clients/${SEED_CLIENTS.parClient.id}`, {
		data: {
			name: SEED_CLIENTS.parClient.name,
			callbackURLs: [SEED_CLIENTS.parClient.callbackUrl],
			logoutCallbackURLs: [],
			isPublic: false,
			pkceEnabled: false,
			requiresReauthentication: false,
			requiresPushedAuthorizationRequests: true,
			credentials: { federatedIdentities: [] },
			isGroupRestricted: false
		},
		headers: { Cookie: 'access_token=fake-session-tim' }
	});
	expect(put.ok()).toBe(true);

	await page.goto('/settings/admin/oidc-clients');
	await page.getByTestId('facet-par-trigger').click();
	await page.getByTestId('facet-par-option-true').click();

	await expect(page.getByRole('row', { name: SEED_CLIENTS.parClient.name })).toBeVisible();
	await expect(page.getByRole('row', { name: SEED_CLIENTS.nextcloud.name })).not.toBeVisible();

	await page.getByTestId('facet-par-option-true').click();
	await expect(page.getByRole('row', { name: SEED_CLIENTS.nextcloud.name })).toBeVisible();
	await page.getByTestId('facet-par-option-false').click();

	await expect(page.getByRole('row', { name: SEED_CLIENTS.nextcloud.name })).toBeVisible();
	await expect(page.getByRole('row', { name: SEED_CLIENTS.parClient.name })).not.toBeVisible();
});

test('Update OIDC client allowed user groups', async ({ page, apiRequests }) => {
	await page.goto(`/settings/admin/oidc-clients/${SEED_CLIENTS.nextcloud.id}`);
	await page.getByRole('tab', { name: 'Allowed user groups' }).click();
	await expect(page).toHaveURL(/#user-groups$/);

	await page.getByRole('button', { name: 'Restrict' }).click();
	await expect(page.getByText('User groups restriction updated successfully')).toBeVisible();

	await page.getByRole('row', { name: SEED_GROUPS.designers.friendlyName }).getByRole('checkbox').click();
	await page.getByRole('row', { name: SEED_GROUPS.developers.friendlyName }).getByRole('checkbox').click();
	await page.getByRole('button', { name: 'Save' }).click();
	await expect(page.getByText('Allowed user groups updated successfully')).toBeVisible();
	const put = (await apiRequests()).find((r) => r.path.endsWith('/allowed-user-groups'));
	expect((put?.body as { userGroupIds: string[] }).userGroupIds.sort()).toEqual(
		[SEED_GROUPS.designers.id, SEED_GROUPS.developers.id].sort()
	);

	await page.reload();
	await expect(page.getByRole('tab', { name: 'Allowed user groups' })).toHaveAttribute('data-state', 'active');
	await expect(
		page.getByRole('row', { name: SEED_GROUPS.designers.friendlyName }).getByRole('checkbox')
	).toHaveAttribute('data-state', 'checked');
	await expect(
		page.getByRole('row', { name: SEED_GROUPS.developers.friendlyName }).getByRole('checkbox')
	).toHaveAttribute('data-state', 'checked');

	// Unrestricting asks first and clears the groups.
	await page.getByRole('button', { name: 'Unrestrict' }).click();
	await expect(page.getByRole('alertdialog')).toContainText('Unrestrict Nextcloud');
	await page.getByRole('alertdialog').getByRole('button', { name: 'Unrestrict' }).click();
	await expect(page.getByRole('button', { name: 'Restrict', exact: true })).toBeVisible();
	await expect(page.getByText('No user group restrictions are applied.')).toBeVisible();
});

test('a backend without GET /api/user-groups shows a short message', async ({ page, scenario, signInAs }) => {
	await scenario({ userGroupsEndpoint: false });
	await signInAs('tim');
	await page.goto(`/settings/admin/oidc-clients/${SEED_CLIENTS.immich.id}#user-groups`);
	await expect(page.getByText('The user groups could not be loaded.')).toBeVisible();
	await expect(page.getByRole('checkbox')).toHaveCount(0);
});

test('an unknown client shows the error page', async ({ page }) => {
	await page.goto('/settings/admin/oidc-clients/does-not-exist');
	await expect(page.getByText('OIDC client not found')).toBeVisible();
});

test('non-admins are sent away from the OIDC client pages', async ({ page, signInAs, context }) => {
	await context.clearCookies();
	await signInAs('craig');
	await page.goto('/settings/admin/oidc-clients');
	await expect(page).toHaveURL('/settings/account');
});

test('OIDC data preview shows the claims for a user and scopes', async ({ page, apiRequests }) => {
	await page.goto(`/settings/admin/oidc-clients/${SEED_CLIENTS.nextcloud.id}`);
	await page.getByRole('tab', { name: 'OIDC Data Preview' }).click();
	await expect(page).toHaveURL(/#preview$/);

	await page.getByRole('combobox', { name: 'Select User' }).click();
	await page.getByRole('option', { name: 'craig' }).click();
	await page.getByRole('checkbox', { name: 'groups' }).click();
	await page.getByRole('button', { name: 'Show' }).click();

	const userInfo = page.getByRole('region', { name: 'Userinfo Endpoint Response' });
	await expect(userInfo).toContainText('craig.federighi@test.com');
	await expect(userInfo).toContainText('developers');
	await expect(page.getByRole('region', { name: 'ID Token Payload' })).toContainText(SEED_CLIENTS.nextcloud.id);
	const preview = (await apiRequests()).find((r) => r.path.includes('/preview/'));
	expect(new URLSearchParams(preview?.query).get('scopes')).toBe('openid email profile groups');

	// A user outside the allowed groups gets the server's error.
	await page.goto(`/settings/admin/oidc-clients/${SEED_CLIENTS.immich.id}#preview`);
	await page.getByRole('combobox', { name: 'Select User' }).click();
	await page.getByRole('option', { name: 'craig' }).click();
	await page.getByRole('button', { name: 'Show' }).click();
	await expect(page.getByText('You are not allowed to access this service')).toBeVisible();
});
