// Custom claims of users and user groups (management.md §1.3; admin only).
import { api } from './client';
import type { CustomClaim } from './types';

export const customClaimsApi = {
	/** GET /api/custom-claims/suggestions: claim keys already in use, most used first. */
	suggestions: () => api.get<string[]>('/custom-claims/suggestions'),

	/**
	 * PUT /api/custom-claims/user/:id: replaces the user's own claims with `claims` and returns the saved set.
	 * Reserved keys (`email`, `groups`, …) → 400 `reserved_claim`, a key twice → 400 `duplicate_claim`.
	 */
	updateForUser: (userId: string, claims: CustomClaim[]) =>
		api.put<CustomClaim[]>(`/custom-claims/user/${encodeURIComponent(userId)}`, claims),

	/** PUT /api/custom-claims/user-group/:id: the same for a user group. */
	updateForUserGroup: (userGroupId: string, claims: CustomClaim[]) =>
		api.put<CustomClaim[]>(`/custom-claims/user-group/${encodeURIComponent(userGroupId)}`, claims)
};

/** The claims worth sending: rows with an empty key and value are left out, keys and values trimmed. */
export function cleanCustomClaims(claims: CustomClaim[]): CustomClaim[] {
	return claims
		.map((c) => ({ key: c.key.trim(), value: c.value.trim() }))
		.filter((c) => c.key !== '' || c.value !== '');
}
