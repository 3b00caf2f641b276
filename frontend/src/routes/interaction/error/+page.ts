import type { PageLoad } from './$types';

// The backend sends authorization errors here as `?error=<message>` (protocol.md §1.5).
export const load: PageLoad = ({ url }) => ({
	error: url.searchParams.get('error') ?? 'An unknown error occured.'
});
