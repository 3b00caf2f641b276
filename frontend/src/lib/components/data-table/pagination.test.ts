import { describe, expect, it } from 'vitest';
import { nextSort, pageWindow } from './pagination';

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
