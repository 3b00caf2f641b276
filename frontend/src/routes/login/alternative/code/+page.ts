import { safeRedirectPath } from '$lib/utils/auth-redirect';
import type { PageLoad } from './$types';

export const load: PageLoad = ({ url }) => ({
	code: url.searchParams.get('code') ?? '',
	rawRedirect: url.searchParams.get('redirect') ?? '',
	redirect: safeRedirectPath(url.searchParams.get('redirect'), '/settings')
});
