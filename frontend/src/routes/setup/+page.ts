import { redirect } from '@sveltejs/kit';

// Alias: /setup → /signup/setup (initial admin creation).
export const load = () => redirect(307, '/signup/setup');
