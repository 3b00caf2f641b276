// Helpers shared by the specs: resetting the test double, signing in, a virtual passkey authenticator.
import { test as base, expect, type Page } from '@playwright/test';
import { usingFakeApi } from '../playwright.config';
import { FAKE_USERS, SESSION_COOKIE, sessionTokenFor, type Scenario } from './fake-api';

export { expect, FAKE_USERS };
export { addVirtualAuthenticator } from './virtual-authenticator';

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

export { SEED_CLIENTS, SEED_GROUPS } from './fake-oidc';
export { SEED_APIS } from './fake-apis';

/** Answers the page's first POST /api/webauthn/reauthenticate (the one without a body) like a session too old to
 * count as a reauthentication, so the page falls back to a passkey assertion; later calls go to the test double.
 * Returns how many calls the page has made so far. */
export async function refuseFirstReauthentication(page: Page): Promise<() => number> {
	let calls = 0;
	await page.route('**/api/webauthn/reauthenticate', async (route) => {
		if (calls++ === 0) {
			return route.fulfill({
				status: 401,
				json: { error: 'Reauthentication is required', code: 'reauthentication_required' }
			});
		}
		return route.continue();
	});
	return () => calls;
}
