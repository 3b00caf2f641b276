import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, NetworkError, api, buildQueryString, errorMessage, listQuery, request } from './client';

function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}) {
	return new Response(body === undefined ? null : JSON.stringify(body), {
		status,
		headers: { 'content-type': 'application/json', ...headers }
	});
}

afterEach(() => vi.unstubAllGlobals());

describe('request', () => {
	it('sends JSON bodies with Content-Type and same-origin credentials', async () => {
		const fetchMock = vi.fn(async () => jsonResponse(200, { id: '1' }));
		const result = await api.put<{ id: string }>('/users/me', { username: 'tim' }, { fetch: fetchMock });

		expect(result).toEqual({ id: '1' });
		const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
		expect(url).toBe('/api/users/me');
		expect(init.method).toBe('PUT');
		expect(init.credentials).toBe('same-origin');
		expect((init.headers as Record<string, string>)['Content-Type']).toBe('application/json');
		expect(init.body).toBe('{"username":"tim"}');
	});

	it('sends no body and no Content-Type without a body', async () => {
		const fetchMock = vi.fn(async () => new Response(null, { status: 204 }));
		const result = await api.post('/webauthn/logout', undefined, { fetch: fetchMock });
		expect(result).toBeUndefined();
		const init = (fetchMock.mock.calls[0] as unknown as [string, RequestInit])[1];
		expect(init.body).toBeUndefined();
		expect((init.headers as Record<string, string>)['Content-Type']).toBeUndefined();
	});

	it('passes FormData through without a JSON Content-Type', async () => {
		const fetchMock = vi.fn(async () => new Response(null, { status: 204 }));
		const form = new FormData();
		form.append('file', new Blob(['x']), 'a.png');
		await request('PUT', '/users/me/profile-picture', { body: form, fetch: fetchMock });
		const init = (fetchMock.mock.calls[0] as unknown as [string, RequestInit])[1];
		expect(init.body).toBe(form);
		expect((init.headers as Record<string, string>)['Content-Type']).toBeUndefined();
	});

	it('turns the error envelope into an ApiError', async () => {
		const fetchMock = vi.fn(async () =>
			jsonResponse(409, {
				error: 'Email is already in use',
				code: 'already_in_use',
				details: { property: 'email' },
				request_id: 'req-1'
			})
		);
		const err = (await api.put('/users/me', {}, { fetch: fetchMock }).catch((e) => e)) as ApiError;
		expect(err).toBeInstanceOf(ApiError);
		expect(err.status).toBe(409);
		expect(err.code).toBe('already_in_use');
		expect(err.requestId).toBe('req-1');
		expect(errorMessage(err)).toBe('Email is already in use');
	});

	it('exposes validation field errors', async () => {
		const fetchMock = vi.fn(async () =>
			jsonResponse(400, {
				error: 'email must be a valid email address',
				code: 'validation_failed',
				details: { fields: [{ field: 'email', code: 'invalid_format', message: 'must be a valid email address' }] }
			})
		);
		const err = (await api.put('/users/me', {}, { fetch: fetchMock }).catch((e) => e)) as ApiError;
		expect(err.fieldErrors).toEqual([
			{ field: 'email', code: 'invalid_format', message: 'must be a valid email address' }
		]);
	});

	it('words known error codes itself', async () => {
		const fetchMock = vi.fn(async () =>
			jsonResponse(401, { error: "We couldn't verify your passkey", code: 'webauthn_authentication_failed' })
		);
		const err = await api.post('/webauthn/login/finish', {}, { fetch: fetchMock }).catch((e) => e);
		expect(errorMessage(err)).toBe("We couldn't verify your passkey");

		const internal = new ApiError({ status: 500, code: 'internal_error', serverMessage: 'db exploded' });
		expect(errorMessage(internal)).toBe('An unknown error occurred');
	});

	it('handles error responses without JSON (e.g. a proxy page)', async () => {
		const fetchMock = vi.fn(
			async () => new Response('<html>Bad gateway</html>', { status: 502, headers: { 'content-type': 'text/html' } })
		);
		const err = (await api.get('/users/me', { fetch: fetchMock }).catch((e) => e)) as ApiError;
		expect(err).toBeInstanceOf(ApiError);
		expect(err.code).toBeUndefined();
		expect(errorMessage(err, 'fallback')).toBe('fallback');
	});

	it('takes the request id from the header when the body has none', async () => {
		const fetchMock = vi.fn(async () =>
			jsonResponse(404, { error: 'API endpoint not found' }, { 'x-request-id': 'hdr-1' })
		);
		const err = (await api.get('/nope', { fetch: fetchMock }).catch((e) => e)) as ApiError;
		expect(err.requestId).toBe('hdr-1');
		expect(errorMessage(err)).toBe('API endpoint not found');
	});

	it('reports network failures as NetworkError', async () => {
		const fetchMock = vi.fn(async () => {
			throw new TypeError('Failed to fetch');
		});
		const err = (await api.get('/users/me', { fetch: fetchMock }).catch((e) => e)) as ApiError;
		expect(err).toBeInstanceOf(NetworkError);
		expect(errorMessage(err)).toBe('An unknown error occurred');
	});

	it('uses the global fetch by default', async () => {
		const fetchMock = vi.fn(async () => jsonResponse(200, []));
		vi.stubGlobal('fetch', fetchMock);
		await api.get('/webauthn/credentials');
		expect(fetchMock).toHaveBeenCalledOnce();
	});
});

describe('query strings', () => {
	it('leaves out empty values and repeats arrays', () => {
		expect(buildQueryString({ a: 1, b: undefined, c: '', d: null, e: ['x', 'y'] })).toBe('?a=1&e=x&e=y');
		expect(buildQueryString({})).toBe('');
	});

	it('builds the list parameters of management.md §0.3', () => {
		const query = listQuery({
			pagination: { page: 2, limit: 50 },
			sort: { column: 'createdAt', direction: 'desc' },
			search: 'tim',
			filters: { event: ['SIGN_IN'], isAdmin: [true, false] }
		});
		expect(buildQueryString(query)).toBe(
			'?pagination%5Bpage%5D=2&pagination%5Blimit%5D=50&sort%5Bcolumn%5D=createdAt&sort%5Bdirection%5D=desc' +
				'&search=tim&filters%5Bevent%5D=SIGN_IN&filters%5BisAdmin%5D=true&filters%5BisAdmin%5D=false'
		);
	});
});
