import { errorMessage, isApiError } from '$lib/api/client';
import { m } from '$lib/paraglide/messages';
import { WebAuthnError } from '@simplewebauthn/browser';

/** A user-facing message for a failed passkey ceremony (browser error or backend error). */
export function webauthnErrorMessage(e: unknown): string {
	const byCode: Record<string, () => string> = {
		ERROR_CEREMONY_ABORTED: () => m.authentication_process_was_aborted(),
		ERROR_AUTHENTICATOR_GENERAL_ERROR: () => m.error_occurred_with_authenticator(),
		ERROR_AUTHENTICATOR_MISSING_DISCOVERABLE_CREDENTIAL_SUPPORT: () =>
			m.authenticator_does_not_support_discoverable_credentials(),
		ERROR_AUTHENTICATOR_MISSING_RESIDENT_KEY_SUPPORT: () =>
			m.authenticator_does_not_support_resident_keys(),
		ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED: () => m.passkey_was_previously_registered(),
		ERROR_AUTHENTICATOR_NO_SUPPORTED_PUBKEYCREDPARAMS_ALG: () =>
			m.authenticator_does_not_support_any_of_the_requested_algorithms(),
		ERROR_INVALID_DOMAIN: () => `${m.webauthn_error_invalid_domain()} ${m.contact_administrator_to_fix()}`,
		ERROR_INVALID_RP_ID: () => `${m.webauthn_error_invalid_rp_id()} ${m.contact_administrator_to_fix()}`,
		NotSupportedError: () => m.webauthn_not_supported_by_browser(),
		NotAllowedError: () => m.webauthn_operation_not_allowed_or_timed_out()
	};

	if (e instanceof WebAuthnError) {
		const fromCode = byCode[e.code];
		if (fromCode) return fromCode();
		const cause = e.cause instanceof Error ? byCode[e.cause.name] : undefined;
		if (cause) return cause();
	} else if (e instanceof Error && byCode[e.name] && !isApiError(e)) {
		return byCode[e.name]();
	}
	if (isApiError(e)) return errorMessage(e);
	console.error(e);
	return m.an_unknown_error_occurred();
}
