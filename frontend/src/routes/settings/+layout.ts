import { version as buildVersion } from '$app/environment';
import { versionApi } from '$lib/api/version';
import type { LayoutLoad } from './$types';

export const load: LayoutLoad = async ({ parent }) => {
	const { user } = await parent();

	// The footer shows the server's version; a server without the endpoint falls back to the UI's own version.
	const currentPromise = versionApi.current().catch(() => buildVersion);
	// Admins get a hint when a newer release exists ("" = check disabled).
	const latestPromise = user?.isAdmin
		? Promise.race([
				versionApi.latest().catch(() => ''),
				new Promise<string>((resolve) => setTimeout(() => resolve(''), 2000))
			])
		: Promise.resolve('');

	const [currentVersion, latestVersion] = await Promise.all([currentPromise, latestPromise]);
	const updateAvailable =
		!!latestVersion && currentVersion !== 'unknown' && latestVersion.replace(/^v/, '') !== currentVersion;

	return { currentVersion, updateAvailable };
};
