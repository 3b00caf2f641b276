// The root layout's redirect rules (management.md §11).

type MaybeUser = { isAdmin: boolean } | null;

export function isUnauthenticatedOnlyPath(path: string): boolean {
	return (
		path === '/login' ||
		(path.startsWith('/login/') && path !== '/login/alternative/code') ||
		path === '/lc' ||
		path === '/signup' ||
		path === '/signup/setup' ||
		path === '/setup' ||
		path.startsWith('/st/')
	);
}

const publicPaths = new Set([
	'/interaction',
	'/interaction/error',
	'/login/alternative/code',
	'/device',
	'/health',
	'/healthz'
]);

export function isPublicPath(path: string): boolean {
	return path.startsWith('/lc/') || publicPaths.has(path);
}

export function isAdminPath(path: string): boolean {
	return path === '/settings/admin' || path.startsWith('/settings/admin/');
}

/** Where to send the browser instead of `url`, or null when the page may be shown. */
export function getAuthRedirectPath(url: URL, user: MaybeUser): string | null {
	const path = url.pathname;
	const unauthenticatedOnly = isUnauthenticatedOnlyPath(path);

	if (!user && !unauthenticatedOnly && !isPublicPath(path)) {
		return `/login?redirect=${encodeURIComponent(path + url.search)}`;
	}
	if (user && unauthenticatedOnly) return '/settings';
	if (isAdminPath(path) && !user?.isAdmin) return '/settings';
	return null;
}

/**
 * A `redirect` query value made safe to navigate to: only same-origin paths ("/…", not "//host" or "/\host")
 * are accepted; anything else gives `fallback`.
 */
export function safeRedirectPath(value: string | null | undefined, fallback = '/settings'): string {
	if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) {
		return fallback;
	}
	try {
		const base = 'http://same-origin.invalid';
		const resolved = new URL(value, base);
		if (resolved.origin !== base) return fallback;
		return resolved.pathname + resolved.search + resolved.hash;
	} catch {
		return fallback;
	}
}
