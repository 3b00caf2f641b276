// Chromium's virtual WebAuthn authenticator (CDP), for the test-double specs and the real-server specs alike.
import type { CDPSession, Page } from '@playwright/test';
import { generateKeyPairSync } from 'node:crypto';

/** Adds a virtual authenticator (resident keys, user verification); with `userId`, it already holds a passkey for
 * that user (a fresh P-256 key: the test double does not verify signatures). */
export async function addVirtualAuthenticator(
	page: Page,
	userId?: string
): Promise<{ client: CDPSession; authenticatorId: string }> {
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
