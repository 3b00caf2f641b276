import { api, listQuery } from './client';
import type { ListRequestOptions, Paginated, UserGroupMinimal } from './types';

export const userGroupsApi = {
	/** GET /api/user-groups (admin): `search`, pagination, sort (`friendlyName`, `name`, `userCount`, `createdAt`). */
	list: (options?: ListRequestOptions) =>
		api.get<Paginated<UserGroupMinimal>>('/user-groups', { query: listQuery(options) })
};
