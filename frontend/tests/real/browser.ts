// What every browser test against the real server starts with: a virtual passkey authenticator (Chromium's CDP
// WebAuthn domain) and the first admin, signed up in the setup wizard with a passkey.
import { expect, type CDPSession, type Page } from '@playwright/test';
import { addVirtualAuthenticator } from '../support/virtual-authenticator';
import type { PocketId } from './server';

export { addVirtualAuthenticator };

export type FirstAdmin = { cookie: string; id: string; cdp: CDPSession; authenticatorId: string };

// The first admin (Tim Cook, tim.cook@test.com) signs up and adds one passkey in this page's browser, which stays
// signed in; returns their session cookie (`access_token=…`, for API calls), user id, and the authenticator.
export async function signUpFirstAdmin(page: Page, server: PocketId): Promise<FirstAdmin> {
	const { client: cdp, authenticatorId } = await addVirtualAuthenticator(page);
	await page.goto(`${server.url}/setup`);
	await page.waitForURL(`${server.url}/signup/setup`);
	await page.getByLabel('First name').fill('Tim');
	await page.getByLabel('Last name').fill('Cook');
	await page.getByLabel('Username').fill('tim');
	await page.getByLabel('Email').fill('tim.cook@test.com');
	await page.getByRole('button', { name: 'Sign Up' }).click();
	await page.waitForURL(`${server.url}/signup/add-passkey`);
	await page.getByRole('button', { name: 'Add Passkey' }).click();
	await page.waitForURL(`${server.url}/settings/account`);
	expect((await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials).toHaveLength(1);
	const token = (await page.context().cookies(server.url)).find((c) => c.name === 'access_token')?.value;
	expect(token).toBeTruthy();
	const cookie = `access_token=${token}`;
	const me = await (await fetch(`${server.url}/api/users/me`, { headers: { Cookie: cookie } })).json();
	return { cookie, id: me.id, cdp, authenticatorId };
}
