// Starts the real pocket-id binary for browser tests: a fresh working directory (so ./data is fresh), a free
// port, and on PostgreSQL a fresh database on the test cluster.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const binary = process.env.PID_BINARY ?? path.resolve(import.meta.dirname, '../../../build/test/pocket-id');

async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const s = net.createServer();
		s.listen(0, '127.0.0.1', () => {
			const { port } = s.address() as net.AddressInfo;
			s.close(() => resolve(port));
		});
		s.on('error', reject);
	});
}

function freshPostgresDatabase(admin: string): string {
	const name = `pid_ui_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
	execFileSync('psql', [admin, '-v', 'ON_ERROR_STOP=1', '-qc', `CREATE DATABASE ${name}`]);
	const u = new URL(admin);
	u.pathname = `/${name}`;
	return u.toString();
}

export class PocketId {
	private proc?: ChildProcess;
	private logs = '';
	readonly cwd = mkdtempSync(path.join(os.tmpdir(), 'pid-ui-'));
	env: Record<string, string> = {};
	url = '';

	static async create(): Promise<PocketId> {
		const p = new PocketId();
		const port = await freePort();
		p.url = `http://localhost:${port}`;
		p.env = {
			PATH: process.env.PATH ?? '',
			ENCRYPTION_KEY: 'ui-test-encryption-key',
			APP_URL: p.url,
			HOST: '127.0.0.1',
			PORT: String(port)
		};
		if (process.env.PID_ENGINE === 'postgres') {
			const admin = process.env.PID_TEST_POSTGRES_URL;
			if (!admin) throw new Error('PID_ENGINE=postgres needs PID_TEST_POSTGRES_URL');
			p.env.DB_CONNECTION_STRING = freshPostgresDatabase(admin);
		}
		await p.start();
		return p;
	}

	async start(): Promise<void> {
		this.proc = spawn(binary, [], { cwd: this.cwd, env: this.env });
		this.proc.stdout?.on('data', (d) => (this.logs += d));
		this.proc.stderr?.on('data', (d) => (this.logs += d));
		const deadline = Date.now() + 20_000;
		while (Date.now() < deadline) {
			if (this.proc.exitCode !== null) throw new Error(`pocket-id exited:\n${this.logs}`);
			try {
				if ((await fetch(`${this.url}/healthz`)).status === 204) return;
			} catch {
				// not listening yet
			}
			await new Promise((r) => setTimeout(r, 25));
		}
		throw new Error(`pocket-id did not become healthy:\n${this.logs}`);
	}

	async stop(): Promise<void> {
		const proc = this.proc;
		if (!proc || proc.exitCode !== null) return;
		const exited = new Promise((r) => proc.on('exit', r));
		proc.kill('SIGTERM');
		await exited;
	}

	async restart(): Promise<void> {
		await this.stop();
		await this.start();
	}

	cli(args: string[]): string {
		return execFileSync(binary, args, { cwd: this.cwd, env: this.env }).toString();
	}

	async dispose(): Promise<void> {
		await this.stop();
		rmSync(this.cwd, { recursive: true, force: true });
	}
}
