// API keys (management.md §1.4, §0.1 steps 2–3) over HTTP: creating, listing, renewing and revoking one's own keys,
// using a key as X-API-Key (its owner's rights, last_used_at), the browser-only routes, validation errors, and the
// STATIC_API_KEY admin — on SQLite and PostgreSQL.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { engines, postgresUrl, startInstance, runCli, runSql, cleanup, cookieValue, setupFirstAdmin, Instance } from './lib/server.mjs';
import { apiClient, sqlDialect } from './lib/api.mjs';

const sha256 = (s) => createHash('sha256').update(s).digest('hex');
const inDays = (days) => new Date(Date.now() + days * 86400_000).toISOString();
const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

for (const engine of engines) {
  const skip = engine === 'postgres' && !postgresUrl ? 'PID_TEST_POSTGRES_URL is not set' : false;

  describe(`API keys on ${engine}`, { skip }, () => {
    let server;
    let tim; // access_token cookie of the first admin
    let bob; // access_token cookie of a user without admin rights
    let bobId;

    const sql = (statement) => runSql(server, engine, statement);
    const { now, past, bool } = sqlDialect(engine);

    const { api, json, ok, expectError } = apiClient(() => server);
    const createKey = async (cookie, name, expiresAt = inDays(30), extra = {}) =>
      ok(await api('/api/api-keys', { method: 'POST', cookie, body: { name, expiresAt, ...extra } }), 201);
    const yes = engine === 'sqlite' ? '1' : 't';
    // [key hash, last_used_at IS NULL] of one key.
    const keyRow = (id) => sql(`SELECT key, last_used_at IS NULL FROM api_keys WHERE id = '${id}'`)[0].split('|');

    before(async () => {
      server = await startInstance(engine);
      tim = await setupFirstAdmin(server);
      bobId = randomUUID();
      sql(`INSERT INTO users (id, created_at, username, email, first_name, last_name, display_name, is_admin, disabled, email_verified)
           VALUES ('${bobId}', ${now()}, 'bob', 'bob@example.com', 'Bob', 'Builder', 'Bob Builder', ${bool(false)}, ${bool(false)}, ${bool(true)})`);
      const cli = await runCli(['one-time-access-token', 'bob'], { env: server.env, cwd: server.cwd });
      assert.equal(cli.code, 0, cli.stderr);
      const code = cli.stdout.match(/\/lc\/([A-Za-z0-9]+)/)[1];
      const login = await api(`/api/one-time-access-token/${code}`, { method: 'POST' });
      assert.equal(login.status, 200);
      bob = cookieValue(login, 'access_token');
    });
    after(async () => {
      await server?.stop();
      if (server) cleanup(server.cwd);
    });

    it('creates a key whose token is shown once and stored as its SHA-256', async () => {
      const expiresAt = '2099-01-02T03:04:05Z';
      const created = await createKey(tim, 'Deploy bot', expiresAt, { description: 'CI pipeline' });
      assert.deepEqual(Object.keys(created).sort(), ['apiKey', 'token']);
      assert.match(created.token, /^[A-Za-z0-9]{32}$/);
      const { apiKey } = created;
      assert.deepEqual(Object.keys(apiKey).sort(), ['createdAt', 'description', 'expirationEmailSent', 'expiresAt', 'id', 'lastUsedAt', 'name']);
      assert.match(apiKey.id, /^[0-9a-f-]{36}$/);
      assert.equal(apiKey.name, 'Deploy bot');
      assert.equal(apiKey.description, 'CI pipeline');
      assert.equal(apiKey.expiresAt, expiresAt);
      assert.equal(apiKey.lastUsedAt, null);
      assert.equal(apiKey.expirationEmailSent, false);
      assert.match(apiKey.createdAt, rfc3339);
      assert.ok(Math.abs(Date.parse(apiKey.createdAt) - Date.now()) < 60_000);
      const [row] = sql(`SELECT key FROM api_keys WHERE id = '${apiKey.id}'`);
      assert.equal(row, sha256(created.token));
      assert.match(row, /^[0-9a-f]{64}$/);

      // Offsets and fractions are accepted; no description is null.
      const offset = await createKey(tim, 'Offset key', '2099-06-01T12:00:00.123456+02:00');
      assert.equal(offset.apiKey.expiresAt, '2099-06-01T10:00:00Z');
      assert.equal(offset.apiKey.description, null);
      assert.notEqual(offset.token, created.token);
    });

    it('lets a key act as its owner: admin routes for an admin owner, 403 for others', async () => {
      const timKey = (await createKey(tim, 'Tim admin key')).token;
      const me = await ok(await api('/api/users/me', { key: timKey }));
      assert.equal(me.username, 'tim');
      const clients = await ok(await api('/api/oidc/clients', { key: timKey }));
      assert.deepEqual(clients.pagination.totalItems, 0);

      const bobKey = (await createKey(bob, 'Bob key')).token;
      assert.equal((await ok(await api('/api/users/me', { key: bobKey }))).username, 'bob');
      await expectError(await api('/api/oidc/clients', { key: bobKey }), 403, 'forbidden', "You don't have permission to perform this action");
      await expectError(await api('/api/users', { key: bobKey }), 403, 'forbidden');

      // Unknown or empty keys are "not signed in".
      await expectError(await api('/api/users/me', { key: 'x'.repeat(32) }), 401, 'not_signed_in', 'You are not signed in');
      await expectError(await api('/api/users/me', { key: '' }), 401, 'not_signed_in');

      // A disabled owner is refused, and comes back when re-enabled.
      sql(`UPDATE users SET disabled = ${bool(true)} WHERE id = '${bobId}'`);
      await expectError(await api('/api/users/me', { key: bobKey }), 403, 'user_disabled', 'User account is disabled');
      sql(`UPDATE users SET disabled = ${bool(false)} WHERE id = '${bobId}'`);
      await ok(await api('/api/users/me', { key: bobKey }));
    });

    it('records when a key was last used', async () => {
      const { apiKey, token } = await createKey(tim, 'Usage key');
      assert.equal(keyRow(apiKey.id)[1], yes);
      await ok(await api('/api/users/me', { key: token }));
      assert.notEqual(keyRow(apiKey.id)[1], yes);
      const listed = (await ok(await api('/api/api-keys?pagination[limit]=100', { cookie: tim }))).data.find((k) => k.id === apiKey.id);
      assert.match(listed.lastUsedAt, rfc3339);
      assert.ok(Math.abs(Date.parse(listed.lastUsedAt) - Date.now()) < 60_000);
    });

    it('lists only the caller\'s keys, with pagination and sorting, also via an API key', async () => {
      const own = await ok(await api('/api/api-keys?pagination[limit]=100', { cookie: tim }));
      const ownNames = own.data.map((k) => k.name);
      assert.ok(ownNames.includes('Deploy bot'));
      assert.ok(!ownNames.includes('Bob key'));
      const [timCount] = sql(`SELECT COUNT(*) FROM api_keys k JOIN users u ON u.id = k.user_id WHERE u.username = 'tim'`);
      assert.equal(own.pagination.totalItems, Number(timCount));

      const bobs = await ok(await api('/api/api-keys', { cookie: bob }));
      assert.deepEqual(bobs.data.map((k) => k.name), ['Bob key']);
      assert.deepEqual(bobs.pagination, { totalPages: 1, totalItems: 1, currentPage: 1, itemsPerPage: 20 });

      const byName = await ok(await api('/api/api-keys?sort[column]=name&sort[direction]=asc&pagination[limit]=2&pagination[page]=1', { cookie: tim }));
      const allSorted = [...ownNames].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      assert.deepEqual(byName.data.map((k) => k.name), allSorted.slice(0, 2));
      assert.equal(byName.pagination.totalPages, Math.ceil(ownNames.length / 2));
      const byExpiry = await ok(await api('/api/api-keys?sort[column]=expiresAt&sort[direction]=desc&pagination[limit]=100', { cookie: tim }));
      const expiries = byExpiry.data.map((k) => Date.parse(k.expiresAt));
      assert.deepEqual(expiries, [...expiries].sort((a, b) => b - a));
      assert.equal(byExpiry.data[0].name, 'Offset key');

      // An API key may list its owner's keys.
      const { token } = await createKey(bob, 'Bob lister');
      const viaKey = await ok(await api('/api/api-keys?sort[column]=name', { key: token }));
      assert.deepEqual(viaKey.data.map((k) => k.name), ['Bob key', 'Bob lister']);

      await expectError(await api('/api/api-keys'), 401, 'not_signed_in');
    });

    it('never mints or renews keys with an API key', async () => {
      const { apiKey, token } = await createKey(tim, 'No minting');
      await expectError(
        await api('/api/api-keys', { method: 'POST', key: token, body: { name: 'Minted', expiresAt: inDays(1) } }),
        403, 'api_key_auth_not_allowed', 'API key authentication is not allowed for this endpoint');
      await expectError(
        await api(`/api/api-keys/${apiKey.id}/renew`, { method: 'POST', key: token, body: { expiresAt: inDays(1) } }),
        403, 'api_key_auth_not_allowed');
      await expectError(await api('/api/api-keys', { method: 'POST', body: { name: 'Anon', expiresAt: inDays(1) } }), 401, 'not_signed_in');
      const [minted] = sql(`SELECT COUNT(*) FROM api_keys WHERE name = 'Minted'`);
      assert.equal(minted, '0');
    });

    it('validates the request', async () => {
      const post = (body, headers) => api('/api/api-keys', { method: 'POST', cookie: tim, body, headers });
      let err = await expectError(await post({ name: 'ab', expiresAt: inDays(1) }), 400, 'validation_failed', 'Name must be at least 3 characters long');
      assert.deepEqual(err.details.fields, [{ field: 'name', code: 'too_short', message: 'must be at least 3 characters long' }]);
      err = await expectError(await post({ name: 'x'.repeat(51), expiresAt: inDays(1) }), 400, 'validation_failed');
      assert.equal(err.details.fields[0].code, 'too_long');
      err = await expectError(await post({ name: 'No expiry' }), 400, 'validation_failed', 'ExpiresAt is required');
      assert.deepEqual(err.details.fields, [{ field: 'expiresAt', code: 'required', message: 'is required' }]);
      err = await expectError(await post({}), 400, 'validation_failed', 'Name is required, expiresAt is required');
      assert.equal(err.details.fields.length, 2);
      err = await expectError(await post({ name: 'Past key', expiresAt: '2020-01-01T00:00:00Z' }), 400,
        'invalid_api_key_expiration', 'API key expiration time must be in the future');
      assert.deepEqual(err.details.fields, [{ field: 'expiresAt', code: 'invalid_value', message: 'must be in the future' }]);
      await expectError(await post({ name: 'Bad date', expiresAt: '2099-01-01' }), 400, 'invalid_request_body', 'Request body is invalid');
      await expectError(await post({ name: 'Bad date', expiresAt: 4102444800 }), 400, 'invalid_request_body');
      await expectError(await post('{"name":"Broken"', undefined), 400, 'invalid_request_body');
      await expectError(await api('/api/api-keys', { method: 'POST', cookie: tim, headers: { 'Content-Type': 'text/plain' } }), 400, 'invalid_request_body');
      const [count] = sql(`SELECT COUNT(*) FROM api_keys WHERE name IN ('ab', 'No expiry', 'Past key', 'Bad date')`);
      assert.equal(count, '0');
    });

    it('allows repeated names, as Pocket ID has no unique index on them', async () => {
      const first = await createKey(tim, 'Twin');
      const second = await createKey(tim, 'Twin');
      assert.notEqual(first.apiKey.id, second.apiKey.id);
      const [count] = sql(`SELECT COUNT(*) FROM api_keys WHERE name = 'Twin'`);
      assert.equal(count, '2');
    });

    it('renews only expired keys, with a new token', async () => {
      const { apiKey, token: oldToken } = await createKey(tim, 'Renew me');
      const renew = (id, body, cookie = tim) => api(`/api/api-keys/${id}/renew`, { method: 'POST', cookie, body });
      await expectError(await renew(apiKey.id, { expiresAt: inDays(60) }), 409, 'api_key_not_expired', 'API key is not expired yet');
      assert.equal(keyRow(apiKey.id)[0], sha256(oldToken));

      sql(`UPDATE api_keys SET expires_at = ${past()}, expiration_email_sent = ${bool(true)} WHERE id = '${apiKey.id}'`);
      await expectError(await api('/api/users/me', { key: oldToken }), 401, 'not_signed_in');
      await expectError(await renew(apiKey.id, {}), 400, 'validation_failed', 'ExpiresAt is required');
      await expectError(await renew(apiKey.id, { expiresAt: '2020-01-01T00:00:00Z' }), 400, 'invalid_api_key_expiration');
      await expectError(await renew(apiKey.id, { expiresAt: inDays(60) }, bob), 404, 'api_key_not_found', 'API key not found');
      await expectError(await renew(randomUUID(), { expiresAt: inDays(60) }), 404, 'api_key_not_found');
      await expectError(await renew('not-a-uuid', { expiresAt: inDays(60) }), 404, 'api_key_not_found');

      const expiresAt = '2098-05-06T07:08:09Z';
      const renewed = await ok(await renew(apiKey.id, { expiresAt }));
      assert.match(renewed.token, /^[A-Za-z0-9]{32}$/);
      assert.notEqual(renewed.token, oldToken);
      assert.equal(renewed.apiKey.id, apiKey.id);
      assert.equal(renewed.apiKey.name, 'Renew me');
      assert.equal(renewed.apiKey.expiresAt, expiresAt);
      assert.equal(renewed.apiKey.expirationEmailSent, true); // Pocket ID keeps the flag
      assert.equal(keyRow(apiKey.id)[0], sha256(renewed.token));

      assert.equal((await ok(await api('/api/users/me', { key: renewed.token }))).username, 'tim');
      await expectError(await api('/api/users/me', { key: oldToken }), 401, 'not_signed_in');
    });

    it('revokes only the caller\'s keys', async () => {
      const timKey = await createKey(tim, 'Revoke me');
      const bobKey = await createKey(bob, 'Bob revocable');
      await ok(await api('/api/users/me', { key: timKey.token }));

      await expectError(await api(`/api/api-keys/${timKey.apiKey.id}`, { method: 'DELETE', cookie: bob }), 404, 'api_key_not_found', 'API key not found');
      await expectError(await api(`/api/api-keys/${timKey.apiKey.id}`, { method: 'DELETE', key: bobKey.token }), 404, 'api_key_not_found');
      await expectError(await api(`/api/api-keys/${randomUUID()}`, { method: 'DELETE', cookie: tim }), 404, 'api_key_not_found');
      await expectError(await api('/api/api-keys/not-a-uuid', { method: 'DELETE', cookie: tim }), 404, 'api_key_not_found');
      await expectError(await api(`/api/api-keys/${timKey.apiKey.id}`, { method: 'DELETE' }), 401, 'not_signed_in');
      assert.equal(sql(`SELECT COUNT(*) FROM api_keys WHERE id = '${timKey.apiKey.id}'`)[0], '1');

      const res = await api(`/api/api-keys/${timKey.apiKey.id}`, { method: 'DELETE', cookie: tim });
      assert.equal(res.status, 204);
      assert.equal(await res.text(), '');
      assert.equal(sql(`SELECT COUNT(*) FROM api_keys WHERE id = '${timKey.apiKey.id}'`)[0], '0');
      await expectError(await api('/api/users/me', { key: timKey.token }), 401, 'not_signed_in');

      // A key may revoke itself.
      assert.equal((await api(`/api/api-keys/${bobKey.apiKey.id}`, { method: 'DELETE', key: bobKey.token })).status, 204);
      await expectError(await api('/api/users/me', { key: bobKey.token }), 401, 'not_signed_in');
    });
  });

  describe(`STATIC_API_KEY on ${engine}`, { skip }, () => {
    const staticKey = 'static-e2e-key-0123456789abcdef';
    let server;
    const sql = (statement) => runSql(server, engine, statement);
    const api = (p, key) => fetch(server.url + p, { headers: key === undefined ? {} : { 'X-API-Key': key } });

    before(async () => {
      server = await startInstance(engine, { extra: { STATIC_API_KEY: staticKey } });
    });
    after(async () => {
      await server?.stop();
      if (server) cleanup(server.cwd);
    });

    it('authenticates as a synthetic admin that does not count as a real user', async () => {
      assert.equal((await api('/api/users/me', 'wrong-' + staticKey)).status, 401);
      assert.equal(sql("SELECT COUNT(*) FROM users WHERE id = '00000000-0000-0000-0000-000000000000'")[0], '0');

      const res = await api('/api/users/me', staticKey);
      assert.equal(res.status, 200);
      const me = await res.json();
      assert.equal(me.id, '00000000-0000-0000-0000-000000000000');
      assert.match(me.username, /^static-api-user-[A-Za-z0-9]{6}$/);
      assert.equal(me.firstName, 'Static API User');
      assert.equal(me.displayName, 'Static API User');
      assert.equal(me.isAdmin, true);
      assert.equal(me.email, null);

      // The same user on every request; admin routes are open to it.
      assert.equal((await (await api('/api/users/me', staticKey)).json()).username, me.username);
      assert.equal((await api('/api/oidc/clients', staticKey)).status, 200);
      assert.equal(sql("SELECT COUNT(*) FROM users WHERE id = '00000000-0000-0000-0000-000000000000'")[0], '1');

      // The setup wizard is still available.
      assert.equal((await fetch(server.url + '/api/signup/setup')).status, 204);
    });

    it('is removed at startup once STATIC_API_KEY is unset', async () => {
      await server.stop();
      const env = { ...server.env };
      delete env.STATIC_API_KEY;
      server = await new Instance({ env, cwd: server.cwd }).start();
      assert.equal(sql("SELECT COUNT(*) FROM users WHERE id = '00000000-0000-0000-0000-000000000000'")[0], '0');
      assert.equal((await api('/api/users/me', staticKey)).status, 401);
    });
  });
}
