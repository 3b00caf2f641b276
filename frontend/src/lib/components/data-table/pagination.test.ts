import { describe, expect, it } from 'vitest';
import { nextSort, pageWindow, paginateLocally } from './pagination';

describe('pageWindow', () => {
	it('shows every page when there are few', () => {
		expect(pageWindow(1, 1)).toEqual([1]);
		expect(pageWindow(2, 3)).toEqual([1, 2, 3]);
		expect(pageWindow(1, 5)).toEqual([1, 2, 'ellipsis', 5]);
		expect(pageWindow(3, 5)).toEqual([1, 2, 3, 4, 5]);
	});

	it('collapses distant pages', () => {
		expect(pageWindow(10, 20)).toEqual([1, 'ellipsis', 9, 10, 11, 'ellipsis', 20]);
		expect(pageWindow(3, 20)).toEqual([1, 2, 3, 4, 'ellipsis', 20]);
		expect(pageWindow(99, 20)).toEqual([1, 'ellipsis', 19, 20]);
	});
});

describe('nextSort', () => {
	it('cycles ascending → descending → none', () => {
		const a = nextSort(undefined, 'name');
		expect(a).toEqual({ column: 'name', direction: 'asc' });
		const b = nextSort(a, 'name');
		expect(b).toEqual({ column: 'name', direction: 'desc' });
		expect(nextSort(b, 'name')).toBeUndefined();
		expect(nextSort(b, 'email')).toEqual({ column: 'email', direction: 'asc' });
	});
});

describe('paginateLocally', () => {
	const items = [
		{ name: 'Write orders', key: 'write:orders' },
		{ name: 'Read orders', key: 'read:orders' },
		{ name: 'Delete', key: 'delete:all' }
	];

	it('searches the given fields, sorts and pages', () => {
		const res = paginateLocally(items, { search: 'ORDERS', sort: { column: 'name', direction: 'asc' } }, ['name']);
		expect(res.data.map((i) => i.name)).toEqual(['Read orders', 'Write orders']);
		expect(res.pagination).toEqual({ totalPages: 1, totalItems: 2, currentPage: 1, itemsPerPage: 20 });

		const byKey = paginateLocally(items, { search: 'delete:', pagination: { page: 1, limit: 10 } }, ['name']);
		expect(byKey.data).toEqual([]);

		const page2 = paginateLocally(items, { sort: { column: 'key', direction: 'desc' }, pagination: { page: 2, limit: 2 } }, [
			'name'
		]);
		expect(page2.data.map((i) => i.key)).toEqual(['delete:all']);
		expect(page2.pagination).toEqual({ totalPages: 2, totalItems: 3, currentPage: 2, itemsPerPage: 2 });
	});

	it('clamps the page like the backend', () => {
		const res = paginateLocally(items, { pagination: { page: 9, limit: 2 } }, ['name']);
		expect(res.pagination.currentPage).toBe(2);
		expect(res.data).toHaveLength(1);
	});
});
