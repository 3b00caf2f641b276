import { api, type RequestOptions } from './client';
import type { DeviceLoginDecision, DeviceLoginRequest, DeviceLoginVerificationInfo, User } from './types';

// "Sign in with another device" (protocol.md §5.5): the requesting side creates a request and exchanges it once a
// signed-in user approved it on /device.
export const deviceLoginApi = {
	/** POST /api/device-login/requests → 201; sets the cookie that binds the request to this browser. */
	create: (options?: RequestOptions) => api.post<DeviceLoginRequest>('/device-login/requests', undefined, options),
	/** POST /api/device-login/requests/:id/exchange: the signed-in user once approved (200), null while pending (202). */
	exchange: async (id: string, options?: RequestOptions) =>
		(await api.post<User | undefined>(
			`/device-login/requests/${encodeURIComponent(id)}/exchange`,
			undefined,
			options
		)) ?? null,
	/** POST /api/device-login/verification (session): who is asking. */
	inspect: (code: string) => api.post<DeviceLoginVerificationInfo>('/device-login/verification', { code }),
	/** POST /api/device-login/verification/decision (session) → 204; `approve` needs a fresh reauthentication. */
	decide: (code: string, decision: DeviceLoginDecision) =>
		api.post<void>('/device-login/verification/decision', { code, decision })
};
