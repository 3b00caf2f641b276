// Starts the real pocket-id binary for black-box tests: a fresh working directory (so ./data is fresh) and, for
// PostgreSQL, a fresh database on the test cluster the test script started.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const binary = process.env.PID_BINARY ?? path.resolve('../../build/test/pocket-id');
export const postgresUrl = process.env.PID_TEST_POSTGRES_URL;
export const engines = ['sqlite', 'postgres'];

export async function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

// A new, empty PostgreSQL database; returns its URL.
export function createPostgresDatabase() {
  const name = `pid_e2e_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  execFileSync('psql', [postgresUrl, '-v', 'ON_ERROR_STOP=1', '-qc', `CREATE DATABASE ${name}`]);
  const u = new URL(postgresUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

export function makeWorkdir() {
  return mkdtempSync(path.join(os.tmpdir(), 'pid-e2e-'));
}

// Runs a CLI command to completion; returns { code, stdout, stderr }.
export function runCli(args, { env = {}, cwd, input } = {}) {
  return new Promise((resolve) => {
    const p = spawn(binary, args, { cwd, env: { PATH: process.env.PATH, ...env } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    if (input !== undefined) p.stdin.end(input);
    else p.stdin.end();
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

// Base environment for one instance on one engine.
export function instanceEnv(engine, { port, extra = {} } = {}) {
  const env = {
    ENCRYPTION_KEY: 'e2e-test-encryption-key',
    APP_URL: `http://localhost:${port}`,
    HOST: '127.0.0.1',
    PORT: String(port),
    ...extra,
  };
  if (engine === 'postgres' && !env.DB_CONNECTION_STRING) env.DB_CONNECTION_STRING = createPostgresDatabase();
  return env;
}

export class Instance {
  constructor({ env, cwd }) {
    this.env = env;
    this.cwd = cwd;
    this.logs = '';
    this.url = `http://127.0.0.1:${env.PORT}`;
  }

  async start() {
    this.proc = spawn(binary, [], { cwd: this.cwd, env: { PATH: process.env.PATH, ...this.env } });
    this.proc.stdout.on('data', (d) => (this.logs += d));
    this.proc.stderr.on('data', (d) => (this.logs += d));
    this.exited = new Promise((resolve) => this.proc.on('exit', (code, signal) => resolve({ code, signal })));
    const deadline = Date.now() + 20000;
    while (Date.now() < deadline) {
      if (this.proc.exitCode !== null) throw new Error(`pocket-id exited early:\n${this.logs}`);
      try {
        const r = await fetch(`${this.url}/healthz`);
        if (r.status === 204) return this;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`pocket-id did not become healthy:\n${this.logs}`);
  }

  async stop(signal = 'SIGTERM') {
    if (!this.proc || this.proc.exitCode !== null) return this.exited;
    this.proc.kill(signal);
    return this.exited;
  }
}

export async function startInstance(engine, { extra = {}, cwd = makeWorkdir() } = {}) {
  const port = await freePort();
  const env = instanceEnv(engine, { port, extra });
  return new Instance({ env, cwd }).start();
}

export function cleanup(dir) {
  rmSync(dir, { recursive: true, force: true });
}

// Runs one SQL statement against an instance's database (sqlite3 CLI or psql); returns the output rows.
export function runSql(server, engine, statement) {
  const out =
    engine === 'sqlite'
      ? execFileSync('sqlite3', ['-batch', '-cmd', '.timeout 5000', `${server.cwd}/data/pocket-id.db`, statement])
      : execFileSync('psql', [server.env.DB_CONNECTION_STRING, '-qAt', '-v', 'ON_ERROR_STOP=1', '-c', statement]);
  return out.toString().split('\n').filter(Boolean);
}

// `name=value` of a Set-Cookie the response carries (undefined when absent).
export const cookieValue = (res, name) => res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`))?.split(';')[0];

// Creates the first admin through the setup wizard's endpoint; returns the `access_token=…` cookie of their session.
export async function setupFirstAdmin(server, user = { username: 'tim', email: 'tim@example.com', firstName: 'Tim', lastName: 'Cook' }) {
  const res = await fetch(server.url + '/api/signup/setup', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(user),
  });
  if (res.status !== 200) throw new Error(`setup failed: ${res.status} ${await res.text()}`);
  return cookieValue(res, 'access_token');
}
