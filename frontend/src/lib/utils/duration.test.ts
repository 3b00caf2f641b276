import { describe, expect, it } from 'vitest';
import { durationProblem, formatAmount, preferredUnit, toMinutes } from './duration';

describe('duration helpers', () => {
	it('picks the largest whole unit', () => {
		expect(preferredUnit(60)).toBe('hours');
		expect(preferredUnit(43200)).toBe('days');
		expect(preferredUnit(90)).toBe('minutes');
		expect(preferredUnit(0)).toBe('minutes');
	});

	it('converts between amounts and minutes', () => {
		expect(formatAmount(60, 'hours')).toBe('1');
		expect(formatAmount(43200, 'days')).toBe('30');
		expect(formatAmount(43200, 'hours')).toBe('720');
		expect(formatAmount(90, 'hours')).toBe('1.5');
		expect(toMinutes('336', 'hours')).toBe(20160);
		expect(toMinutes('', 'hours')).toBeNaN();
		expect(toMinutes('abc', 'days')).toBeNaN();
	});

	it('validates like Pocket ID (1 minute … 365 days, whole minutes)', () => {
		expect(durationProblem(0)).toBe('minimum');
		expect(durationProblem(Number.NaN)).toBe('minimum');
		expect(durationProblem(525601)).toBe('maximum');
		expect(durationProblem(1.5)).toBe('whole_minutes');
		expect(durationProblem(525600)).toBeNull();
		expect(durationProblem(1)).toBeNull();
	});
});
