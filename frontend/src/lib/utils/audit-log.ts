import { m } from '$lib/paraglide/messages';

const labels: Record<string, () => string> = {
	SIGN_IN: () => m.sign_in(),
	TOKEN_SIGN_IN: () => m.token_sign_in(),
	REMOTE_SIGN_IN: () => m.remote_sign_in(),
	CLIENT_AUTHORIZATION: () => m.client_authorization(),
	NEW_CLIENT_AUTHORIZATION: () => m.new_client_authorization(),
	ACCOUNT_CREATED: () => m.account_created(),
	DEVICE_CODE_AUTHORIZATION: () => m.device_code_authorization(),
	NEW_DEVICE_CODE_AUTHORIZATION: () => m.new_device_code_authorization(),
	PASSKEY_ADDED: () => m.passkey_added(),
	PASSKEY_REMOVED: () => m.passkey_removed()
};

/** A readable label for an audit-log event ("SOME_EVENT" → "Some Event" when it has no translation). */
export function auditLogEventLabel(event: string): string {
	const label = labels[event];
	if (label) return label();
	return event
		.split('_')
		.map((w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase())
		.join(' ');
}

/** The events the global audit log can be filtered by, with their labels. */
export function auditLogEventOptions(): { value: string; label: string }[] {
	return Object.entries(labels).map(([value, label]) => ({ value, label: label() }));
}

/** "City, Country", the country alone, or "Unknown". */
export function auditLogLocation(log: { city?: string | null; country?: string | null }, unknown: string): string {
	if (log.city && log.country) return `${log.city}, ${log.country}`;
	return log.country || unknown;
}
