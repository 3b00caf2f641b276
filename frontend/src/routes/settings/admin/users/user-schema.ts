// The admin's user form (POST /api/users, PUT /api/users/:id): UserCreateDto's rules (management.md §1.1).
import { emptyToUndefined, usernameSchema } from '$lib/forms/schemas';
import { z } from 'zod';

export const userSchema = (requireEmail: boolean) =>
	z.object({
		firstName: z.string().max(50),
		lastName: emptyToUndefined(z.string().max(50)),
		displayName: z.string().max(100),
		username: usernameSchema,
		email: requireEmail ? z.email() : emptyToUndefined(z.email()),
		emailVerified: z.boolean(),
		isAdmin: z.boolean(),
		disabled: z.boolean()
	});

/** Pocket ID fills the display name from the first and last name until it is edited by hand. */
export function defaultDisplayName(firstName: string, lastName: string): string {
	return `${firstName}${lastName ? ' ' + lastName : ''}`.trim();
}
