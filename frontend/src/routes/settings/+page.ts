import { session } from '$lib/stores/session.svelte';
import { safeRedirectPath } from '$lib/utils/auth-redirect';
import { redirect } from '@sveltejs/kit';
import type { PageLoad } from './$types';

// /settings → the configured home page (app config `homePageUrl`, default /settings/account).
export const load: PageLoad = async ({ parent }) => {
	await parent();
	const home = safeRedirectPath(session.config.homePageUrl, '/settings/account');
	redirect(307, home === '/settings' ? '/settings/account' : home);
};
