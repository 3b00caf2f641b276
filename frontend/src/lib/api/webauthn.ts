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
	listCredentials: () => api.get<Passkey[]>('/webauthn/credentials'),
	renameCredential: (id: string, name: string) =>
		api.patch<Passkey>(`/webauthn/credentials/${encodeURIComponent(id)}`, { name }),
	deleteCredential: (id: string) => api.delete(`/webauthn/credentials/${encodeURIComponent(id)}`)
};
