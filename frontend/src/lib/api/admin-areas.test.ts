// The request shapes and helpers of the user group, custom claim, API key and audit log clients.
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
	apiKeysApi,
	defaultApiKeyExpiry,
	fromDateInputValue,
	isApiKeyExpired,
	renewalExpiry,
	toDateInputValue
} from './api-keys';
import { auditLogApi, auditLogFilterQuery } from './audit-logs';
import { cleanCustomClaims, customClaimsApi } from './custom-claims';
import { stubFetch } from './stub-fetch';
import { groupNameFromFriendlyName, userGroupsApi } from './user-groups';

afterEach(() => vi.unstubAllGlobals());

describe('user groups', () => {
	it('derives the name from the friendly name like Pocket ID', () => {
		expect(groupNameFromFriendlyName('Human Resources')).toBe('human_resources');
		expect(groupNameFromFriendlyName('Dev-Ops 2')).toBe('dev_ops_2');
	});

	it('replaces members and allowed clients with id lists', async () => {
		const calls = stubFetch({ id: 'g1' });
		await userGroupsApi.updateUsers('g1', ['u1', 'u2']);
		await userGroupsApi.updateAllowedOidcClients('g1', []);
		await userGroupsApi.list({ pagination: { page: 2, limit: 10 }, sort: { column: 'userCount', direction: 'desc' } });
		expect(calls[0]).toEqual({ url: '/api/user-groups/g1/users', method: 'PUT', body: { userIds: ['u1', 'u2'] } });
		expect(calls[1]).toEqual({
			url: '/api/user-groups/g1/allowed-oidc-clients',
			method: 'PUT',
			body: { oidcClientIds: [] }
		});
		expect(decodeURIComponent(calls[2].url)).toBe(
			'/api/user-groups?pagination[page]=2&pagination[limit]=10&sort[column]=userCount&sort[direction]=desc'
		);
	});
});

describe('custom claims', () => {
	it('sends trimmed rows and drops empty ones', async () => {
		expect(
			cleanCustomClaims([
				{ key: ' department ', value: ' IT ' },
				{ key: '', value: '' },
				{ key: 'x', value: '' }
			])
		).toEqual([
			{ key: 'department', value: 'IT' },
			{ key: 'x', value: '' }
		]);
		const calls = stubFetch([]);
		await customClaimsApi.updateForUserGroup('g/1', [{ key: 'a', value: 'b' }]);
		await customClaimsApi.updateForUser('u1', []);
		expect(calls[0]).toEqual({ url: '/api/custom-claims/user-group/g%2F1', method: 'PUT', body: [{ key: 'a', value: 'b' }] });
		expect(calls[1]).toEqual({ url: '/api/custom-claims/user/u1', method: 'PUT', body: [] });
	});
});

describe('API keys', () => {
	it('sends the expiry as RFC 3339 and leaves an empty description out', async () => {
		const calls = stubFetch({ apiKey: {}, token: 't' }, 201);
		const expiresAt = new Date('2030-01-02T00:00:00Z');
		await apiKeysApi.create({ name: 'ci', description: '', expiresAt });
		await apiKeysApi.renew('k1', expiresAt);
		expect(calls[0].body).toEqual({ name: 'ci', expiresAt: '2030-01-02T00:00:00.000Z' });
		expect(calls[1]).toEqual({ url: '/api/api-keys/k1/renew', method: 'POST', body: { expiresAt: '2030-01-02T00:00:00.000Z' } });
	});

	it('converts date input values both ways and proposes expiry dates', () => {
		const d = fromDateInputValue('2031-03-04')!;
		expect([d.getFullYear(), d.getMonth(), d.getDate(), d.getHours()]).toEqual([2031, 2, 4, 0]);
		expect(toDateInputValue(d)).toBe('2031-03-04');
		expect(fromDateInputValue('03/04/2031')).toBeNull();

		const now = new Date(2030, 0, 31, 15, 30);
		const def = defaultApiKeyExpiry(now);
		expect([def.getMonth(), def.getDate(), def.getHours(), def.getMinutes()]).toEqual([2, 2, 0, 0]);

		const key = { createdAt: '2030-01-01T00:00:00Z', expiresAt: '2030-01-11T00:00:00Z' };
		expect(renewalExpiry(key, 1000).getTime()).toBe(1000 + 10 * 24 * 3600 * 1000);
		expect(isApiKeyExpired(key, Date.parse('2030-01-11T00:00:00Z'))).toBe(true);
		expect(isApiKeyExpired(key, Date.parse('2030-01-10T23:59:59Z'))).toBe(false);
	});
});

describe('audit logs', () => {
	it('sends only the filters that are set', async () => {
		expect(auditLogFilterQuery({ userId: 'u1', event: '', location: 'internal', clientName: '' })).toEqual({
			userId: ['u1'],
			location: ['internal']
		});
		const calls = stubFetch({ data: [], pagination: {} });
		await auditLogApi.listAll({ filters: { clientName: ['Nextcloud'] } });
		expect(decodeURIComponent(calls[0].url)).toBe('/api/audit-logs/all?filters[clientName]=Nextcloud');
	});
});
