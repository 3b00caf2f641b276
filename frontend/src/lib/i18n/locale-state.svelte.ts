import { getLocale } from '$lib/paraglide/runtime';

/** The UI locale as reactive state: the root layout re-renders the page when it changes without a reload. */
export const localeState = $state({ current: '' });

export function syncLocaleState() {
	localeState.current = getLocale();
}
