import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	compilerOptions: {
		// Pages deliberately copy their load data / props into local state once (forms start from the loaded
		// values and are then edited locally), which is what this warning is about.
		warningFilter: (warning) => warning.code !== 'state_referenced_locally'
	},
	kit: {
		// A single-page app: every route is rendered in the browser. The C++ backend serves build/index.html for
		// every path that is not an API route or a file in build/ (see README.md).
		adapter: adapter({
			pages: 'build',
			assets: 'build',
			fallback: 'index.html',
			precompress: true,
			strict: true
		}),
		// Assets are referenced with absolute paths so that index.html works when served for deep routes.
		paths: { relative: false },
		version: { name: pkg.version }
	}
};

export default config;
