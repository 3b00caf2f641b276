// A small typed wrapper around fetch for the backend's /api routes.
//
// - Same-origin requests with cookies (`credentials: 'same-origin'`).
// - JSON bodies are sent with `Content-Type: application/json`; FormData is passed through (multipart).
// - Failures become an ApiError carrying the backend's `{ "error", "code", "request_id" }` envelope
//   (management.md §0.2); `errorMessage()` turns any thrown value into a user-facing sentence.
import { m } from '$lib/paraglide/messages';
import type { ListRequestOptions } from './types';

export type QueryValue = string | number | boolean | null | undefined | (string | number | boolean)[];
export type Query = Record<string, QueryValue>;

export type RequestOptions = {
	query?: Query;
	/** A plain value is sent as JSON; FormData as multipart; undefined sends no body. */
	body?: unknown;
	headers?: Record<string, string>;
	signal?: AbortSignal;
	/** The fetch to use, e.g. SvelteKit's load `fetch`. Defaults to the global one. */
	fetch?: typeof fetch;
};

export type ApiFieldError = { field: string; code: string; message: string };

export class ApiError extends Error {
	readonly status: number;
	readonly code: string | undefined;
	readonly requestId: string | undefined;
	readonly details: Record<string, unknown> | undefined;
	/** The server's own message (`error` of the envelope), when there was one. */
	readonly serverMessage: string | undefined;

	constructor(init: {
		status: number;
		code?: string;
		serverMessage?: string;
		requestId?: string;
		details?: Record<string, unknown>;
	}) {
		super(init.serverMessage || `Request failed with status ${init.status}`);
		this.name = 'ApiError';
		this.status = init.status;
		this.code = init.code;
		this.serverMessage = init.serverMessage;
		this.requestId = init.requestId;
		this.details = init.details;
	}

	get fieldErrors(): ApiFieldError[] {
		const fields = this.details?.fields;
		return Array.isArray(fields) ? (fields as ApiFieldError[]) : [];
	}
}

/** Thrown when the request did not reach the server or the connection broke. */
export class NetworkError extends Error {
	constructor(cause: unknown) {
		super('Network request failed', { cause });
		this.name = 'NetworkError';
	}
}

export const API_BASE = '/api';

/** Serialises a query object: arrays repeat the key, null/undefined/'' are left out. */
export function buildQueryString(query: Query | undefined): string {
	if (!query) return '';
	const params = new URLSearchParams();
	for (const [key, value] of Object.entries(query)) {
		if (value === undefined || value === null || value === '') continue;
		if (Array.isArray(value)) {
			for (const v of value) params.append(key, String(v));
		} else {
			params.append(key, String(value));
		}
	}
	const s = params.toString();
	return s ? `?${s}` : '';
}

/** The query parameters of a list endpoint (management.md §0.3). */
export function listQuery(options: ListRequestOptions | undefined, extra: Query = {}): Query {
	const query: Query = { ...extra };
	if (!options) return query;
	if (options.pagination) {
		query['pagination[page]'] = options.pagination.page;
		query['pagination[limit]'] = options.pagination.limit;
	}
	if (options.sort?.column) {
		query['sort[column]'] = options.sort.column;
		query['sort[direction]'] = options.sort.direction;
	}
	if (options.search) query.search = options.search;
	for (const [field, values] of Object.entries(options.filters ?? {})) {
		if (values.length === 1) query[`filters[${field}]`] = values[0];
		else if (values.length > 1) query[`filters[${field}]`] = values;
	}
	return query;
}

async function parseBody(res: Response): Promise<unknown> {
	if (res.status === 204 || res.status === 205) return undefined;
	const text = await res.text();
	if (!text) return undefined;
	const type = res.headers.get('content-type') ?? '';
	if (type.includes('json')) {
		try {
			return JSON.parse(text);
		} catch {
			return text;
		}
	}
	return text;
}

export async function request<T = unknown>(
	method: string,
	path: string,
	options: RequestOptions = {}
): Promise<T> {
	const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
	let body: BodyInit | undefined;
	if (options.body instanceof FormData) {
		body = options.body;
	} else if (options.body !== undefined) {
		body = JSON.stringify(options.body);
		headers['Content-Type'] = 'application/json';
	}

	const url = API_BASE + path + buildQueryString(options.query);
	const doFetch = options.fetch ?? fetch;

	let res: Response;
	try {
		res = await doFetch(url, {
			method,
			headers,
			body,
			credentials: 'same-origin',
			signal: options.signal
		});
	} catch (e) {
		if (e instanceof DOMException && e.name === 'AbortError') throw e;
		throw new NetworkError(e);
	}

	const data = await parseBody(res);
	if (!res.ok) {
		const envelope = data && typeof data === 'object' ? (data as Record<string, unknown>) : {};
		throw new ApiError({
			status: res.status,
			code: typeof envelope.code === 'string' ? envelope.code : undefined,
			serverMessage: typeof envelope.error === 'string' ? envelope.error : undefined,
			requestId:
				(typeof envelope.request_id === 'string' ? envelope.request_id : undefined) ??
				res.headers.get('x-request-id') ??
				undefined,
			details:
				envelope.details && typeof envelope.details === 'object'
					? (envelope.details as Record<string, unknown>)
					: undefined
		});
	}
	return data as T;
}

export const api = {
	get: <T>(path: string, options?: RequestOptions) => request<T>('GET', path, options),
	post: <T>(path: string, body?: unknown, options?: RequestOptions) =>
		request<T>('POST', path, { ...options, body }),
	put: <T>(path: string, body?: unknown, options?: RequestOptions) =>
		request<T>('PUT', path, { ...options, body }),
	patch: <T>(path: string, body?: unknown, options?: RequestOptions) =>
		request<T>('PATCH', path, { ...options, body }),
	delete: <T = void>(path: string, options?: RequestOptions) => request<T>('DELETE', path, options)
};

/** Error codes whose message the UI words itself instead of showing the server's text. */
const codeMessages: Record<string, () => string> = {
	internal_error: () => m.an_unknown_error_occurred(),
	request_timeout: () => m.please_try_again(),
	rate_limited: () => m.please_try_again(),
	not_signed_in: () => m.please_try_to_sign_in_again(),
	reauthentication_required: () => m.please_try_to_sign_in_again(),
	invalid_webauthn_session: () => m.passkey_request_expired(),
	invalid_webauthn_response: () => m.passkey_response_invalid(),
	webauthn_authentication_failed: () => m.passkey_verification_failed(),
	passkey_user_verification_required: () => m.passkey_user_verification_required(),
	synced_passkey_not_allowed: () => m.synced_passkeys_not_allowed(),
	device_login_expired: () => m.device_login_request_expired()
};

export function isApiError(e: unknown, status?: number): e is ApiError {
	return e instanceof ApiError && (status === undefined || e.status === status);
}

/** A user-facing message for anything a request can throw. */
export function errorMessage(e: unknown, fallback: string = m.an_unknown_error_occurred()): string {
	if (e instanceof ApiError) {
		const worded = e.code ? codeMessages[e.code]?.() : undefined;
		return worded || e.serverMessage || fallback;
	}
	return fallback;
}
