import type { ListRequestOptions } from '$lib/api/types';

export const PAGE_SIZE = 20;

/** Apps with a launch URL the user may open (GET /api/oidc/users/me/clients), most recently used first. */
export const appOptions = (page = 1): ListRequestOptions => ({
	pagination: { page, limit: PAGE_SIZE },
	sort: { column: 'lastUsedAt', direction: 'desc' },
	filters: { hasLaunchURL: [true] }
});

/** Apps the user signed in to that have no launch URL (GET /api/oidc/users/me/authorized-clients). */
export const hiddenAppOptions = (page = 1): ListRequestOptions => ({
	pagination: { page, limit: PAGE_SIZE },
	sort: { column: 'lastUsedAt', direction: 'desc' },
	filters: { hasLaunchURL: [false] }
});
