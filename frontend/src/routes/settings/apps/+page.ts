import { myAppsApi } from '$lib/api/oidc';
import type { PageLoad } from './$types';
import { appOptions, hiddenAppOptions } from './app-list-options';

export const load: PageLoad = async () => {
	const [clients, hiddenClients] = await Promise.all([
		myAppsApi.accessibleClients(appOptions()),
		myAppsApi.authorizedClients(hiddenAppOptions())
	]);
	return { clients, hiddenClients };
};
