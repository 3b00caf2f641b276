// Validation schemas shared by the forms. Messages are resolved when an error happens, so they follow the
// current locale (zod's own messages are switched by configureLibraries()).
import { m } from '$lib/paraglide/messages';
import { z } from 'zod';

// No code generation: the backend's Content-Security-Policy forbids eval, and zod's feature probe for it would
// be reported as a violation.
z.config({ jitless: true });

/** '' → undefined, so an empty optional field passes validation and is left out of the request. */
export const emptyToUndefined = <T extends z.ZodType>(schema: T) =>
	z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

export const usernameSchema = z
	.string()
	.min(1)
	.max(50)
	.regex(/^[a-zA-Z0-9]/, { error: () => m.username_must_start_with() })
	.regex(/[a-zA-Z0-9]$/, { error: () => m.username_must_end_with() })
	.regex(/^[a-zA-Z0-9_.@-]+$/, { error: () => m.username_can_only_contain() });

const emailSchema = (required: boolean) => (required ? z.email() : emptyToUndefined(z.email()));

/** The account details form (PUT /api/users/me). */
export const accountSchema = (requireEmail: boolean) =>
	z.object({
		firstName: z.string().max(50),
		lastName: emptyToUndefined(z.string().max(50)),
		displayName: z.string().max(100),
		username: usernameSchema,
		email: emailSchema(requireEmail)
	});

/** The sign-up and initial-admin forms (POST /api/signup, /api/signup/setup). */
export const signupSchema = (requireEmail: boolean) =>
	z.object({
		firstName: z.string().max(50),
		lastName: emptyToUndefined(z.string().max(50)),
		username: usernameSchema,
		email: emailSchema(requireEmail)
	});

/** A passkey's name (PATCH /api/webauthn/credentials/:id: required, 1–50 characters). */
export const passkeyNameSchema = z.object({ name: z.string().min(1).max(50) });

/** The alphabet of login codes; I/i and O/o are accepted (the backend reads them as 1 and 0). */
export const loginCodePattern = /^[a-zA-Z0-9]+$/;

/** Whether a typed login code has a length the backend accepts (6 or 12). */
export function loginCodeComplete(code: string, longCode: boolean): boolean {
	const len = code.trim().length;
	if (!loginCodePattern.test(code.trim())) return false;
	return longCode ? len === 12 || len === 6 : len === 6;
}
