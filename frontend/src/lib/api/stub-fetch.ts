// Test helper of the API clients' unit tests (not used by the app): replaces the global fetch with a stub that
// records the requests and answers each one with the given JSON response. Undo it with vi.unstubAllGlobals().
import { vi } from 'vitest';

export type Call = { url: string; method: string; body: unknown };

export function stubFetch(response: unknown = {}, status = 200) {
	const calls: Call[] = [];
	vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
		calls.push({ url, method: init.method ?? 'GET', body: init.body ? JSON.parse(String(init.body)) : undefined });
		return new Response(status === 204 ? null : JSON.stringify(response), {
			status,
			headers: { 'content-type': 'application/json' }
		});
	});
	return calls;
}
