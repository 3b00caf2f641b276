// What every browser test against the real server starts with: a virtual passkey authenticator (Chromium's CDP
// WebAuthn domain) and the first admin, signed up in the setup wizard with a passkey.
import { expect, type CDPSession, type Page } from '@playwright/test';
import type { PocketId } from './server';

export async function addAuthenticator(page: Page): Promise<{ cdp: CDPSession; authenticatorId: string }> {
	const cdp = await page.context().newCDPSession(page);
	await cdp.send('WebAuthn.enable');
	const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
		options: {
			protocol: 'ctap2',
			transport: 'internal',
			hasResidentKey: true,
			hasUserVerification: true,
			isUserVerified: true,
			automaticPresenceSimulation: true
		}
	});
	return { cdp, authenticatorId };
}

export type FirstAdmin = { cookie: string; id: string };

// The first admin (Tim Cook, tim.cook@test.com) signs up and adds one passkey in this page's browser, which stays
// signed in; returns their session cookie (`access_token=…`, for API calls) and user id.
export async function signUpFirstAdmin(page: Page, server: PocketId): Promise<FirstAdmin> {
	const { cdp, authenticatorId } = await addAuthenticator(page);
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
	return { cookie, id: me.id };
}
