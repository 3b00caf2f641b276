import { api, listQuery } from './client';
import type { AuditLog, ListRequestOptions, Paginated } from './types';

export const auditLogApi = {
	/** GET /api/audit-logs: the signed-in user's own audit log. */
	listOwn: (options?: ListRequestOptions) =>
		api.get<Paginated<AuditLog>>('/audit-logs', { query: listQuery(options) })
};
