import { describe, expect, it } from 'vitest';
import {
	cleanPermissionInputs,
	grantToSave,
	newGrant,
	permissionInputs,
	permissionRowErrors,
	toggleId,
	userPermissionCount
} from './api-grants';

describe('permission editor rows', () => {
	it('shows the permissions, or one empty row when there are none', () => {
		expect(
			permissionInputs([
				{ id: 'p1', key: 'read:orders', name: 'Read orders', description: 'Read', allowedForCimdClients: false },
				{ id: 'p2', key: 'write:orders', name: 'Write orders', allowedForCimdClients: true }
			])
		).toEqual([
			{ key: 'read:orders', name: 'Read orders', description: 'Read' },
			{ key: 'write:orders', name: 'Write orders', description: '' }
		]);
		expect(permissionInputs([])).toEqual([{ key: '', name: '', description: '' }]);
	});

	it('sends trimmed rows without the empty ones and remembers where each came from', () => {
		const { permissions, rowOf } = cleanPermissionInputs([
			{ key: '', name: ' ', description: '' },
			{ key: ' read:orders ', name: ' Read ', description: '' },
			{ key: '', name: '', description: '' },
			{ key: 'openid', name: 'x', description: ' d ' }
		]);
		expect(permissions).toEqual([
			{ key: 'read:orders', name: 'Read', description: '' },
			{ key: 'openid', name: 'x', description: 'd' }
		]);
		expect(rowOf).toEqual([1, 3]);
	});

	it('puts the backend errors on the rows they came from', () => {
		const errors = permissionRowErrors(
			[
				{ field: 'permissions[1].key', code: 'reserved', message: 'is reserved by Pocket ID' },
				{ field: 'permissions[1].key', code: 'duplicate', message: 'second message is ignored' },
				{ field: 'permissions[0].name', code: 'required', message: 'is required' },
				{ field: 'permissions[7].key', code: 'duplicate', message: 'unknown row' },
				{ field: 'name', code: 'required', message: 'not a row' }
			],
			[1, 3]
		);
		expect(errors).toEqual({ 3: { key: 'is reserved by Pocket ID' }, 1: { name: 'is required' } });
	});
});

describe('grants', () => {
	it('adds and removes ids once', () => {
		expect(toggleId(['a'], 'b', true)).toEqual(['a', 'b']);
		expect(toggleId(['a', 'b'], 'b', true)).toEqual(['a', 'b']);
		expect(toggleId(['a', 'b'], 'a', false)).toEqual(['b']);
	});

	it('counts user-delegated permissions together with those granted to all CIMD clients', () => {
		expect(
			userPermissionCount({ ...newGrant(), userDelegatedPermissionIds: ['a', 'b'], cimdGrantedPermissionIds: ['b', 'c'] })
		).toBe(3);
		expect(userPermissionCount(newGrant())).toBe(0);
	});

	it('saves permissions only with access, and never client access when it is not allowed', () => {
		const grant = {
			userDelegatedAccess: false,
			clientAccess: true,
			userDelegatedPermissionIds: ['a'],
			clientPermissionIds: ['b']
		};
		expect(grantToSave(grant, true)).toEqual({
			userDelegatedAccess: false,
			clientAccess: true,
			userDelegatedPermissionIds: [],
			clientPermissionIds: ['b']
		});
		expect(grantToSave({ ...grant, userDelegatedAccess: true }, false)).toEqual({
			userDelegatedAccess: true,
			clientAccess: false,
			userDelegatedPermissionIds: ['a'],
			clientPermissionIds: []
		});
		// The result is a copy.
		const saved = grantToSave(grant, true);
		saved.clientPermissionIds.push('x');
		expect(grant.clientPermissionIds).toEqual(['b']);
	});
});
