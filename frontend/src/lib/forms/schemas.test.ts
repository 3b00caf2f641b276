import { describe, expect, it } from 'vitest';
import {
	accountSchema,
	customClientSecretSchema,
	loginCodeComplete,
	oidcClientSchema,
	passkeyNameSchema,
	signupSchema,
	usernameSchema
} from './schemas';

describe('usernameSchema', () => {
	it.each(['tim', 'tim.cook', 'a', 'tim_cook-1', 'tim@apple', 'T1m'])('accepts %s', (name) => {
		expect(usernameSchema.safeParse(name).success).toBe(true);
	});

	it('rejects bad usernames with the UI messages', () => {
		expect(usernameSchema.safeParse('.tim').error?.issues[0].message).toBe(
			'Username must start with an alphanumeric character'
		);
		expect(usernameSchema.safeParse('tim.').error?.issues[0].message).toBe(
			'Username must end with an alphanumeric character'
		);
		expect(usernameSchema.safeParse('ti m').error?.issues[0].message).toMatch(/^Username can only contain/);
		expect(usernameSchema.safeParse('').success).toBe(false);
		expect(usernameSchema.safeParse('a'.repeat(51)).success).toBe(false);
	});
});

describe('accountSchema', () => {
	const valid = { firstName: 'Tim', lastName: 'Cook', displayName: 'Tim Cook', username: 'tim', email: 'tim@test.com' };

	it('requires an email when the configuration says so', () => {
		expect(accountSchema(true).safeParse({ ...valid, email: '' }).error?.issues[0].message).toBe(
			'Invalid email address'
		);
		const parsed = accountSchema(false).parse({ ...valid, email: '' });
		expect(parsed.email).toBeUndefined();
	});

	it('turns an empty last name into undefined and keeps length limits', () => {
		expect(accountSchema(true).parse({ ...valid, lastName: '' }).lastName).toBeUndefined();
		expect(accountSchema(true).safeParse({ ...valid, firstName: 'x'.repeat(51) }).success).toBe(false);
		expect(accountSchema(true).safeParse({ ...valid, displayName: 'x'.repeat(101) }).success).toBe(false);
	});
});

describe('signupSchema', () => {
	it('reports every invalid field', () => {
		const result = signupSchema(true).safeParse({ firstName: '', lastName: '', username: '', email: 'nope' });
		const fields = result.error?.issues.map((i) => i.path[0]);
		expect(fields).toContain('username');
		expect(fields).toContain('email');
		expect(fields).not.toContain('firstName');
	});
});

describe('passkey names and login codes', () => {
	it('requires 1–50 characters for a passkey name', () => {
		expect(passkeyNameSchema.safeParse({ name: '' }).success).toBe(false);
		expect(passkeyNameSchema.safeParse({ name: 'YubiKey' }).success).toBe(true);
		expect(passkeyNameSchema.safeParse({ name: 'x'.repeat(51) }).success).toBe(false);
	});

	it('accepts 6-character codes, and 12-character ones in long mode', () => {
		expect(loginCodeComplete('abc123', false)).toBe(true);
		expect(loginCodeComplete('abc12', false)).toBe(false);
		expect(loginCodeComplete('HPe6k6u1DRRV', false)).toBe(false);
		expect(loginCodeComplete('HPe6k6u1DRRV', true)).toBe(true);
		expect(loginCodeComplete('abc123', true)).toBe(true);
		expect(loginCodeComplete('abc-12', false)).toBe(false);
	});
});

describe('oidcClientSchema', () => {
	const valid = {
		id: '',
		name: 'Pingvin Share',
		description: '',
		callbackURLs: ['http://pingvin.localhost/auth/callback', ' '],
		logoutCallbackURLs: [],
		isPublic: false,
		pkceEnabled: false,
		requiresReauthentication: false,
		requiresPushedAuthorizationRequests: false,
		skipConsent: false,
		launchURL: '',
		logoUrl: '',
		darkLogoUrl: ''
	};

	it('drops empty callback rows and empty optional fields', () => {
		const parsed = oidcClientSchema.parse(valid);
		expect(parsed.callbackURLs).toEqual(['http://pingvin.localhost/auth/callback']);
		expect(parsed.id).toBeUndefined();
		expect(parsed.launchURL).toBeUndefined();
	});

	it('accepts wildcard patterns and rejects script URLs', () => {
		expect(oidcClientSchema.safeParse({ ...valid, callbackURLs: ['https://*.example.com/cb'] }).success).toBe(true);
		expect(oidcClientSchema.safeParse({ ...valid, callbackURLs: ['*'] }).success).toBe(true);
		const bad = oidcClientSchema.safeParse({ ...valid, callbackURLs: ['javascript:alert(1)'] });
		expect(bad.error?.issues[0].message).toBe('Invalid redirect URL');
		expect(oidcClientSchema.safeParse({ ...valid, callbackURLs: ['not a url'] }).success).toBe(false);
	});

	it('checks the custom client id', () => {
		expect(oidcClientSchema.safeParse({ ...valid, id: 'my.client-1' }).success).toBe(true);
		expect(oidcClientSchema.safeParse({ ...valid, id: 'bad id' }).error?.issues[0].message).toBe(
			'Client ID can only contain letters, numbers, underscores, and hyphens'
		);
		expect(oidcClientSchema.safeParse({ ...valid, id: 'a' }).success).toBe(false);
	});

	it('requires a name of 2–50 characters and a valid launch URL', () => {
		expect(oidcClientSchema.safeParse({ ...valid, name: 'a' }).success).toBe(false);
		expect(oidcClientSchema.safeParse({ ...valid, name: 'a'.repeat(51) }).success).toBe(false);
		expect(oidcClientSchema.safeParse({ ...valid, launchURL: 'nope' }).success).toBe(false);
	});
});

describe('customClientSecretSchema', () => {
	it('accepts empty or ≥16 printable ASCII characters', () => {
		expect(customClientSecretSchema.parse({ secret: '' }).secret).toBeUndefined();
		expect(customClientSecretSchema.safeParse({ secret: 'x'.repeat(16) }).success).toBe(true);
		expect(customClientSecretSchema.safeParse({ secret: 'short' }).success).toBe(false);
		expect(customClientSecretSchema.safeParse({ secret: 'ü'.repeat(16) }).success).toBe(false);
	});
});
