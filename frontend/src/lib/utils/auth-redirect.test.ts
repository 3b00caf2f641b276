import { describe, expect, it } from 'vitest';
import { getAuthRedirectPath, safeRedirectPath } from './auth-redirect';

const at = (path: string) => new URL(path, 'https://id.example.com');
const user = { isAdmin: false };
const admin = { isAdmin: true };

describe('getAuthRedirectPath', () => {
	it('sends signed-out users to /login with the path and query', () => {
		expect(getAuthRedirectPath(at('/settings/account?x=1'), null)).toBe(
			'/login?redirect=%2Fsettings%2Faccount%3Fx%3D1'
		);
		expect(getAuthRedirectPath(at('/signup/add-passkey'), null)).toBe('/login?redirect=%2Fsignup%2Fadd-passkey');
	});

	it('lets signed-out users see public and sign-in pages', () => {
		for (const p of ['/login', '/login/alternative', '/lc', '/lc/ABCDEF', '/login/alternative/code', '/setup', '/signup/setup', '/st/TOKEN', '/device', '/interaction']) {
			expect(getAuthRedirectPath(at(p), null), p).toBeNull();
		}
	});

	it('sends signed-in users away from sign-in-only pages', () => {
		for (const p of ['/login', '/login/alternative', '/lc', '/signup', '/signup/setup', '/setup', '/st/abc']) {
			expect(getAuthRedirectPath(at(p), user), p).toBe('/settings');
		}
		// …but the login-code page and /lc/<code> stay reachable
		expect(getAuthRedirectPath(at('/login/alternative/code'), user)).toBeNull();
		expect(getAuthRedirectPath(at('/lc/abc'), user)).toBeNull();
	});

	it('keeps non-admins out of /settings/admin', () => {
		expect(getAuthRedirectPath(at('/settings/admin/users'), user)).toBe('/settings');
		expect(getAuthRedirectPath(at('/settings/admin'), user)).toBe('/settings');
		expect(getAuthRedirectPath(at('/settings/administrator'), user)).toBeNull();
		expect(getAuthRedirectPath(at('/settings/admin/users'), admin)).toBeNull();
	});
});

describe('safeRedirectPath', () => {
	it('accepts same-origin paths', () => {
		expect(safeRedirectPath('/settings/apps?x=1#y')).toBe('/settings/apps?x=1#y');
		expect(safeRedirectPath('/interaction?interaction=abc')).toBe('/interaction?interaction=abc');
	});

	it('rejects other origins and schemes', () => {
		for (const v of ['https://evil.example', '//evil.example/x', '/\\evil.example', 'javascript:alert(1)', '', null]) {
			expect(safeRedirectPath(v, '/fallback'), String(v)).toBe('/fallback');
		}
	});
});
