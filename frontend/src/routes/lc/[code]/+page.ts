import { redirect } from '@sveltejs/kit';
import type { PageLoad } from './$types';

// /lc/<code> → /login/alternative/code?code=<code> (keeping `redirect`); that page submits the code.
export const load: PageLoad = ({ url, params }) => {
	const query = new URLSearchParams({ code: params.code });
	const target = url.searchParams.get('redirect');
	if (target !== null) query.set('redirect', target);
	redirect(307, `/login/alternative/code?${query.toString()}`);
};
