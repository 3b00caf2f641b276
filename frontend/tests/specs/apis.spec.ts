// The admin UI of APIs (OAuth resource servers, management.md §1.7) against the test double: the UI cases of Pocket
// ID's api.spec.ts (same locators and texts) plus the requests the pages send.
import { expect, SEED_APIS, SEED_CLIENTS, test } from '../support/fixtures';

const orders = SEED_APIS.orders;
const { readOrders, writeOrders } = orders.permissions;

test.beforeEach(async ({ scenario, signInAs }) => {
	await scenario();
	await signInAs('tim');
});

test('Lists the preseeded API', async ({ page }) => {
	await page.goto('/settings/admin/apis');

	const row = page.getByRole('row', { name: orders.name });
	await expect(row).toBeVisible();
	await expect(row).toContainText(orders.resource);
	await expect(row).toContainText('Disabled');
	await expect(row.getByRole('link', { name: orders.name })).toHaveAttribute('href', `/settings/admin/apis/${orders.id}`);
});

test('Create API', async ({ page, apiRequests }) => {
	await page.goto('/settings/admin/apis');

	await page.getByRole('button', { name: 'Add API' }).click();
	await page.getByLabel('Name', { exact: true }).fill('Billing API');
	await page.getByLabel('Resource').fill('https://api.billing.test/');
	await page.getByRole('button', { name: 'Save' }).click();

	await expect(page.locator('[data-type="success"]')).toHaveText('API created successfully');
	await page.waitForURL('/settings/admin/apis/*');

	await expect(page.getByLabel('Name', { exact: true })).toHaveValue('Billing API');
	// The backend trims the trailing slash; the resource cannot change any more.
	await expect(page.getByLabel('Resource')).toHaveValue('https://api.billing.test');
	await expect(page.getByLabel('Resource')).toHaveAttribute('readonly', '');
	const post = (await apiRequests()).find((r) => r.method === 'POST' && r.path === '/api/apis');
	expect(post?.body).toEqual({ name: 'Billing API', resource: 'https://api.billing.test/' });
});

test('An invalid resource is refused before sending', async ({ page, apiRequests }) => {
	await page.goto('/settings/admin/apis');
	await page.getByRole('button', { name: 'Add API' }).click();
	await page.getByLabel('Name', { exact: true }).fill('Broken');
	await page.getByLabel('Resource').fill('https://api.test/#part');
	await page.getByRole('button', { name: 'Save' }).click();

	await expect(page.getByText('Resource must not include whitespace or a fragment')).toBeVisible();
	await expect(page.getByLabel('Resource')).toHaveAttribute('aria-invalid', 'true');
	expect((await apiRequests()).some((r) => r.method === 'POST')).toBe(false);
});

test('Cannot create an API with the issuer as resource', async ({ page }) => {
	const { issuer } = await page.request.get('/.well-known/openid-configuration').then((r) => r.json());

	await page.goto('/settings/admin/apis');
	await page.getByRole('button', { name: 'Add API' }).click();
	await page.getByLabel('Name', { exact: true }).fill('Reserved API');
	await page.getByLabel('Resource').fill(issuer);
	await page.getByRole('button', { name: 'Save' }).click();

	await expect(page.locator('[data-type="error"]')).toHaveText(
		'Resource is reserved by Pocket ID and cannot be used for a custom API'
	);
	// The field error is shown under the field, and the form stays.
	await expect(page.getByLabel('Resource')).toHaveAttribute('aria-invalid', 'true');
	await expect(page.getByRole('alert').filter({ hasText: 'is reserved by Pocket ID' })).toBeVisible();
	await expect(page).toHaveURL('/settings/admin/apis');
});

test('A resource already in use is shown on the field', async ({ page }) => {
	await page.goto('/settings/admin/apis');
	await page.getByRole('button', { name: 'Add API' }).click();
	await page.getByLabel('Name', { exact: true }).fill('Orders again');
	await page.getByLabel('Resource').fill(orders.resource);
	await page.getByRole('button', { name: 'Save' }).click();

	await expect(page.locator('[data-type="error"]')).toHaveText('Resource is already in use');
	await expect(page.getByLabel('Resource')).toHaveAttribute('aria-invalid', 'true');
});

test('Edit the name of an API', async ({ page, apiRequests }) => {
	await page.goto(`/settings/admin/apis/${orders.id}`);

	await page.getByLabel('Name', { exact: true }).fill('Orders API renamed');
	await page.getByRole('button', { name: 'Save' }).nth(0).click();

	await expect(page.locator('[data-type="success"]')).toHaveText('API updated successfully');
	const put = (await apiRequests()).find((r) => r.method === 'PUT');
	expect(put).toMatchObject({ path: `/api/apis/${orders.id}`, body: { name: 'Orders API renamed' } });

	await page.reload();
	await expect(page.getByLabel('Name', { exact: true })).toHaveValue('Orders API renamed');
});

test('Add a permission to an API', async ({ page, apiRequests }) => {
	await page.goto(`/settings/admin/apis/${orders.id}`);

	// The seeded API already has permissions, so the button reads "Add another"
	await page.getByRole('button', { name: 'Add another' }).click();
	await page.getByPlaceholder('Permission', { exact: true }).last().fill('ship:orders');
	await page.getByPlaceholder('Name', { exact: true }).last().fill('Ship orders');
	await page.getByRole('button', { name: 'Save' }).nth(1).click();

	await expect(page.locator('[data-type="success"]')).toHaveText('Permissions updated successfully');
	const put = (await apiRequests()).find((r) => r.path === `/api/apis/${orders.id}/permissions`);
	expect(put?.body).toEqual({
		permissions: [
			{ key: readOrders.key, name: readOrders.name, description: 'Read order data' },
			{ key: writeOrders.key, name: writeOrders.name, description: 'Create and modify orders' },
			{ key: 'ship:orders', name: 'Ship orders', description: '' }
		]
	});

	await page.reload();
	// The two seeded permissions plus the newly added one
	await expect(page.getByPlaceholder('Permission', { exact: true })).toHaveCount(3);
	await expect(page.getByPlaceholder('Permission', { exact: true }).last()).toHaveValue('ship:orders');
});

test('Permission errors from the backend are shown on their row', async ({ page }) => {
	await page.goto(`/settings/admin/apis/${orders.id}`);

	// An empty row in between is not sent, so the error of the third sent permission belongs to the fourth row.
	await page.getByRole('button', { name: 'Add another' }).click();
	await page.getByRole('button', { name: 'Add another' }).click();
	await page.getByLabel('Permission', { exact: true }).last().fill('OpenID');
	await page.getByLabel('Permission name').last().fill('Identity');
	await page.getByRole('button', { name: 'Save' }).nth(1).click();

	await expect(page.locator('[data-type="error"]')).toContainText('is reserved by Pocket ID');
	const rows = page.getByTestId('api-permission-row');
	await expect(rows).toHaveCount(4);
	await expect(rows.nth(3).getByRole('alert')).toHaveText('Permission is reserved by Pocket ID');
	await expect(rows.nth(3).getByLabel('Permission', { exact: true })).toHaveAttribute('aria-invalid', 'true');
	await expect(rows.nth(2).getByRole('alert')).toHaveCount(0);

	// Removing a row clears the row errors (their positions change): a row added in the errored row's place is clean.
	await rows.nth(2).getByRole('button', { name: 'Remove permission' }).click();
	await page.getByRole('button', { name: 'Add another' }).click();
	await expect(rows).toHaveCount(4);
	await expect(rows.getByRole('alert')).toHaveCount(0);
});

test('Delete an API', async ({ page, apiRequests }) => {
	await page.goto('/settings/admin/apis');

	await page.getByRole('row', { name: orders.name }).getByRole('button').click();
	await page.getByRole('menuitem', { name: 'Delete' }).click();
	await expect(page.getByRole('alertdialog')).toContainText('Are you sure you want to delete this API?');
	await page.getByRole('button', { name: 'Delete' }).click();

	await expect(page.locator('[data-type="success"]')).toHaveText('API deleted successfully');
	await expect(page.getByRole('row', { name: orders.name })).not.toBeVisible();
	expect((await apiRequests()).some((r) => r.method === 'DELETE' && r.path === `/api/apis/${orders.id}`)).toBe(true);
});

test('Grant a client user-delegated and client access to API permissions', async ({ page, apiRequests }) => {
	// Nextcloud has no API access granted by default
	await page.goto(`/settings/admin/oidc-clients/${SEED_CLIENTS.nextcloud.id}`);

	// Open the API access tab, where no API is listed yet, and add the Orders API
	await page.getByRole('tab', { name: 'API access' }).click();
	await expect(page.getByText('This client has not been granted access to any API yet.')).toBeVisible();
	await page.getByRole('button', { name: 'Add API' }).click();
	await page.getByRole('row', { name: orders.name }).click();

	// Grant read:orders and write:orders on behalf of users, but only write:orders for the client itself
	const dialog = page.getByRole('dialog');
	await dialog.getByRole('checkbox', { name: `User-delegated access: ${readOrders.name}` }).click();
	await dialog.getByRole('checkbox', { name: `User-delegated access: ${writeOrders.name}` }).click();
	await dialog.getByRole('checkbox', { name: `Client access (M2M): ${writeOrders.name}` }).click();
	// Checking a client permission turns client access on
	await expect(dialog.getByRole('switch', { name: 'Client access (M2M)' })).toBeChecked();
	await dialog.getByRole('button', { name: 'Save' }).click();

	await expect(page.locator('[data-type="success"]')).toHaveText('API access updated successfully');
	await expect(page.getByRole('dialog')).toHaveCount(0);
	const put = (await apiRequests()).find((r) => r.method === 'PUT');
	expect(put?.path).toBe(`/api/apis/${orders.id}/clients/${SEED_CLIENTS.nextcloud.id}`);
	expect(put?.body).toEqual({
		userDelegatedAccess: true,
		clientAccess: true,
		userDelegatedPermissionIds: [readOrders.id, writeOrders.id],
		clientPermissionIds: [writeOrders.id]
	});
	// Both subject types keep their own count: 2 / 2 user-delegated, 1 / 2 client access
	const row = page.getByRole('row', { name: orders.name });
	await expect(row).toContainText('2 / 2');
	await expect(row).toContainText('1 / 2');

	// The API is not offered a second time, because the selection is filtered server-side
	await page.getByRole('button', { name: 'Add API' }).click();
	await expect(page.getByRole('dialog').getByText('No items found')).toBeVisible();
});

test('Public clients cannot get client access', async ({ page, scenario, apiRequests }) => {
	await scenario({ clientOverrides: { [SEED_CLIENTS.nextcloud.id]: { isPublic: true } } });
	await page.goto(`/settings/admin/oidc-clients/${SEED_CLIENTS.nextcloud.id}#api-access`);

	await page.getByRole('button', { name: 'Add API' }).click();
	// Selecting with the keyboard: the API's name is a button
	await page.getByRole('button', { name: `Select ${orders.name}` }).focus();
	await page.keyboard.press('Enter');

	const dialog = page.getByRole('dialog');
	await expect(dialog).toContainText("Public clients can't use the client credentials grant");
	await expect(dialog.getByRole('switch', { name: 'Client access (M2M)' })).toBeDisabled();
	await expect(dialog.getByRole('checkbox', { name: `Client access (M2M): ${readOrders.name}` })).toBeDisabled();
	await dialog.getByRole('checkbox', { name: `User-delegated access: ${readOrders.name}` }).click();
	await dialog.getByRole('button', { name: 'Save' }).click();

	await expect(page.locator('[data-type="success"]')).toHaveText('API access updated successfully');
	const put = (await apiRequests()).find((r) => r.method === 'PUT');
	expect(put?.body).toMatchObject({ clientAccess: false, clientPermissionIds: [] });
	// The card has no client access column for a public client
	await expect(page.getByRole('columnheader', { name: 'Client access (M2M)' })).toHaveCount(0);
	await expect(page.getByRole('row', { name: orders.name })).toContainText('1 / 2');
});

test('Grant a client access from the API details page', async ({ page }) => {
	await page.goto(`/settings/admin/apis/${orders.id}`);

	// Nextcloud has no API access granted by default, so it can be picked from the client selection
	await page.getByRole('button', { name: 'Add client' }).click();
	await page.getByRole('row', { name: SEED_CLIENTS.nextcloud.name }).click();

	await page.getByRole('checkbox', { name: `User-delegated access: ${readOrders.name}` }).click();
	await page.getByRole('checkbox', { name: `Client access (M2M): ${writeOrders.name}` }).click();
	await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();

	await expect(page.locator('[data-type="success"]')).toHaveText('API access updated successfully');
	await expect(page.getByRole('dialog')).toHaveCount(0);
	const row = page.getByRole('row', { name: SEED_CLIENTS.nextcloud.name });
	await expect(row).toContainText('1 / 2');

	// Clients that already have access are filtered out of the selection, the others stay
	await page.getByRole('button', { name: 'Add client' }).click();
	const picker = page.getByRole('dialog');
	await expect(picker.getByRole('row', { name: SEED_CLIENTS.tailscale.name })).toBeVisible();
	await expect(picker.getByRole('row', { name: SEED_CLIENTS.nextcloud.name })).toHaveCount(0);
	await expect(picker.getByRole('row', { name: SEED_CLIENTS.immich.name })).toHaveCount(0);
	await page.keyboard.press('Escape');
	await expect(page.getByRole('dialog')).toHaveCount(0);

	// The same grant shows up on the client's side of the relation
	await page.goto(`/settings/admin/oidc-clients/${SEED_CLIENTS.nextcloud.id}`);
	await page.getByRole('tab', { name: 'API access' }).click();
	await expect(page.getByRole('row', { name: orders.name })).toContainText('1 / 2');
});

test('Grant a client access to an API without any permission', async ({ page, apiRequests }) => {
	await page.goto(`/settings/admin/apis/${orders.id}`);
	await page.getByRole('button', { name: 'Add client' }).click();
	await page.getByRole('row', { name: SEED_CLIENTS.nextcloud.name }).click();
	await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();

	await expect(page.locator('[data-type="success"]')).toHaveText('API access updated successfully');
	await expect(page.getByRole('dialog')).toHaveCount(0);
	const row = page.getByRole('row', { name: SEED_CLIENTS.nextcloud.name });
	await expect(row).toContainText('0 / 2');
	await expect(row).toContainText('No access');
	const put = (await apiRequests()).find((r) => r.method === 'PUT');
	expect(put?.body).toEqual({
		userDelegatedAccess: true,
		clientAccess: false,
		userDelegatedPermissionIds: [],
		clientPermissionIds: []
	});
});

test('Edit a client grant and cancel without saving', async ({ page, apiRequests }) => {
	await page.goto(`/settings/admin/apis/${orders.id}`);
	const row = page.getByRole('row', { name: SEED_CLIENTS.immich.name });
	await expect(row).toContainText('1 / 2');

	await row.getByRole('button', { name: 'Edit' }).click();
	const dialog = page.getByRole('dialog');
	await expect(dialog.getByRole('checkbox', { name: `User-delegated access: ${readOrders.name}` })).toBeChecked();
	await expect(dialog.getByRole('checkbox', { name: `Client access (M2M): ${writeOrders.name}` })).toBeChecked();
	// Turning client access off clears its permissions
	await dialog.getByRole('switch', { name: 'Client access (M2M)' }).click();
	await expect(dialog.getByRole('checkbox', { name: `Client access (M2M): ${writeOrders.name}` })).not.toBeChecked();
	await dialog.getByRole('button', { name: 'Cancel' }).click();
	await expect(page.getByRole('dialog')).toHaveCount(0);
	expect((await apiRequests()).some((r) => r.method === 'PUT')).toBe(false);

	// Opening it again starts from the saved grant
	await row.getByRole('button', { name: 'Edit' }).click();
	await expect(dialog.getByRole('checkbox', { name: `Client access (M2M): ${writeOrders.name}` })).toBeChecked();
});

test('Revoke a client from the API details page', async ({ page, apiRequests }) => {
	// Immich is seeded with grants on the Orders API
	await page.goto(`/settings/admin/apis/${orders.id}`);

	const row = page.getByRole('row', { name: SEED_CLIENTS.immich.name });
	await expect(row).toBeVisible();
	await row.getByRole('button', { name: 'Revoke' }).click();
	await expect(page.getByRole('alertdialog')).toContainText('Revoke access for Immich');
	await page.getByRole('button', { name: 'Revoke' }).last().click();

	await expect(page.locator('[data-type="success"]')).toHaveText('API access updated successfully');
	await expect(page.getByRole('row', { name: SEED_CLIENTS.immich.name })).not.toBeVisible();
	await expect(page.getByText('No client has been granted access to this API yet.')).toBeVisible();
	const del = (await apiRequests()).find((r) => r.method === 'DELETE');
	expect(del?.path).toBe(`/api/apis/${orders.id}/clients/${SEED_CLIENTS.immich.id}`);
});

test('Revoke an API from the client page', async ({ page }) => {
	await page.goto(`/settings/admin/oidc-clients/${SEED_CLIENTS.immich.id}#api-access`);
	const row = page.getByRole('row', { name: orders.name });
	await expect(row).toContainText('1 / 2');
	await row.getByRole('button', { name: 'Revoke' }).click();
	await expect(page.getByRole('alertdialog')).toContainText(`Revoke access to ${orders.name}`);
	await page.getByRole('button', { name: 'Revoke' }).last().click();

	await expect(page.locator('[data-type="success"]')).toHaveText('API access updated successfully');
	await expect(page.getByText('This client has not been granted access to any API yet.')).toBeVisible();
});

test('Allow all metadata document clients for an API', async ({ page, apiRequests }) => {
	await page.goto(`/settings/admin/apis/${orders.id}`);

	await page.getByRole('tab', { name: 'Metadata document clients' }).click();
	await page.getByLabel('Allow all metadata document clients').click();
	await page.getByLabel(readOrders.name, { exact: true }).click();
	await page.getByRole('button', { name: 'Save' }).nth(2).click();

	await expect(page.locator('[data-type="success"]')).toHaveText('API access updated successfully');
	const put = (await apiRequests()).find((r) => r.path === `/api/apis/${orders.id}/cimd-access`);
	expect(put?.body).toEqual({ enabled: true, permissionIds: [readOrders.id] });

	await page.reload();
	await page.getByRole('tab', { name: 'Metadata document clients' }).click();
	await expect(page.getByLabel('Allow all metadata document clients')).toBeChecked();
	await expect(page.getByLabel(readOrders.name, { exact: true })).toBeChecked();
	await expect(page.getByLabel(writeOrders.name, { exact: true })).not.toBeChecked();

	await page.goto('/settings/admin/apis');
	await expect(page.getByRole('row', { name: orders.name })).toContainText('Enabled');
});

test('Consent shows the friendly name and description of an API permission', async ({ page, scenario, signInAs }) => {
	await scenario({
		interactions: {
			i1: {
				clientId: SEED_CLIENTS.immich.id,
				steps: ['consent'],
				scopes: ['openid', 'email', readOrders.key, 'unknown:scope'],
				scopeInfo: [{ key: readOrders.key, name: readOrders.name, description: 'Read order data' }]
			}
		}
	});
	await signInAs('tim');
	await page.goto('/interaction?interaction=i1');

	const scopeList = page.getByTestId('scopes');
	await expect(scopeList).toBeVisible();
	await expect(scopeList.getByText(readOrders.name, { exact: true })).toBeVisible();
	await expect(scopeList.getByText('Read order data', { exact: true })).toBeVisible();
	await expect(scopeList.getByText(readOrders.key, { exact: true })).toHaveCount(0);
	// A custom scope without information keeps its key and the generic description
	await expect(scopeList.getByText('unknown:scope', { exact: true })).toBeVisible();
	await expect(scopeList.getByText('Access an API on your behalf')).toBeVisible();
});
