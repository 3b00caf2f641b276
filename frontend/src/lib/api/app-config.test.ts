import { describe, expect, it } from 'vitest';
import { parseConfigList, parseConfigValue } from './app-config';
import { foregroundFor, parseRgb, relativeLuminance } from '$lib/theme/accent';

describe('application configuration values', () => {
	it('parses wire strings', () => {
		expect(parseConfigValue('true')).toBe(true);
		expect(parseConfigValue('false')).toBe(false);
		expect(parseConfigValue('60')).toBe(60);
		expect(parseConfigValue('["a","b"]')).toEqual(['a', 'b']);
		expect(parseConfigValue('[]')).toEqual([]);
		expect(parseConfigValue('Pocket ID')).toBe('Pocket ID');
		expect(parseConfigValue('/settings/account')).toBe('/settings/account');
		expect(parseConfigValue('"quoted"')).toBe('quoted');
	});

	it('builds an object from the list response', () => {
		expect(
			parseConfigList([
				{ key: 'appName', type: '', value: 'Pocket ID' },
				{ key: 'uiConfigDisabled', type: 'boolean', value: 'false' }
			])
		).toEqual({ appName: 'Pocket ID', uiConfigDisabled: false });
	});
});

describe('accent colour', () => {
	it('picks a readable foreground', () => {
		expect(parseRgb('rgb(255, 255, 255)')).toEqual([255, 255, 255]);
		expect(parseRgb('rgba(0, 0, 0, 0.5)')).toEqual([0, 0, 0]);
		expect(parseRgb('nonsense')).toBeNull();
		expect(relativeLuminance(255, 255, 255)).toBeCloseTo(1);
		expect(foregroundFor([255, 255, 0])).toBe('oklch(0.15 0 0)');
		expect(foregroundFor([30, 64, 175])).toBe('oklch(0.98 0 0)');
	});
});
