// Token lifetimes are stored in minutes and edited as an amount plus a unit (minutes, hours, days).

export type DurationUnit = 'minutes' | 'hours' | 'days';

export const minutesPerUnit: Record<DurationUnit, number> = { minutes: 1, hours: 60, days: 24 * 60 };

export const MIN_DURATION_MINUTES = 1;
export const MAX_DURATION_MINUTES = 365 * 24 * 60;

/** The largest unit that shows `minutes` as a whole number. */
export function preferredUnit(minutes: number): DurationUnit {
	if (!Number.isFinite(minutes) || minutes <= 0) return 'minutes';
	if (minutes % minutesPerUnit.days === 0) return 'days';
	if (minutes % minutesPerUnit.hours === 0) return 'hours';
	return 'minutes';
}

/** `minutes` expressed in `unit`, as the text of a number input ("" for no value). */
export function formatAmount(minutes: number, unit: DurationUnit): string {
	if (!Number.isFinite(minutes)) return '';
	return String(Number((minutes / minutesPerUnit[unit]).toFixed(10)));
}

/** The minutes an amount typed in `unit` stands for (NaN when empty or not a number). */
export function toMinutes(amount: string, unit: DurationUnit): number {
	if (amount.trim() === '') return Number.NaN;
	const n = Number(amount);
	return Number.isFinite(n) ? Number((n * minutesPerUnit[unit]).toFixed(10)) : Number.NaN;
}

export type DurationProblem = 'minimum' | 'maximum' | 'whole_minutes' | null;

/** Why a lifetime is not accepted (1 minute … 365 days, whole minutes), or null. */
export function durationProblem(minutes: number): DurationProblem {
	if (!Number.isFinite(minutes) || minutes < MIN_DURATION_MINUTES) return 'minimum';
	if (minutes > MAX_DURATION_MINUTES) return 'maximum';
	if (!Number.isInteger(minutes)) return 'whole_minutes';
	return null;
}
