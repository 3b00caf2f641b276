import { apisApi } from '$lib/api/apis';
import { isApiError } from '$lib/api/client';
import { error } from '@sveltejs/kit';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, params }) => {
	const api = await apisApi.get(params.id, { fetch }).catch((e) => {
		if (isApiError(e, 404)) error(404, e.serverMessage ?? 'API not found');
		throw e;
	});
	return { api };
};
