// The custom-claims admin API (management.md §1.3) over HTTP: suggestions, replacing a user's and a group's claim
// set (rows kept in place, stale keys deleted), the claim rules (duplicate and reserved keys, required key/value),
// 404s, 401/403, with an admin session and an admin API key — on SQLite and PostgreSQL.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID, randomBytes } from 'node:crypto';
import { engines, postgresUrl, startInstance, setupFirstAdmin, runSql, runCli, cleanup, cookieValue } from './lib/server.mjs';
import { apiClient, sqlDialect, insertApiKey } from './lib/api.mjs';

const RESERVED = ['given_name', 'family_name', 'name', 'email', 'email_verified', 'preferred_username', 'display_name', 'groups', 'type', 'sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'acr', 'amr', 'azp', 'client_id', 'nbf', 'jti'];

for (const engine of engines) {
  describe(`custom claims on ${engine}`, { skip: engine === 'postgres' && !postgresUrl ? 'PID_TEST_POSTGRES_URL is not set' : false }, () => {
    let server;
    let admin;
    let adminId;
    let bob; // { id, cookie }: not an admin
    let groupId;
    const apiKey = randomBytes(16).toString('hex');

    const sql = (statement) => runSql(server, engine, statement);
    const { now, bool } = sqlDialect(engine);

    const { api, ok, expectError } = apiClient(() => server);
    const asAdmin = (p, init = {}) => api(p, { ...init, cookie: admin });
    const putUser = (id, body, init = {}) => asAdmin(`/api/custom-claims/user/${id}`, { method: 'PUT', body, ...init });
    const putGroup = (id, body, init = {}) => asAdmin(`/api/custom-claims/user-group/${id}`, { method: 'PUT', body, ...init });
    // key → id of the owner's rows, straight from the table.
    const rowIds = (column, owner) =>
      Object.fromEntries(sql(`SELECT key || '=' || CAST(id AS TEXT) FROM custom_claims WHERE ${column} = '${owner}'`).map((l) => l.split('=')));
    const rows = (column, owner) => sql(`SELECT key || '=' || value FROM custom_claims WHERE ${column} = '${owner}' ORDER BY key`);

    before(async () => {
      server = await startInstance(engine);
      admin = await setupFirstAdmin(server);
      adminId = sql("SELECT id FROM users WHERE username = 'tim'")[0];
      insertApiKey(sql, engine, adminId, apiKey);
      const id = randomUUID();
      sql(`INSERT INTO users (id, created_at, username, email, first_name, last_name, display_name, is_admin, disabled, email_verified)
           VALUES ('${id}', ${now()}, 'bob', 'bob@example.com', 'Bob', 'Builder', 'Bob Builder', ${bool(false)}, ${bool(false)}, ${bool(true)})`);
      const cli = await runCli(['one-time-access-token', 'bob'], { env: server.env, cwd: server.cwd });
      assert.equal(cli.code, 0, cli.stderr);
      const code = cli.stdout.match(/\/lc\/([A-Za-z0-9]+)/)[1];
      const login = await api(`/api/one-time-access-token/${code}`, { method: 'POST' });
      assert.equal(login.status, 200);
      bob = { id, cookie: cookieValue(login, 'access_token') };
      const group = await ok(await asAdmin('/api/user-groups', { method: 'POST', body: { friendlyName: 'Staff', name: 'staff' } }), 201);
      groupId = group.id;
    });
    after(async () => {
      await server?.stop();
      if (server) cleanup(server.cwd);
    });

    it('is for admins only', async () => {
      const routes = [
        ['GET', '/api/custom-claims/suggestions'],
        ['PUT', `/api/custom-claims/user/${randomUUID()}`, []],
        ['PUT', `/api/custom-claims/user-group/${randomUUID()}`, []],
      ];
      for (const [method, p, body] of routes) {
        await expectError(await api(p, { method, body }), 401, 'not_signed_in', 'You are not signed in');
        await expectError(await api(p, { method, body, cookie: bob.cookie }), 403, 'forbidden', "You don't have permission to perform this action");
      }
      // Even the signed-in user's own claims need an admin.
      await expectError(await api(`/api/custom-claims/user/${bob.id}`, { method: 'PUT', body: [], cookie: bob.cookie }), 403, 'forbidden');
    });

    it("replaces a user's claims: full set back, rows of kept keys updated in place, others deleted", async () => {
      let claims = await ok(await putUser(bob.id, [{ key: 'team', value: 'blue' }, { key: 'level', value: '3' }, { key: 'badge', value: 'x' }]));
      assert.deepEqual(claims, [{ key: 'badge', value: 'x' }, { key: 'level', value: '3' }, { key: 'team', value: 'blue' }]);
      const before = rowIds('user_id', bob.id);
      assert.deepEqual(Object.keys(before).sort(), ['badge', 'level', 'team']);

      claims = await ok(await putUser(bob.id, [{ key: 'team', value: 'red' }, { key: 'floor', value: '2' }, { key: 'badge', value: 'x' }]));
      assert.deepEqual(claims, [{ key: 'badge', value: 'x' }, { key: 'floor', value: '2' }, { key: 'team', value: 'red' }]);
      const after = rowIds('user_id', bob.id);
      assert.equal(after.team, before.team);
      assert.equal(after.badge, before.badge);
      assert.equal(after.level, undefined);
      assert.deepEqual(rows('user_id', bob.id), ['badge=x', 'floor=2', 'team=red']);

      // Strings are NFC-normalised.
      claims = await ok(await putUser(bob.id, [{ key: 'cafe\u0301', value: 'Cafe\u0301' }]));
      assert.deepEqual(claims, [{ key: 'caf\u00e9', value: 'Caf\u00e9' }]);

      // An empty list (or null) removes everything.
      assert.deepEqual(await ok(await putUser(bob.id, [])), []);
      assert.deepEqual(rows('user_id', bob.id), []);
      await ok(await putUser(bob.id, [{ key: 'k', value: 'v' }]));
      assert.deepEqual(await ok(await putUser(bob.id, 'null')), []);

      // With an admin API key.
      claims = await ok(await api(`/api/custom-claims/user/${bob.id}`, { method: 'PUT', key: apiKey, body: [{ key: 'via', value: 'key' }] }));
      assert.deepEqual(claims, [{ key: 'via', value: 'key' }]);
      // The user DTO shows them.
      const me = await ok(await api('/api/users/me', { cookie: bob.cookie }));
      assert.deepEqual(me.customClaims, [{ key: 'via', value: 'key' }]);
    });

    it("replaces a group's claims; the group DTOs show them", async () => {
      let claims = await ok(await putGroup(groupId, [{ key: 'dept', value: 'ops' }, { key: 'site', value: 'hq' }]));
      assert.deepEqual(claims, [{ key: 'dept', value: 'ops' }, { key: 'site', value: 'hq' }]);
      const before = rowIds('user_group_id', groupId);
      claims = await ok(await putGroup(groupId, [{ key: 'site', value: 'remote' }]));
      assert.deepEqual(claims, [{ key: 'site', value: 'remote' }]);
      assert.equal(rowIds('user_group_id', groupId).site, before.site);
      assert.deepEqual((await ok(await asAdmin(`/api/user-groups/${groupId}`))).customClaims, [{ key: 'site', value: 'remote' }]);
      const list = await ok(await asAdmin('/api/user-groups?search=staff'));
      assert.deepEqual(list.data[0].customClaims, [{ key: 'site', value: 'remote' }]);
      // A group's and a user's claims with the same key are separate rows.
      await ok(await putUser(bob.id, [{ key: 'site', value: 'home' }]));
      assert.deepEqual(rows('user_group_id', groupId), ['site=remote']);
      assert.deepEqual(rows('user_id', bob.id), ['site=home']);
      claims = await ok(await api(`/api/custom-claims/user-group/${groupId}`, { method: 'PUT', key: apiKey, body: [{ key: 'site', value: 'hq' }] }));
      assert.deepEqual(claims, [{ key: 'site', value: 'hq' }]);
    });

    it('refuses duplicate and reserved keys without changing anything', async () => {
      await ok(await putUser(bob.id, [{ key: 'keep', value: 'me' }]));
      let body = await expectError(await putUser(bob.id, [{ key: 'a', value: '1' }, { key: 'dup', value: '1' }, { key: 'dup', value: '2' }]), 400, 'duplicate_claim', 'Claim dup is already defined');
      assert.deepEqual(body.details, { key: 'dup', fields: [{ field: 'key', code: 'duplicate', message: 'is listed more than once' }] });
      for (const key of RESERVED) {
        body = await expectError(await putUser(bob.id, [{ key: 'fine', value: '1' }, { key, value: 'x' }]), 400, 'reserved_claim', `Claim ${key} is reserved and can't be used`);
        assert.deepEqual(body.details, { key, fields: [{ field: 'key', code: 'reserved', message: 'is reserved' }] });
      }
      // A duplicate is reported before a reserved key.
      await expectError(await putGroup(groupId, [{ key: 'sub', value: '1' }, { key: 'x', value: '1' }, { key: 'x', value: '2' }]), 400, 'duplicate_claim');
      await expectError(await putGroup(groupId, [{ key: 'groups', value: 'x' }]), 400, 'reserved_claim', "Claim groups is reserved and can't be used");
      // Keys are case-sensitive: "Email" is not reserved.
      assert.deepEqual(await ok(await putUser(bob.id, [{ key: 'Email', value: 'x' }])), [{ key: 'Email', value: 'x' }]);
      await ok(await putUser(bob.id, [{ key: 'keep', value: 'me' }]));
      await expectError(await putUser(bob.id, [{ key: 'email', value: 'x' }]), 400, 'reserved_claim');
      assert.deepEqual(rows('user_id', bob.id), ['keep=me']);
      assert.deepEqual(rows('user_group_id', groupId), ['site=hq']);
    });

    it('validates the body', async () => {
      const expectFields = async (res, message, fields) => {
        const body = await expectError(res, 400, 'validation_failed', message);
        assert.deepEqual(body.details, { fields });
      };
      await expectFields(await putUser(bob.id, [{ key: 'ok', value: '1' }, { key: '', value: '' }]), 'Key is required, value is required', [
        { field: 'key', code: 'required', message: 'is required' },
        { field: 'value', code: 'required', message: 'is required' },
      ]);
      await expectFields(await putUser(bob.id, [{ key: 'k' }]), 'Value is required', [{ field: 'value', code: 'required', message: 'is required' }]);
      await expectFields(await putUser(bob.id, '[null]'), 'Key is required, value is required', [
        { field: 'key', code: 'required', message: 'is required' },
        { field: 'value', code: 'required', message: 'is required' },
      ]);
      await expectFields(await putGroup(groupId, [{ value: 'v' }]), 'Key is required', [{ field: 'key', code: 'required', message: 'is required' }]);
      for (const bad of ['{}', '[1]', '[{"key":1,"value":"x"}]', '[{"key":"k","value":2}]', '[']) {
        await expectError(await putUser(bob.id, bad), 400, 'invalid_request_body', 'Request body is invalid');
      }
      await expectError(await putUser(bob.id, '[]', { headers: { 'Content-Type': 'text/plain' } }), 400, 'invalid_request_body');
      // Validation happens before the owner lookup.
      await expectError(await putUser(randomUUID(), [{ key: '', value: 'x' }]), 400, 'validation_failed');
      assert.deepEqual(rows('user_id', bob.id), ['keep=me']);
    });

    it('answers 404 for unknown owners, before checking the claim rules', async () => {
      for (const id of [randomUUID(), 'not-a-uuid']) {
        await expectError(await putUser(id, [{ key: 'a', value: '1' }]), 404, 'user_not_found', 'User not found');
        await expectError(await putUser(id, [{ key: 'sub', value: '1' }]), 404, 'user_not_found');
        const body = await expectError(await putGroup(id, [{ key: 'a', value: '1' }, { key: 'a', value: '2' }]), 404, 'not_found', 'User group not found');
        assert.deepEqual(body.details, { resource: 'User group' });
      }
      assert.deepEqual(sql(`SELECT COUNT(*) FROM custom_claims WHERE key = 'a'`), ['0']);
    });

    it('suggests every key in use, most used first', async () => {
      sql('DELETE FROM custom_claims');
      assert.deepEqual(await ok(await asAdmin('/api/custom-claims/suggestions')), []);
      const other = await ok(await asAdmin('/api/user-groups', { method: 'POST', body: { friendlyName: 'Other', name: 'other' } }), 201);
      await ok(await putUser(bob.id, [{ key: 'team', value: 'a' }, { key: 'zone', value: '1' }]));
      await ok(await putUser(adminId, [{ key: 'team', value: 'b' }, { key: 'org', value: 'x' }]));
      await ok(await putGroup(groupId, [{ key: 'team', value: 'c' }, { key: 'org', value: 'y' }]));
      await ok(await putGroup(other.id, [{ key: 'alpha', value: 'z' }]));
      assert.deepEqual(await ok(await asAdmin('/api/custom-claims/suggestions')), ['team', 'org', 'alpha', 'zone']);
      assert.deepEqual(await ok(await api('/api/custom-claims/suggestions', { key: apiKey })), ['team', 'org', 'alpha', 'zone']);
    });
  });
}
