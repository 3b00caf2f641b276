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
