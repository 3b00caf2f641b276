// Light/dark mode: follows the system unless the user picked one; the choice is kept in localStorage and
// applied before first paint by the inline script in app.html (same storage key).
export type ThemeMode = 'light' | 'dark' | 'system';

const STORAGE_KEY = 'theme-mode';

function readMode(): ThemeMode {
	try {
		const v = localStorage.getItem(STORAGE_KEY);
		if (v === 'light' || v === 'dark' || v === 'system') return v;
	} catch {
		// storage unavailable
	}
	return 'system';
}

class Theme {
	mode = $state<ThemeMode>('system');
	#systemDark = $state(false);

	get dark() {
		return this.mode === 'dark' || (this.mode === 'system' && this.#systemDark);
	}

	/** Called once in the root layout. */
	init() {
		this.mode = readMode();
		const query = matchMedia('(prefers-color-scheme: dark)');
		this.#systemDark = query.matches;
		query.addEventListener('change', (e) => {
			this.#systemDark = e.matches;
			this.#apply();
		});
		this.#apply();
	}

	set(mode: ThemeMode) {
		this.mode = mode;
		try {
			if (mode === 'system') localStorage.removeItem(STORAGE_KEY);
			else localStorage.setItem(STORAGE_KEY, mode);
		} catch {
			// storage unavailable: the choice lasts for this page only
		}
		this.#apply();
	}

	#apply() {
		const root = document.documentElement;
		root.classList.toggle('dark', this.dark);
		root.style.colorScheme = this.dark ? 'dark' : 'light';
	}
}

export const theme = new Theme();
