// Client ids in URL path segments (management.md §0.5): plain ids are used as they are; CIMD client ids are https
// URLs and travel as `~<base64url(id)>`, which the backend decodes.

const RAW_CLIENT_ID = /^[a-zA-Z0-9._-]+$/;

function toBase64Url(bytes: Uint8Array): string {
	let binary = '';
	for (const b of bytes) binary += String.fromCharCode(b);
	return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The path segment for a client id. */
export function encodeClientIdParam(id: string): string {
	if (RAW_CLIENT_ID.test(id)) return id;
	return '~' + toBase64Url(new TextEncoder().encode(id));
}

/** Reverses encodeClientIdParam; values that are not `~<base64url>` (or fail to decode) are returned unchanged. */
export function decodeClientIdParam(param: string): string {
	if (!param.startsWith('~')) return param;
	try {
		const binary = atob(param.slice(1).replace(/-/g, '+').replace(/_/g, '/'));
		const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
		return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		return param;
	}
}

/** The host of a CIMD client's id URL (shown instead of its self-declared name), or null. */
export function clientIdHost(client: { id: string; clientType?: string }): string | null {
	if (client.clientType !== 'cimd') return null;
	try {
		return new URL(client.id).host;
	} catch {
		return null;
	}
}

/** The name to show for a client on the sign-in screens. */
export function clientDisplayName(client: { id: string; name: string; clientType?: string }): string {
	return clientIdHost(client) ?? client.name;
}
