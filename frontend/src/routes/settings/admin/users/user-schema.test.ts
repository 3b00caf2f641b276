import { describe, expect, it } from 'vitest';
import { defaultDisplayName, userSchema } from './user-schema';

const valid = {
	firstName: 'Craig',
	lastName: 'Federighi',
	displayName: 'Craig Federighi',
	username: 'craig',
	email: 'craig@test.com',
	emailVerified: false,
	isAdmin: false,
	disabled: false
};

describe('userSchema', () => {
	it('accepts a complete user', () => {
		expect(userSchema(true).parse(valid)).toEqual(valid);
	});

	it('needs an email only when the app config requires one', () => {
		expect(userSchema(true).safeParse({ ...valid, email: '' }).success).toBe(false);
		expect(userSchema(false).parse({ ...valid, email: '' }).email).toBeUndefined();
		expect(userSchema(false).safeParse({ ...valid, email: 'nope' }).success).toBe(false);
	});

	it('leaves an empty last name out and checks the lengths and the username', () => {
		expect(userSchema(true).parse({ ...valid, lastName: '' }).lastName).toBeUndefined();
		expect(userSchema(true).safeParse({ ...valid, firstName: 'a'.repeat(51) }).success).toBe(false);
		expect(userSchema(true).safeParse({ ...valid, displayName: 'a'.repeat(101) }).success).toBe(false);
		expect(userSchema(true).safeParse({ ...valid, username: '-craig' }).success).toBe(false);
	});
});

describe('defaultDisplayName', () => {
	it('joins the first and last name', () => {
		expect(defaultDisplayName('Craig', 'Federighi')).toBe('Craig Federighi');
		expect(defaultDisplayName('Craig', '')).toBe('Craig');
		expect(defaultDisplayName('', '')).toBe('');
	});
});
