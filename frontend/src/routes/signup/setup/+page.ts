import { isApiError } from '$lib/api/client';
import { signupApi } from '$lib/api/users';
import { error } from '@sveltejs/kit';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch }) => {
	try {
		await signupApi.setupAvailable({ fetch });
	} catch (e) {
		// 404 once any user exists: the page does not exist any more.
		if (isApiError(e, 404)) error(404, 'Not found');
		throw e;
	}
};
