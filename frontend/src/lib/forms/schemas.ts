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

/**
 * A callback URL pattern (management.md §1.5): `*` patterns are accepted as they are, anything else must parse as
 * a URL; `javascript:` and `data:` are refused.
 */
export const callbackUrlSchema = z
	.string()
	.min(1)
	.refine(
		(value) => {
			if (/^(javascript|data):/i.test(value)) return false;
			if (value.includes('*')) return true;
			try {
				new URL(value);
				return true;
			} catch {
				return false;
			}
		},
		{ error: () => m.invalid_redirect_url() }
	);

/** A list of callback URLs: entries are trimmed and empty rows dropped before validation. */
const callbackUrlListSchema = z.preprocess(
	(v) => (Array.isArray(v) ? v.map((s) => String(s ?? '').trim()).filter(Boolean) : v),
	z.array(callbackUrlSchema)
);

const optionalUrl = emptyToUndefined(z.url());

/** The custom client id of the create form (backend: `^[a-zA-Z0-9._-]+$`, 2–128 characters). */
export const clientIdSchema = emptyToUndefined(
	z
		.string()
		.min(2)
		.max(128)
		.regex(/^[a-zA-Z0-9._-]+$/, { error: () => m.invalid_client_id() })
);

/** The OIDC client form (POST /api/oidc/clients, PUT /api/oidc/clients/:id). */
export const oidcClientSchema = z.object({
	id: clientIdSchema,
	name: z.string().min(2).max(50),
	description: z.string().max(150),
	callbackURLs: callbackUrlListSchema,
	logoutCallbackURLs: callbackUrlListSchema,
	isPublic: z.boolean(),
	pkceEnabled: z.boolean(),
	requiresReauthentication: z.boolean(),
	requiresPushedAuthorizationRequests: z.boolean(),
	skipConsent: z.boolean(),
	launchURL: optionalUrl,
	logoUrl: optionalUrl,
	darkLogoUrl: optionalUrl
});

/** A client secret supplied by the admin (backend: at least 16 printable ASCII characters). */
export const customClientSecretSchema = z.object({
	secret: emptyToUndefined(z.string().min(16).regex(/^[\x20-\x7e]+$/))
});
