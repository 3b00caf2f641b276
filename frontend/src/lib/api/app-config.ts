import { api, type RequestOptions } from './client';
import type { AppConfig, AppConfigRawEntry } from './types';

/**
 * Converts one configuration value from its wire form (always a string) to a JS value: JSON objects/arrays are
 * parsed, "true"/"false" become booleans, numeric strings numbers, anything else stays a string.
 */
export function parseConfigValue(value: string): unknown {
	let v = value;
	try {
		const parsed: unknown = JSON.parse(value);
		if (typeof parsed === 'object' && parsed !== null) return parsed;
		v = String(parsed);
	} catch {
		// not JSON: keep the string
	}
	if (v === 'true') return true;
	if (v === 'false') return false;
	if (/^-?\d+(\.\d+)?$/.test(v)) return Number(v);
	return v;
}

export function parseConfigList(entries: AppConfigRawEntry[]): Record<string, unknown> {
	const config: Record<string, unknown> = {};
	for (const { key, value } of entries) config[key] = parseConfigValue(value);
	return config;
}

/** Defaults of the public keys (management.md §2.2), used when the backend leaves a key out. */
export const publicConfigDefaults: AppConfig = {
	appName: 'Pocket ID',
	homePageUrl: '/settings/account',
	accentColor: 'default',
	disableAnimations: false,
	allowOwnAccountEdit: true,
	allowUserSignups: 'disabled',
	requireUserEmail: true,
	emailOneTimeAccessAsUnauthenticatedEnabled: false,
	emailOneTimeAccessAsAdminEnabled: false,
	emailVerificationEnabled: false,
	ldapEnabled: false,
	uiConfigDisabled: false
};

export const appConfigApi = {
	/** GET /api/application-configuration: the public keys. */
	getPublic: async (options?: RequestOptions): Promise<AppConfig> => {
		const entries = await api.get<AppConfigRawEntry[]>('/application-configuration', options);
		const parsed = parseConfigList(entries);
		// appName and homePageUrl are strings even when they look like numbers or booleans.
		for (const key of ['appName', 'homePageUrl', 'accentColor']) {
			const raw = entries.find((e) => e.key === key)?.value;
			if (raw !== undefined) parsed[key] = raw;
		}
		return { ...publicConfigDefaults, ...parsed } as AppConfig;
	}
};

export const appImages = {
	logo: (light: boolean, bust?: number) =>
		`/api/application-images/logo?light=${light}${bust ? `&skipCache=${bust}` : ''}`,
	background: (bust?: number) => `/api/application-images/background${bust ? `?skipCache=${bust}` : ''}`
};
