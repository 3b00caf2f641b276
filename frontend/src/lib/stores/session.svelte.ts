// The signed-in user and the public application configuration, shared by every page.
import { publicConfigDefaults } from '$lib/api/app-config';
import type { AppConfig, User } from '$lib/api/types';
import { applyUserLocale } from '$lib/i18n/locale';

class Session {
	user = $state<User | null>(null);
	config = $state<AppConfig>({ ...publicConfigDefaults });

	get signedIn() {
		return this.user !== null;
	}

	get isAdmin() {
		return this.user?.isAdmin === true;
	}

	/** Stores the user; a user's saved language becomes the UI language (without reloading). */
	async setUser(user: User | null) {
		this.user = user;
		if (user?.locale) await applyUserLocale(user.locale);
	}

	setConfig(config: AppConfig) {
		this.config = config;
	}
}

export const session = new Session();
