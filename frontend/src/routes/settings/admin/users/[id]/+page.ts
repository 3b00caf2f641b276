import { isApiError } from '$lib/api/client';
import { usersApi } from '$lib/api/users';
import { error } from '@sveltejs/kit';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, params }) => {
	const [user, passkeys] = await Promise.all([
		usersApi.get(params.id, { fetch }).catch((e) => {
			if (isApiError(e, 404)) error(404, e.serverMessage ?? 'User not found');
			throw e;
		}),
		usersApi.listPasskeys(params.id, { fetch }).catch(() => [])
	]);
	return { user, passkeys };
};
