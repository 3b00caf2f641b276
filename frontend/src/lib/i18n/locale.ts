// Locale handling on top of Paraglide: the locale comes from the `locale` cookie, then the browser's preferred
// languages, then English (vite.config.ts). A user's saved locale (UserDto.locale) wins after sign-in.
import { baseLocale, getLocale, isLocale, locales, setLocale, type Locale } from '$lib/paraglide/runtime';
import { syncLocaleState } from './locale-state.svelte';

/** Native names of the languages Pocket ID offers; only those with a messages/<locale>.json file are listed. */
const nativeNames: Record<string, string> = {
	ca: 'Català',
	cs: 'Čeština',
	da: 'Dansk',
	de: 'Deutsch',
	en: 'English',
	es: 'Español',
	et: 'Eesti',
	fi: 'Suomi',
	fr: 'Français',
	it: 'Italiano',
	ja: '日本語',
	ko: '한국어',
	lv: 'Latviešu',
	nl: 'Nederlands',
	no: 'Norsk',
	pl: 'Polski',
	pt: 'Português',
	'pt-BR': 'Português brasileiro',
	ru: 'Русский',
	sv: 'Svenska',
	tr: 'Türkçe',
	uk: 'Українська',
	vi: 'Tiếng Việt',
	'zh-CN': '简体中文',
	'zh-TW': '繁體中文（臺灣）'
};

export function localeName(locale: string): string {
	return nativeNames[locale] ?? locale;
}

export const availableLocales: readonly Locale[] = locales;

type ZodLocale = { default: () => { localeError?: unknown } };

/** Validation messages in the UI language: one loader per shipped locale (zod has its own translations). */
const zodLocales: Record<string, () => Promise<ZodLocale>> = {
	en: () => import('zod/v4/locales/en.js'),
	de: () => import('zod/v4/locales/de.js'),
	nl: () => import('zod/v4/locales/nl.js')
};

/**
 * Applies the locale to the page and to zod's validation messages. zod is loaded lazily (pages without forms
 * don't need it), so this is not awaited on navigation.
 */
export async function configureLibraries(locale: string = getLocale()) {
	syncLocaleState();
	if (typeof document !== 'undefined') document.documentElement.lang = locale;
	const loader = zodLocales[locale] ?? zodLocales[baseLocale];
	try {
		const [{ z }, mod] = await Promise.all([import('zod'), loader()]);
		// jitless: see $lib/forms/schemas.ts
		z.config({ ...(mod.default() as object), jitless: true });
	} catch (e) {
		console.warn(`Could not load validation messages for ${locale}`, e);
	}
}

/** Switches to a user's saved locale without a reload (used right after the user is loaded). */
export async function applyUserLocale(locale: string) {
	if (!isLocale(locale) || locale === getLocale()) return;
	setLocale(locale, { reload: false });
	await configureLibraries(locale);
	syncLocaleState();
}

/** Changes the UI language: sets the `locale` cookie and reloads the page. */
export function changeLocale(locale: Locale) {
	setLocale(locale, { reload: true });
}

/** Formats a date for display in the current locale. */
export function formatDate(value: string | number | Date, options?: Intl.DateTimeFormatOptions): string {
	const date = value instanceof Date ? value : new Date(value);
	if (Number.isNaN(date.getTime())) return '';
	return new Intl.DateTimeFormat(getLocale(), options ?? { dateStyle: 'medium' }).format(date);
}

export function formatDateTime(value: string | number | Date): string {
	return formatDate(value, { dateStyle: 'medium', timeStyle: 'short' });
}

const relativeUnits: [Intl.RelativeTimeFormatUnit, number][] = [
	['year', 365 * 24 * 3600],
	['month', 30 * 24 * 3600],
	['week', 7 * 24 * 3600],
	['day', 24 * 3600],
	['hour', 3600],
	['minute', 60],
	['second', 1]
];

/** "3 days ago", "in 2 hours"… in the current locale, relative to `now`. */
export function formatRelativeTime(value: string | number | Date, now: number = Date.now()): string {
	const date = value instanceof Date ? value : new Date(value);
	if (Number.isNaN(date.getTime())) return '';
	const seconds = Math.round((date.getTime() - now) / 1000);
	const rtf = new Intl.RelativeTimeFormat(getLocale(), { numeric: 'auto' });
	for (const [unit, size] of relativeUnits) {
		if (Math.abs(seconds) >= size || unit === 'second') return rtf.format(Math.trunc(seconds / size), unit);
	}
	return '';
}
