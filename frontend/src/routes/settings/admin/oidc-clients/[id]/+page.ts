import { isApiError } from '$lib/api/client';
import { getDiscoveryConfiguration, oidcClientsApi } from '$lib/api/oidc';
import { decodeClientIdParam } from '$lib/utils/client-id';
import { error } from '@sveltejs/kit';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, params }) => {
	const id = decodeClientIdParam(params.id);
	const [client, discovery] = await Promise.all([
		oidcClientsApi.get(id, { fetch }).catch((e) => {
			if (isApiError(e, 404)) error(404, e.serverMessage ?? 'OIDC client not found');
			throw e;
		}),
		// The endpoint URLs are extra information: the page works without them.
		getDiscoveryConfiguration(fetch).catch(() => null)
	]);
	return { client, discovery };
};
