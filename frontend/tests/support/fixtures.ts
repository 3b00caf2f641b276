// Helpers shared by the specs: resetting the test double, signing in, a virtual passkey authenticator.
import { test as base, expect, type Page } from '@playwright/test';
import { generateKeyPairSync } from 'node:crypto';
import { usingFakeApi } from '../playwright.config';
import { FAKE_USERS, SESSION_COOKIE, sessionTokenFor, type Scenario } from './fake-api';

export { expect, FAKE_USERS };

type Fixtures = {
	/** Resets the test double to a scenario (default data when called without one). */
	scenario: (s?: Scenario) => Promise<void>;
	/** Signs the browser context in as a seeded user by setting the session cookie. */
	signInAs: (username: keyof typeof FAKE_USERS) => Promise<void>;
	/** Requests the SPA made to /api since the last reset. */
	apiRequests: () => Promise<{ method: string; path: string; query: string; body: unknown }[]>;
};

export const test = base.extend<Fixtures>({
	scenario: async ({ request }, use) => {
		test.skip(!usingFakeApi, 'needs the test double (PID_BASE_URL is set)');
		const reset = async (s: Scenario = {}) => {
			const res = await request.post('/__fake/reset', { data: s });
			expect(res.status()).toBe(204);
		};
		await reset();
		await use(reset);
	},
	signInAs: async ({ context, baseURL }, use) => {
		await use(async (username) => {
			await context.addCookies([
				{ name: SESSION_COOKIE, value: sessionTokenFor(username), url: baseURL!, httpOnly: true, sameSite: 'Lax' }
			]);
		});
	},
	apiRequests: async ({ request }, use) => {
		await use(async () => (await request.get('/__fake/requests')).json());
	}
});

/** Adds a Chrome DevTools virtual authenticator holding a resident passkey for `userId` (when given). */
export async function addVirtualAuthenticator(page: Page, userId?: string) {
	const client = await page.context().newCDPSession(page);
	await client.send('WebAuthn.enable');
	const { authenticatorId } = await client.send('WebAuthn.addVirtualAuthenticator', {
		options: {
			protocol: 'ctap2',
			transport: 'internal',
			hasResidentKey: true,
			hasUserVerification: true,
			isUserVerified: true,
			automaticPresenceSimulation: true
		}
	});
	if (userId) {
		// A fresh P-256 key (PKCS#8); the test double does not verify signatures.
		const privateKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
			.privateKey.export({ type: 'pkcs8', format: 'der' })
			.toString('base64');
		await client.send('WebAuthn.addCredential', {
			authenticatorId,
			credential: {
				credentialId: Buffer.from(`test-credential-${userId}`).toString('base64'),
				isResidentCredential: true,
				rpId: 'localhost',
				privateKey,
				userHandle: Buffer.from(userId).toString('base64'),
				signCount: 1
			}
		});
	}
	return { client, authenticatorId };
}
export { SEED_CLIENTS, SEED_GROUPS } from './fake-oidc';
