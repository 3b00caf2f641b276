import { expect, test } from '../support/fixtures';

test('the audit log table pages and sorts through the API', async ({ page, scenario, signInAs, apiRequests }) => {
	await scenario({ auditLogCount: 25 });
	await signInAs('craig');
	await page.goto('/settings/audit-log');

	const table = page.getByRole('table', { name: 'Audit Log' });
	await expect(table.getByRole('row')).toHaveCount(21); // header + 20
	let calls = (await apiRequests()).filter((r) => r.path === '/api/audit-logs');
	expect(decodeURIComponent(calls.at(-1)!.query)).toBe(
		'?pagination[page]=1&pagination[limit]=20&sort[column]=createdAt&sort[direction]=desc'
	);
	await expect(table.getByRole('columnheader', { name: 'Time' })).toHaveAttribute('aria-sort', 'descending');

	await page.getByRole('button', { name: 'Next page' }).click();
	await expect(table.getByRole('row')).toHaveCount(6);
	await expect(page.getByRole('button', { name: '2', exact: true })).toHaveAttribute('aria-current', 'page');

	await table.getByRole('button', { name: 'Event' }).click();
	await expect(table.getByRole('columnheader', { name: 'Event' })).toHaveAttribute('aria-sort', 'ascending');
	calls = (await apiRequests()).filter((r) => r.path === '/api/audit-logs');
	expect(decodeURIComponent(calls.at(-1)!.query)).toContain('pagination[page]=1');
	expect(decodeURIComponent(calls.at(-1)!.query)).toContain('sort[column]=event&sort[direction]=asc');
	await expect(table.getByRole('cell', { name: 'Client Authorization' }).first()).toBeVisible();

	await page.getByRole('combobox', { name: 'Items per page' }).click();
	await page.getByRole('option', { name: '50' }).click();
	await expect(table.getByRole('row')).toHaveCount(26);
});

test('admins get a switch to the global audit log, other users do not', async ({ page, scenario, signInAs }) => {
	await scenario({ auditLogCount: 3 });
	await signInAs('tim');
	await page.goto('/settings/audit-log');
	const personal = page.getByRole('link', { name: 'Personal' });
	await expect(personal).toHaveAttribute('aria-current', 'page');
	await page.getByRole('link', { name: 'Global' }).click();
	await expect(page).toHaveURL('/settings/audit-log/global');
	await expect(page.getByRole('heading', { name: 'Global Audit Log', level: 2 })).toBeVisible();
	for (const name of ['User', 'Event', 'Approximate Location', 'Client']) {
		await expect(page.getByRole('combobox', { name })).toBeVisible();
	}

	await signInAs('craig');
	await page.goto('/settings/audit-log');
	await expect(page.getByRole('table', { name: 'Audit Log' })).toBeVisible();
	await expect(page.getByRole('link', { name: 'Global' })).toHaveCount(0);
	await page.goto('/settings/audit-log/global');
	await expect(page).toHaveURL('/settings/audit-log');
});
