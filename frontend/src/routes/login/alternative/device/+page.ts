import { safeRedirectPath } from '$lib/utils/auth-redirect';
import type { PageLoad } from './$types';

export const load: PageLoad = ({ url }) => ({
	redirect: safeRedirectPath(url.searchParams.get('redirect'), '/settings')
});
