// Versions of the OIDC client logos changed during this page visit: the logo URLs get `skipCache=<version>` so the
// browser loads the new image instead of its cached copy.
import { oidcClientsApi } from '$lib/api/oidc';

const versions = $state<Record<string, number>>({});

export const clientLogos = {
	url(clientId: string, light = true): string {
		return oidcClientsApi.logoUrl(clientId, light, versions[`${clientId}:${light}`]);
	},
	bust(clientId: string, light: boolean) {
		versions[`${clientId}:${light}`] = Date.now();
	}
};
