import { isApiError } from '$lib/api/client';
import { userGroupsApi } from '$lib/api/user-groups';
import { error } from '@sveltejs/kit';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, params }) => {
	const group = await userGroupsApi.get(params.id, { fetch }).catch((e) => {
		if (isApiError(e, 404)) error(404, e.serverMessage ?? 'User group not found');
		throw e;
	});
	return { group };
};
