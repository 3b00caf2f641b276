import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

// Unit tests of the non-UI logic. The Paraglide messages are compiled beforehand by `npm run i18n`
// (the `test:unit` script does it), so the i18n plugin and its file watcher are not loaded here.
export default defineConfig({
	plugins: [sveltekit()],
	test: {
		include: ['src/**/*.test.ts'],
		environment: 'node'
	}
});
