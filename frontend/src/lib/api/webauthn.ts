import type {
	AuthenticationResponseJSON,
	PublicKeyCredentialCreationOptionsJSON,
	PublicKeyCredentialRequestOptionsJSON,
	RegistrationResponseJSON
} from '@simplewebauthn/browser';
import { api } from './client';
import type { Passkey, User } from './types';

// protocol.md §4: the option endpoints return the bare options JSON (not wrapped in `publicKey`).
export const webauthnApi = {
	registrationOptions: () =>
		api.get<PublicKeyCredentialCreationOptionsJSON>('/webauthn/register/start'),
	finishRegistration: (body: RegistrationResponseJSON) =>
		api.post<Passkey>('/webauthn/register/finish', body),
	loginOptions: () => api.get<PublicKeyCredentialRequestOptionsJSON>('/webauthn/login/start'),
	finishLogin: (body: AuthenticationResponseJSON) => api.post<User>('/webauthn/login/finish', body),
	logout: () => api.post<void>('/webauthn/logout'),
	/**
	 * POST /api/webauthn/reauthenticate: without a body the fresh session token proves the user; with an assertion
	 * (after `loginOptions()`) the passkey does. Sets the reauthentication cookie (204).
	 */
	reauthenticate: (body?: AuthenticationResponseJSON) => api.post<void>('/webauthn/reauthenticate', body),
	listCredentials: () => api.get<Passkey[]>('/webauthn/credentials'),
	renameCredential: (id: string, name: string) =>
		api.patch<Passkey>(`/webauthn/credentials/${encodeURIComponent(id)}`, { name }),
	deleteCredential: (id: string) => api.delete(`/webauthn/credentials/${encodeURIComponent(id)}`)
};
