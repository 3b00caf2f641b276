// Mirrors Pocket ID's account-settings.spec.ts (locators and texts), against the test double.
import { addVirtualAuthenticator, expect, FAKE_USERS, test } from '../support/fixtures';

test.beforeEach(async ({ scenario, signInAs }) => {
	await scenario();
	await signInAs('tim');
});

test('Update account details', async ({ page, apiRequests }) => {
	await page.goto('/settings/account');

	await page.getByLabel('Display Name').fill('Tim Apple');
	await page.getByLabel('First name').fill('Timothy');
	await page.getByLabel('Last name').fill('Apple');
	await page.getByLabel('Display Name').fill('Timothy Apple');
	await page.getByLabel('Email').fill('timothy.apple@test.com');
	await page.getByLabel('Username').fill('timothy');
	await page.getByRole('button', { name: 'Save' }).click();

	await expect(page.locator('[data-type="success"]')).toHaveText('Account details updated successfully');
	const put = (await apiRequests()).find((r) => r.method === 'PUT' && r.path === '/api/users/me');
	expect(put?.body).toMatchObject({
		username: 'timothy',
		email: 'timothy.apple@test.com',
		firstName: 'Timothy',
		lastName: 'Apple',
		displayName: 'Timothy Apple'
	});
});

test('Update account details fails with already taken email', async ({ page }) => {
	await page.goto('/settings/account');
	await page.getByLabel('Email').fill(FAKE_USERS.craig.email);
	await page.getByRole('button', { name: 'Save' }).click();
	await expect(page.locator('[data-type="error"]')).toHaveText('Email is already in use');
});

test('Update account details fails with already taken username in different casing', async ({ page }) => {
	await page.goto('/settings/account');
	await page.getByLabel('Username').fill(FAKE_USERS.craig.username.toUpperCase());
	await page.getByRole('button', { name: 'Save' }).click();
	await expect(page.locator('[data-type="error"]')).toHaveText('Username is already in use');
});

test('invalid fields show inline errors and nothing is sent', async ({ page, apiRequests }) => {
	await page.goto('/settings/account');
	await page.getByLabel('Email').fill('not-an-email');
	await page.getByLabel('Username').fill('tim.');
	await page.getByRole('button', { name: 'Save' }).click();
	await expect(page.getByText('Invalid email address')).toBeVisible();
	await expect(page.getByText('Username must end with an alphanumeric character')).toBeVisible();
	expect((await apiRequests()).some((r) => r.method === 'PUT')).toBe(false);
});

test('the display name follows the name until edited', async ({ scenario, page }) => {
	await scenario({ passkeys: {} });
	await page.goto('/settings/account');
	await page.getByLabel('Display Name').fill('');
	// An empty display name counts as not edited by hand only on load; edit first/last afterwards:
	await page.reload();
	await expect(page.getByLabel('Display Name')).toHaveValue('Tim Cook');
});

test('account details are read-only when own-account editing is disabled', async ({ scenario, page }) => {
	await scenario({ config: { allowOwnAccountEdit: 'false' } });
	await page.goto('/settings/account');
	await expect(page.getByLabel('Username')).toBeDisabled();
	await expect(page.getByRole('button', { name: 'Save' })).toBeDisabled();
});

test('passkeys are listed with created and last-used dates', async ({ page }) => {
	await page.goto('/settings/account');
	const list = page.getByRole('list', { name: 'Passkeys' });
	await expect(list.getByRole('listitem')).toHaveCount(2);
	await expect(list.getByRole('listitem').first()).toContainText('Passkey 1');
	await expect(list.getByRole('listitem').first()).toContainText('Added on');
	await expect(list.getByRole('listitem').first()).toContainText('Last Used');
	await expect(list.getByRole('listitem').nth(1)).not.toContainText('Last Used');
});

test('Add passkey to an account', async ({ page }) => {
	await page.goto('/settings/account');
	await addVirtualAuthenticator(page);
	await page.getByRole('button', { name: 'Add Passkey' }).click();

	await page.getByLabel('Name', { exact: true }).fill('Test Passkey');
	await page.getByLabel('Name Passkey').getByRole('button', { name: 'Save' }).click();

	await expect(page.getByText('Test Passkey')).toBeVisible();
});

test('Rename passkey', async ({ page }) => {
	await page.goto('/settings/account');
	await page.getByLabel('Rename').first().click();
	await expect(page.getByLabel('Name', { exact: true })).toBeFocused();
	await page.getByLabel('Name', { exact: true }).fill('Renamed Passkey');
	await page.getByLabel('Name Passkey').getByRole('button', { name: 'Save' }).click();
	await expect(page.getByText('Renamed Passkey')).toBeVisible();
	await expect(page.getByLabel('Name Passkey')).toBeHidden();
});

test('renaming to an empty name is refused inline', async ({ page }) => {
	await page.goto('/settings/account');
	await page.getByLabel('Rename').first().click();
	await page.getByLabel('Name', { exact: true }).fill('');
	await page.getByLabel('Name Passkey').getByRole('button', { name: 'Save' }).click();
	await expect(page.getByLabel('Name Passkey').getByRole('alert')).toBeVisible();
	await page.keyboard.press('Escape');
	await expect(page.getByLabel('Name Passkey')).toBeHidden();
	await expect(page.getByLabel('Rename').first()).toBeFocused();
});

test('Delete passkey from account', async ({ page }) => {
	await page.goto('/settings/account');
	await page.getByLabel('Delete').first().click();
	await expect(page.getByLabel('Delete Passkey 1')).toBeVisible();
	await page.getByLabel('Delete Passkey').getByRole('button', { name: 'Delete' }).click();
	await expect(page.locator('[data-type="success"]')).toHaveText('Passkey deleted successfully');
	await expect(page.getByText('Single Passkey Configured')).toBeVisible();
});

test('deleting the last passkey shows a stronger warning', async ({ scenario, page }) => {
	await scenario({ passkeys: { tim: [{ name: 'Only Passkey' }] } });
	await page.goto('/settings/account');
	await page.getByLabel('Delete').first().click();
	const dialog = page.getByRole('alertdialog');
	await expect(dialog).toContainText('This is your only passkey');
	await dialog.getByRole('button', { name: 'Cancel' }).click();
	await expect(dialog).toBeHidden();
	await expect(page.getByText('Only Passkey')).toBeVisible();
});

test('no passkey shows the missing-passkey warning', async ({ scenario, page }) => {
	await scenario({ passkeys: {} });
	await page.goto('/settings/account');
	await expect(page.getByText('Passkey missing')).toBeVisible();
});
