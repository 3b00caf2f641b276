// Signing in without a passkey: the first-admin setup, login codes from the CLI (the guides' sqlite3 path) and
// from an admin, the session cookie, /api/users/me, logout — on SQLite and PostgreSQL.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { engines, postgresUrl, startInstance, runCli, cleanup } from './lib/server.mjs';

// A cookie jar of one: the access-token cookie (http APP_URL ⇒ un-prefixed name).
function sessionCookie(res) {
  const set = res.headers.getSetCookie().find((c) => c.startsWith('access_token='));
  return set ? set.split(';')[0] : undefined;
}

async function json(res) {
  const text = await res.text();
  return text ? JSON.parse(text) : undefined;
}

for (const engine of engines) {
  describe(`sessions on ${engine}`, { skip: engine === 'postgres' && !postgresUrl ? 'PID_TEST_POSTGRES_URL is not set' : false }, () => {
    let server;
    let adminCookie;
    before(async () => {
      server = await startInstance(engine);
    });
    after(async () => {
      await server?.stop();
      cleanup(server.cwd);
    });

    const api = (p, init = {}) => fetch(server.url + p, init);
    const post = (p, body, headers = {}) =>
      api(p, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });

    it('opens the setup wizard only while there is no user', async () => {
      assert.equal((await api('/api/signup/setup')).status, 204);
      const bad = await post('/api/signup/setup', { username: '-bad-', email: 'x@example.com' });
      assert.equal(bad.status, 400);
      const err = await json(bad);
      assert.equal(err.code, 'validation_failed');
      assert.match(err.request_id, /^[0-9a-f-]{36}$/);
      const wrongType = await api('/api/signup/setup', { method: 'POST', body: '{}', headers: { 'Content-Type': 'text/plain' } });
      assert.equal((await json(wrongType)).code, 'invalid_request_body');

      const res = await post('/api/signup/setup', { username: 'tim', email: 'tim@example.com', firstName: 'Tim', lastName: 'Cook' });
      assert.equal(res.status, 200);
      const user = await json(res);
      assert.equal(user.username, 'tim');
      assert.equal(user.isAdmin, true);
      assert.equal(user.displayName, 'Tim Cook');
      assert.deepEqual(user.customClaims, []);
      const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('access_token='));
      assert.match(setCookie, /; Path=\/; Max-Age=3600; HttpOnly; Secure; SameSite=Lax$/);
      adminCookie = sessionCookie(res);

      const again = await post('/api/signup/setup', { username: 'eve', email: 'eve@example.com' });
      assert.equal(again.status, 409);
      assert.equal((await json(again)).code, 'setup_already_completed');
      const closed = await api('/api/signup/setup');
      assert.equal(closed.status, 404);
      assert.equal((await json(closed)).code, 'setup_not_available');
    });

    it('knows the signed-in user and refuses anonymous requests', async () => {
      const me = await api('/api/users/me', { headers: { Cookie: adminCookie } });
      assert.equal(me.status, 200);
      assert.equal((await json(me)).email, 'tim@example.com');
      const anon = await api('/api/users/me');
      assert.equal(anon.status, 401);
      const body = await json(anon);
      assert.equal(body.code, 'not_signed_in');
      assert.equal(body.error, 'You are not signed in');
      const bearer = await api('/api/users/me', { headers: { Authorization: `Bearer ${adminCookie.split('=')[1]}` } });
      assert.equal(bearer.status, 200);
    });

    it('signs in once with a login code printed by the CLI', async () => {
      const cli = await runCli(['one-time-access-token', 'tim'], { env: server.env, cwd: server.cwd });
      assert.equal(cli.code, 0, cli.stderr);
      const lines = cli.stdout.trimEnd().split('\n');
      assert.equal(lines.length, 2);
      assert.equal(lines[0], 'A one-time access token valid for 1 hour has been created for "tim".');
      const m = lines[1].match(/^Use the following URL to sign in once: (http:\/\/localhost:\d+)\/lc\/([A-Za-z0-9]{12})$/);
      assert.ok(m, lines[1]);
      assert.equal(m[1], server.env.APP_URL);
      const code = m[2];
      assert.doesNotMatch(code, /[iloILO]/);

      const res = await api(`/api/one-time-access-token/${code}`, { method: 'POST' });
      assert.equal(res.status, 200);
      assert.equal((await json(res)).username, 'tim');
      const cookie = sessionCookie(res);
      assert.equal((await api('/api/users/me', { headers: { Cookie: cookie } })).status, 200);

      const reused = await api(`/api/one-time-access-token/${code}`, { method: 'POST' });
      assert.equal(reused.status, 401);
      assert.equal((await json(reused)).code, 'token_invalid_or_expired');
      const wrongLength = await api('/api/one-time-access-token/abc', { method: 'POST' });
      assert.equal((await json(wrongLength)).error, 'Token is invalid or expired');
      const unknown = await runCli(['one-time-access-token', 'nobody'], { env: server.env, cwd: server.cwd });
      assert.equal(unknown.code, 1);
      assert.match(unknown.stderr, /user not found/);
    });

    it('lets an admin create short codes that expire', async () => {
      const me = await json(await api('/api/users/me', { headers: { Cookie: adminCookie } }));
      const created = await post(`/api/users/${me.id}/one-time-access-token`, { ttl: 2 }, { Cookie: adminCookie });
      assert.equal(created.status, 201);
      const { token } = await json(created);
      assert.match(token, /^[A-Za-z0-9]{6}$/);
      const long = await json(await post(`/api/users/${me.id}/one-time-access-token`, { ttl: '24h' }, { Cookie: adminCookie }));
      assert.equal(long.token.length, 12);
      const tooLong = await post(`/api/users/${me.id}/one-time-access-token`, { ttl: '745h' }, { Cookie: adminCookie });
      assert.equal((await json(tooLong)).code, 'validation_failed');
      const missing = await post('/api/users/6f1e2c4a-9b7d-4e3f-8a21-0c5d6e7f8a9b/one-time-access-token', {}, { Cookie: adminCookie });
      assert.equal(missing.status, 404);
      assert.equal((await json(missing)).code, 'user_not_found');
      const anon = await post(`/api/users/${me.id}/one-time-access-token`, {});
      assert.equal(anon.status, 401);

      await new Promise((r) => setTimeout(r, 3100));
      const expired = await api(`/api/one-time-access-token/${token}`, { method: 'POST' });
      assert.equal(expired.status, 401);
    });

    it('updates the own account and signs out by clearing the cookie', async () => {
      const res = await api('/api/users/me', {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json', Cookie: adminCookie },
        body: JSON.stringify({ username: 'timc', email: 'tim@example.com', firstName: 'Tim', lastName: 'Cook', displayName: 'Timmy', locale: 'de' }),
      });
      assert.equal(res.status, 200);
      const user = await json(res);
      assert.equal(user.username, 'timc');
      assert.equal(user.displayName, 'Timmy');
      assert.equal(user.locale, 'de');

      const out = await api('/api/webauthn/logout', { method: 'POST', headers: { Cookie: adminCookie } });
      assert.equal(out.status, 204);
      assert.deepEqual(out.headers.getSetCookie(), ['access_token=; Path=/; HttpOnly; Secure; SameSite=Lax']);
      // The cleared (empty) cookie wins over anything else.
      const after = await api('/api/users/me', { headers: { Cookie: 'access_token=', Authorization: `Bearer ${adminCookie.split('=')[1]}` } });
      assert.equal(after.status, 401);
    });

    it('serves the public application configuration', async () => {
      const res = await api('/api/application-configuration');
      assert.equal(res.status, 200);
      const list = await json(res);
      const byKey = Object.fromEntries(list.map((e) => [e.key, e.value]));
      assert.equal(byKey.appName, 'Pocket ID');
      assert.equal(byKey.allowUserSignups, 'disabled');
      assert.equal(byKey.uiConfigDisabled, 'false');
      assert.equal(byKey.smtpPassword, undefined, 'only public keys');
    });

    it('reads an admin inserted with the sqlite3 CLI as the guides do', { skip: engine !== 'sqlite' }, async () => {
      const db = path.join(server.cwd, 'data', 'pocket-id.db');
      execFileSync('sqlite3', [db, "INSERT INTO users (id, created_at, updated_at, username, email, first_name, last_name, display_name, is_admin, email_verified) VALUES ('admin-uuid-001', datetime('now'), datetime('now'), 'pocketid-admin', 'admin@example.com', 'Pocket ID', 'Admin', 'Admin', 1, 1);"]);
      const cli = await runCli(['one-time-access-token', 'pocketid-admin'], { env: server.env, cwd: server.cwd });
      assert.equal(cli.code, 0, cli.stderr);
      const code = cli.stdout.match(/\/lc\/(\S+)/)[1];
      const res = await api(`/api/one-time-access-token/${code}`, { method: 'POST' });
      assert.equal(res.status, 200);
      const user = await json(res);
      assert.equal(user.id, 'admin-uuid-001');
      assert.equal(user.isAdmin, true);
      assert.equal(user.emailVerified, true);
      assert.equal(user.disabled, false);
      assert.equal(user.firstName, 'Pocket ID');

      // Sign-ins leave audit rows with the client's address labelled as Pocket ID labels loopback.
      const rows = execFileSync('sqlite3', [db, "SELECT event, ip_address, country, city FROM audit_logs WHERE user_id = 'admin-uuid-001'"]).toString().trim();
      assert.equal(rows, 'TOKEN_SIGN_IN|127.0.0.1|Internal Network|LAN');
    });
  });
}
