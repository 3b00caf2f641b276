import { oidcClientsApi } from '$lib/api/oidc';
import { clientLogos } from '$lib/stores/client-logos.svelte';
import type { LogoChange } from './oidc-client-form.svelte';

/** Applies a logo change of the client form that is not part of the JSON body (upload or removal). */
export async function applyLogoChange(clientId: string, change: LogoChange, light: boolean): Promise<void> {
	if (change.kind === 'file') {
		await oidcClientsApi.uploadLogo(clientId, change.file, light);
	} else if (change.kind === 'remove') {
		await oidcClientsApi.removeLogo(clientId, light);
	}
	if (change.kind !== 'none') clientLogos.bust(clientId, light);
}
