// The request shapes of the APIs client (management.md §1.7).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { apisApi } from './apis';
import { stubFetch } from './stub-fetch';

afterEach(() => vi.unstubAllGlobals());

describe('APIs client', () => {
	it('uses the management routes and bodies', async () => {
		const calls = stubFetch({});
		await apisApi.list({ search: 'orders', sort: { column: 'audience', direction: 'desc' } });
		await apisApi.update('a1', 'Renamed');
		await apisApi.updatePermissions('a1', [{ key: 'read:orders', name: 'Read', description: '' }]);
		await apisApi.updateCimdAccess('a1', { enabled: true, permissionIds: ['p1'] });
		await apisApi.listAssignableClients('a1', { pagination: { page: 1, limit: 10 } });
		expect(decodeURIComponent(calls[0].url)).toBe('/api/apis?sort[column]=audience&sort[direction]=desc&search=orders');
		expect(calls[1]).toEqual({ url: '/api/apis/a1', method: 'PUT', body: { name: 'Renamed' } });
		expect(calls[2].body).toEqual({ permissions: [{ key: 'read:orders', name: 'Read', description: '' }] });
		expect(calls[3]).toEqual({ url: '/api/apis/a1/cimd-access', method: 'PUT', body: { enabled: true, permissionIds: ['p1'] } });
		expect(decodeURIComponent(calls[4].url)).toBe('/api/apis/a1/assignable-clients?pagination[page]=1&pagination[limit]=10');
	});

	it('encodes CIMD client ids in grant paths', async () => {
		const calls = stubFetch({});
		const grant = { userDelegatedAccess: true, clientAccess: false, userDelegatedPermissionIds: [], clientPermissionIds: [] };
		await apisApi.saveGrant('a1', 'nextcloud', grant);
		await apisApi.revokeGrant('a1', 'https://mcp.example.com/client.json');
		await apisApi.listClientApis('https://mcp.example.com/client.json');
		expect(calls[0]).toEqual({ url: '/api/apis/a1/clients/nextcloud', method: 'PUT', body: grant });
		expect(calls[1].method).toBe('DELETE');
		expect(calls[1].url).toMatch(/^\/api\/apis\/a1\/clients\/~[\w-]+$/);
		expect(calls[2].url).toMatch(/^\/api\/api-access\/~[\w-]+\/apis$/);
	});
});
