import { redirect } from '@sveltejs/kit';
import type { PageLoad } from './$types';

// Signup-token links: /st/<token> → /signup?token=<token> (keeping `redirect`).
export const load: PageLoad = ({ url, params }) => {
	const query = new URLSearchParams({ token: params.token });
	const target = url.searchParams.get('redirect');
	if (target !== null) query.set('redirect', target);
	redirect(307, `/signup?${query.toString()}`);
};
