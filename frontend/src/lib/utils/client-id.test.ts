import { describe, expect, it } from 'vitest';
import { clientDisplayName, decodeClientIdParam, encodeClientIdParam } from './client-id';

describe('client id path segments', () => {
	it('leaves plain ids alone', () => {
		expect(encodeClientIdParam('3654a746-35d4-4321-ac61-0bdcff2b4055')).toBe('3654a746-35d4-4321-ac61-0bdcff2b4055');
		expect(encodeClientIdParam('my.client_1')).toBe('my.client_1');
		expect(decodeClientIdParam('my.client_1')).toBe('my.client_1');
	});

	it('encodes URL ids as ~base64url and back', () => {
		const id = 'https://app.example.com/oauth/client.json';
		const encoded = encodeClientIdParam(id);
		expect(encoded.startsWith('~')).toBe(true);
		expect(encoded).not.toMatch(/[/+=]/);
		expect(decodeClientIdParam(encoded)).toBe(id);
	});

	it('returns undecodable values unchanged', () => {
		expect(decodeClientIdParam('~%%%')).toBe('~%%%');
	});

	it('names CIMD clients by their host', () => {
		expect(clientDisplayName({ id: 'https://app.example.com/c.json', name: 'Evil', clientType: 'cimd' })).toBe(
			'app.example.com'
		);
		expect(clientDisplayName({ id: 'abc', name: 'Nextcloud', clientType: 'standard' })).toBe('Nextcloud');
	});
});
