import { redirect } from '@sveltejs/kit';
import type { PageLoad } from './$types';

// Alias used in login-code emails: /lc → /login/alternative/code (keeping `redirect`).
export const load: PageLoad = ({ url }) => {
	const params = new URLSearchParams();
	const target = url.searchParams.get('redirect');
	if (target !== null) params.set('redirect', target);
	const query = params.toString();
	redirect(307, '/login/alternative/code' + (query ? `?${query}` : ''));
};
