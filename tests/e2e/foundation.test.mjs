// The foundation, seen from outside: start-up and configuration errors, health, discovery, JWKS, HTTP rules,
// key rotation and graceful shutdown — on SQLite and on PostgreSQL.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as jose from 'jose';
import { binary, engines, postgresUrl, startInstance, runCli, makeWorkdir, cleanup, freePort, Instance, instanceEnv } from './lib/server.mjs';

for (const engine of engines) {
  describe(`foundation on ${engine}`, { skip: engine === 'postgres' && !postgresUrl ? 'PID_TEST_POSTGRES_URL is not set' : false }, () => {
    let server;
    before(async () => {
      server = await startInstance(engine);
    });
    after(async () => {
      await server?.stop();
      cleanup(server.cwd);
    });

    it('answers /healthz and /health with 204, HEAD too', async () => {
      for (const p of ['/healthz', '/health']) {
        const r = await fetch(server.url + p);
        assert.equal(r.status, 204);
        assert.equal(await r.text(), '');
      }
      const head = await fetch(server.url + '/healthz', { method: 'HEAD' });
      assert.equal(head.status, 204);
    });

    // libpq and libcurl are opened at first use, so an idle server maps neither (nor their dependency chains):
    // libpq only on PostgreSQL, libcurl only once something is downloaded (nothing in this suite is).
    it('maps libpq only on PostgreSQL and libcurl not at all while idle', { skip: !existsSync('/proc/self/maps') && 'no /proc' }, () => {
      const maps = readFileSync(`/proc/${server.proc.pid}/maps`, 'utf8');
      assert.match(maps, /\/libc\.so\.6$/m, 'the maps of the server were read');
      const mapped = (library) => new RegExp(`/${library}[.-][^/\\n]*$`, 'm').test(maps);
      assert.equal(mapped('libpq'), engine === 'postgres', 'libpq mapped');
      assert.equal(mapped('libcurl'), false, 'libcurl mapped');
    });

    it('creates the SQLite database in ./data of the working directory', { skip: engine !== 'sqlite' }, () => {
      assert.ok(existsSync(path.join(server.cwd, 'data', 'pocket-id.db')));
    });

    it('serves the discovery document of protocol.md §1.3', async () => {
      const r = await fetch(server.url + '/.well-known/openid-configuration');
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('content-type'), 'application/json; charset=utf-8');
      assert.equal(r.headers.get('cache-control'), 'private, no-store');
      assert.equal(r.headers.get('access-control-allow-origin'), '*');
      const text = await r.text();
      const doc = JSON.parse(text);
      const app = server.env.APP_URL;
      assert.equal(doc.issuer, app);
      assert.equal(doc.authorization_endpoint, `${app}/authorize`);
      assert.equal(doc.token_endpoint, `${app}/api/oidc/token`);
      assert.equal(doc.jwks_uri, `${app}/.well-known/jwks.json`);
      assert.deepEqual(doc.id_token_signing_alg_values_supported, ['RS256']);
      assert.deepEqual(doc.response_types_supported, ['code']);
      assert.deepEqual(doc.code_challenge_methods_supported, ['plain', 'S256']);
      assert.deepEqual(Object.keys(doc), [...Object.keys(doc)].sort(), 'keys in Go map order');
      assert.equal(Object.keys(doc).length, 27);
      const rfc8414 = await fetch(server.url + '/.well-known/oauth-authorization-server');
      assert.equal(await rfc8414.text(), text);
    });

    it('publishes exactly one RS256 signing key that jose can import', async () => {
      const r = await fetch(server.url + '/.well-known/jwks.json');
      assert.equal(r.status, 200);
      const { keys } = await r.json();
      assert.equal(keys.length, 1);
      const [jwk] = keys;
      assert.equal(jwk.kty, 'RSA');
      assert.equal(jwk.alg, 'RS256');
      assert.equal(jwk.use, 'sig');
      assert.match(jwk.kid, /^[A-Za-z0-9_-]{11}$/);
      assert.equal(jwk.d, undefined, 'no private members');
      const key = await jose.importJWK(jwk, 'RS256');
      assert.equal(key.type, 'public');
      // The published key verifies a token signed by the stored private key (RS256, 2048-bit modulus).
      assert.equal(Buffer.from(jwk.n, 'base64url').length, 256);
    });

    it('sets X-Request-ID and the CSP with a fresh nonce on every response', async () => {
      const a = await fetch(server.url + '/healthz');
      const b = await fetch(server.url + '/healthz');
      assert.match(a.headers.get('x-request-id'), /^[0-9a-f-]{36}$/);
      assert.notEqual(a.headers.get('x-request-id'), b.headers.get('x-request-id'));
      const csp = a.headers.get('content-security-policy');
      assert.match(csp, /^default-src 'self'; base-uri 'self'; object-src 'none'; frame-ancestors 'none'; form-action 'self'; img-src \* blob:;font-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'self' 'nonce-[A-Za-z0-9_-]{22}'$/);
      assert.notEqual(csp, b.headers.get('content-security-policy'));
    });

    it('answers unknown API paths with Pocket ID\'s 404 JSON and preflights CORS paths', async () => {
      const r = await fetch(server.url + '/api/does-not-exist');
      assert.equal(r.status, 404);
      assert.deepEqual(await r.json(), { error: 'API endpoint not found' });
      const wrongMethod = await fetch(server.url + '/.well-known/jwks.json', { method: 'POST' });
      assert.equal(wrongMethod.status, 404);
      const pre = await fetch(server.url + '/api/oidc/token', { method: 'OPTIONS' });
      assert.equal(pre.status, 204);
      assert.equal(pre.headers.get('access-control-allow-methods'), 'GET, POST');
      const slash = await fetch(server.url + '/healthz/', { redirect: 'manual' });
      assert.equal(slash.status, 301);
      assert.equal(slash.headers.get('location'), '/healthz');
    });

    it('keeps the signing key across restarts and rotates it with key-rotate', async () => {
      const before = (await (await fetch(server.url + '/.well-known/jwks.json')).json()).keys[0];
      await server.stop();
      const cli = await runCli(['key-rotate', '--alg', 'ES256', '--yes'], { env: server.env, cwd: server.cwd });
      assert.equal(cli.code, 0, cli.stderr);
      assert.match(cli.stdout, /Key rotated successfully\nNote: if pocket-id is running, you will need to restart it for the new key to be loaded\n/);
      server = await new Instance({ env: server.env, cwd: server.cwd }).start();
      const after = (await (await fetch(server.url + '/.well-known/jwks.json')).json()).keys[0];
      assert.equal(after.kty, 'EC');
      assert.equal(after.crv, 'P-256');
      assert.equal(after.alg, 'ES256');
      assert.notEqual(after.kid, before.kid);
      await jose.importJWK(after, 'ES256');
      const doc = await (await fetch(server.url + '/.well-known/openid-configuration')).json();
      assert.deepEqual(doc.id_token_signing_alg_values_supported, ['ES256']);
    });

    it('shuts down gracefully on SIGTERM with exit code 0', async () => {
      const { code, signal } = await server.stop('SIGTERM');
      assert.equal(signal, null);
      assert.equal(code, 0);
      assert.match(server.logs, /shutting down gracefully/);
      server = await new Instance({ env: server.env, cwd: server.cwd }).start();
    });
  });
}

describe('configuration errors stop start-up with one clear line and exit code 1', () => {
  const cases = [
    [{ ENCRYPTION_KEY: 'short' }, 'config error: ENCRYPTION_KEY must be at least 16 bytes long\n'],
    [{ ENCRYPTION_KEY: undefined }, 'config error: ENCRYPTION_KEY must be at least 16 bytes long\n'],
    [{ LOG_LEVEL: 'verbose' }, "config error: invalid LOG_LEVEL value. Must be 'debug', 'info', 'warn' or 'error'\n"],
    [{ APP_URL: 'https://id.example.com/pocket' }, 'config error: APP_URL must not contain a path\n'],
    [{ AUDIT_LOG_RETENTION_DAYS: '0' }, 'config error: AUDIT_LOG_RETENTION_DAYS must be greater than 0\n'],
    [{ TRUST_PROXY: '10.0.0.0/33' }, 'config error: invalid proxy IP address or CIDR "10.0.0.0/33"\n'],
    [{ DB_PROVIDER: 'sqlite', DB_CONNECTION_STRING: 'postgres://u@localhost/db' }, /^config error: .*DB_PROVIDER.*DB_CONNECTION_STRING.*\n$/],
  ];
  for (const [vars, expected] of cases) {
    it(JSON.stringify(vars), async () => {
      const cwd = makeWorkdir();
      const env = { ENCRYPTION_KEY: 'e2e-test-encryption-key', ...vars };
      for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
      const r = await runCli([], { env, cwd });
      assert.equal(r.code, 1);
      if (expected instanceof RegExp) assert.match(r.stderr, expected);
      else assert.equal(r.stderr, expected);
      assert.equal(r.stdout, '');
      assert.equal(existsSync(path.join(cwd, 'data')), false, 'nothing created before the config is valid');
      cleanup(cwd);
    });
  }

  it('reads .env from the working directory, the process environment winning', async () => {
    const cwd = makeWorkdir();
    const port = await freePort();
    writeFileSync(path.join(cwd, '.env'), `# local settings\nENCRYPTION_KEY="dotenv-encryption-key"\nPORT=1\nAPP_URL=http://localhost:${port}\n`);
    const server = await new Instance({ env: { PORT: String(port), HOST: '127.0.0.1' }, cwd }).start();
    const doc = await (await fetch(server.url + '/.well-known/openid-configuration')).json();
    assert.equal(doc.issuer, `http://localhost:${port}`);
    await server.stop();
    cleanup(cwd);
  });
});

describe('CLI', () => {
  it('prints the version without needing any configuration', async () => {
    const r = await runCli(['version']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^pocket-id \S+\n$/);
  });

  it('healthcheck succeeds against a running server and fails without one', async () => {
    const server = await startInstance('sqlite');
    const ok = await runCli(['healthcheck'], { env: server.env, cwd: server.cwd });
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    await server.stop();
    const down = await runCli(['healthcheck'], { env: server.env, cwd: server.cwd });
    assert.equal(down.code, 1);
    assert.match(down.stdout + down.stderr, /Healthcheck failed/);
    cleanup(server.cwd);
  });

  it('serves on a Unix socket and healthcheck reaches it', async () => {
    const cwd = makeWorkdir();
    const sock = path.join(cwd, 'pocket-id.sock');
    const env = { ...instanceEnv('sqlite', { port: 1411 }), UNIX_SOCKET: sock, UNIX_SOCKET_MODE: '0660' };
    const proc = spawn(binary, [], { cwd, env: { PATH: process.env.PATH, ...env } });
    let logs = '';
    proc.stdout.on('data', (d) => (logs += d));
    proc.stderr.on('data', (d) => (logs += d));
    let ok = false;
    for (let i = 0; i < 400 && !ok; i++) {
      await new Promise((r) => setTimeout(r, 25));
      if (!existsSync(sock)) continue;
      const r = await runCli(['healthcheck', '--unix-socket', sock, '-e', 'http://localhost'], { env, cwd });
      ok = r.code === 0;
    }
    assert.ok(ok, `healthcheck over the socket never succeeded:\n${logs}`);
    assert.equal(statSync(sock).mode & 0o777, 0o660);
    proc.kill('SIGTERM');
    await new Promise((r) => proc.on('exit', r));
    cleanup(cwd);
  });

  it('key-rotate rejects bad flags with Pocket ID\'s messages', async () => {
    const cwd = makeWorkdir();
    const env = { ENCRYPTION_KEY: 'e2e-test-encryption-key' };
    const bad = await runCli(['key-rotate', '--alg', 'HS256', '-y'], { env, cwd });
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /unsupported key algorithm; supported values: RS256, RS384, RS512, ES256, ES384, ES512, EdDSA/);
    const noCurve = await runCli(['key-rotate', '--alg', 'EdDSA', '-y'], { env, cwd });
    assert.match(noCurve.stderr, /a curve name is required when algorithm is EdDSA/);
    const declined = await runCli(['key-rotate', '--alg', 'ES256'], { env, cwd, input: 'n\n' });
    assert.equal(declined.code, 1);
    assert.match(declined.stdout, /Confirm \[y\/N\]: Aborted/);
    cleanup(cwd);
  });
});
