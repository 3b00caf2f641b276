import { defineConfig, devices } from '@playwright/test';

// The UI's browser tests. Against the built SPA served by the test double in support/fake-api.ts (started by
// support/global-setup.ts) unless PID_BASE_URL points at a running server (then no double is started and the
// specs that need the double's data skip themselves).
export const FAKE_PORT = Number(process.env.PID_FAKE_PORT ?? 4499);
export const usingFakeApi = !process.env.PID_BASE_URL;
const baseURL = process.env.PID_BASE_URL ?? `http://localhost:${FAKE_PORT}`;

export default defineConfig({
	testDir: './specs',
	outputDir: './.output/results',
	timeout: 15_000,
	expect: { timeout: 5_000 },
	fullyParallel: false,
	workers: 1,
	forbidOnly: !!process.env.CI,
	retries: process.env.CI ? 1 : 0,
	reporter: process.env.CI ? [['list']] : [['list']],
	globalSetup: './support/global-setup.ts',
	use: {
		baseURL,
		trace: 'retain-on-failure',
		launchOptions: {
			executablePath: process.env.PID_CHROMIUM ?? '/usr/bin/chromium',
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync',
				'--no-first-run'
			]
		}
	},
	projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'], channel: undefined } }]
});
