import { api } from '$lib/api/client';
import { parseConfigList } from '$lib/api/app-config';
import type { AppConfigRawEntry } from '$lib/api/types';
import type { PageLoad } from './$types';

// New users' "email verified" starts as the app config's `emailsVerified` (an admin-only key); without it, off.
export const load: PageLoad = async ({ fetch }) => {
	const emailsVerifiedPerDefault = await api
		.get<AppConfigRawEntry[]>('/application-configuration/all', { fetch })
		.then((entries) => parseConfigList(entries).emailsVerified === true)
		.catch(() => false);
	return { emailsVerifiedPerDefault };
};
