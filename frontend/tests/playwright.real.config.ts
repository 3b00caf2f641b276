import { defineConfig, devices } from '@playwright/test';

// Browser tests against the real pocket-id binary (PID_BINARY), which each spec starts and restarts itself, on
// SQLite or, with PID_ENGINE=postgres, on the test PostgreSQL cluster (PID_TEST_POSTGRES_URL).
export default defineConfig({
	testDir: './real',
	outputDir: './.output/real-results',
	timeout: 60_000,
	expect: { timeout: 10_000 },
	fullyParallel: false,
	workers: 1,
	forbidOnly: !!process.env.CI,
	reporter: [['list']],
	use: {
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
