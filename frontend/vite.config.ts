import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { sveltekit } from '@sveltejs/kit/vite';
import tailwindcss from '@tailwindcss/vite';
import { defineConfig } from 'vite';

const backend = process.env.DEVELOPMENT_BACKEND_URL || 'http://localhost:1411';

export default defineConfig({
	plugins: [
		tailwindcss(),
		sveltekit(),
		paraglideVitePlugin({
			project: './project.inlang',
			outdir: './src/lib/paraglide',
			cookieName: 'locale',
			strategy: ['cookie', 'preferredLanguage', 'baseLocale'],
			emitTsDeclarations: true
		})
	],
	build: {
		// Modern browsers only (passkeys need them anyway).
		target: 'es2022',
		reportCompressedSize: false
	},
	server: {
		// `npm run dev` proxies the backend routes to a running pocket-id (C++) server.
		proxy: {
			'/api': backend,
			'/.well-known': backend,
			'^/authorize(?:\\?.*)?$': backend
		}
	}
});
