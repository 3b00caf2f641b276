// Pure helpers of the API pages: the permissions editor's rows and a client's grant for an API.
import type { ApiFieldError } from '$lib/api/client';
import type { ApiClientGrant, ApiPermission, ApiPermissionInput, CimdGrant } from '$lib/api/apis';

export type PermissionField = keyof ApiPermissionInput;
export type PermissionRowErrors = Record<number, Partial<Record<PermissionField, string>>>;

/** A blank editor row. */
export const emptyPermissionInput = (): ApiPermissionInput => ({ key: '', name: '', description: '' });

/** The editor's rows for an API's permissions; one empty row when there are none, so nobody has to add one first. */
export function permissionInputs(permissions: ApiPermission[]): ApiPermissionInput[] {
	const rows = permissions.map((p) => ({ key: p.key, name: p.name, description: p.description ?? '' }));
	return rows.length ? rows : [emptyPermissionInput()];
}

/**
 * The body of PUT /api/apis/:id/permissions: trimmed rows without the completely empty ones, and for each sent
 * permission the index of the row it came from (the backend's `permissions[i]` errors refer to the sent list).
 */
export function cleanPermissionInputs(rows: ApiPermissionInput[]): {
	permissions: ApiPermissionInput[];
	rowOf: number[];
} {
	const permissions: ApiPermissionInput[] = [];
	const rowOf: number[] = [];
	rows.forEach((row, i) => {
		const p = { key: row.key.trim(), name: row.name.trim(), description: row.description.trim() };
		if (!p.key && !p.name && !p.description) return;
		permissions.push(p);
		rowOf.push(i);
	});
	return { permissions, rowOf };
}

/** Places the backend's `permissions[i].<field>` validation errors on the editor rows they came from. */
export function permissionRowErrors(fields: ApiFieldError[], rowOf: number[]): PermissionRowErrors {
	const errors: PermissionRowErrors = {};
	for (const f of fields) {
		const match = /^permissions\[(\d+)\]\.(key|name|description)$/.exec(f.field);
		if (!match) continue;
		const row = rowOf[Number(match[1])];
		if (row === undefined) continue;
		const field = match[2] as PermissionField;
		errors[row] ??= {};
		errors[row][field] ??= f.message;
	}
	return errors;
}

/** The grant a newly added client or API starts with: user-delegated access without permissions. */
export function newGrant(): ApiClientGrant & CimdGrant {
	return {
		userDelegatedAccess: true,
		clientAccess: false,
		userDelegatedPermissionIds: [],
		clientPermissionIds: [],
		cimdGrantedAccess: false,
		cimdGrantedPermissionIds: []
	};
}

/** Adds or removes an id, keeping the order and no duplicates. */
export function toggleId(ids: string[], id: string, checked: boolean): string[] {
	if (checked) return ids.includes(id) ? ids : [...ids, id];
	return ids.filter((x) => x !== id);
}

/** Whether the client may get tokens on behalf of users, individually or as a CIMD client. */
export const hasUserAccess = (g: ApiClientGrant & CimdGrant) => g.userDelegatedAccess || g.cimdGrantedAccess;

/** How many permissions a client may request on behalf of users (its own ones plus those of the CIMD access). */
export function userPermissionCount(g: ApiClientGrant & CimdGrant): number {
	return new Set([...g.userDelegatedPermissionIds, ...g.cimdGrantedPermissionIds]).size;
}

/**
 * The body to save: permissions only for a subject type that has access, and no client access at all when the
 * client cannot have it (public clients have no credentials for the client credentials grant).
 */
export function grantToSave(g: ApiClientGrant, clientAccessAllowed: boolean): ApiClientGrant {
	const clientAccess = clientAccessAllowed && g.clientAccess;
	return {
		userDelegatedAccess: g.userDelegatedAccess,
		clientAccess,
		userDelegatedPermissionIds: g.userDelegatedAccess ? [...g.userDelegatedPermissionIds] : [],
		clientPermissionIds: clientAccess ? [...g.clientPermissionIds] : []
	};
}
