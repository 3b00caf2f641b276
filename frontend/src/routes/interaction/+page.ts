import { isApiError } from '$lib/api/client';
import { interactionApi } from '$lib/api/oidc';
import { error } from '@sveltejs/kit';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ url, fetch }) => {
	const id = url.searchParams.get('interaction');
	if (!id) error(400, 'Missing authorize interaction');
	try {
		return { interaction: await interactionApi.get(id, { fetch }) };
	} catch (e) {
		if (isApiError(e)) error(e.status, e.serverMessage ?? 'OIDC interaction not found or expired');
		throw e;
	}
};
