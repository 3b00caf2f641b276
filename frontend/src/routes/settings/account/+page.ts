import { usersApi } from '$lib/api/users';
import { webauthnApi } from '$lib/api/webauthn';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch }) => {
	const [account, passkeys] = await Promise.all([usersApi.me({ fetch }), webauthnApi.listCredentials()]);
	return { account, passkeys };
};
