import type { OidcClient, OidcClientUpdate } from '$lib/api/types';

/**
 * The PUT body that keeps a client as it is (PUT /api/oidc/clients/:id replaces every field, so the cards that
 * change one aspect — token lifetimes, group restriction — send the rest unchanged).
 */
export function clientUpdateBody(client: OidcClient, changes: Partial<OidcClientUpdate> = {}): OidcClientUpdate {
	return {
		name: client.name,
		description: client.description ?? '',
		callbackURLs: client.callbackURLs ?? [],
		logoutCallbackURLs: client.logoutCallbackURLs ?? [],
		isPublic: client.isPublic,
		pkceEnabled: client.pkceEnabled,
		requiresReauthentication: client.requiresReauthentication,
		requiresPushedAuthorizationRequests: client.requiresPushedAuthorizationRequests,
		skipConsent: client.skipConsent,
		credentials: { federatedIdentities: client.credentials?.federatedIdentities ?? [] },
		...(client.launchURL ? { launchURL: client.launchURL } : {}),
		isGroupRestricted: client.isGroupRestricted,
		accessTokenDurationMinutes: client.accessTokenDurationMinutes,
		refreshTokenDurationMinutes: client.refreshTokenDurationMinutes,
		...changes
	};
}

/** The expiry presets of a new client secret, in days (null = never). */
export const secretExpirationDays = [null, 30, 90, 180, 360, 720] as const;

/** `expiresAt` for a secret that expires in `days` days from `now` (null = never). */
export function secretExpiresAt(days: number | null, now: number = Date.now()): string | null {
	if (days === null) return null;
	return new Date(now + days * 24 * 60 * 60 * 1000).toISOString();
}

/** How a stored secret is shown after creation: its clear prefix and eight dots. */
export function maskedSecret(prefix: string): string {
	return `${prefix}${'•'.repeat(8)}`;
}

/** Hostname of a launch URL (shown on the app cards), or the URL itself when it does not parse. */
export function launchHost(url: string | null | undefined): string {
	if (!url) return '';
	try {
		return new URL(url).hostname;
	} catch {
		return url;
	}
}
