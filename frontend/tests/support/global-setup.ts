import type { FullConfig } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { FAKE_PORT, usingFakeApi } from '../playwright.config';
import { startFakeApi } from './fake-api';

// Starts the test double (support/fake-api.ts) serving ../build; returns its teardown.
export default async function globalSetup(_config: FullConfig) {
	if (!usingFakeApi) return;
	const buildDir = fileURLToPath(new URL('../../build', import.meta.url));
	const server = await startFakeApi({ port: FAKE_PORT, buildDir });
	return async () => {
		await new Promise<void>((resolve) => server.close(() => resolve()));
	};
}
