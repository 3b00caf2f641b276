import type { ListRequestOptions, Paginated } from '$lib/api/types';

/**
 * The page buttons to show: always the first and last page, the current page with `siblings` neighbours on each
 * side, and 'ellipsis' for gaps. Pages are 1-based.
 */
export function pageWindow(current: number, total: number, siblings = 1): (number | 'ellipsis')[] {
	if (total <= 1) return [1];
	const c = Math.min(Math.max(1, current), total);
	const pages = new Set<number>([1, total]);
	for (let p = c - siblings; p <= c + siblings; p++) if (p >= 1 && p <= total) pages.add(p);
	const sorted = [...pages].sort((a, b) => a - b);
	const out: (number | 'ellipsis')[] = [];
	for (let i = 0; i < sorted.length; i++) {
		if (i > 0) {
			const gap = sorted[i] - sorted[i - 1];
			if (gap === 2) out.push(sorted[i] - 1);
			else if (gap > 2) out.push('ellipsis');
		}
		out.push(sorted[i]);
	}
	return out;
}

export type SortState = { column: string; direction: 'asc' | 'desc' } | undefined;

/** Column header clicks cycle: unsorted → ascending → descending → unsorted. */
export function nextSort(current: SortState, column: string): SortState {
	if (!current || current.column !== column) return { column, direction: 'asc' };
	if (current.direction === 'asc') return { column, direction: 'desc' };
	return undefined;
}

/**
 * Search, sort and pagination of a list held in the browser, answered like a list endpoint, so a DataTable can show
 * it (`fetchPage={(o) => Promise.resolve(paginateLocally(items, o, ['name']))}`). `search` matches the given
 * fields case-insensitively; sorting compares the `sort.column` field as text.
 */
export function paginateLocally<T extends object>(
	items: T[],
	options: ListRequestOptions,
	searchFields: (keyof T & string)[]
): Paginated<T> {
	const text = (item: T, field: string) => String((item as Record<string, unknown>)[field] ?? '');
	let rows = items;
	const search = options.search?.trim().toLowerCase();
	if (search) rows = rows.filter((item) => searchFields.some((f) => text(item, f).toLowerCase().includes(search)));
	const column = options.sort?.column;
	if (column) {
		const dir = options.sort?.direction === 'desc' ? -1 : 1;
		rows = [...rows].sort((a, b) => text(a, column).localeCompare(text(b, column)) * dir);
	}
	const limit = Math.max(1, options.pagination?.limit ?? 20);
	const totalPages = Math.max(1, Math.ceil(rows.length / limit));
	const page = Math.min(totalPages, Math.max(1, options.pagination?.page ?? 1));
	return {
		data: rows.slice((page - 1) * limit, page * limit),
		pagination: { totalPages, totalItems: rows.length, currentPage: page, itemsPerPage: limit }
	};
}
