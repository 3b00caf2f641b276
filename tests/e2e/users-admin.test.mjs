// The admin users API (management.md §1.1) over HTTP on SQLite and PostgreSQL: list with search, sort, filters and
// pagination; get, create (validation, duplicates, sign-up default groups and claims), update (admin and self
// rules, email verification, LDAP users), delete (cascade, profile picture file, LDAP rule), group membership;
// admin passkeys and one-time access tokens; every route with an admin session and an admin's API key, refused
// without a session (401) and for non-admins (403); a disabled user's session stops working.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { engines, postgresUrl, startInstance, runSql, cleanup, cookieValue, setupFirstAdmin } from './lib/server.mjs';
import { apiClient, sqlDialect, insertApiKey } from './lib/api.mjs';

const USER_DTO_KEYS = [
  'id', 'username', 'email', 'emailVerified', 'firstName', 'lastName', 'displayName', 'isAdmin', 'locale',
  'customClaims', 'userGroups', 'ldapId', 'disabled',
];

for (const engine of engines) {
  describe(`admin users API on ${engine}`, { skip: engine === 'postgres' && !postgresUrl ? 'PID_TEST_POSTGRES_URL is not set' : false }, () => {
    let server;
    let admin; // access_token cookie of the first admin (tim)
    let adminId;
    const apiKey = `e2e-users-key-${randomUUID()}`;
    let bob; // a non-admin user: { id, cookie }
    let staffId;
    let familyId;

    const sql = (statement) => runSql(server, engine, statement);
    const { now, at, bool } = sqlDialect(engine);
    const setConfig = (key, value) =>
      sql(`INSERT INTO app_config (key, value, updated_at) VALUES ('${key}', '${value}', ${now()})
           ON CONFLICT (key) DO UPDATE SET value = excluded.value`);
    const clearConfig = (key) => sql(`DELETE FROM app_config WHERE key = '${key}'`);

    const { api, json, ok, expectError } = apiClient(() => server);
    const asAdmin = (p, init = {}) => api(p, { ...init, cookie: admin });
    const asKey = (p, init = {}) => api(p, { ...init, key: apiKey });
    const createUser = async (body, via = asAdmin) => ok(await via('/api/users', { method: 'POST', body }), 201);
    const addGroup = (name) => {
      const id = randomUUID();
      sql(`INSERT INTO user_groups (id, created_at, updated_at, friendly_name, name)
           VALUES ('${id}', ${now()}, ${at(1000)}, '${name[0].toUpperCase() + name.slice(1)}', '${name}')`);
      return id;
    };
    const groupUpdatedAt = (id) =>
      Number(sql(`SELECT ${engine === 'sqlite' ? 'updated_at' : 'extract(epoch from updated_at)::bigint'} FROM user_groups WHERE id = '${id}'`)[0]);
    const signInAs = async (userId) => {
      const created = await ok(await asAdmin(`/api/users/${userId}/one-time-access-token`, { method: 'POST', body: {} }), 201);
      const login = await api(`/api/one-time-access-token/${created.token}`, { method: 'POST' });
      assert.equal(login.status, 200);
      return cookieValue(login, 'access_token');
    };

    before(async () => {
      server = await startInstance(engine, { extra: engine === 'postgres' ? { FILE_BACKEND: 'database' } : {} });
      admin = await setupFirstAdmin(server);
      adminId = (await json(await asAdmin('/api/users/me'))).id;
      insertApiKey(sql, engine, adminId, apiKey); // an API key of the admin
      staffId = addGroup('staff');
      familyId = addGroup('family');
      const created = await createUser({ username: 'bob', email: 'bob@example.com', firstName: 'Bob', lastName: 'Builder', displayName: 'Bob Builder' });
      bob = { id: created.id, cookie: await signInAs(created.id) };
    });
    after(async () => {
      await server?.stop();
      if (server) cleanup(server.cwd);
    });

    it('refuses anonymous callers and non-admins on every admin route', async () => {
      const id = bob.id;
      const routes = [
        ['GET', '/api/users'], ['POST', '/api/users', { username: 'x' }], ['GET', `/api/users/${id}`],
        ['PUT', `/api/users/${id}`, { username: 'x' }], ['DELETE', `/api/users/${id}`], ['GET', `/api/users/${id}/groups`],
        ['PUT', `/api/users/${id}/user-groups`, { userGroupIds: [] }], ['GET', `/api/users/${id}/webauthn-credentials`],
        ['DELETE', `/api/users/${id}/webauthn-credentials/${randomUUID()}`], ['POST', `/api/users/${id}/one-time-access-token`, {}],
      ];
      for (const [method, p, body] of routes) {
        await expectError(await api(p, { method, body }), 401, 'not_signed_in', 'You are not signed in');
        await expectError(await api(p, { method, body, cookie: bob.cookie }), 403, 'forbidden', "You don't have permission to perform this action");
        await expectError(await api(p, { method, body, key: 'not-a-key' }), 401, 'not_signed_in');
      }
      // The user still sees and edits themselves.
      assert.equal((await ok(await api('/api/users/me', { cookie: bob.cookie }))).username, 'bob');
    });

    it('creates users with the DTO shape, chosen ids and admin fields', async () => {
      const created = await createUser({
        username: 'carol', email: 'carol@example.com', firstName: 'Carol', lastName: 'Danvers', displayName: 'Captain',
        isAdmin: true, emailVerified: true, locale: 'de', disabled: false,
      });
      assert.deepEqual(Object.keys(created), USER_DTO_KEYS);
      assert.match(created.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.deepEqual({ ...created, id: undefined }, {
        id: undefined, username: 'carol', email: 'carol@example.com', emailVerified: true, firstName: 'Carol',
        lastName: 'Danvers', displayName: 'Captain', isAdmin: true, locale: 'de', customClaims: [], userGroups: [],
        ldapId: null, disabled: false,
      });
      const row = sql(`SELECT username, is_admin, email_verified, locale FROM users WHERE id = '${created.id}'`)[0];
      assert.equal(row, engine === 'sqlite' ? 'carol|1|1|de' : 'carol|t|t|de');

      const chosen = randomUUID();
      const withId = await createUser({ id: chosen, username: 'dan', email: 'dan@example.com', disabled: true }, asKey);
      assert.equal(withId.id, chosen);
      assert.equal(withId.disabled, true);
      assert.equal(withId.displayName, ''); // stored as sent, like Pocket ID
      assert.equal(withId.firstName, '');
      assert.equal(withId.locale, null);
    });

    it('validates the body field by field', async () => {
      const res = await asAdmin('/api/users', {
        method: 'POST',
        body: { id: 'not-a-uuid', username: '-bad-', email: 'nope', firstName: 'x'.repeat(51), displayName: 'y'.repeat(101) },
      });
      const body = await expectError(res, 400, 'validation_failed');
      assert.deepEqual(body.details.fields.map((f) => [f.field, f.code]), [
        ['id', 'uuid'], ['username', 'invalid_format'], ['email', 'invalid_format'], ['firstName', 'too_long'], ['displayName', 'too_long'],
      ]);
      assert.match(body.error, /^Id is invalid, username must only contain letters/);

      await expectError(await asAdmin('/api/users', { method: 'POST', body: { email: 'a@example.com' } }), 400, 'validation_failed', 'Username is required');
      await expectError(await asAdmin('/api/users', { method: 'POST', body: { username: 'x'.repeat(51), email: 'a@example.com' } }),
        400, 'validation_failed', 'Username must be at most 50 characters long');
      // requireUserEmail is on by default.
      const missing = await expectError(await asAdmin('/api/users', { method: 'POST', body: { username: 'noemail' } }), 400, 'validation_failed', 'Email is required');
      assert.deepEqual(missing.details.fields, [{ field: 'email', code: 'required', message: 'is required' }]);
      setConfig('requireUserEmail', 'false');
      try {
        const created = await createUser({ username: 'noemail' });
        assert.equal(created.email, null);
      } finally {
        clearConfig('requireUserEmail');
      }
      // Not JSON, wrong types.
      await expectError(await asAdmin('/api/users', { method: 'POST', body: 'username=x', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }),
        400, 'invalid_request_body');
      await expectError(await asAdmin('/api/users', { method: 'POST', body: { username: 'x', email: 'x@example.com', isAdmin: 'yes' } }), 400, 'invalid_request_body');
    });

    it('reports duplicates as already_in_use, email first', async () => {
      const dupEmail = await expectError(await asAdmin('/api/users', { method: 'POST', body: { username: 'BOB', email: 'bob@example.com' } }),
        409, 'already_in_use', 'Email is already in use');
      assert.deepEqual(dupEmail.details, { property: 'email' });
      const dupName = await expectError(await asAdmin('/api/users', { method: 'POST', body: { username: 'BOB', email: 'bob2@example.com' } }),
        409, 'already_in_use', 'Username is already in use');
      assert.deepEqual(dupName.details, { property: 'username' });
      assert.equal(sql("SELECT COUNT(*) FROM users WHERE email = 'bob2@example.com'")[0], '0');
    });

    it('joins requested groups or the sign-up default groups, and adds the default claims', async () => {
      const explicit = await createUser({ username: 'erin', email: 'erin@example.com', userGroupIds: [staffId, randomUUID(), 'junk'] });
      assert.deepEqual(explicit.userGroups.map((g) => g.name), ['staff']);
      assert.deepEqual(Object.keys(explicit.userGroups[0]), ['id', 'friendlyName', 'name', 'customClaims', 'userCount', 'ldapId', 'createdAt']);
      assert.deepEqual({ ...explicit.userGroups[0], createdAt: undefined },
        { id: staffId, friendlyName: 'Staff', name: 'staff', customClaims: [], userCount: 0, ldapId: null, createdAt: undefined });
      assert.ok(groupUpdatedAt(staffId) > 1000, 'the joined group was touched');
      assert.equal(groupUpdatedAt(familyId), 1000);

      setConfig('signupDefaultUserGroupIDs', JSON.stringify([familyId, randomUUID()]));
      setConfig('signupDefaultCustomClaims', JSON.stringify([{ key: 'department', value: 'sales' }, { key: 'level', value: '3' }]));
      try {
        const defaulted = await createUser({ username: 'frank', email: 'frank@example.com' });
        assert.deepEqual(defaulted.userGroups.map((g) => g.id), [familyId]);
        assert.deepEqual(defaulted.customClaims, [{ key: 'department', value: 'sales' }, { key: 'level', value: '3' }]);
        assert.ok(groupUpdatedAt(familyId) > 1000);
        // Asked-for groups replace the default groups; the default claims still apply.
        const own = await createUser({ username: 'gina', email: 'gina@example.com', userGroupIds: [staffId] });
        assert.deepEqual(own.userGroups.map((g) => g.id), [staffId]);
        assert.equal(own.customClaims.length, 2);
        assert.equal(sql(`SELECT COUNT(*) FROM custom_claims WHERE user_id = '${own.id}'`)[0], '2');
      } finally {
        clearConfig('signupDefaultUserGroupIDs');
        clearConfig('signupDefaultCustomClaims');
      }
    });

    it('gets one user, or user_not_found', async () => {
      const got = await ok(await asAdmin(`/api/users/${bob.id}`));
      assert.deepEqual(Object.keys(got), USER_DTO_KEYS);
      assert.equal(got.username, 'bob');
      assert.equal((await ok(await asKey(`/api/users/${bob.id}`))).id, bob.id);
      await expectError(await asAdmin(`/api/users/${randomUUID()}`), 404, 'user_not_found', 'User not found');
      await expectError(await asAdmin('/api/users/not-a-uuid'), 404, 'user_not_found');
    });

    it('lists users with search, sort, filters and pagination', async () => {
      const all = await ok(await asAdmin('/api/users?pagination[limit]=100'));
      assert.deepEqual(Object.keys(all), ['data', 'pagination']);
      const total = Number(sql('SELECT COUNT(*) FROM users')[0]);
      assert.equal(all.pagination.totalItems, total);
      assert.equal(all.data.length, total);
      assert.deepEqual(Object.keys(all.data[0]), USER_DTO_KEYS);
      // Claims and groups come with every user of the page.
      const frank = all.data.find((u) => u.username === 'frank');
      assert.equal(frank.customClaims.length, 2);
      assert.equal(frank.userGroups[0].name, 'family');

      const byName = await ok(await asAdmin('/api/users?sort[column]=username&sort[direction]=desc&pagination[limit]=3&pagination[page]=1'));
      const names = all.data.map((u) => u.username).sort((a, b) => b.localeCompare(a, 'en', { sensitivity: 'base' }));
      assert.deepEqual(byName.data.map((u) => u.username), names.slice(0, 3));
      assert.deepEqual(byName.pagination, { totalPages: Math.ceil(total / 3), totalItems: total, currentPage: 1, itemsPerPage: 3 });
      const page2 = await ok(await asKey('/api/users?sort[column]=username&sort[direction]=desc&pagination[limit]=3&pagination[page]=2'));
      assert.deepEqual(page2.data.map((u) => u.username), names.slice(3, 6));
      // A page past the end is clamped to the last one.
      const clamped = await ok(await asAdmin('/api/users?pagination[limit]=3&pagination[page]=999'));
      assert.equal(clamped.pagination.currentPage, Math.ceil(total / 3));

      const admins = await ok(await asAdmin('/api/users?filters[isAdmin]=true&sort[column]=username'));
      assert.deepEqual(admins.data.map((u) => u.username), ['carol', 'tim']);
      const disabled = await ok(await asAdmin('/api/users?filters[disabled]=true'));
      assert.deepEqual(disabled.data.map((u) => u.username), ['dan']);
      const verified = await ok(await asAdmin('/api/users?filters[emailVerified]=true&filters[isAdmin]=false'));
      assert.ok(verified.data.every((u) => u.emailVerified && !u.isAdmin));

      const search = await ok(await asAdmin('/api/users?search=builder'));
      assert.deepEqual(search.data.map((u) => u.username), engine === 'sqlite' ? ['bob'] : []);
      const byEmail = await ok(await asAdmin('/api/users?search=example.com&sort[column]=email&sort[direction]=asc&pagination[limit]=2'));
      assert.equal(byEmail.data[0].email, 'bob@example.com');
      const byUsername = await ok(await asAdmin('/api/users?search=CARO'));
      // Plain LIKE as in Pocket ID: case-insensitive on SQLite; on PostgreSQL only username (citext) ignores case.
      assert.deepEqual(byUsername.data.map((u) => u.username), ['carol']);
      const none = await ok(await asAdmin('/api/users?search=zzz-nobody'));
      assert.deepEqual(none, { data: [], pagination: { totalPages: 1, totalItems: 0, currentPage: 1, itemsPerPage: 20 } });
    });

    it('updates users with the admin rules', async () => {
      const u = await createUser({ username: 'hank', email: 'hank@example.com', emailVerified: true });
      const updated = await ok(await asAdmin(`/api/users/${u.id}`, {
        method: 'PUT',
        body: { username: 'henry', email: 'henry@example.com', firstName: 'Henry', lastName: 'Ford', displayName: 'HF', isAdmin: true, emailVerified: true, locale: 'fr', disabled: false },
      }));
      assert.deepEqual(Object.keys(updated), USER_DTO_KEYS);
      assert.deepEqual([updated.username, updated.email, updated.firstName, updated.displayName, updated.isAdmin, updated.emailVerified, updated.locale],
        ['henry', 'henry@example.com', 'Henry', 'HF', true, true, 'fr']);
      // The admin's body decides emailVerified (an absent flag is false), even when the email stays.
      const again = await ok(await asKey(`/api/users/${u.id}`, { method: 'PUT', body: { username: 'henry', email: 'henry@example.com' } }));
      assert.equal(again.emailVerified, false);
      assert.equal(again.isAdmin, false);
      assert.equal(again.locale, null);
      // Ids in the body are ignored by updates.
      const ignored = await ok(await asAdmin(`/api/users/${u.id}`, { method: 'PUT', body: { id: randomUUID(), username: 'henry', email: 'henry@example.com' } }));
      assert.equal(ignored.id, u.id);

      await expectError(await asAdmin(`/api/users/${u.id}`, { method: 'PUT', body: { username: 'henry', email: 'bob@example.com' } }),
        409, 'already_in_use', 'Email is already in use');
      await expectError(await asAdmin(`/api/users/${u.id}`, { method: 'PUT', body: { username: 'Bob', email: 'henry@example.com' } }),
        409, 'already_in_use', 'Username is already in use');
      const invalid = await expectError(await asAdmin(`/api/users/${u.id}`, { method: 'PUT', body: { username: 'a b', email: 'henry@example.com' } }), 400, 'validation_failed');
      assert.equal(invalid.details.fields[0].field, 'username');
      await expectError(await asAdmin(`/api/users/${u.id}`, { method: 'PUT', body: { username: 'henry' } }), 400, 'validation_failed', 'Email is required');
      await expectError(await asAdmin(`/api/users/${randomUUID()}`, { method: 'PUT', body: { username: 'x', email: 'x@example.com' } }), 404, 'user_not_found');
    });

    it('shares the update rules with PUT /api/users/me', async () => {
      const ivy = await createUser({ username: 'ivy', email: 'ivy@example.com', emailVerified: false });
      const cookie = await signInAs(ivy.id);
      // A new email takes the emailsVerified setting; the admin-only fields in the body are ignored.
      setConfig('emailsVerified', 'true');
      let me = await ok(await api('/api/users/me', { method: 'PUT', cookie, body: { username: 'ivy2', email: 'ivy2@example.com', isAdmin: true, emailVerified: false, disabled: true } }));
      assert.deepEqual([me.username, me.emailVerified, me.isAdmin, me.disabled], ['ivy2', true, false, false]);
      clearConfig('emailsVerified');
      me = await ok(await api('/api/users/me', { method: 'PUT', cookie, body: { username: 'ivy2', email: 'ivy3@example.com' } }));
      assert.equal(me.emailVerified, false);
      // Own edits switched off: only the locale changes, silently.
      setConfig('allowOwnAccountEdit', 'false');
      try {
        me = await ok(await api('/api/users/me', { method: 'PUT', cookie, body: { username: 'renamed', email: 'ivy3@example.com', locale: 'nl' } }));
        assert.deepEqual([me.username, me.locale], ['ivy2', 'nl']);
        // Admins still edit everything.
        const byAdmin = await ok(await asAdmin(`/api/users/${ivy.id}`, { method: 'PUT', body: { username: 'ivy4', email: 'ivy3@example.com' } }));
        assert.equal(byAdmin.username, 'ivy4');
      } finally {
        clearConfig('allowOwnAccountEdit');
      }
    });

    it('keeps LDAP users read-only while LDAP is enabled', async () => {
      const jan = await createUser({ username: 'jan', email: 'jan@example.com' });
      sql(`UPDATE users SET ldap_id = 'ldap-jan' WHERE id = '${jan.id}'`);
      setConfig('ldapEnabled', 'true');
      try {
        const res = await ok(await asAdmin(`/api/users/${jan.id}`, { method: 'PUT', body: { username: 'janet', email: 'janet@example.com', isAdmin: true, locale: 'sv' } }));
        assert.deepEqual([res.username, res.email, res.isAdmin, res.locale, res.ldapId], ['jan', 'jan@example.com', false, 'sv', 'ldap-jan']);
        await expectError(await asAdmin(`/api/users/${jan.id}`, { method: 'DELETE' }), 403, 'ldap_user_update', "LDAP users can't be updated");
        // A disabled LDAP user may be deleted.
        sql(`UPDATE users SET disabled = ${bool(true)} WHERE id = '${jan.id}'`);
        assert.equal((await asAdmin(`/api/users/${jan.id}`, { method: 'DELETE' })).status, 204);
      } finally {
        clearConfig('ldapEnabled');
      }
    });

    it("stops a disabled user's session", async () => {
      const kim = await createUser({ username: 'kim', email: 'kim@example.com' });
      const cookie = await signInAs(kim.id);
      assert.equal((await api('/api/users/me', { cookie })).status, 200);
      const disabled = await ok(await asAdmin(`/api/users/${kim.id}`, { method: 'PUT', body: { username: 'kim', email: 'kim@example.com', disabled: true } }));
      assert.equal(disabled.disabled, true);
      await expectError(await api('/api/users/me', { cookie }), 403, 'user_disabled', 'User account is disabled');
      // Enabled again, the same session works.
      await ok(await asAdmin(`/api/users/${kim.id}`, { method: 'PUT', body: { username: 'kim', email: 'kim@example.com', disabled: false } }));
      assert.equal((await api('/api/users/me', { cookie })).status, 200);
    });

    it('lists and replaces group memberships', async () => {
      const lou = await createUser({ username: 'lou', email: 'lou@example.com', userGroupIds: [staffId] });
      const groups = await ok(await asAdmin(`/api/users/${lou.id}/groups`));
      assert.equal(groups.length, 1);
      assert.deepEqual(Object.keys(groups[0]), ['id', 'friendlyName', 'name', 'customClaims', 'ldapId', 'createdAt', 'users', 'allowedOidcClients']);
      assert.deepEqual({ ...groups[0], createdAt: undefined },
        { id: staffId, friendlyName: 'Staff', name: 'staff', customClaims: [], ldapId: null, createdAt: undefined, users: [], allowedOidcClients: [] });
      assert.match(groups[0].createdAt, /^\d{4}-\d\d-\d\dT/);
      await expectError(await asAdmin(`/api/users/${randomUUID()}/groups`), 404, 'user_not_found');

      sql(`UPDATE user_groups SET updated_at = ${at(1000)}`);
      const replaced = await ok(await asKey(`/api/users/${lou.id}/user-groups`, { method: 'PUT', body: { userGroupIds: [familyId, randomUUID(), familyId] } }));
      assert.deepEqual(Object.keys(replaced), USER_DTO_KEYS);
      assert.deepEqual(replaced.userGroups.map((g) => g.id), [familyId]);
      assert.ok(groupUpdatedAt(familyId) > 1000);
      assert.ok(groupUpdatedAt(staffId) > 1000, 'the group the user left was touched too');
      assert.deepEqual((await ok(await asKey(`/api/users/${lou.id}/groups`))).map((g) => g.name), ['family']);

      const emptied = await ok(await asAdmin(`/api/users/${lou.id}/user-groups`, { method: 'PUT', body: { userGroupIds: [] } }));
      assert.deepEqual(emptied.userGroups, []);
      assert.deepEqual(await ok(await asAdmin(`/api/users/${lou.id}/groups`)), []);
      const required = await expectError(await asAdmin(`/api/users/${lou.id}/user-groups`, { method: 'PUT', body: {} }), 400, 'validation_failed', 'UserGroupIds is required');
      assert.deepEqual(required.details.fields, [{ field: 'userGroupIds', code: 'required', message: 'is required' }]);
      await expectError(await asAdmin(`/api/users/${randomUUID()}/user-groups`, { method: 'PUT', body: { userGroupIds: [] } }), 404, 'user_not_found');
    });

    it("manages a user's passkeys and one-time access tokens", async () => {
      const mia = await createUser({ username: 'mia', email: 'mia@example.com' });
      const credId = randomUUID();
      const blob = (hex) => (engine === 'sqlite' ? `X'${hex}'` : `'\\x${hex}'::bytea`);
      sql(`INSERT INTO webauthn_credentials (id, created_at, name, credential_id, public_key, attestation_type, transport, user_id, backup_eligible, backup_state)
           VALUES ('${credId}', ${now()}, 'YubiKey', ${blob('0a0b0c')}, ${blob('01')}, 'none', '["usb"]', '${mia.id}', ${bool(false)}, ${bool(false)})`);
      const list = await ok(await asAdmin(`/api/users/${mia.id}/webauthn-credentials`));
      assert.deepEqual(list.map((c) => [c.id, c.name]), [[credId, 'YubiKey']]);
      assert.equal((await ok(await asKey(`/api/users/${mia.id}/webauthn-credentials`))).length, 1);
      await expectError(await asAdmin(`/api/users/${randomUUID()}/webauthn-credentials`), 404, 'user_not_found');

      assert.equal((await asAdmin(`/api/users/${mia.id}/webauthn-credentials/${credId}`, { method: 'DELETE' })).status, 204);
      assert.deepEqual(await ok(await asAdmin(`/api/users/${mia.id}/webauthn-credentials`)), []);
      const data = sql(`SELECT ${engine === 'sqlite' ? 'CAST(data AS TEXT)' : 'data::text'} FROM audit_logs WHERE event = 'PASSKEY_REMOVED' AND user_id = '${mia.id}'`);
      assert.equal(data.length, 1);
      const audit = JSON.parse(data[0]);
      assert.equal(audit.passkeyName, 'YubiKey');
      assert.equal(audit.actorUserID, adminId);
      assert.equal(audit.actorUsername, 'tim');

      const token = await ok(await asKey(`/api/users/${mia.id}/one-time-access-token`, { method: 'POST', body: {} }), 201);
      assert.match(token.token, /^[A-Za-z0-9]+$/);
      await expectError(await asAdmin(`/api/users/${randomUUID()}/one-time-access-token`, { method: 'POST', body: {} }), 404, 'user_not_found');
    });

    it('deletes users with their rows and profile picture', async () => {
      const ned = await createUser({ username: 'ned', email: 'ned@example.com', userGroupIds: [staffId] });
      sql(`INSERT INTO custom_claims (id, created_at, key, value, user_id) VALUES ('${randomUUID()}', ${now()}, 'k', 'v', '${ned.id}')`);
      const picture = `profile-pictures/${ned.id}.png`;
      const file = path.join(server.cwd, 'data/uploads', picture);
      if (engine === 'sqlite') {
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, 'png');
      } else {
        sql(`INSERT INTO storage (path, data, size, mod_time, created_at) VALUES ('${picture}', '\\x89'::bytea, 1, now(), now())`);
      }

      assert.equal((await asAdmin(`/api/users/${ned.id}`, { method: 'DELETE' })).status, 204);
      await expectError(await asAdmin(`/api/users/${ned.id}`), 404, 'user_not_found');
      assert.equal(sql(`SELECT (SELECT COUNT(*) FROM user_groups_users WHERE user_id = '${ned.id}') + (SELECT COUNT(*) FROM custom_claims WHERE user_id = '${ned.id}')`)[0], '0');
      if (engine === 'sqlite') assert.equal(existsSync(file), false);
      else assert.equal(sql(`SELECT COUNT(*) FROM storage WHERE path = '${picture}'`)[0], '0');
      await expectError(await asAdmin(`/api/users/${ned.id}`, { method: 'DELETE' }), 404, 'user_not_found');

      // With the API key as well.
      const oz = await createUser({ username: 'oz', email: 'oz@example.com' });
      assert.equal((await asKey(`/api/users/${oz.id}`, { method: 'DELETE' })).status, 204);
      assert.equal(sql(`SELECT COUNT(*) FROM users WHERE id = '${oz.id}'`)[0], '0');
    });
  });
}
