// The user-group admin API (management.md §1.2) over HTTP: list (search, sort incl. userCount, pagination), get,
// create, update, delete, members and allowed OIDC clients, with an admin session and an admin API key; 401/403,
// validation errors, 404, 409 and the LDAP rule. Then what groups mean for OIDC (protocol side, unchanged here):
// the `groups` claim carries group names, group claims merge under the user's own, and a group-restricted client
// refuses users outside its groups — on SQLite and PostgreSQL.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID, randomBytes } from 'node:crypto';
import { engines, postgresUrl, startInstance, setupFirstAdmin, runSql, runCli, cleanup, cookieValue } from './lib/server.mjs';
import { apiClient, sqlDialect, insertApiKey } from './lib/api.mjs';

const MINIMAL_KEYS = ['id', 'friendlyName', 'name', 'customClaims', 'userCount', 'ldapId', 'createdAt'];
const GROUP_KEYS = ['id', 'friendlyName', 'name', 'customClaims', 'ldapId', 'createdAt', 'users', 'allowedOidcClients'];
const USER_KEYS = ['id', 'username', 'email', 'emailVerified', 'firstName', 'lastName', 'displayName', 'isAdmin', 'locale', 'customClaims', 'userGroups', 'ldapId', 'disabled'];
const CALLBACK = 'http://localhost:7777/callback';

for (const engine of engines) {
  describe(`user groups on ${engine}`, { skip: engine === 'postgres' && !postgresUrl ? 'PID_TEST_POSTGRES_URL is not set' : false }, () => {
    let server;
    let admin; // access_token cookie of the first admin (tim)
    let adminId;
    let bob; // { id, cookie }: not an admin
    let carol; // { id, cookie }: not an admin
    const apiKey = randomBytes(16).toString('hex');

    const sql = (statement) => runSql(server, engine, statement);
    const { now, bool } = sqlDialect(engine);

    const { api, ok, expectError } = apiClient(() => server);
    const asAdmin = (p, init = {}) => api(p, { ...init, cookie: admin });
    const expectFields = async (res, message, fields) => {
      const body = await expectError(res, 400, 'validation_failed', message);
      assert.deepEqual(body.details, { fields });
    };
    const createGroup = async (friendlyName, name, init = {}) =>
      ok(await asAdmin('/api/user-groups', { method: 'POST', body: { friendlyName, name }, ...init }), 201);

    // A user inserted by hand, signed in with a CLI login code.
    async function createUser(username) {
      const id = randomUUID();
      sql(`INSERT INTO users (id, created_at, username, email, first_name, last_name, display_name, is_admin, disabled, email_verified)
           VALUES ('${id}', ${now()}, '${username}', '${username}@example.com', '${username[0].toUpperCase()}${username.slice(1)}', 'Test', '${username} Test', ${bool(false)}, ${bool(false)}, ${bool(true)})`);
      const cli = await runCli(['one-time-access-token', username], { env: server.env, cwd: server.cwd });
      assert.equal(cli.code, 0, cli.stderr);
      const code = cli.stdout.match(/\/lc\/([A-Za-z0-9]+)/)[1];
      const login = await api(`/api/one-time-access-token/${code}`, { method: 'POST' });
      assert.equal(login.status, 200, await login.clone().text());
      return { id, cookie: cookieValue(login, 'access_token') };
    }

    before(async () => {
      server = await startInstance(engine);
      admin = await setupFirstAdmin(server);
      adminId = sql("SELECT id FROM users WHERE username = 'tim'")[0];
      insertApiKey(sql, engine, adminId, apiKey); // an admin API key
      bob = await createUser('bob');
      carol = await createUser('carol');
    });
    after(async () => {
      await server?.stop();
      if (server) cleanup(server.cwd);
    });

    it('is for admins only: 401 signed out, 403 for other users, an admin API key works', async () => {
      const id = randomUUID();
      const routes = [
        ['GET', '/api/user-groups'],
        ['POST', '/api/user-groups', { friendlyName: 'xx', name: 'xx' }],
        ['GET', `/api/user-groups/${id}`],
        ['PUT', `/api/user-groups/${id}`, { friendlyName: 'xx', name: 'xx' }],
        ['DELETE', `/api/user-groups/${id}`],
        ['PUT', `/api/user-groups/${id}/users`, { userIds: [] }],
        ['PUT', `/api/user-groups/${id}/allowed-oidc-clients`, { oidcClientIds: [] }],
      ];
      for (const [method, p, body] of routes) {
        await expectError(await api(p, { method, body }), 401, 'not_signed_in', 'You are not signed in');
        await expectError(await api(p, { method, body, cookie: bob.cookie }), 403, 'forbidden', "You don't have permission to perform this action");
        await expectError(await api(p, { method, body, key: 'wrong-key' }), 401);
      }
      // Authentication is checked before the body: an invalid body from a stranger is still 401.
      await expectError(await api('/api/user-groups', { method: 'POST', body: '{' }), 401, 'not_signed_in');

      const viaKey = await createGroup('Key made', 'key-made', { cookie: undefined, key: apiKey });
      assert.equal(viaKey.name, 'key-made');
      const list = await ok(await api('/api/user-groups?search=key-made', { key: apiKey }));
      assert.deepEqual(list.data.map((g) => g.id), [viaKey.id]);
      assert.equal((await ok(await api(`/api/user-groups/${viaKey.id}`, { key: apiKey }))).id, viaKey.id);
      const renamed = await ok(await api(`/api/user-groups/${viaKey.id}`, { method: 'PUT', key: apiKey, body: { friendlyName: 'Key renamed', name: 'key-made' } }));
      assert.equal(renamed.friendlyName, 'Key renamed');
      await ok(await api(`/api/user-groups/${viaKey.id}/users`, { method: 'PUT', key: apiKey, body: { userIds: [bob.id] } }));
      await ok(await api(`/api/user-groups/${viaKey.id}/allowed-oidc-clients`, { method: 'PUT', key: apiKey, body: { oidcClientIds: [] } }));
      assert.equal((await api(`/api/user-groups/${viaKey.id}`, { method: 'DELETE', key: apiKey })).status, 204);
    });

    it('creates a group: 201 UserGroupDto, stored row, NFC-normalised names', async () => {
      const created = await createGroup('Dev team', 'developers');
      assert.deepEqual(Object.keys(created), GROUP_KEYS);
      assert.match(created.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.equal(created.friendlyName, 'Dev team');
      assert.equal(created.name, 'developers');
      assert.deepEqual(created.customClaims, []);
      assert.equal(created.ldapId, null);
      assert.match(created.createdAt, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
      assert.ok(Math.abs(Date.parse(created.createdAt) - Date.now()) < 60_000);
      assert.deepEqual(created.users, []);
      assert.deepEqual(created.allowedOidcClients, []);
      const row = sql(`SELECT friendly_name || '|' || name || '|' || COALESCE(CAST(updated_at AS TEXT), 'null') FROM user_groups WHERE id = '${created.id}'`);
      assert.deepEqual(row, ['Dev team|developers|null']);

      // "é" sent decomposed (e + U+0301) is stored composed, as Pocket ID's unorm:"nfc" binding does.
      const nfc = await createGroup('Cafe\u0301 crew', 'cafe\u0301');
      assert.equal(nfc.friendlyName, 'Caf\u00e9 crew');
      assert.equal(nfc.name, 'caf\u00e9');
      assert.deepEqual(sql(`SELECT name FROM user_groups WHERE id = '${nfc.id}'`), ['caf\u00e9']);
    });

    it('validates the body and refuses a taken name', async () => {
      const post = (body, headers) => asAdmin('/api/user-groups', { method: 'POST', body, headers });
      await expectFields(await post({}), 'FriendlyName is required, name is required', [
        { field: 'friendlyName', code: 'required', message: 'is required' },
        { field: 'name', code: 'required', message: 'is required' },
      ]);
      await expectFields(await post({ friendlyName: 'x', name: 'y'.repeat(256) }), 'FriendlyName must be at least 2 characters long, name must be at most 255 characters long', [
        { field: 'friendlyName', code: 'too_short', message: 'must be at least 2 characters long' },
        { field: 'name', code: 'too_long', message: 'must be at most 255 characters long' },
      ]);
      await expectFields(await post({ friendlyName: 'f'.repeat(51), name: 'ok' }), 'FriendlyName must be at most 50 characters long', [
        { field: 'friendlyName', code: 'too_long', message: 'must be at most 50 characters long' },
      ]);
      await expectError(await post({ friendlyName: 5, name: 'ok' }), 400, 'invalid_request_body', 'Request body is invalid');
      await expectError(await post('[]'), 400, 'invalid_request_body');
      await expectError(await post('{"friendlyName":', {}), 400, 'invalid_request_body');
      await expectError(await post({ friendlyName: 'ok', name: 'ok' }, { 'Content-Type': 'text/plain' }), 400, 'invalid_request_body');
      // 50 and 255 characters (counted in code points) are fine.
      await createGroup('é'.repeat(50), 'n'.repeat(255));

      await createGroup('Taken', 'taken');
      const dup = await expectError(await post({ friendlyName: 'Other', name: 'taken' }), 409, 'already_in_use', 'Name is already in use');
      assert.deepEqual(dup.details, { property: 'name' });
      assert.deepEqual(sql("SELECT COUNT(*) FROM user_groups WHERE name = 'taken'"), ['1']);
    });

    it('gets a group with its members, claims and allowed clients; 404 for unknown ids', async () => {
      const group = await createGroup('Readers', 'readers');
      await ok(await asAdmin(`/api/user-groups/${group.id}/users`, { method: 'PUT', body: { userIds: [bob.id] } }));
      await ok(await asAdmin(`/api/custom-claims/user-group/${group.id}`, { method: 'PUT', body: [{ key: 'shelf', value: 'A' }] }));
      // Bob's own claims and other groups are not part of the member entries (Pocket ID loads only the users).
      await ok(await asAdmin(`/api/custom-claims/user/${bob.id}`, { method: 'PUT', body: [{ key: 'desk', value: '7' }] }));
      const client = await ok(await asAdmin('/api/oidc/clients', { method: 'POST', body: { name: 'Library', callbackURLs: [CALLBACK] } }), 201);
      await ok(await asAdmin(`/api/user-groups/${group.id}/allowed-oidc-clients`, { method: 'PUT', body: { oidcClientIds: [client.id] } }));

      const got = await ok(await asAdmin(`/api/user-groups/${group.id}`));
      assert.deepEqual(Object.keys(got), GROUP_KEYS);
      assert.deepEqual(got.customClaims, [{ key: 'shelf', value: 'A' }]);
      assert.equal(got.users.length, 1);
      assert.deepEqual(Object.keys(got.users[0]), USER_KEYS);
      assert.deepEqual(got.users[0], {
        id: bob.id, username: 'bob', email: 'bob@example.com', emailVerified: true, firstName: 'Bob', lastName: 'Test',
        displayName: 'bob Test', isAdmin: false, locale: null, customClaims: [], userGroups: [], ldapId: null, disabled: false,
      });
      assert.deepEqual(got.allowedOidcClients, [{
        id: client.id, name: 'Library', description: '', hasLogo: false, hasDarkLogo: false, launchURL: null,
        requiresReauthentication: false, clientType: 'standard',
      }]);

      for (const id of [randomUUID(), 'not-a-uuid']) {
        const res = await expectError(await asAdmin(`/api/user-groups/${id}`), 404, 'not_found', 'User group not found');
        assert.deepEqual(res.details, { resource: 'User group' });
      }
    });

    it('updates a group (bumping updated_at), with the same validation, 404 and 409', async () => {
      const group = await createGroup('Before', 'before');
      const other = await createGroup('Other', 'other-name');
      const put = (id, body) => asAdmin(`/api/user-groups/${id}`, { method: 'PUT', body });
      const updated = await ok(await put(group.id, { friendlyName: 'After', name: 'after' }));
      assert.deepEqual(Object.keys(updated), GROUP_KEYS);
      assert.equal(updated.friendlyName, 'After');
      assert.equal(updated.name, 'after');
      assert.equal(updated.createdAt, group.createdAt);
      assert.notEqual(sql(`SELECT COALESCE(CAST(updated_at AS TEXT), 'null') FROM user_groups WHERE id = '${group.id}'`)[0], 'null');
      // Keeping its own name is not a conflict; taking another group's is.
      await ok(await put(group.id, { friendlyName: 'After 2', name: 'after' }));
      const dup = await expectError(await put(group.id, { friendlyName: 'x2', name: 'other-name' }), 409, 'already_in_use', 'Name is already in use');
      assert.deepEqual(dup.details, { property: 'name' });
      await expectFields(await put(group.id, { friendlyName: 'ok' }), 'Name is required', [{ field: 'name', code: 'required', message: 'is required' }]);
      await expectError(await put(randomUUID(), { friendlyName: 'ok', name: 'ok' }), 404, 'not_found', 'User group not found');
      // Validation comes before the lookup.
      await expectError(await put(randomUUID(), {}), 400, 'validation_failed');
      assert.deepEqual(sql(`SELECT friendly_name FROM user_groups WHERE id = '${other.id}'`), ['Other']);
    });

    it('deletes a group with its memberships, claims and client links', async () => {
      const group = await createGroup('Doomed', 'doomed');
      await ok(await asAdmin(`/api/user-groups/${group.id}/users`, { method: 'PUT', body: { userIds: [bob.id, carol.id] } }));
      await ok(await asAdmin(`/api/custom-claims/user-group/${group.id}`, { method: 'PUT', body: [{ key: 'fate', value: 'sealed' }] }));
      const client = await ok(await asAdmin('/api/oidc/clients', { method: 'POST', body: { name: 'Doomed RP', callbackURLs: [CALLBACK] } }), 201);
      await ok(await asAdmin(`/api/user-groups/${group.id}/allowed-oidc-clients`, { method: 'PUT', body: { oidcClientIds: [client.id] } }));

      const res = await asAdmin(`/api/user-groups/${group.id}`, { method: 'DELETE' });
      assert.equal(res.status, 204);
      assert.equal(await res.text(), '');
      assert.deepEqual(sql(`SELECT COUNT(*) FROM user_groups WHERE id = '${group.id}'`), ['0']);
      assert.deepEqual(sql(`SELECT COUNT(*) FROM user_groups_users WHERE user_group_id = '${group.id}'`), ['0']);
      assert.deepEqual(sql(`SELECT COUNT(*) FROM custom_claims WHERE user_group_id = '${group.id}'`), ['0']);
      assert.deepEqual(sql(`SELECT COUNT(*) FROM oidc_clients_allowed_user_groups WHERE oidc_client_id = '${client.id}'`), ['0']);
      assert.deepEqual(sql(`SELECT COUNT(*) FROM users WHERE id IN ('${bob.id}', '${carol.id}')`), ['2']);
      await expectError(await asAdmin(`/api/user-groups/${group.id}`, { method: 'DELETE' }), 404, 'not_found', 'User group not found');
    });

    it('keeps LDAP groups read-only while LDAP is enabled', async () => {
      const group = await createGroup('Directory', 'directory');
      sql(`UPDATE user_groups SET ldap_id = 'cn=directory,ou=groups' WHERE id = '${group.id}'`);
      assert.equal((await ok(await asAdmin(`/api/user-groups/${group.id}`))).ldapId, 'cn=directory,ou=groups');
      sql(`INSERT INTO app_config (key, value, updated_at) VALUES ('ldapEnabled', 'true', ${now()})`);
      try {
        await expectError(await asAdmin(`/api/user-groups/${group.id}`, { method: 'PUT', body: { friendlyName: 'Changed', name: 'directory' } }), 403, 'ldap_user_group_update', "LDAP user groups can't be updated");
        await expectError(await asAdmin(`/api/user-groups/${group.id}`, { method: 'DELETE' }), 403, 'ldap_user_group_update');
        // Members and clients are not covered by the rule (as in Pocket ID).
        await ok(await asAdmin(`/api/user-groups/${group.id}/users`, { method: 'PUT', body: { userIds: [carol.id] } }));
        // Groups without an LDAP id stay editable.
        const plain = await createGroup('Plain', 'plain');
        await ok(await asAdmin(`/api/user-groups/${plain.id}`, { method: 'PUT', body: { friendlyName: 'Plain 2', name: 'plain' } }));
      } finally {
        sql("DELETE FROM app_config WHERE key = 'ldapEnabled'");
      }
      await ok(await asAdmin(`/api/user-groups/${group.id}`, { method: 'PUT', body: { friendlyName: 'Changed', name: 'directory' } }));
      assert.equal((await asAdmin(`/api/user-groups/${group.id}`, { method: 'DELETE' })).status, 204);
    });

    it('replaces the members: unknown ids ignored, updated_at bumped, 400/404', async () => {
      const group = await createGroup('Crew', 'crew');
      sql(`UPDATE user_groups SET updated_at = NULL WHERE id = '${group.id}'`);
      const put = (id, body) => asAdmin(`/api/user-groups/${id}/users`, { method: 'PUT', body });
      let res = await ok(await put(group.id, { userIds: [carol.id, bob.id, bob.id, randomUUID(), 'junk'] }));
      assert.deepEqual(Object.keys(res), GROUP_KEYS);
      assert.deepEqual(res.users.map((u) => u.username), ['bob', 'carol']);
      assert.deepEqual(sql(`SELECT COUNT(*) FROM user_groups_users WHERE user_group_id = '${group.id}'`), ['2']);
      assert.notEqual(sql(`SELECT COALESCE(CAST(updated_at AS TEXT), 'null') FROM user_groups WHERE id = '${group.id}'`)[0], 'null');

      res = await ok(await put(group.id, { userIds: [null, adminId] }));
      assert.deepEqual(res.users.map((u) => u.username), ['tim']);
      assert.equal(res.users[0].isAdmin, true);
      res = await ok(await put(group.id, { userIds: [] }));
      assert.deepEqual(res.users, []);
      assert.deepEqual(sql(`SELECT COUNT(*) FROM user_groups_users WHERE user_group_id = '${group.id}'`), ['0']);

      await expectFields(await put(group.id, {}), 'UserIds is required', [{ field: 'userIds', code: 'required', message: 'is required' }]);
      await expectFields(await put(group.id, { userIds: null }), 'UserIds is required', [{ field: 'userIds', code: 'required', message: 'is required' }]);
      await expectError(await put(group.id, { userIds: 'x' }), 400, 'invalid_request_body');
      await expectError(await put(group.id, { userIds: [1] }), 400, 'invalid_request_body');
      await expectError(await put(randomUUID(), { userIds: [bob.id] }), 404, 'not_found', 'User group not found');
    });

    it('replaces the allowed OIDC clients: unknown ids ignored, 400/404', async () => {
      const group = await createGroup('Apps', 'apps');
      const a = await ok(await asAdmin('/api/oidc/clients', { method: 'POST', body: { name: 'Alpha app', callbackURLs: [CALLBACK] } }), 201);
      const b = await ok(await asAdmin('/api/oidc/clients', { method: 'POST', body: { id: 'bravo-app', name: 'Bravo app', callbackURLs: [CALLBACK] } }), 201);
      const put = (id, body) => asAdmin(`/api/user-groups/${id}/allowed-oidc-clients`, { method: 'PUT', body });
      let res = await ok(await put(group.id, { oidcClientIds: [b.id, a.id, 'missing', b.id] }));
      assert.deepEqual(Object.keys(res), GROUP_KEYS);
      assert.deepEqual(res.allowedOidcClients.map((c) => c.id), [a.id, 'bravo-app']);
      assert.deepEqual(sql(`SELECT COUNT(*) FROM oidc_clients_allowed_user_groups WHERE user_group_id = '${group.id}'`), ['2']);
      // The client side sees the group too.
      const fromClient = await ok(await asAdmin('/api/oidc/clients/bravo-app'));
      assert.deepEqual(fromClient.allowedUserGroups.map((g) => g.id), [group.id]);

      res = await ok(await put(group.id, { oidcClientIds: [a.id] }));
      assert.deepEqual(res.allowedOidcClients.map((c) => c.name), ['Alpha app']);
      res = await ok(await put(group.id, { oidcClientIds: [] }));
      assert.deepEqual(res.allowedOidcClients, []);
      await expectFields(await put(group.id, {}), 'OidcClientIds is required', [{ field: 'oidcClientIds', code: 'required', message: 'is required' }]);
      await expectError(await put(group.id, { oidcClientIds: {} }), 400, 'invalid_request_body');
      await expectError(await put('nope', { oidcClientIds: [] }), 404, 'not_found', 'User group not found');
    });

    it('lists groups: search by name, sort (userCount too), pagination, real userCount and claims', async () => {
      sql('DELETE FROM user_groups');
      const one = await createGroup('Zeta one', 'list-one');
      const two = await createGroup('Alpha two', 'list-two');
      const three = await createGroup('Mid three', 'list-three');
      await createGroup('Unrelated', 'elsewhere');
      await ok(await asAdmin(`/api/user-groups/${two.id}/users`, { method: 'PUT', body: { userIds: [bob.id, carol.id] } }));
      await ok(await asAdmin(`/api/user-groups/${three.id}/users`, { method: 'PUT', body: { userIds: [bob.id, carol.id, adminId] } }));
      await ok(await asAdmin(`/api/custom-claims/user-group/${one.id}`, { method: 'PUT', body: [{ key: 'tier', value: 'gold' }] }));

      let res = await ok(await asAdmin('/api/user-groups?search=list-&sort[column]=userCount&sort[direction]=desc'));
      assert.deepEqual(res.data.map((g) => g.name), ['list-three', 'list-two', 'list-one']);
      assert.deepEqual(res.data.map((g) => g.userCount), [3, 2, 0]);
      assert.deepEqual(Object.keys(res.data[0]), MINIMAL_KEYS);
      assert.deepEqual(res.data[2].customClaims, [{ key: 'tier', value: 'gold' }]);
      assert.deepEqual(res.data[0].customClaims, []);
      assert.equal(res.data[0].ldapId, null);
      assert.deepEqual(res.pagination, { totalPages: 1, totalItems: 3, currentPage: 1, itemsPerPage: 20 });

      res = await ok(await asAdmin('/api/user-groups?search=list-&sort[column]=userCount&sort[direction]=asc'));
      assert.deepEqual(res.data.map((g) => g.name), ['list-one', 'list-two', 'list-three']);
      res = await ok(await asAdmin('/api/user-groups?sort[column]=friendlyName&sort[direction]=asc'));
      assert.deepEqual(res.data.map((g) => g.friendlyName), ['Alpha two', 'Mid three', 'Unrelated', 'Zeta one']);
      res = await ok(await asAdmin('/api/user-groups?sort[column]=name&sort[direction]=desc'));
      assert.deepEqual(res.data.map((g) => g.name), ['list-two', 'list-three', 'list-one', 'elsewhere']);

      res = await ok(await asAdmin('/api/user-groups?sort[column]=name&sort[direction]=asc&pagination[limit]=3&pagination[page]=2'));
      assert.deepEqual(res.data.map((g) => g.name), ['list-two']);
      assert.deepEqual(res.pagination, { totalPages: 2, totalItems: 4, currentPage: 2, itemsPerPage: 3 });
      // A page past the end is clamped to the last one.
      res = await ok(await asAdmin('/api/user-groups?sort[column]=name&pagination[limit]=3&pagination[page]=9'));
      assert.equal(res.pagination.currentPage, 2);

      res = await ok(await asAdmin('/api/user-groups?search=three'));
      assert.deepEqual(res.data.map((g) => g.id), [three.id]);
      // The search looks at the name only, not the friendly name.
      res = await ok(await asAdmin('/api/user-groups?search=Zeta'));
      assert.deepEqual(res.data, []);
      assert.deepEqual(res.pagination, { totalPages: 1, totalItems: 0, currentPage: 1, itemsPerPage: 20 });
    });

    describe('what groups mean for OIDC (protocol side)', () => {
      let group;
      let client; // { id, secret }

      // Follows the interaction (if any) the way the SPA does, completing each step with `cookie`; returns the final
      // /authorize response (the approach of oidc-interactions.test.mjs).
      async function authorize(params, cookie) {
        const q = new URLSearchParams({ client_id: client.id, response_type: 'code', redirect_uri: CALLBACK, scope: 'openid profile email groups', state: 'st-' + randomUUID(), ...params });
        let res = await api(`/authorize?${q}`, { cookie });
        const location = res.headers.get('location') ?? '';
        const m = /^\/interaction\?interaction=([0-9a-f-]{36})$/.exec(location);
        if (res.status === 302 && m) {
          for (let i = 0; ; i++) {
            assert.ok(i < 5, 'interaction does not finish');
            const interaction = await ok(await api(`/api/oidc/interactions/${m[1]}`));
            const done = await ok(await api(`/api/oidc/interactions/${m[1]}/complete`, { method: 'POST', cookie, body: { step: (interaction.interaction ?? interaction).currentStep } }));
            if (done.redirectUrl) {
              res = await api(done.redirectUrl, { cookie });
              break;
            }
          }
        }
        return res;
      }

      before(async () => {
        sql('DELETE FROM user_groups'); // bob and carol belong to no other group
        group = await createGroup('Dashy admins', 'admins');
        await ok(await asAdmin(`/api/user-groups/${group.id}/users`, { method: 'PUT', body: { userIds: [bob.id] } }));
        await ok(await asAdmin(`/api/custom-claims/user-group/${group.id}`, { method: 'PUT', body: [{ key: 'team', value: 'group-team' }, { key: 'org', value: 'acme' }] }));
        await ok(await asAdmin(`/api/custom-claims/user/${bob.id}`, { method: 'PUT', body: [{ key: 'team', value: 'bob-team' }] }));
        const created = await ok(await asAdmin('/api/oidc/clients', { method: 'POST', body: { name: 'Dashy', callbackURLs: [CALLBACK], isGroupRestricted: true, skipConsent: true } }), 201);
        const secret = await ok(await asAdmin(`/api/oidc/clients/${created.id}/secrets`, { method: 'POST', body: {} }), 201);
        client = { id: created.id, secret: secret.secret };
        await ok(await asAdmin(`/api/user-groups/${group.id}/allowed-oidc-clients`, { method: 'PUT', body: { oidcClientIds: [client.id] } }));
      });

      it('a member gets groups: ["admins"] and the merged claims in userinfo and the ID token', async () => {
        const res = await authorize({}, bob.cookie);
        assert.equal(res.status, 303, `${res.status} ${res.headers.get('location')}`);
        const callback = new URL(res.headers.get('location'));
        assert.equal(callback.origin + callback.pathname, CALLBACK);
        const code = callback.searchParams.get('code');
        assert.ok(code, callback.href);
        const token = await ok(await fetch(`${server.url}/api/oidc/token`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}` },
          body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: CALLBACK }),
        }));
        const userinfo = await ok(await fetch(`${server.url}/api/oidc/userinfo`, { headers: { Authorization: `Bearer ${token.access_token}` } }));
        assert.equal(userinfo.sub, bob.id);
        assert.deepEqual(userinfo.groups, ['admins']);
        assert.equal(userinfo.team, 'bob-team'); // the user's own claim wins over the group's
        assert.equal(userinfo.org, 'acme');
        const idToken = JSON.parse(Buffer.from(token.id_token.split('.')[1], 'base64url').toString());
        assert.deepEqual(idToken.groups, ['admins']);
        assert.equal(idToken.team, 'bob-team');
        assert.equal(idToken.org, 'acme');
      });

      it('the admin preview shows the same claims', async () => {
        const preview = await ok(await asAdmin(`/api/oidc/clients/${client.id}/preview/${bob.id}?scopes=${encodeURIComponent('openid profile groups')}`));
        assert.deepEqual(preview.userInfo.groups, ['admins']);
        assert.equal(preview.userInfo.team, 'bob-team');
        assert.equal(preview.userInfo.org, 'acme');
        assert.deepEqual(preview.idToken.groups, ['admins']);
        // Renaming the group renames the claim value (the name, not the friendly name, is what tokens carry).
        await ok(await asAdmin(`/api/user-groups/${group.id}`, { method: 'PUT', body: { friendlyName: 'Dashy admins', name: 'dashy-admins' } }));
        const renamed = await ok(await asAdmin(`/api/oidc/clients/${client.id}/preview/${bob.id}?scopes=${encodeURIComponent('openid groups')}`));
        assert.deepEqual(renamed.userInfo.groups, ['dashy-admins']);
        await ok(await asAdmin(`/api/user-groups/${group.id}`, { method: 'PUT', body: { friendlyName: 'Dashy admins', name: 'admins' } }));
      });

      it('a user outside the allowed groups is refused, and let in once added', async () => {
        const denied = await authorize({}, carol.cookie);
        assert.equal(denied.status, 302, `${denied.status} ${denied.headers.get('location')}`);
        const location = denied.headers.get('location');
        assert.match(location, /^\/interaction\/error\?error=/);
        assert.equal(new URLSearchParams(location.slice(location.indexOf('?') + 1)).get('error'), 'You are not allowed to access this service.');
        await expectError(await asAdmin(`/api/oidc/clients/${client.id}/preview/${carol.id}?scopes=openid`), 403, 'oidc_access_denied');

        await ok(await asAdmin(`/api/user-groups/${group.id}/users`, { method: 'PUT', body: { userIds: [bob.id, carol.id] } }));
        const allowed = await authorize({}, carol.cookie);
        assert.equal(allowed.status, 303, `${allowed.status} ${allowed.headers.get('location')}`);
        assert.ok(new URL(allowed.headers.get('location')).searchParams.get('code'));
        const preview = await ok(await asAdmin(`/api/oidc/clients/${client.id}/preview/${carol.id}?scopes=${encodeURIComponent('openid profile groups')}`));
        assert.deepEqual(preview.userInfo.groups, ['admins']);
        assert.equal(preview.userInfo.team, 'group-team'); // carol has no own claim: the group's applies
      });
    });
  });
}
