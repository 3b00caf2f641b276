import type { PageLoad } from './$types';

export const load: PageLoad = ({ url }) => ({ redirect: url.searchParams.get('redirect') ?? '' });
