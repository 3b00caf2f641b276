// Audit logs (management.md §1.10).
import { api, listQuery } from './client';
import type { AuditLog, ListRequestOptions, Paginated } from './types';

/** The global log's filters; '' = no filter. `location` is `internal` or `external`. */
export type AuditLogFilters = { userId: string; event: string; location: string; clientName: string };

/** The non-empty filters as `filters[...]` values of a list request. */
export function auditLogFilterQuery(filters: AuditLogFilters): Record<string, string[]> {
	return Object.fromEntries(
		Object.entries(filters)
			.filter(([, value]) => value !== '')
			.map(([key, value]) => [key, [value]])
	);
}

export const auditLogApi = {
	/** GET /api/audit-logs: the signed-in user's own audit log. */
	listOwn: (options?: ListRequestOptions) =>
		api.get<Paginated<AuditLog>>('/audit-logs', { query: listQuery(options) }),
	/** GET /api/audit-logs/all (admin): everybody's logs; `filters[userId|event|clientName|location]`. */
	listAll: (options?: ListRequestOptions) =>
		api.get<Paginated<AuditLog>>('/audit-logs/all', { query: listQuery(options) }),
	/** GET /api/audit-logs/filters/users (admin): `{ userId: username }` of the users that have logs. */
	filterUsers: () => api.get<Record<string, string>>('/audit-logs/filters/users'),
	/** GET /api/audit-logs/filters/client-names (admin): the client names found in logs. */
	filterClientNames: () => api.get<string[]>('/audit-logs/filters/client-names')
};
