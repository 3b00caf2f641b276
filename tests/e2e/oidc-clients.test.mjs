// The OIDC client admin API (management.md §1.5) and a user's client lists (§1.6) over HTTP: client CRUD and its
// validation, secrets, logos (upload, download by URL refused for private addresses), allowed groups, consents and
// the apps dashboard, admin-only and public routes — on SQLite (logos on the filesystem) and PostgreSQL (logos in
// the `storage` table).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { engines, postgresUrl, startInstance, runCli, cleanup, cookieValue } from './lib/server.mjs';
import { apiClient, sqlDialect } from './lib/api.mjs';

// The shared image fixtures: $PID_FIXTURES_DIR (scripts/test.sh), else ../shared/fixtures beside the repository.
const fixtures = path.join(process.env.PID_FIXTURES_DIR ?? path.resolve(import.meta.dirname, '../../../shared/fixtures'), 'images');

for (const engine of engines) {
  describe(`OIDC client administration on ${engine}`, { skip: engine === 'postgres' && !postgresUrl ? 'PID_TEST_POSTGRES_URL is not set' : false }, () => {
    let server;
    let admin; // access_token cookie of the first admin
    let adminId;
    let bob; // a user without admin rights
    let bobId;
    let teamId; // a group bob belongs to

    const sql = (statement) =>
      (engine === 'sqlite'
        ? execFileSync('sqlite3', ['-batch', '-cmd', '.timeout 5000', `${server.cwd}/data/pocket-id.db`, statement])
        : execFileSync('psql', [server.env.DB_CONNECTION_STRING, '-qAt', '-v', 'ON_ERROR_STOP=1', '-c', statement])
      ).toString().trim();
    const { now, bool } = sqlDialect(engine);

    const { api, json, expectError } = apiClient(() => server);
    const asAdmin = (p, init = {}) => api(p, { ...init, cookie: admin });
    const createClient = async (body) => {
      const res = await asAdmin('/api/oidc/clients', { method: 'POST', body });
      assert.equal(res.status, 201, await res.clone().text());
      return json(res);
    };
    const logoForm = (file, name = path.basename(file)) => {
      const form = new FormData();
      form.append('file', new Blob([readFileSync(file)]), name);
      return form;
    };

    before(async () => {
      server = await startInstance(engine, { extra: engine === 'postgres' ? { FILE_BACKEND: 'database' } : {} });
      const res = await api('/api/signup/setup', {
        method: 'POST',
        body: { username: 'tim', email: 'tim@example.com', firstName: 'Tim', lastName: 'Cook' },
      });
      assert.equal(res.status, 200);
      admin = cookieValue(res, 'access_token');
      adminId = (await json(res)).id;

      // A second, non-admin user and a group, the way the guides insert rows by hand.
      bobId = randomUUID();
      teamId = randomUUID();
      sql(`INSERT INTO users (id, created_at, username, email, first_name, last_name, display_name, is_admin, disabled, email_verified)
           VALUES ('${bobId}', ${now()}, 'bob', 'bob@example.com', 'Bob', 'Builder', 'Bob Builder', ${bool(false)}, ${bool(false)}, ${bool(true)})`);
      sql(`INSERT INTO user_groups (id, created_at, friendly_name, name) VALUES ('${teamId}', ${now()}, 'Team', 'team')`);
      sql(`INSERT INTO user_groups_users (user_id, user_group_id) VALUES ('${bobId}', '${teamId}')`);
      const cli = await runCli(['one-time-access-token', 'bob'], { env: server.env, cwd: server.cwd });
      assert.equal(cli.code, 0, cli.stderr);
      const code = cli.stdout.match(/\/lc\/([A-Za-z0-9]+)/)[1];
      const login = await api(`/api/one-time-access-token/${code}`, { method: 'POST' });
      assert.equal(login.status, 200);
      bob = cookieValue(login, 'access_token');
    });
    after(async () => {
      await server?.stop();
      cleanup(server.cwd);
    });

    it('lets only admins manage clients', async () => {
      await expectError(await api('/api/oidc/clients'), 401, 'not_signed_in', 'You are not signed in');
      await expectError(await api('/api/oidc/clients', { method: 'POST', body: { name: 'x' } }), 401, 'not_signed_in');
      await expectError(await api('/api/oidc/clients', { cookie: bob }), 403, 'forbidden', "You don't have permission to perform this action");
      await expectError(await api('/api/oidc/clients', { method: 'POST', cookie: bob, body: { name: 'x' } }), 403, 'forbidden');
      await expectError(await api('/api/oidc/clients/anything/secrets', { method: 'POST', cookie: bob }), 403, 'forbidden');
      await expectError(await api('/api/oidc/clients/anything/logo', { method: 'DELETE', cookie: bob }), 403, 'forbidden');
      await expectError(await api(`/api/oidc/users/${bobId}/authorized-clients`, { cookie: bob }), 403, 'forbidden');
    });

    it('creates a client and reads it back', async () => {
      const created = await createClient({
        id: 'nextcloud',
        name: 'Nextcloud',
        description: 'Files and calendars',
        callbackURLs: ['https://cloud.example.com/apps/user_oidc/code', 'https://*.example.com/cb'],
        logoutCallbackURLs: ['https://cloud.example.com/logout'],
        launchURL: 'https://cloud.example.com',
        isPublic: false,
        pkceEnabled: true,
        credentials: { federatedIdentities: [{ issuer: 'https://token.actions.githubusercontent.com', subject: 'repo:x/y' }], secrets: [] },
      });
      assert.deepEqual(Object.keys(created), [
        'id', 'name', 'description', 'hasLogo', 'hasDarkLogo', 'launchURL', 'requiresReauthentication', 'clientType',
        'callbackURLs', 'logoutCallbackURLs', 'isPublic', 'pkceEnabled', 'requiresPushedAuthorizationRequests', 'skipConsent',
        'credentials', 'isGroupRestricted', 'accessTokenDurationMinutes', 'refreshTokenDurationMinutes', 'allowedUserGroups',
      ]);
      assert.equal(created.id, 'nextcloud');
      assert.equal(created.clientType, 'standard');
      assert.equal(created.hasLogo, false);
      assert.equal(created.launchURL, 'https://cloud.example.com');
      assert.deepEqual(created.callbackURLs, ['https://cloud.example.com/apps/user_oidc/code', 'https://*.example.com/cb']);
      assert.deepEqual(created.credentials, {
        federatedIdentities: [{ issuer: 'https://token.actions.githubusercontent.com', subject: 'repo:x/y', replayProtection: false }],
        secrets: [],
      });
      assert.equal(created.accessTokenDurationMinutes, 60);
      assert.equal(created.refreshTokenDurationMinutes, 43200);
      assert.deepEqual(created.allowedUserGroups, []);
      assert.equal(sql("SELECT created_by_id FROM oidc_clients WHERE id = 'nextcloud'"), adminId);

      const got = await json(await asAdmin('/api/oidc/clients/nextcloud'));
      assert.deepEqual(got, created);

      // A public client gets PKCE whatever the body says; no id means a UUID.
      const pub = await createClient({ name: 'SPA', isPublic: true, pkceEnabled: false, accessTokenDurationMinutes: 5 });
      assert.match(pub.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.equal(pub.pkceEnabled, true);
      assert.equal(pub.accessTokenDurationMinutes, 5);
      assert.deepEqual(pub.callbackURLs, []);
      assert.equal(pub.launchURL, null);
    });

    it('serves public client metadata without a session', async () => {
      const res = await api('/api/oidc/clients/nextcloud/meta');
      assert.equal(res.status, 200);
      assert.deepEqual(await json(res), {
        id: 'nextcloud', name: 'Nextcloud', description: 'Files and calendars', hasLogo: false, hasDarkLogo: false,
        launchURL: 'https://cloud.example.com', requiresReauthentication: false, clientType: 'standard',
      });
      const missing = await expectError(await api('/api/oidc/clients/nope/meta'), 404, 'not_found', 'OIDC client not found');
      assert.deepEqual(missing.details, { resource: 'OIDC client' });
      await expectError(await asAdmin('/api/oidc/clients/nope'), 404, 'not_found');
    });

    it('refuses invalid clients with Pocket ID\'s errors', async () => {
      const post = (body) => asAdmin('/api/oidc/clients', { method: 'POST', body });
      let e = await expectError(await post({ description: 'no name' }), 400, 'validation_failed', 'Name is required');
      assert.deepEqual(e.details.fields, [{ field: 'name', code: 'required', message: 'is required' }]);
      e = await expectError(await post({ name: 'n'.repeat(51) }), 400, 'validation_failed', 'Name must be at most 50 characters long');
      assert.equal(e.details.fields[0].code, 'too_long');
      e = await expectError(await post({ name: 'x', callbackURLs: ['https://ok.example.com/cb', 'javascript:alert(1)', 'no-scheme'] }), 400, 'validation_failed',
        'CallbackURLs[1] is invalid, callbackURLs[2] is invalid');
      assert.deepEqual(e.details.fields.map((f) => [f.field, f.code]), [['callbackURLs[1]', 'callback_url_pattern'], ['callbackURLs[2]', 'callback_url_pattern']]);
      e = await expectError(await post({ name: 'x', id: 'has space' }), 400, 'validation_failed', 'Id is invalid');
      assert.equal(e.details.fields[0].code, 'client_id');
      await expectError(await post({ name: 'x', id: 'a' }), 400, 'validation_failed', 'Id must be at least 2 characters long');
      await expectError(await post({ name: 'x', launchURL: 'not a url' }), 400, 'validation_failed', 'LaunchURL must be a valid URL');
      await expectError(await post({ name: 'x', refreshTokenDurationMinutes: 525601 }), 400, 'validation_failed', 'RefreshTokenDurationMinutes is invalid');
      await expectError(await post({ name: 42 }), 400, 'invalid_request_body', 'Request body is invalid');
      await expectError(await asAdmin('/api/oidc/clients', { method: 'POST', body: '{"name":"x"}', headers: { 'Content-Type': 'text/plain' } }),
        400, 'invalid_request_body');
      const dup = await expectError(await post({ name: 'Again', id: 'nextcloud' }), 409, 'client_id_already_exists', 'Client ID is already in use');
      assert.equal(dup.details, undefined);
    });

    it('updates clients', async () => {
      const updated = await asAdmin('/api/oidc/clients/nextcloud', {
        method: 'PUT',
        body: { name: 'Nextcloud Hub', description: '', callbackURLs: ['https://hub.example.com/cb'], isPublic: true, pkceEnabled: false, skipConsent: true, refreshTokenDurationMinutes: 1440 },
      });
      assert.equal(updated.status, 200);
      const c = await json(updated);
      assert.equal(c.name, 'Nextcloud Hub');
      assert.equal(c.isPublic, true);
      assert.equal(c.pkceEnabled, true);
      assert.equal(c.skipConsent, true);
      assert.equal(c.launchURL, null);
      assert.equal(c.refreshTokenDurationMinutes, 1440);
      assert.equal(c.credentials.federatedIdentities, undefined); // replaced wholesale by the (empty) body
      assert.deepEqual(c.callbackURLs, ['https://hub.example.com/cb']);
      await expectError(await asAdmin('/api/oidc/clients/nope', { method: 'PUT', body: { name: 'x' } }), 404, 'not_found');
      await expectError(await asAdmin('/api/oidc/clients/nextcloud', { method: 'PUT', body: {} }), 400, 'validation_failed', 'Name is required');
      // Back to a confidential client for the secret tests.
      const back = await asAdmin('/api/oidc/clients/nextcloud', { method: 'PUT', body: { name: 'Nextcloud', launchURL: 'https://cloud.example.com' } });
      assert.equal((await json(back)).isPublic, false);
    });

    it('manages client secrets', async () => {
      const base = '/api/oidc/clients/nextcloud/secrets';
      assert.deepEqual(await json(await asAdmin(base)), []);

      const res = await asAdmin(base, { method: 'POST' }); // no body at all
      assert.equal(res.status, 201);
      const first = await json(res);
      assert.deepEqual(Object.keys(first), ['id', 'prefix', 'createdAt', 'expiresAt', 'isActive', 'secret']);
      assert.match(first.secret, /^[A-Za-z0-9]{32}$/);
      assert.equal(first.prefix, first.secret.slice(0, 4));
      assert.equal(first.expiresAt, null);
      assert.equal(first.isActive, true);
      // Stored hashed, never in clear.
      const stored = JSON.parse(sql("SELECT CAST(credentials AS TEXT) FROM oidc_clients WHERE id = 'nextcloud'"));
      assert.equal(stored.secrets[0].alg, 'sha256');
      assert.match(stored.secrets[0].hash, /^[0-9a-f]{64}$/);
      assert.ok(!JSON.stringify(stored).includes(first.secret));

      const expiresAt = new Date(Date.now() + 86400_000).toISOString();
      const custom = await json(await asAdmin(base, { method: 'POST', body: { secret: 'my-own-secret-value-1234', expiresAt } }));
      assert.equal(custom.secret, 'my-own-secret-value-1234');
      assert.equal(custom.prefix, 'my-o');
      assert.equal(new Date(custom.expiresAt).getTime(), Math.floor(new Date(expiresAt).getTime() / 1000) * 1000);

      const listed = await json(await asAdmin(base));
      assert.equal(listed.length, 2);
      assert.ok(listed.every((s) => s.secret === undefined));
      const client = await json(await asAdmin('/api/oidc/clients/nextcloud'));
      assert.deepEqual(client.credentials.secrets.map((s) => s.id), [first.id, custom.id]);

      await expectError(await asAdmin(base, { method: 'POST', body: { expiresAt: '2020-01-01T00:00:00Z' } }), 400, 'validation_failed',
        'The expiration date of a client secret must be in the future');
      await expectError(await asAdmin(base, { method: 'POST', body: { secret: 'short' } }), 400, 'validation_failed', 'Secret must be at least 16 characters long');
      await expectError(await asAdmin('/api/oidc/clients/nope/secrets', { method: 'POST' }), 404, 'not_found', 'OIDC client not found');
      const spa = await createClient({ name: 'Public', isPublic: true });
      await expectError(await asAdmin(`/api/oidc/clients/${spa.id}/secrets`, { method: 'POST' }), 400, 'validation_failed', 'Cannot create a secret for a public client');

      for (let i = listed.length; i < 20; i++) assert.equal((await asAdmin(base, { method: 'POST' })).status, 201);
      await expectError(await asAdmin(base, { method: 'POST' }), 400, 'validation_failed', 'A client cannot have more than 20 secrets');

      assert.equal((await asAdmin(`${base}/${first.id}`, { method: 'DELETE' })).status, 204);
      const gone = await expectError(await asAdmin(`${base}/${first.id}`, { method: 'DELETE' }), 404, 'not_found', 'Client secret not found');
      assert.deepEqual(gone.details, { resource: 'Client secret' });
      assert.equal((await json(await asAdmin(base))).length, 19);
    });

    it('uploads, serves and deletes logos', async () => {
      const base = '/api/oidc/clients/nextcloud/logo';
      await expectError(await api(base), 404, 'image_not_found', 'Image not found');

      const png = readFileSync(`${fixtures}/cloud-logo.png`);
      let res = await asAdmin(base, { method: 'POST', body: logoForm(`${fixtures}/cloud-logo.png`) });
      assert.equal(res.status, 204, await res.clone().text());
      res = await api(base);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'image/png');
      assert.equal(res.headers.get('cache-control'), 'public, max-age=900, stale-while-revalidate=43200');
      assert.deepEqual(Buffer.from(await res.arrayBuffer()), png);
      assert.equal((await api(`${base}?skipCache=123`)).headers.get('cache-control'), 'private, no-store');
      // No dark logo yet: the light one is served.
      assert.equal((await api(`${base}?light=false`)).headers.get('content-type'), 'image/png');
      assert.equal((await json(await api('/api/oidc/clients/nextcloud/meta'))).hasLogo, true);

      res = await asAdmin(`${base}?light=false`, { method: 'POST', body: logoForm(`${fixtures}/cloud-logo.svg`) });
      assert.equal(res.status, 204);
      res = await api(`${base}?light=false`);
      assert.equal(res.headers.get('content-type'), 'image/svg+xml');
      assert.deepEqual(Buffer.from(await res.arrayBuffer()), readFileSync(`${fixtures}/cloud-logo.svg`));
      const meta = await json(await api('/api/oidc/clients/nextcloud/meta'));
      assert.equal(meta.hasDarkLogo, true);

      // A JPEG photo loses its EXIF block on the way in; replacing the PNG removes the old file.
      res = await asAdmin(base, { method: 'POST', body: logoForm(`${fixtures}/clouds.jpg`, 'Photo.JPG') });
      assert.equal(res.status, 204);
      res = await api(base);
      assert.equal(res.headers.get('content-type'), 'image/jpeg');
      const jpeg = Buffer.from(await res.arrayBuffer());
      assert.equal(jpeg.length, readFileSync(`${fixtures}/clouds.jpg`).length - 204);
      assert.equal(jpeg.indexOf('Exif\0\0'), -1);
      if (engine === 'sqlite') {
        const dir = `${server.cwd}/data/uploads/oidc-client-images`;
        assert.ok(existsSync(`${dir}/nextcloud.jpg`));
        assert.ok(!existsSync(`${dir}/nextcloud.png`));
        assert.ok(existsSync(`${dir}/nextcloud-dark.svg`));
      } else {
        assert.equal(sql("SELECT string_agg(path, ',' ORDER BY path) FROM storage"),
          'oidc-client-images/nextcloud-dark.svg,oidc-client-images/nextcloud.jpg');
      }

      await expectError(await asAdmin(base, { method: 'POST', body: logoForm(`${fixtures}/cloud-logo.png`, 'logo.exe') }), 415, 'file_type_not_supported', 'File type is not supported');
      const noFile = new FormData();
      noFile.append('other', 'x');
      const missing = await expectError(await asAdmin(base, { method: 'POST', body: noFile }), 400, 'validation_failed', 'File is required');
      assert.deepEqual(missing.details.fields, [{ field: 'file', code: 'required', message: 'is required' }]);
      await expectError(await asAdmin(base, { method: 'POST', body: { file: 'x' } }), 400, 'invalid_request_body');
      const big = new FormData();
      big.append('file', new Blob([Buffer.alloc(2 * 1024 * 1024 + 1)]), 'big.png');
      const tooLarge = await expectError(await asAdmin(base, { method: 'POST', body: big }), 413, 'file_too_large', 'File must not exceed 2.00 MB');
      assert.equal(tooLarge.details.max_size, '2.00 MB');
      await expectError(await asAdmin('/api/oidc/clients/nope/logo', { method: 'POST', body: logoForm(`${fixtures}/cloud-logo.png`) }), 404, 'not_found');

      assert.equal((await asAdmin(`${base}?light=false`, { method: 'DELETE' })).status, 204);
      await expectError(await asAdmin(`${base}?light=false`, { method: 'DELETE' }), 404, 'image_not_found');
      assert.equal((await api(`${base}?light=false`)).headers.get('content-type'), 'image/jpeg');
      assert.equal((await asAdmin(base, { method: 'DELETE' })).status, 204);
      await expectError(await api(base), 404, 'image_not_found');
      if (engine === 'sqlite') assert.ok(!existsSync(`${server.cwd}/data/uploads/oidc-client-images/nextcloud.jpg`));
      else assert.equal(sql('SELECT COUNT(*) FROM storage'), '0');
    });

    it('refuses logo URLs that point into the private network', async () => {
      for (const logoUrl of [`${server.url}/api/oidc/clients/nextcloud/meta`, 'http://169.254.169.254/latest/meta-data', 'ftp://example.com/logo.png']) {
        const e = await expectError(await asAdmin('/api/oidc/clients', { method: 'POST', body: { id: 'ssrf', name: 'SSRF', logoUrl } }),
          400, 'validation_failed', 'Logo URL is not allowed');
        assert.deepEqual(e.details.fields, [{ field: 'logoUrl', code: 'invalid_value', message: 'must be a public HTTP or HTTPS URL' }]);
      }
      // Nothing was created on the way.
      await expectError(await asAdmin('/api/oidc/clients/ssrf'), 404, 'not_found');
      const e = await expectError(await asAdmin('/api/oidc/clients/nextcloud', { method: 'PUT', body: { name: 'Nextcloud', darkLogoUrl: 'http://[::1]:1/x.png' } }),
        400, 'validation_failed');
      assert.equal(e.details.fields[0].field, 'logoUrl');
      // An empty URL field (what the admin UI sends) is no download.
      const ok = await asAdmin('/api/oidc/clients/nextcloud', { method: 'PUT', body: { name: 'Nextcloud', launchURL: 'https://cloud.example.com', logoUrl: '', darkLogoUrl: '' } });
      assert.equal(ok.status, 200);
    });

    it('restricts clients to groups and lists them', async () => {
      const restricted = await createClient({ id: 'team-app', name: 'Team app', isGroupRestricted: true, launchURL: 'https://team.example.com' });
      assert.equal(restricted.isGroupRestricted, true);
      const other = await createClient({ id: 'other-app', name: 'Other app', isGroupRestricted: true });

      let res = await asAdmin('/api/oidc/clients/team-app/allowed-user-groups', { method: 'PUT', body: { userGroupIds: [teamId, randomUUID()] } });
      assert.equal(res.status, 200);
      const dto = await json(res);
      assert.equal(dto.allowedUserGroups, undefined); // OidcClientDto, without the groups
      const full = await json(await asAdmin('/api/oidc/clients/team-app'));
      assert.equal(full.allowedUserGroups.length, 1);
      assert.deepEqual(Object.keys(full.allowedUserGroups[0]), ['id', 'friendlyName', 'name', 'customClaims', 'userCount', 'ldapId', 'createdAt']);
      assert.equal(full.allowedUserGroups[0].id, teamId);
      assert.equal(full.allowedUserGroups[0].userCount, 1);
      await expectError(await asAdmin('/api/oidc/clients/team-app/allowed-user-groups', { method: 'PUT', body: {} }), 400, 'validation_failed', 'UserGroupIds is required');
      await expectError(await asAdmin('/api/oidc/clients/nope/allowed-user-groups', { method: 'PUT', body: { userGroupIds: [] } }), 404, 'not_found');

      // The admin list: search, sort, filters, the group count and the pagination envelope.
      let list = await json(await asAdmin('/api/oidc/clients?sort[column]=name&sort[direction]=asc&pagination[limit]=2'));
      assert.deepEqual(list.pagination, { totalPages: 3, totalItems: 5, currentPage: 1, itemsPerPage: 2 });
      assert.deepEqual(list.data.map((c) => c.name), ['Nextcloud', 'Other app']);
      assert.equal(list.data[0].allowedUserGroupsCount, 0);
      list = await json(await asAdmin('/api/oidc/clients?search=app&sort[column]=allowedUserGroupsCount&sort[direction]=desc'));
      assert.deepEqual(list.data.map((c) => [c.id, c.allowedUserGroupsCount]), [['team-app', 1], ['other-app', 0]]);
      list = await json(await asAdmin('/api/oidc/clients?filters[isGroupRestricted]=true&sort[column]=name'));
      assert.deepEqual(list.data.map((c) => c.id), ['other-app', 'team-app']);
      list = await json(await asAdmin('/api/oidc/clients?pagination[page]=99&pagination[limit]=4'));
      assert.deepEqual(list.pagination, { totalPages: 2, totalItems: 5, currentPage: 2, itemsPerPage: 4 });
      assert.equal(list.data.length, 1);

      // Bob's apps: unrestricted clients and the ones his group may use.
      const mine = await json(await api('/api/oidc/users/me/clients?sort[column]=name&sort[direction]=asc', { cookie: bob }));
      const ids = mine.data.map((c) => c.id);
      assert.ok(ids.includes('team-app'));
      assert.ok(ids.includes('nextcloud'));
      assert.ok(!ids.includes(other.id));
      assert.equal(mine.pagination.totalItems, ids.length);
      const launchable = await json(await api('/api/oidc/users/me/clients?filters[hasLaunchURL]=true&sort[column]=name', { cookie: bob }));
      assert.deepEqual(launchable.data.map((c) => c.id), ['nextcloud', 'team-app']);
      assert.deepEqual(Object.keys(launchable.data[0]), ['id', 'name', 'description', 'hasLogo', 'hasDarkLogo', 'launchURL', 'requiresReauthentication', 'clientType', 'lastUsedAt']);
      assert.equal(launchable.data[0].lastUsedAt, null);
      await expectError(await api('/api/oidc/users/me/clients'), 401, 'not_signed_in');

      // Lifting the restriction forgets the groups.
      await asAdmin('/api/oidc/clients/team-app', { method: 'PUT', body: { name: 'Team app', isGroupRestricted: false } });
      assert.deepEqual((await json(await asAdmin('/api/oidc/clients/team-app'))).allowedUserGroups, []);
    });

    it('lists and revokes authorized clients', async () => {
      const ts = (s) => (engine === 'sqlite' ? String(s) : `to_timestamp(${s})`);
      const scope = (s) => (engine === 'sqlite' ? `CAST('${s}' AS BLOB)` : `'${s}'::jsonb`);
      sql(`INSERT INTO user_authorized_oidc_clients (scope, user_id, client_id, last_used_at) VALUES (${scope('["openid","profile"]')}, '${bobId}', 'nextcloud', ${ts(1700000000)})`);
      sql(`INSERT INTO user_authorized_oidc_clients (scope, user_id, client_id, last_used_at) VALUES (${scope('["openid"]')}, '${bobId}', 'team-app', ${ts(1800000000)})`);
      // Bob's tokens for Nextcloud (what revoking must end) and the admin's (what it must leave alone).
      const session = (kind, user, req) => {
        const data = JSON.stringify({ id: req, client_id: 'nextcloud', session: { subject: user } });
        const blob = engine === 'sqlite' ? `CAST('${data}' AS BLOB)` : `'${data}'::jsonb`;
        sql(`INSERT INTO oauth2_sessions (id, created_at, kind, key, request_id, client_id, active, request_data) VALUES ('${randomUUID()}', ${now()}, '${kind}', '${randomUUID()}', '${req}', 'nextcloud', ${bool(true)}, ${blob})`);
      };
      session('refresh_token', bobId, 'r-bob');
      session('access_token', bobId, 'r-bob');
      session('refresh_token', adminId, 'r-admin');
      session('access_token', adminId, 'r-admin');

      const res = await api('/api/oidc/users/me/authorized-clients?sort[column]=lastUsedAt&sort[direction]=desc', { cookie: bob });
      assert.equal(res.status, 200);
      const list = await json(res);
      assert.deepEqual(list.pagination, { totalPages: 1, totalItems: 2, currentPage: 1, itemsPerPage: 20 });
      assert.deepEqual(list.data.map((a) => a.client.id), ['team-app', 'nextcloud']);
      assert.deepEqual(Object.keys(list.data[1]), ['scope', 'client', 'lastUsedAt']);
      assert.equal(list.data[1].lastUsedAt, '2023-11-14T22:13:20Z');
      assert.equal(list.data[1].client.name, 'Nextcloud');
      const launch = await json(await api('/api/oidc/users/me/authorized-clients?filters[hasLaunchURL]=false', { cookie: bob }));
      assert.deepEqual(launch.data.map((a) => a.client.id), ['team-app']);

      const byAdmin = await json(await asAdmin(`/api/oidc/users/${bobId}/authorized-clients`));
      assert.equal(byAdmin.pagination.totalItems, 2);
      await expectError(await asAdmin(`/api/oidc/users/${randomUUID()}/authorized-clients`), 404, 'user_not_found', 'User not found');
      assert.equal((await json(await asAdmin('/api/oidc/users/me/authorized-clients'))).pagination.totalItems, 0);

      // The dashboard knows when bob last used each app.
      const apps = await json(await api('/api/oidc/users/me/clients?sort[column]=lastUsedAt&sort[direction]=desc', { cookie: bob }));
      assert.deepEqual(apps.data.slice(0, 2).map((c) => [c.id, c.lastUsedAt]), [['team-app', '2027-01-15T08:00:00Z'], ['nextcloud', '2023-11-14T22:13:20Z']]);

      assert.equal((await api('/api/oidc/users/me/authorized-clients/nextcloud', { method: 'DELETE', cookie: bob })).status, 204);
      const again = await expectError(await api('/api/oidc/users/me/authorized-clients/nextcloud', { method: 'DELETE', cookie: bob }), 404, 'not_found', 'Client authorization not found');
      assert.deepEqual(again.details, { resource: 'Client authorization' });
      assert.equal((await json(await api('/api/oidc/users/me/authorized-clients', { cookie: bob }))).pagination.totalItems, 1);
      assert.equal(sql(`SELECT COUNT(*) FROM oauth2_sessions WHERE kind = 'access_token'`), '1');
      assert.equal(sql(`SELECT COUNT(*) FROM oauth2_sessions WHERE kind = 'refresh_token' AND active = ${bool(true)}`), '1');
      assert.equal(sql(`SELECT request_id FROM oauth2_sessions WHERE kind = 'refresh_token' AND active = ${bool(false)}`), 'r-bob');
    });

    it('deletes clients with their logos', async () => {
      assert.equal((await asAdmin('/api/oidc/clients/team-app/logo', { method: 'POST', body: logoForm(`${fixtures}/pingvin-share-logo.png`) })).status, 204);
      assert.equal((await asAdmin('/api/oidc/clients/team-app', { method: 'DELETE' })).status, 204);
      await expectError(await asAdmin('/api/oidc/clients/team-app', { method: 'DELETE' }), 404, 'not_found', 'OIDC client not found');
      await expectError(await api('/api/oidc/clients/team-app/meta'), 404, 'not_found');
      if (engine === 'sqlite') assert.ok(!existsSync(`${server.cwd}/data/uploads/oidc-client-images/team-app.png`));
      else assert.equal(sql('SELECT COUNT(*) FROM storage'), '0');
      // Its consent went with it.
      assert.equal((await json(await api('/api/oidc/users/me/authorized-clients', { cookie: bob }))).pagination.totalItems, 0);
    });
  });
}
