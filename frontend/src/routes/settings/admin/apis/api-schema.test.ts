import { describe, expect, it } from 'vitest';
import { apiSchema } from './api-schema';

describe('API form schema', () => {
	const valid = (resource: string) => apiSchema.safeParse({ name: 'Orders', resource }).success;

	it('accepts absolute URIs', () => {
		expect(valid('https://api.orders.test')).toBe(true);
		expect(valid('urn:example:orders')).toBe(true);
	});

	it('refuses relative, fragment, whitespace and script URIs', () => {
		expect(valid('/orders')).toBe(false);
		expect(valid('https://api.test/#x')).toBe(false);
		expect(valid('https://api.test/a b')).toBe(false);
		expect(valid('javascript:alert(1)')).toBe(false);
		expect(valid('data:text/plain,x')).toBe(false);
		expect(valid('https://x.test/' + 'a'.repeat(340))).toBe(false);
	});

	it('requires a name of at most 50 characters', () => {
		expect(apiSchema.safeParse({ name: '', resource: 'https://a.test' }).success).toBe(false);
		expect(apiSchema.safeParse({ name: 'x'.repeat(51), resource: 'https://a.test' }).success).toBe(false);
	});
});
