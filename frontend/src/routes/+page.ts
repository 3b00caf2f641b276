import { redirect } from '@sveltejs/kit';

// `/` → the sign-in page, which sends signed-in users on to /settings.
export const load = () => redirect(302, '/login');
