// The backend sends a strict Content-Security-Policy with a per-request script nonce (protocol.md §8.2); the
// test double does the same. No page may trip it.
import { addVirtualAuthenticator, expect, FAKE_USERS, test } from '../support/fixtures';

test('pages run without Content-Security-Policy violations', async ({ page, scenario }) => {
	await scenario({ setupAvailable: true });
	const violations: string[] = [];
	page.on('console', (msg) => {
		if (/Content Security Policy|Refused to/i.test(msg.text())) violations.push(msg.text());
	});
	await page.addInitScript(() => {
		document.addEventListener('securitypolicyviolation', (e) =>
			console.error(`Refused to run: ${e.violatedDirective} ${e.blockedURI}`)
		);
	});

	const res = await page.goto('/login');
	expect(res?.headers()['content-security-policy']).toContain("script-src 'self' 'nonce-");
	await expect(page.getByRole('button', { name: 'Authenticate' })).toBeVisible();
	await page.goto('/signup/setup');
	await expect(page.getByRole('button', { name: 'Sign Up' })).toBeVisible();
	await page.goto('/login');
	await addVirtualAuthenticator(page, FAKE_USERS.tim.id);
	await page.getByRole('button', { name: 'Authenticate' }).click();
	await page.waitForURL('/settings/account');
	await page.getByRole('button', { name: 'Toggle theme' }).click();
	await page.getByRole('menuitemradio', { name: 'Dark' }).click();
	await page.getByLabel('Rename').first().click();
	await expect(page.getByLabel('Name Passkey')).toBeVisible();
	await page.keyboard.press('Escape');
	await page.getByRole('link', { name: 'Audit Log' }).click();
	await expect(page.getByRole('table', { name: 'Audit Log' })).toBeVisible();

	expect(violations).toEqual([]);
});
