// Personal API keys (management.md §1.4): every user manages their own keys; the UI shows them to admins.
import { api, listQuery } from './client';
import type { ListRequestOptions, Paginated } from './types';

export type ApiKey = {
	id: string;
	name: string;
	description: string | null;
	expiresAt: string;
	lastUsedAt: string | null;
	createdAt: string;
	expirationEmailSent?: boolean;
};

/** POST /api/api-keys body: `expiresAt` is sent as RFC 3339. */
export type ApiKeyCreate = { name: string; description?: string; expiresAt: Date };

/** The create/renew response: the token is only ever shown here. */
export type ApiKeyWithToken = { apiKey: ApiKey; token: string };

const keyPath = (id: string) => `/api-keys/${encodeURIComponent(id)}`;

export const apiKeysApi = {
	/** GET /api/api-keys: the caller's keys; sort `name`, `expiresAt`, `lastUsedAt`, `createdAt`. */
	list: (options?: ListRequestOptions) => api.get<Paginated<ApiKey>>('/api-keys', { query: listQuery(options) }),
	/** POST /api/api-keys → 201 {apiKey, token}; a past date → 400 invalid_api_key_expiration. */
	create: (body: ApiKeyCreate) =>
		api.post<ApiKeyWithToken>('/api-keys', {
			name: body.name,
			description: body.description || undefined,
			expiresAt: body.expiresAt.toISOString()
		}),
	/** POST /api/api-keys/:id/renew: only for expired keys (else 409 api_key_not_expired); a new token. */
	renew: (id: string, expiresAt: Date) =>
		api.post<ApiKeyWithToken>(`${keyPath(id)}/renew`, { expiresAt: expiresAt.toISOString() }),
	/** DELETE /api/api-keys/:id → 204 */
	revoke: (id: string) => api.delete(keyPath(id))
};

/** Whether a key can no longer be used (and may therefore be renewed). */
export function isApiKeyExpired(key: Pick<ApiKey, 'expiresAt'>, now: number = Date.now()): boolean {
	return new Date(key.expiresAt).getTime() <= now;
}

/** The value of an `<input type="date">` (local calendar day) for a date. */
export function toDateInputValue(date: Date): string {
	const pad = (n: number) => String(n).padStart(2, '0');
	return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** Local midnight of an `<input type="date">` value, or null when it is not a date. */
export function fromDateInputValue(value: string): Date | null {
	const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
	if (!match) return null;
	const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
	return Number.isNaN(date.getTime()) ? null : date;
}

/** Pocket ID's default expiry: midnight 30 days from now. */
export function defaultApiKeyExpiry(now: Date = new Date()): Date {
	const date = new Date(now);
	date.setDate(date.getDate() + 30);
	date.setHours(0, 0, 0, 0);
	return date;
}

/** The renew dialog proposes the key's previous lifetime, counted from now. */
export function renewalExpiry(key: Pick<ApiKey, 'expiresAt' | 'createdAt'>, now: number = Date.now()): Date {
	const lifetime = new Date(key.expiresAt).getTime() - new Date(key.createdAt).getTime();
	return new Date(now + Math.max(lifetime, 24 * 3600 * 1000));
}
