import { describe, expect, it } from 'vitest';
import type { OidcClient } from '$lib/api/types';
import { clientUpdateBody, launchHost, maskedSecret, secretExpiresAt } from './oidc-client';

const client: OidcClient = {
	id: 'c1',
	name: 'Nextcloud',
	description: 'Cloud',
	hasLogo: false,
	hasDarkLogo: false,
	launchURL: null,
	requiresReauthentication: false,
	clientType: 'standard',
	callbackURLs: ['http://nextcloud.localhost/auth/callback'],
	logoutCallbackURLs: [],
	isPublic: false,
	pkceEnabled: true,
	requiresPushedAuthorizationRequests: false,
	skipConsent: false,
	credentials: { federatedIdentities: [{ issuer: 'https://idp', replayProtection: true }], secrets: [] },
	isGroupRestricted: true,
	accessTokenDurationMinutes: 60,
	refreshTokenDurationMinutes: 43200
};

describe('clientUpdateBody', () => {
	it('keeps every field and applies the changes', () => {
		const body = clientUpdateBody(client, { accessTokenDurationMinutes: 90 });
		expect(body).toMatchObject({
			name: 'Nextcloud',
			pkceEnabled: true,
			isGroupRestricted: true,
			accessTokenDurationMinutes: 90,
			refreshTokenDurationMinutes: 43200,
			credentials: { federatedIdentities: [{ issuer: 'https://idp', replayProtection: true }] }
		});
		expect('launchURL' in body).toBe(false);
		expect('secrets' in body.credentials).toBe(false);
	});
});

describe('secret helpers', () => {
	it('computes the expiry of a preset', () => {
		const now = Date.UTC(2025, 0, 1);
		expect(secretExpiresAt(null, now)).toBeNull();
		expect(secretExpiresAt(90, now)).toBe('2025-04-01T00:00:00.000Z');
	});

	it('masks stored secrets', () => {
		expect(maskedSecret('w2mU')).toBe('w2mU••••••••');
	});

	it('shows the launch host', () => {
		expect(launchHost('https://nextcloud.local/apps')).toBe('nextcloud.local');
		expect(launchHost(null)).toBe('');
	});
});
