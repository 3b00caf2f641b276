import { appConfigApi } from '$lib/api/app-config';
import { usersApi } from '$lib/api/users';
import { configureLibraries } from '$lib/i18n/locale';
import { session } from '$lib/stores/session.svelte';
import { getAuthRedirectPath } from '$lib/utils/auth-redirect';
import { redirect } from '@sveltejs/kit';
import type { LayoutLoad } from './$types';

// A single-page app: nothing is rendered on a server or prerendered.
export const ssr = false;
export const prerender = false;

let librariesConfigured = false;

export const load: LayoutLoad = async ({ url, fetch }) => {
	const [user, appConfig] = await Promise.all([
		usersApi.me({ fetch }).catch(() => null),
		appConfigApi.getPublic({ fetch }).catch((e) => {
			console.error('Failed to load the application configuration', e);
			return null;
		})
	]);

	const target = getAuthRedirectPath(url, user);
	if (target) redirect(302, target);

	if (appConfig) session.setConfig(appConfig);
	await session.setUser(user);

	if (!librariesConfigured) {
		librariesConfigured = true;
		void configureLibraries();
	}

	return { user, appConfig };
};
