import { api } from './client';

export const versionApi = {
	/** GET /api/version/current → the running server's version ("unknown" when not set). */
	current: async () => (await api.get<{ currentVersion: string }>('/version/current')).currentVersion,
	/** GET /api/version/latest → the newest release ("" when the check is disabled). */
	latest: async () => (await api.get<{ latestVersion: string }>('/version/latest')).latestVersion
};
