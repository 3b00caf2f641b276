// APIs (OAuth resource servers, RFC 8707) black-box over HTTP, on SQLite and PostgreSQL.
//
// The admin API (management.md §1.7): create (trailing `/` trimmed, validation, the issuer reserved, duplicates), list
// (search, sort, pagination), get, rename (resource immutable), permission replacement matched by key (kept keys keep
// their ids and grants, removed keys drop them; reserved / invalid_format / duplicate keys), the CIMD opt-in, client
// grants from both sides of the relation (foreign permission ids dropped, public clients get no client access, a
// permission implies access), revocation and deletion; admins only.
//
// The protocol side (protocol.md §1.16 with §1.5 steps 3g/4d, §1.6, §1.7, §1.8, §1.9.3, §1.9.4, §1.14, §2.3): the
// `resource` parameter at /authorize, through an interaction (scopeInfo) and through PAR; the access token's `aud`
// ([resource] for pure API tokens, [resource, issuer] once an identity scope is granted) and what userinfo and
// introspection make of it; invalid_scope for a custom scope without its resource, the collapsed invalid_request for
// anything wrong with a resource request, unknown scopes dropped; consent keyed per audience; refresh re-checks after
// the client's grant changes; client_credentials against the client-subject grants; device authorization with a
// resource. Access tokens are verified with npm `jose` against our JWKS.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto, { randomUUID, randomBytes } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify, decodeJwt } from 'jose';
import { engines, postgresUrl, startInstance, cleanup, cookieValue, runSql } from './lib/server.mjs';
import { apiClient, insertApiKey } from './lib/api.mjs';
import { SoftAuthenticator } from './lib/authenticator.mjs';
import { assertOAuthError, description } from './lib/oauth-errors.mjs';
import { basicAuthorization, postForm } from './lib/oauth-requests.mjs';

const CALLBACK = 'http://localhost:7777/callback';
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const API_KEYS = ['id', 'name', 'resource', 'createdAt', 'permissions', 'allowCimdClients'];
const API_CLIENT_KEYS = ['id', 'name', 'clientType', 'isPublic', 'hasLogo', 'hasDarkLogo'];
const GRANT_KEYS = ['userDelegatedAccess', 'clientAccess', 'userDelegatedPermissionIds', 'clientPermissionIds'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const US = '\u001f'; // the unit separator of consent keys (§1.7)

// fosite's default hint, appended when Pocket ID only replaces the description (§1.10).
const ACCESS_DENIED_HINT =
  'Make sure that the request you are making is valid. Maybe the credential or request parameters you are using are limited in scope or otherwise restricted.';
const NOT_AUDIENCED = `The access token is not audienced to this server and cannot be used to access user information. ${ACCESS_DENIED_HINT}`;
const MISSING_OPENID = `The access token is missing the openid scope. ${ACCESS_DENIED_HINT}`;
const COLLAPSED = "The 'resource' or 'scope' parameter is invalid.";
const notAvailable = (scope) => `The scope '${scope}' is not available for the requested resource.`;
const invalidTarget = (resource) => `The requested resource '${resource}' is invalid, missing, unknown, or malformed.`;
const notAllowedResource = (resource) => `The OAuth 2.0 Client is not allowed to access resource '${resource}'.`;

const randomState = () => crypto.randomBytes(12).toString('base64url');
const sorted = (list) => [...(list ?? [])].sort();
const byKey = (a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
const scopesOf = (s) => sorted((s ?? '').split(' ').filter(Boolean));

for (const engine of engines) {
  describe(`APIs and resource indicators on ${engine}`, { skip: engine === 'postgres' && !postgresUrl ? 'PID_TEST_POSTGRES_URL is not set' : false }, () => {
    let server;
    let issuer; // APP_URL
    let tim; // { id, cookie }: the first admin, signed in with a passkey
    let bob; // { id, cookie }: not an admin
    let jwks;
    const apiKey = randomBytes(16).toString('hex');

    const sql = (statement) => runSql(server, engine, statement);
    const { api, ok, expectError } = apiClient(() => server);
    const asAdmin = (p, init = {}) => api(p, { ...init, cookie: tim.cookie });
    const expectFields = async (res, message, fields) => {
      const body = await expectError(res, 400, 'validation_failed', message);
      assert.deepEqual(body.details, { fields });
      return body;
    };

    // --- admin helpers -------------------------------------------------------------------------------------------
    const createApi = async (name, resource) => ok(await asAdmin('/api/apis', { method: 'POST', body: { name, resource } }), 201);
    const getApi = async (id) => ok(await asAdmin(`/api/apis/${id}`));
    const setPermissions = async (id, permissions) => ok(await asAdmin(`/api/apis/${id}/permissions`, { method: 'PUT', body: { permissions } }));
    // Two views of one API: equal, except that createdAt may differ below a second (a fresh create vs. a stored row).
    const assertSameApi = (actual, expected) => {
      assert.deepEqual({ ...actual, createdAt: undefined }, { ...expected, createdAt: undefined });
      assert.ok(Math.abs(Date.parse(actual.createdAt) - Date.parse(expected.createdAt)) < 1000, `${actual.createdAt} vs ${expected.createdAt}`);
    };
    const permissionIds = (apiDto) => Object.fromEntries(apiDto.permissions.map((p) => [p.key, p.id]));
    const putGrant = (apiId, clientId, grant) =>
      asAdmin(`/api/apis/${apiId}/clients/${encodeURIComponent(clientId)}`, {
        method: 'PUT',
        body: { userDelegatedAccess: false, clientAccess: false, userDelegatedPermissionIds: [], clientPermissionIds: [], ...grant },
      });
    const setGrant = async (apiId, clientId, grant) => ok(await putGrant(apiId, clientId, grant));
    // The applied grant with its id lists sorted (their order is the permissions' order, which is not specified). A
    // list the Go mapper would leave nil may come back as null; it means the same as [].
    const normGrant = (g) => ({
      ...g,
      userDelegatedPermissionIds: sorted(g.userDelegatedPermissionIds),
      clientPermissionIds: sorted(g.clientPermissionIds),
      ...('cimdGrantedPermissionIds' in g ? { cimdGrantedPermissionIds: sorted(g.cimdGrantedPermissionIds) } : {}),
    });

    async function newClient(name, extra = {}) {
      const created = await ok(
        await asAdmin('/api/oidc/clients', { method: 'POST', body: { name, callbackURLs: [CALLBACK], isPublic: false, pkceEnabled: false, ...extra } }),
        201,
      );
      if (created.isPublic) return { id: created.id, name, isPublic: true, params: { client_id: created.id }, auth: {} };
      const { secret } = await ok(await asAdmin(`/api/oidc/clients/${encodeURIComponent(created.id)}/secrets`, { method: 'POST', body: {} }), 201);
      return { id: created.id, name, secret, isPublic: false, params: {}, auth: { Authorization: basic(created.id, secret) } };
    }

    // --- protocol helpers ----------------------------------------------------------------------------------------
    const basic = basicAuthorization;
    const raw = (p, { method = 'GET', cookies = [], body } = {}) =>
      fetch(new URL(p, issuer), {
        method,
        redirect: 'manual',
        headers: { Cookie: cookies.filter(Boolean).join('; '), ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
        body: body !== undefined ? JSON.stringify(body) : undefined,
      });
    const form = (p, params, headers = {}) => postForm(issuer, p, params, headers);

    function authorizeUrl(client, params = {}) {
      const all = { client_id: client.id, response_type: 'code', redirect_uri: CALLBACK, scope: 'openid', state: randomState(), ...params };
      const q = new URLSearchParams();
      for (const [k, v] of Object.entries(all)) if (v !== undefined) q.set(k, v);
      return `${issuer}/authorize?${q}`;
    }
    // `cookie` null: signed out.
    const authorize = (client, params, cookie = tim.cookie) => raw(authorizeUrl(client, params), { cookies: [cookie] });

    const interactionId = (res) => {
      assert.equal(res.status, 302, `${res.status} ${res.headers.get('location')}`);
      const m = /^\/interaction\?interaction=([0-9a-f-]{36})$/.exec(res.headers.get('location'));
      assert.ok(m, res.headers.get('location'));
      return m[1];
    };
    const getInteraction = async (id) => ok(await raw(`/api/oidc/interactions/${id}`));
    const complete = (id, step, cookie = tim.cookie) => raw(`/api/oidc/interactions/${id}/complete`, { method: 'POST', cookies: [cookie], body: { step } });

    // Follows the interaction (if any) as the SPA does; returns the final /authorize response, the steps, and the
    // interaction DTO as first shown.
    async function drive(res, cookie = tim.cookie) {
      const steps = [];
      let shown;
      if (res.status === 302 && res.headers.get('location')?.startsWith('/interaction?')) {
        const id = interactionId(res);
        let interaction = await getInteraction(id);
        shown = interaction;
        for (let i = 0; ; i++) {
          assert.ok(i < 5, 'interaction does not finish');
          steps.push(interaction.currentStep);
          const body = await ok(await complete(id, interaction.currentStep, cookie));
          if (body.redirectUrl) {
            assert.equal(body.redirectUrl, `/authorize?interaction=${id}`);
            res = await raw(body.redirectUrl, { cookies: [cookie] });
            break;
          }
          interaction = body.interaction;
        }
      }
      return { res, steps, shown };
    }

    function callbackOf(res) {
      assert.equal(res.status, 303, `${res.status} ${res.headers.get('location')}`);
      const url = new URL(res.headers.get('location'));
      assert.equal(url.origin + url.pathname, CALLBACK, url.href);
      return url;
    }
    // An OAuth error delivered to the redirect URI (§1.2).
    function assertRedirectError(res, state, error, hint) {
      const cb = callbackOf(res);
      assert.equal(cb.searchParams.get('error'), error, cb.href);
      assert.equal(cb.searchParams.get('error_description'), description(error, hint), cb.href);
      assert.equal(cb.searchParams.get('state'), state);
      assert.equal(cb.searchParams.get('code'), null);
      return cb;
    }

    // A signed-in authorization, interaction steps completed; returns { callback, steps, shown }.
    async function login(client, params = {}, cookie = tim.cookie) {
      const state = randomState();
      const { res, steps, shown } = await drive(await authorize(client, { ...params, state }, cookie), cookie);
      const callback = callbackOf(res);
      assert.equal(callback.searchParams.get('error'), null, callback.href);
      assert.equal(callback.searchParams.get('state'), state);
      return { callback, steps, shown };
    }

    const tokenRequest = (client, params) => form('/api/oidc/token', { ...client.params, ...params }, client.auth);
    async function exchange(client, callback) {
      const res = await tokenRequest(client, { grant_type: 'authorization_code', code: callback.searchParams.get('code'), redirect_uri: CALLBACK });
      assert.equal(res.status, 200, await res.clone().text());
      return res.json();
    }
    const loginAndExchange = async (client, params) => exchange(client, (await login(client, params)).callback);
    const refresh = (client, refreshToken) => tokenRequest(client, { grant_type: 'refresh_token', refresh_token: refreshToken });
    const clientCredentials = (client, params = {}) => tokenRequest(client, { grant_type: 'client_credentials', ...params });
    const userinfo = (token) => fetch(`${issuer}/api/oidc/userinfo`, { headers: { Authorization: `Bearer ${token}` } });
    const introspect = async (client, token) => {
      const res = await form('/api/oidc/introspect', { token }, { Authorization: basic(client.id, client.secret) });
      assert.equal(res.status, 200, await res.clone().text());
      return res.json();
    };
    const verifyAccessToken = async (token) => (await jwtVerify(token, jwks, { issuer, typ: 'at+jwt' })).payload;

    // The consent row (§1.7): its `scope` column, a JSON string list.
    const consentKeys = (clientId) => {
      const rows = sql(`SELECT scope FROM user_authorized_oidc_clients WHERE client_id = '${clientId}' AND user_id = '${tim.id}'`);
      assert.equal(rows.length, 1, `consent rows for ${clientId}: ${rows.length}`);
      return JSON.parse(rows[0]);
    };

    before(async () => {
      server = await startInstance(engine);
      issuer = server.env.APP_URL;
      const setup = await raw('/api/signup/setup', { method: 'POST', body: { username: 'tim', email: 'tim@example.com', firstName: 'Tim', lastName: 'Cook' } });
      assert.equal(setup.status, 200, await setup.clone().text());
      const setupCookie = cookieValue(setup, 'access_token');
      const timId = (await setup.json()).id;

      // A passkey, and a passkey sign-in: the admin's session for the admin API and for /authorize.
      const authenticator = new SoftAuthenticator({ origin: issuer });
      const regStart = await raw('/api/webauthn/register/start', { cookies: [setupCookie] });
      const reg = await raw('/api/webauthn/register/finish', {
        method: 'POST',
        cookies: [setupCookie, cookieValue(regStart, 'session')],
        body: authenticator.create(await regStart.json()),
      });
      assert.equal(reg.status, 200, await reg.clone().text());
      const loginStart = await raw('/api/webauthn/login/start');
      const signIn = await raw('/api/webauthn/login/finish', { method: 'POST', cookies: [cookieValue(loginStart, 'session')], body: authenticator.get(await loginStart.json()) });
      assert.equal(signIn.status, 200, await signIn.clone().text());
      tim = { id: timId, cookie: cookieValue(signIn, 'access_token') };
      insertApiKey(sql, engine, timId, apiKey);

      // Bob: a user who is not an admin, signed in with a login code.
      const created = await ok(await asAdmin('/api/users', { method: 'POST', body: { username: 'bob', email: 'bob@example.com', firstName: 'Bob', lastName: 'Builder' } }), 201);
      const otp = await ok(await asAdmin(`/api/users/${created.id}/one-time-access-token`, { method: 'POST', body: {} }), 201);
      const otpLogin = await api(`/api/one-time-access-token/${otp.token}`, { method: 'POST' });
      assert.equal(otpLogin.status, 200, await otpLogin.clone().text());
      bob = { id: created.id, cookie: cookieValue(otpLogin, 'access_token') };

      jwks = createRemoteJWKSet(new URL('/.well-known/jwks.json', issuer));
    });

    after(async () => {
      await server?.stop();
      if (server) cleanup(server.cwd);
    });

    // ============================================================================================================
    describe('the admin API (management.md §1.7)', () => {
      it('is for admins only: 401 signed out, 403 for other users; an admin API key works', async () => {
        const id = randomUUID();
        const cid = 'some-client';
        const grant = { userDelegatedAccess: false, clientAccess: false, userDelegatedPermissionIds: [], clientPermissionIds: [] };
        const routes = [
          ['GET', '/api/apis'],
          ['POST', '/api/apis', { name: 'x', resource: 'https://x.example.com' }],
          ['GET', `/api/apis/${id}`],
          ['PUT', `/api/apis/${id}`, { name: 'x' }],
          ['DELETE', `/api/apis/${id}`],
          ['PUT', `/api/apis/${id}/permissions`, { permissions: [] }],
          ['PUT', `/api/apis/${id}/cimd-access`, { enabled: false, permissionIds: [] }],
          ['GET', `/api/apis/${id}/clients`],
          ['GET', `/api/apis/${id}/assignable-clients`],
          ['PUT', `/api/apis/${id}/clients/${cid}`, grant],
          ['DELETE', `/api/apis/${id}/clients/${cid}`],
          ['GET', `/api/api-access/${cid}/apis`],
          ['GET', `/api/api-access/${cid}/assignable-apis`],
        ];
        for (const [method, p, body] of routes) {
          await expectError(await api(p, { method, body }), 401, 'not_signed_in', 'You are not signed in');
          await expectError(await api(p, { method, body, cookie: bob.cookie }), 403, 'forbidden', "You don't have permission to perform this action");
        }
        assert.deepEqual(sql('SELECT COUNT(*) FROM apis'), ['0']);

        const viaKey = await ok(await api('/api/apis', { method: 'POST', key: apiKey, body: { name: 'Key made', resource: 'https://key-made.example.com' } }), 201);
        assert.equal((await ok(await api(`/api/apis/${viaKey.id}`, { key: apiKey }))).id, viaKey.id);
        assert.equal((await api(`/api/apis/${viaKey.id}`, { method: 'DELETE', key: apiKey })).status, 204);
      });

      it('creates an API: 201, trailing slashes trimmed, NFC names; GET returns it', async () => {
        const created = await createApi('Orders API', 'https://orders.create.test/api//');
        assert.deepEqual(Object.keys(created).sort(), [...API_KEYS].sort());
        assert.match(created.id, UUID);
        assert.equal(created.name, 'Orders API');
        assert.equal(created.resource, 'https://orders.create.test/api');
        assert.match(created.createdAt, DATE);
        assert.ok(Math.abs(Date.parse(created.createdAt) - Date.now()) < 60_000, created.createdAt);
        assert.equal(created.allowCimdClients, false);
        assert.deepEqual(created.permissions ?? [], []); // a new API has no permissions (null would be the Go mapper's nil)
        assert.deepEqual(sql(`SELECT audience FROM apis WHERE id = '${created.id}'`), ['https://orders.create.test/api']);

        const got = await getApi(created.id);
        assertSameApi(got, { ...created, permissions: [] });

        const nfc = await createApi('Cafe\u0301 API', 'https://cafe.create.test');
        assert.equal(nfc.name, 'Caf\u00e9 API');
        // 50 characters (code points) is the longest name.
        assert.equal((await createApi('é'.repeat(50), 'https://long-name.create.test')).name, 'é'.repeat(50));
      });

      it('validates the body: name, resource, the issuer is reserved, duplicates are 409', async () => {
        const post = (body) => asAdmin('/api/apis', { method: 'POST', body });
        await expectFields(await post({}), 'Name is required, resource is required', [
          { field: 'name', code: 'required', message: 'is required' },
          { field: 'resource', code: 'required', message: 'is required' },
        ]);
        await expectFields(await post({ name: '', resource: 'https://x.validate.test' }), 'Name is required', [
          { field: 'name', code: 'required', message: 'is required' },
        ]);
        await expectFields(await post({ name: 'n'.repeat(51), resource: 'https://x.validate.test' }), 'Name must be at most 50 characters long', [
          { field: 'name', code: 'too_long', message: 'must be at most 50 characters long' },
        ]);
        // Upstream's resource_uri validator (backend/internal/dto/validations.go): an absolute URI, no fragment, no
        // whitespace, not javascript:/data:.
        const badUri = 'must be an absolute URI without whitespace or a fragment';
        for (const resource of ['not a uri', '/relative/path', 'https://x.validate.test/a#frag', 'https://x.validate.test/a b', 'javascript:alert(1)', 'data:text/plain,hi']) {
          await expectFields(await post({ name: 'Bad', resource }), `Resource ${badUri}`, [{ field: 'resource', code: 'invalid_format', message: badUri }]);
        }
        await expectFields(await post({ name: 'Long', resource: `https://${'a'.repeat(343)}.test` }), 'Resource must be at most 350 characters long', [
          { field: 'resource', code: 'too_long', message: 'must be at most 350 characters long' },
        ]);
        await expectError(await post('{"name":'), 400, 'invalid_request_body');

        // The issuer (APP_URL) cannot be an API's audience, with or without a trailing slash.
        const reserved = 'is reserved by Pocket ID and cannot be used for a custom API';
        for (const resource of [issuer, `${issuer}/`]) {
          await expectFields(await post({ name: 'Pocket ID itself', resource }), `Resource ${reserved}`, [{ field: 'resource', code: 'reserved', message: reserved }]);
        }

        await createApi('Taken', 'https://taken.validate.test');
        for (const resource of ['https://taken.validate.test', 'https://taken.validate.test/']) {
          const dup = await expectError(await post({ name: 'Other', resource }), 409, 'already_in_use', 'Resource is already in use');
          assert.deepEqual(dup.details, { property: 'resource' });
        }
        assert.deepEqual(sql("SELECT COUNT(*) FROM apis WHERE audience LIKE '%validate.test%'"), ['1']);
      });

      it('gets, renames (the resource is immutable) and deletes; 404 not_found "API" for unknown ids', async () => {
        const created = await createApi('Rename me', 'https://rename.test');
        const renamed = await ok(await asAdmin(`/api/apis/${created.id}`, { method: 'PUT', body: { name: 'Renamed', resource: 'https://elsewhere.test' } }));
        assertSameApi(renamed, { ...created, name: 'Renamed', permissions: [] });
        assert.deepEqual(await getApi(created.id), renamed);
        assert.deepEqual(sql(`SELECT name || '|' || audience FROM apis WHERE id = '${created.id}'`), ['Renamed|https://rename.test']);
        await expectFields(await asAdmin(`/api/apis/${created.id}`, { method: 'PUT', body: {} }), 'Name is required', [
          { field: 'name', code: 'required', message: 'is required' },
        ]);

        for (const id of [randomUUID(), 'not-a-uuid']) {
          const res = await expectError(await asAdmin(`/api/apis/${id}`), 404, 'not_found', 'API not found');
          assert.deepEqual(res.details, { resource: 'API' });
        }
        await expectError(await asAdmin(`/api/apis/${randomUUID()}`, { method: 'PUT', body: { name: 'x' } }), 404, 'not_found', 'API not found');
        await expectError(await asAdmin(`/api/apis/${randomUUID()}`, { method: 'DELETE' }), 404, 'not_found', 'API not found');
        await expectError(await asAdmin(`/api/apis/${randomUUID()}/permissions`, { method: 'PUT', body: { permissions: [] } }), 404, 'not_found', 'API not found');
        await expectError(await asAdmin(`/api/apis/${randomUUID()}/cimd-access`, { method: 'PUT', body: { enabled: true, permissionIds: [] } }), 404, 'not_found', 'API not found');
        await expectError(await asAdmin(`/api/apis/${randomUUID()}/clients`), 404, 'not_found', 'API not found');
        await expectError(await asAdmin(`/api/apis/${randomUUID()}/assignable-clients`), 404, 'not_found', 'API not found');

        const res = await asAdmin(`/api/apis/${created.id}`, { method: 'DELETE' });
        assert.equal(res.status, 204);
        assert.equal(await res.text(), '');
        await expectError(await asAdmin(`/api/apis/${created.id}`), 404, 'not_found', 'API not found');
      });

      it('lists APIs: search by name or resource, sort by name and audience, pagination', async () => {
        // A second apart, so that createdAt (seconds in SQLite) orders them.
        const alpha = await createApi('lst-Alpha', 'https://zz.lst.test');
        await new Promise((r) => setTimeout(r, 1100));
        const bravo = await createApi('lst-Bravo', 'https://yy.lst.test');
        await new Promise((r) => setTimeout(r, 1100));
        const charlie = await createApi('lst-Charlie', 'https://xx.lst.test');
        await setPermissions(bravo.id, [{ key: 'read:lst', name: 'Read' }]);
        const names = (res) => res.data.map((a) => a.name);

        let res = await ok(await asAdmin('/api/apis?search=lst-&sort[column]=name&sort[direction]=asc'));
        assert.deepEqual(Object.keys(res), ['data', 'pagination']);
        assert.deepEqual(names(res), ['lst-Alpha', 'lst-Bravo', 'lst-Charlie']);
        assert.deepEqual(res.pagination, { totalPages: 1, totalItems: 3, currentPage: 1, itemsPerPage: 20 });
        for (const item of res.data) assert.deepEqual(Object.keys(item).sort(), [...API_KEYS].sort());
        assertSameApi(res.data[0], { ...alpha, permissions: [] });
        assert.deepEqual(res.data[1].permissions.map((p) => p.key), ['read:lst']);
        assert.equal(res.data[2].id, charlie.id);

        res = await ok(await asAdmin('/api/apis?search=lst-&sort[column]=name&sort[direction]=desc'));
        assert.deepEqual(names(res), ['lst-Charlie', 'lst-Bravo', 'lst-Alpha']);
        // The search also matches the resource (audience); sort by audience.
        res = await ok(await asAdmin('/api/apis?search=.lst.test&sort[column]=audience&sort[direction]=asc'));
        assert.deepEqual(names(res), ['lst-Charlie', 'lst-Bravo', 'lst-Alpha']);
        // The admin UI sorts its "Resource" column as `resource` (upstream maps it to the audience column).
        res = await ok(await asAdmin('/api/apis?search=.lst.test&sort[column]=resource&sort[direction]=desc'));
        assert.deepEqual(names(res), ['lst-Alpha', 'lst-Bravo', 'lst-Charlie']);
        res = await ok(await asAdmin('/api/apis?search=lst-&sort[column]=createdAt&sort[direction]=desc'));
        assert.deepEqual(names(res), ['lst-Charlie', 'lst-Bravo', 'lst-Alpha']);
        res = await ok(await asAdmin('/api/apis?search=yy.lst'));
        assert.deepEqual(names(res), ['lst-Bravo']);
        res = await ok(await asAdmin('/api/apis?search=lst-&sort[column]=name&sort[direction]=asc&pagination[limit]=2&pagination[page]=2'));
        assert.deepEqual(names(res), ['lst-Charlie']);
        assert.deepEqual(res.pagination, { totalPages: 2, totalItems: 3, currentPage: 2, itemsPerPage: 2 });
        res = await ok(await asAdmin('/api/apis?search=no-such-api-anywhere'));
        assert.deepEqual(res, { data: [], pagination: { totalPages: 1, totalItems: 0, currentPage: 1, itemsPerPage: 20 } });
        // Everything created so far is in the unfiltered list.
        res = await ok(await asAdmin('/api/apis?pagination[limit]=100'));
        assert.equal(res.pagination.totalItems, Number(sql('SELECT COUNT(*) FROM apis')[0]));
        assert.ok(res.data.some((a) => a.id === alpha.id));
      });

      it('replaces permissions by key: kept keys keep id and grants, removed keys drop their grants', async () => {
        const orders = await createApi('Perm API', 'https://perm.test');
        let dto = await setPermissions(orders.id, [
          { key: 'read:orders', name: 'Read orders', description: 'Read your orders' },
          { key: 'write:orders', name: 'Write orders' },
        ]);
        assert.deepEqual(Object.keys(dto).sort(), [...API_KEYS].sort());
        assert.equal(dto.id, orders.id);
        const perms = [...dto.permissions].sort(byKey);
        assert.equal(perms.length, 2);
        assert.deepEqual(Object.keys(perms[0]).sort(), ['allowedForCimdClients', 'description', 'id', 'key', 'name']);
        assert.match(perms[0].id, UUID);
        assert.deepEqual(perms[0], { id: perms[0].id, key: 'read:orders', name: 'Read orders', description: 'Read your orders', allowedForCimdClients: false });
        // No description: the key is left out (omitempty).
        assert.deepEqual(perms[1], { id: perms[1].id, key: 'write:orders', name: 'Write orders', allowedForCimdClients: false });
        assert.deepEqual((await getApi(orders.id)).permissions.sort(byKey), perms);
        const [read, write] = perms;

        const client = await newClient('Perm RP');
        await setGrant(orders.id, client.id, { userDelegatedPermissionIds: [read.id, write.id], clientPermissionIds: [write.id] });

        dto = await setPermissions(orders.id, [
          { key: 'read:orders', name: 'Read all orders' }, // kept, renamed, description cleared
          { key: 'ship:orders', name: 'Ship orders', description: 'Ship them' }, // new
        ]);
        const after = [...dto.permissions].sort(byKey);
        assert.deepEqual(after.map((p) => p.key), ['read:orders', 'ship:orders']);
        assert.deepEqual(after[0], { id: read.id, key: 'read:orders', name: 'Read all orders', allowedForCimdClients: false });
        assert.match(after[1].id, UUID);
        assert.notEqual(after[1].id, write.id);
        assert.deepEqual(sql(`SELECT COUNT(*) FROM api_permissions WHERE id = '${write.id}'`), ['0']);

        // The kept permission's grant survives; the removed one's grants are gone.
        const listed = await ok(await asAdmin(`/api/apis/${orders.id}/clients`));
        assert.equal(listed.data.length, 1);
        const entry = normGrant(listed.data[0]);
        assert.equal(entry.client.id, client.id);
        assert.equal(entry.userDelegatedAccess, true);
        assert.deepEqual(entry.userDelegatedPermissionIds, [read.id]);
        assert.deepEqual(entry.clientPermissionIds, []);
        assert.deepEqual(sql(`SELECT subject_type FROM oidc_clients_allowed_api_permissions WHERE oidc_client_id = '${client.id}'`), ['user']);
        // Upstream (api/service.go deletePermissions): the client-subject access that only write:orders implied is
        // dropped with it.
        assert.equal(entry.clientAccess, false);
        assert.deepEqual(sql(`SELECT subject_type FROM oidc_clients_allowed_apis WHERE oidc_client_id = '${client.id}'`), ['user']);

        // An empty list removes every permission.
        dto = await setPermissions(orders.id, []);
        assert.deepEqual(dto.permissions, []);
        assert.deepEqual(sql(`SELECT COUNT(*) FROM oidc_clients_allowed_api_permissions WHERE oidc_client_id = '${client.id}'`), ['0']);
      });

      it('refuses reserved, malformed and duplicate permission keys on permissions[i].key; nothing is changed', async () => {
        const target = await createApi('Keys API', 'https://keys.test');
        await setPermissions(target.id, [{ key: 'keep:me', name: 'Keep' }]);
        const put = (permissions) => asAdmin(`/api/apis/${target.id}/permissions`, { method: 'PUT', body: { permissions } });
        const reservedMsg = 'is reserved by Pocket ID';
        for (const [i, permissions] of [
          [0, [{ key: 'openid', name: 'x' }]],
          [1, [{ key: 'fine:one', name: 'x' }, { key: 'Email', name: 'y' }]],
          [0, [{ key: 'OFFLINE_ACCESS', name: 'x' }]],
          [0, [{ key: 'email_verified', name: 'x' }]],
          [2, [{ key: 'a', name: 'x' }, { key: 'b', name: 'y' }, { key: 'groups', name: 'z' }]],
          [0, [{ key: 'profile', name: 'x' }]],
        ]) {
          await expectFields(await put(permissions), `Permissions[${i}].key ${reservedMsg}`, [{ field: `permissions[${i}].key`, code: 'reserved', message: reservedMsg }]);
        }
        const badMsg = 'contains characters that are not valid in an OAuth scope';
        for (const key of ['read orders', 'say"hi', 'back\\slash', 'tab\there', 'caf\u00e9']) {
          await expectFields(await put([{ key: 'fine', name: 'ok' }, { key, name: 'x' }]), `Permissions[1].key ${badMsg}`, [
            { field: 'permissions[1].key', code: 'invalid_format', message: badMsg },
          ]);
        }
        const dupMsg = 'is listed more than once';
        await expectFields(await put([{ key: 'dup', name: 'x' }, { key: 'other', name: 'y' }, { key: 'dup', name: 'z' }]), `Permissions[2].key ${dupMsg}`, [
          { field: 'permissions[2].key', code: 'duplicate', message: dupMsg },
        ]);
        assert.deepEqual((await getApi(target.id)).permissions.map((p) => p.key), ['keep:me']);
      });

      it('sets the CIMD opt-in: the flag and the per-permission selection (foreign ids ignored, kept while off)', async () => {
        const target = await createApi('CIMD API', 'https://cimd.test');
        const other = await createApi('Other CIMD API', 'https://other-cimd.test');
        const otherPerm = (await setPermissions(other.id, [{ key: 'x:y', name: 'X' }])).permissions[0];
        const ids = permissionIds(await setPermissions(target.id, [{ key: 'a:read', name: 'A' }, { key: 'b:write', name: 'B' }]));

        let dto = await ok(await asAdmin(`/api/apis/${target.id}/cimd-access`, { method: 'PUT', body: { enabled: true, permissionIds: [ids['a:read'], otherPerm.id, 'nope'] } }));
        assert.deepEqual(Object.keys(dto).sort(), [...API_KEYS].sort());
        assert.equal(dto.allowCimdClients, true);
        const flags = (d) => Object.fromEntries(d.permissions.map((p) => [p.key, p.allowedForCimdClients]));
        assert.deepEqual(flags(dto), { 'a:read': true, 'b:write': false });
        assert.deepEqual(flags(await getApi(other.id)), { 'x:y': false });

        dto = await ok(await asAdmin(`/api/apis/${target.id}/cimd-access`, { method: 'PUT', body: { enabled: false, permissionIds: [ids['a:read']] } }));
        assert.equal(dto.allowCimdClients, false);
        assert.deepEqual(flags(dto), { 'a:read': true, 'b:write': false });
        assert.deepEqual(await getApi(target.id), dto);

        dto = await ok(await asAdmin(`/api/apis/${target.id}/cimd-access`, { method: 'PUT', body: { enabled: true, permissionIds: [ids['b:write']] } }));
        assert.deepEqual(flags(dto), { 'a:read': false, 'b:write': true });
      });

      it('grants clients access from both sides; revokes; deletes an API with its grants', async () => {
        const orders = await createApi('grant-B Orders', 'https://orders.grant.test');
        const billing = await createApi('grant-A Billing', 'https://billing.grant.test');
        const ids = permissionIds(await setPermissions(orders.id, [{ key: 'read:o', name: 'Read' }, { key: 'write:o', name: 'Write' }]));
        const billingIds = permissionIds(await setPermissions(billing.id, [{ key: 'read:b', name: 'Read billing' }]));
        const conf = await newClient('GrantTest Confidential');
        const pub = await newClient('GrantTest Public', { isPublic: true, pkceEnabled: true });

        // Before any grant: both clients are assignable to the API, and the API to the client.
        let assignable = await ok(await asAdmin(`/api/apis/${orders.id}/assignable-clients?search=GrantTest&sort[column]=name&sort[direction]=asc`));
        assert.deepEqual(assignable.data.map((c) => c.id), [conf.id, pub.id]);
        assert.deepEqual(Object.keys(assignable.data[0]).sort(), [...API_CLIENT_KEYS].sort());
        assert.deepEqual(assignable.data[0], { id: conf.id, name: 'GrantTest Confidential', clientType: 'standard', isPublic: false, hasLogo: false, hasDarkLogo: false });
        assert.equal(assignable.data[1].isPublic, true);
        assert.deepEqual(assignable.pagination, { totalPages: 1, totalItems: 2, currentPage: 1, itemsPerPage: 20 });
        assert.deepEqual((await ok(await asAdmin(`/api/apis/${orders.id}/clients`))).data, []);
        let assignableApis = await ok(await asAdmin(`/api/api-access/${conf.id}/assignable-apis?search=grant-&sort[column]=name&sort[direction]=asc`));
        assert.deepEqual(assignableApis.data.map((a) => a.id), [billing.id, orders.id]);
        assert.deepEqual(Object.keys(assignableApis.data[0]).sort(), [...API_KEYS].sort());
        assert.deepEqual(await ok(await asAdmin(`/api/api-access/${conf.id}/apis`)), []);
        assignableApis = await ok(await asAdmin(`/api/api-access/${conf.id}/assignable-apis?search=.grant.test&sort[column]=resource&sort[direction]=desc`));
        assert.deepEqual(assignableApis.data.map((a) => a.id), [orders.id, billing.id]);
        assert.deepEqual(assignableApis.pagination, { totalPages: 1, totalItems: 2, currentPage: 1, itemsPerPage: 20 });

        // Foreign permission ids are dropped; a permission implies access for its subject type.
        let applied = await setGrant(orders.id, conf.id, {
          userDelegatedPermissionIds: [ids['read:o'], billingIds['read:b'], 'no-such-permission'],
          clientPermissionIds: [],
        });
        assert.deepEqual(Object.keys(applied).sort(), [...GRANT_KEYS].sort());
        assert.deepEqual(normGrant(applied), { userDelegatedAccess: true, clientAccess: false, userDelegatedPermissionIds: [ids['read:o']], clientPermissionIds: [] });
        applied = await setGrant(orders.id, conf.id, { clientPermissionIds: [ids['write:o']], userDelegatedPermissionIds: [ids['read:o'], ids['write:o']] });
        assert.deepEqual(normGrant(applied), {
          userDelegatedAccess: true,
          clientAccess: true,
          userDelegatedPermissionIds: sorted([ids['read:o'], ids['write:o']]),
          clientPermissionIds: [ids['write:o']],
        });
        // A public client cannot use client_credentials: no client access, no client permissions.
        applied = await setGrant(orders.id, pub.id, { userDelegatedAccess: true, clientAccess: true, clientPermissionIds: [ids['write:o']] });
        assert.deepEqual(normGrant(applied), { userDelegatedAccess: true, clientAccess: false, userDelegatedPermissionIds: [], clientPermissionIds: [] });
        assert.deepEqual(sql(`SELECT subject_type FROM oidc_clients_allowed_apis WHERE oidc_client_id = '${pub.id}'`), ['user']);
        assert.deepEqual(sql(`SELECT COUNT(*) FROM oidc_clients_allowed_api_permissions WHERE oidc_client_id = '${pub.id}'`), ['0']);
        // On another API, access without any permission.
        applied = await setGrant(billing.id, conf.id, { userDelegatedAccess: false, clientAccess: true });
        assert.deepEqual(normGrant(applied), { userDelegatedAccess: false, clientAccess: true, userDelegatedPermissionIds: [], clientPermissionIds: [] });

        // The API's side: its clients (ordered by name), and who can still be added.
        const listed = await ok(await asAdmin(`/api/apis/${orders.id}/clients`));
        assert.deepEqual(listed.pagination, { totalPages: 1, totalItems: 2, currentPage: 1, itemsPerPage: 20 });
        assert.deepEqual(listed.data.map((e) => e.client.id), [conf.id, pub.id]);
        for (const e of listed.data) assert.deepEqual(Object.keys(e).sort(), ['client', ...GRANT_KEYS, 'cimdGrantedAccess', 'cimdGrantedPermissionIds'].sort());
        assert.deepEqual(normGrant(listed.data[0]), {
          client: { id: conf.id, name: 'GrantTest Confidential', clientType: 'standard', isPublic: false, hasLogo: false, hasDarkLogo: false },
          userDelegatedAccess: true,
          clientAccess: true,
          userDelegatedPermissionIds: sorted([ids['read:o'], ids['write:o']]),
          clientPermissionIds: [ids['write:o']],
          cimdGrantedAccess: false,
          cimdGrantedPermissionIds: [],
        });
        assert.deepEqual(normGrant(listed.data[1]), {
          client: { id: pub.id, name: 'GrantTest Public', clientType: 'standard', isPublic: true, hasLogo: false, hasDarkLogo: false },
          userDelegatedAccess: true,
          clientAccess: false,
          userDelegatedPermissionIds: [],
          clientPermissionIds: [],
          cimdGrantedAccess: false,
          cimdGrantedPermissionIds: [],
        });
        assert.deepEqual((await ok(await asAdmin(`/api/apis/${orders.id}/clients?search=Public`))).data.map((e) => e.client.id), [pub.id]);
        assignable = await ok(await asAdmin(`/api/apis/${orders.id}/assignable-clients?search=GrantTest`));
        assert.deepEqual(assignable.data, []);

        // The client's side: every API it may reach, ordered by name, with the API inside.
        const reach = await ok(await asAdmin(`/api/api-access/${conf.id}/apis`));
        assert.deepEqual(reach.map((g) => g.api.id), [billing.id, orders.id]);
        for (const g of reach) assert.deepEqual(Object.keys(g).sort(), ['api', ...GRANT_KEYS, 'cimdGrantedAccess', 'cimdGrantedPermissionIds'].sort());
        assert.deepEqual(reach[0].api, await getApi(billing.id));
        assert.deepEqual(normGrant({ ...reach[1], api: undefined }), {
          api: undefined,
          userDelegatedAccess: true,
          clientAccess: true,
          userDelegatedPermissionIds: sorted([ids['read:o'], ids['write:o']]),
          clientPermissionIds: [ids['write:o']],
          cimdGrantedAccess: false,
          cimdGrantedPermissionIds: [],
        });
        assignableApis = await ok(await asAdmin(`/api/api-access/${conf.id}/assignable-apis?search=grant-`));
        assert.deepEqual(assignableApis.data, []);

        // A PUT replaces the grant on this API only: everything off removes the client from the API.
        applied = await setGrant(orders.id, conf.id, { userDelegatedAccess: true, clientAccess: false });
        assert.deepEqual(normGrant(applied), { userDelegatedAccess: true, clientAccess: false, userDelegatedPermissionIds: [], clientPermissionIds: [] });
        applied = await setGrant(orders.id, conf.id, {});
        assert.deepEqual(normGrant(applied), { userDelegatedAccess: false, clientAccess: false, userDelegatedPermissionIds: [], clientPermissionIds: [] });
        assert.deepEqual((await ok(await asAdmin(`/api/apis/${orders.id}/clients`))).data.map((e) => e.client.id), [pub.id]);
        assert.deepEqual((await ok(await asAdmin(`/api/api-access/${conf.id}/apis`))).map((g) => g.api.id), [billing.id]);
        assert.equal((await ok(await asAdmin(`/api/api-access/${conf.id}/apis`)))[0].clientAccess, true); // the other API untouched

        // DELETE a client's grant: 204, gone from both sides.
        const revoked = await asAdmin(`/api/apis/${orders.id}/clients/${pub.id}`, { method: 'DELETE' });
        assert.equal(revoked.status, 204);
        assert.deepEqual((await ok(await asAdmin(`/api/apis/${orders.id}/clients`))).data, []);
        assert.deepEqual(await ok(await asAdmin(`/api/api-access/${pub.id}/apis`)), []);
        assert.deepEqual(sql(`SELECT COUNT(*) FROM oidc_clients_allowed_apis WHERE oidc_client_id = '${pub.id}'`), ['0']);

        // Unknown API or client (upstream: not_found "API" / "OIDC client").
        await expectError(await putGrant(randomUUID(), conf.id, {}), 404, 'not_found', 'API not found');
        await expectError(await putGrant(orders.id, 'no-such-client', {}), 404, 'not_found', 'OIDC client not found');
        await expectError(await asAdmin(`/api/apis/${randomUUID()}/clients/${conf.id}`, { method: 'DELETE' }), 404, 'not_found', 'API not found');
        await expectError(await asAdmin(`/api/apis/${orders.id}/clients/no-such-client`, { method: 'DELETE' }), 404, 'not_found', 'OIDC client not found');
        await expectError(await asAdmin('/api/api-access/no-such-client/apis'), 404, 'not_found', 'OIDC client not found');
        await expectError(await asAdmin('/api/api-access/no-such-client/assignable-apis'), 404, 'not_found', 'OIDC client not found');

        // DELETE the API: 204, its permissions and every grant on it are gone.
        await setGrant(orders.id, conf.id, { userDelegatedPermissionIds: [ids['read:o']], clientPermissionIds: [ids['write:o']] });
        const deleted = await asAdmin(`/api/apis/${orders.id}`, { method: 'DELETE' });
        assert.equal(deleted.status, 204);
        await expectError(await asAdmin(`/api/apis/${orders.id}`), 404, 'not_found', 'API not found');
        assert.deepEqual(sql(`SELECT COUNT(*) FROM api_permissions WHERE api_id = '${orders.id}'`), ['0']);
        assert.deepEqual(sql(`SELECT COUNT(*) FROM oidc_clients_allowed_apis WHERE api_id = '${orders.id}'`), ['0']);
        assert.deepEqual(sql(`SELECT COUNT(*) FROM oidc_clients_allowed_api_permissions WHERE api_permission_id IN ('${ids['read:o']}', '${ids['write:o']}')`), ['0']);
        assert.deepEqual((await ok(await asAdmin(`/api/api-access/${conf.id}/apis`))).map((g) => g.api.id), [billing.id]);
      });
    });

    // ============================================================================================================
    describe('resource indicators in the OIDC flows (protocol.md §1.16)', () => {
      const ORDERS = 'https://orders.example.com/api';
      const BILLING = 'https://billing.example.com'; // exists; the clients below hold no grant on it
      const PROFILE = 'https://profile.example.com'; // user-delegated access only
      let orders;
      let profile;
      let p; // permission ids of ORDERS by key
      let main; // confidential, skips consent: user [read, list], client [write, export] on ORDERS; user [read:profile-data] on PROFILE

      // A new client with main's grants.
      async function grantedClient(name, extra = {}) {
        const client = await newClient(name, extra);
        await setGrant(orders.id, client.id, {
          userDelegatedPermissionIds: [p['read:orders'], p['list:orders']],
          clientPermissionIds: client.isPublic ? [] : [p['write:orders'], p['export:orders']],
        });
        await setGrant(profile.id, client.id, { userDelegatedPermissionIds: Object.values(permissionIds(profile)) });
        return client;
      }

      before(async () => {
        orders = await createApi('Orders', ORDERS);
        p = permissionIds(
          await setPermissions(orders.id, [
            { key: 'read:orders', name: 'Read orders', description: 'Read your orders' },
            { key: 'list:orders', name: 'List orders' },
            { key: 'write:orders', name: 'Write orders', description: 'Change orders' },
            { key: 'export:orders', name: 'Export orders' },
            { key: 'audit:orders', name: 'Audit orders' }, // granted to nobody
          ]),
        );
        const billing = await createApi('Billing', BILLING);
        await setPermissions(billing.id, [{ key: 'read:invoices', name: 'Read invoices' }]);
        profile = await createApi('Profile', PROFILE);
        profile = await setPermissions(profile.id, [{ key: 'read:profile-data', name: 'Read profile data' }]);
        main = await grantedClient('Orders RP', { skipConsent: true });
      });

      describe('authorization code flow (§1.5, §2.3)', () => {
        it('openid email + an API permission: aud [resource, issuer], userinfo works, introspection shows the audience', async () => {
          const { callback } = await login(main, { resource: ORDERS, scope: 'openid email read:orders' });
          assert.equal(callback.searchParams.get('scope'), 'openid email read:orders');
          const tokens = await exchange(main, callback);
          assert.equal(tokens.scope, 'openid email read:orders');
          assert.ok(tokens.id_token && tokens.refresh_token, JSON.stringify(tokens));

          const at = await verifyAccessToken(tokens.access_token);
          assert.deepEqual(at.aud, [ORDERS, issuer]);
          assert.equal(at.scope, 'openid email read:orders');
          assert.deepEqual(at.scp, ['openid', 'email', 'read:orders']);
          assert.equal(at.sub, tim.id);
          assert.equal(at.client_id, main.id);
          // The ID token is for the client, as always.
          const { payload: id } = await jwtVerify(tokens.id_token, jwks, { issuer, audience: main.id, typ: 'JWT' });
          assert.deepEqual(id.aud, [main.id]);
          assert.equal(id.email, 'tim@example.com');

          const info = await userinfo(tokens.access_token);
          assert.equal(info.status, 200, await info.clone().text());
          const claims = await info.json();
          assert.equal(claims.sub, tim.id);
          assert.equal(claims.email, 'tim@example.com');

          const intro = await introspect(main, tokens.access_token);
          assert.equal(intro.active, true);
          assert.deepEqual(intro.aud, [ORDERS, issuer]);
          assert.equal(intro.scope, 'openid email read:orders');
          assert.equal(intro.sub, tim.id);
          assert.equal(intro.client_id, main.id);
        });

        it('API scopes only: aud [resource]; a resource without any scope: aud [resource] and no scope; userinfo refuses both', async () => {
          let tokens = await loginAndExchange(main, { resource: ORDERS, scope: 'read:orders list:orders' });
          assert.equal(tokens.id_token, undefined);
          assert.equal(tokens.scope, 'read:orders list:orders');
          let at = await verifyAccessToken(tokens.access_token);
          assert.deepEqual(at.aud, [ORDERS]);
          assert.deepEqual(at.scp, ['read:orders', 'list:orders']);
          await assertOAuthError(await userinfo(tokens.access_token), 403, 'access_denied', undefined, { descriptionText: NOT_AUDIENCED });
          let intro = await introspect(main, tokens.access_token);
          assert.equal(intro.active, true);
          assert.deepEqual(intro.aud, [ORDERS]);
          assert.equal(intro.scope, 'read:orders list:orders');

          // No scope at all (what MCP clients send), with a trailing slash on the resource: the canonical audience.
          const { callback } = await login(main, { resource: `${ORDERS}/`, scope: undefined });
          assert.equal(callback.searchParams.get('scope'), '');
          tokens = await exchange(main, callback);
          assert.equal(tokens.id_token, undefined);
          at = await verifyAccessToken(tokens.access_token);
          assert.deepEqual(at.aud, [ORDERS]);
          assert.equal(at.scope, undefined);
          assert.equal(at.scp, undefined);
          await assertOAuthError(await userinfo(tokens.access_token), 403, 'access_denied', undefined, { descriptionText: NOT_AUDIENCED });
          intro = await introspect(main, tokens.access_token);
          assert.deepEqual(intro.aud, [ORDERS]);
          assert.equal(intro.scope, undefined);

          // An identity scope without openid: the issuer is in the audience, but userinfo wants openid.
          tokens = await loginAndExchange(main, { resource: ORDERS, scope: 'email read:orders' });
          at = await verifyAccessToken(tokens.access_token);
          assert.deepEqual(at.aud, [ORDERS, issuer]);
          await assertOAuthError(await userinfo(tokens.access_token), 403, 'access_denied', undefined, { descriptionText: MISSING_OPENID });

          // And without a resource, the login token is the client's, as before.
          tokens = await loginAndExchange(main, { scope: 'openid' });
          assert.deepEqual((await verifyAccessToken(tokens.access_token)).aud, [main.id, issuer]);
        });

        it('a custom scope without its resource: invalid_scope at the redirect URI, before authentication', async () => {
          for (const cookie of [tim.cookie, null]) {
            const state = randomState();
            assertRedirectError(await authorize(main, { scope: 'openid read:orders', state }, cookie), state, 'invalid_scope', notAvailable('read:orders'));
          }
          const state = randomState();
          assertRedirectError(await authorize(main, { scope: 'write:orders', state }), state, 'invalid_scope', notAvailable('write:orders'));
        });

        it('anything wrong with a resource request collapses into invalid_request (client-only permission, unknown or ungranted API, another API\'s permission)', async () => {
          const cases = [
            { resource: ORDERS, scope: 'openid write:orders' }, // client-only permission in a user flow
            { resource: ORDERS, scope: 'export:orders' },
            { resource: 'https://unknown.example.com', scope: 'openid' }, // no such API
            { resource: BILLING, scope: 'openid' }, // exists, but this client holds no grant
            { resource: ORDERS, scope: 'openid read:profile-data' }, // a permission the client holds for another API
            { resource: PROFILE, scope: 'openid read:orders' },
          ];
          for (const params of cases) {
            for (const cookie of [tim.cookie, null]) {
              const state = randomState();
              assertRedirectError(await authorize(main, { ...params, state }, cookie), state, 'invalid_request', COLLAPSED);
            }
          }
        });

        it('scopes the client does not hold at all are dropped silently', async () => {
          const { callback } = await login(main, { resource: ORDERS, scope: 'openid read:orders audit:orders no-such-scope read:invoices' });
          assert.equal(callback.searchParams.get('scope'), 'openid read:orders');
          const tokens = await exchange(main, callback);
          assert.deepEqual((await verifyAccessToken(tokens.access_token)).scp, ['openid', 'read:orders']);
        });

        it('permission changes reach the flows; access without any permission gives scopeless API tokens', async () => {
          const SHOP = 'https://shop.example.com';
          const shop = await createApi('Shop', SHOP);
          const ids = permissionIds(await setPermissions(shop.id, [{ key: 'shop:browse', name: 'Browse' }, { key: 'shop:buy', name: 'Buy' }]));
          const client = await newClient('Shop RP', { skipConsent: true });
          await setGrant(shop.id, client.id, { userDelegatedPermissionIds: [ids['shop:browse'], ids['shop:buy']] });
          let { callback } = await login(client, { resource: SHOP, scope: 'openid shop:browse shop:buy' });
          assert.equal(callback.searchParams.get('scope'), 'openid shop:browse shop:buy');

          // shop:buy removed (the client no longer holds it: dropped like any unknown scope), shop:browse renamed.
          await setPermissions(shop.id, [{ key: 'shop:browse', name: 'Browse the shop', description: 'Look around' }]);
          ({ callback } = await login(client, { resource: SHOP, scope: 'openid shop:browse shop:buy' }));
          assert.equal(callback.searchParams.get('scope'), 'openid shop:browse');
          const shown = await getInteraction(interactionId(await authorize(client, { resource: SHOP, scope: 'openid shop:browse shop:buy' }, null)));
          assert.deepEqual(shown.scopes, ['openid', 'shop:browse']);
          assert.deepEqual(shown.scopeInfo, [{ key: 'shop:browse', name: 'Browse the shop', description: 'Look around' }]);

          // User-delegated access without any permission: a token for the API without a scope; a permission the
          // client does not hold is dropped.
          const bare = await newClient('Shop bare RP', { skipConsent: true });
          await setGrant(shop.id, bare.id, { userDelegatedAccess: true });
          let tokens = await loginAndExchange(bare, { resource: SHOP, scope: undefined });
          let at = await verifyAccessToken(tokens.access_token);
          assert.deepEqual(at.aud, [SHOP]);
          assert.equal(at.scp, undefined);
          ({ callback } = await login(bare, { resource: SHOP, scope: 'openid shop:browse' }));
          assert.equal(callback.searchParams.get('scope'), 'openid');
          assert.deepEqual((await verifyAccessToken((await exchange(bare, callback)).access_token)).aud, [SHOP, issuer]);
          // Client access without any permission: client_credentials gets a scopeless token for the API.
          await assertOAuthError(await clientCredentials(client, { resource: SHOP }), 403, 'access_denied', notAllowedResource(SHOP));
          await setGrant(shop.id, client.id, { clientAccess: true, userDelegatedPermissionIds: [ids['shop:browse']] });
          const res = await clientCredentials(client, { resource: SHOP });
          assert.equal(res.status, 200, await res.clone().text());
          tokens = await res.json();
          at = await verifyAccessToken(tokens.access_token);
          assert.deepEqual(at.aud, [SHOP]);
          assert.equal(at.scope, undefined);
          assert.equal(tokens.scope, '');
        });

        it('through PAR: the pushed resource reaches the token; a client-only permission is refused', async () => {
          const client = await grantedClient('PAR Orders RP', { skipConsent: true });
          const push = (params) => form('/api/oidc/par', { response_type: 'code', redirect_uri: CALLBACK, state: 'par-state-1234', ...params }, client.auth);
          const pushed = await push({ scope: 'openid read:orders', resource: ORDERS });
          assert.equal(pushed.status, 201, await pushed.clone().text());
          const { request_uri } = await pushed.json();
          const res = await raw(`/authorize?${new URLSearchParams({ client_id: client.id, request_uri })}`, { cookies: [tim.cookie] });
          const cb = callbackOf(res);
          assert.equal(cb.searchParams.get('scope'), 'openid read:orders');
          const tokens = await exchange(client, cb);
          assert.deepEqual((await verifyAccessToken(tokens.access_token)).aud, [ORDERS, issuer]);

          // fosite's PAR handler does not resolve resources: the push is stored and /authorize refuses it.
          const bad = await push({ scope: 'openid write:orders', resource: ORDERS });
          assert.equal(bad.status, 201, await bad.clone().text());
          const { request_uri: uri } = await bad.json();
          assertRedirectError(await raw(`/authorize?${new URLSearchParams({ client_id: client.id, request_uri: uri })}`, { cookies: [tim.cookie] }), 'par-state-1234', 'invalid_request', COLLAPSED);
        });
      });

      describe('consent (§1.6, §1.7)', () => {
        it('a signed-out resource request: the interaction shows scopeInfo for the API\'s permissions', async () => {
          const client = await grantedClient('Consent screen RP');
          const state = randomState();
          const start = await authorize(client, { resource: `${ORDERS}/`, scope: 'openid read:orders list:orders', state }, null);
          const id = interactionId(start);
          const meta = await ok(await raw(`/api/oidc/clients/${client.id}/meta`));
          const interaction = await getInteraction(id);
          assert.deepEqual(Object.keys(interaction), ['id', 'scopes', 'scopeInfo', 'client', 'currentStep', 'requiredSteps']);
          const scopeInfo = [
            { key: 'list:orders', name: 'List orders' }, // no description: omitted (upstream ScopeInfoDto, omitempty)
            { key: 'read:orders', name: 'Read orders', description: 'Read your orders' },
          ];
          assert.deepEqual({ ...interaction, scopeInfo: [...interaction.scopeInfo].sort(byKey) }, {
            id,
            scopes: ['openid', 'read:orders', 'list:orders'],
            scopeInfo,
            client: meta,
            currentStep: 'authenticate',
            requiredSteps: ['authenticate'],
          });

          const next = (await ok(await complete(id, 'authenticate'))).interaction;
          assert.deepEqual(next.requiredSteps, ['consent']);
          assert.deepEqual([...next.scopeInfo].sort(byKey), scopeInfo);
          assert.deepEqual(await ok(await complete(id, 'consent')), { redirectUrl: `/authorize?interaction=${id}` });
          const cb = callbackOf(await raw(`/authorize?interaction=${id}`, { cookies: [tim.cookie] }));
          assert.equal(cb.searchParams.get('state'), state);
          const tokens = await exchange(client, cb);
          const at = await verifyAccessToken(tokens.access_token);
          assert.deepEqual(at.aud, [ORDERS, issuer]);
          assert.equal(at.scope, 'openid read:orders list:orders');

          // Without a resource there is nothing to describe.
          const plain = await getInteraction(interactionId(await authorize(client, { scope: 'openid profile' }, null)));
          assert.deepEqual(plain.scopeInfo, []);
        });

        it('consent is per audience and scope: a plain login\'s consent does not cover an API', async () => {
          const client = await grantedClient('Consent keys RP');
          assert.deepEqual((await login(client, { scope: 'openid profile' })).steps, ['consent']);
          assert.deepEqual((await login(client, { scope: 'openid profile' })).steps, []);
          assert.deepEqual(consentKeys(client.id), ['openid', 'profile']);

          // The API itself was never consented to: prompt=none cannot go through, an interactive request asks.
          const state = randomState();
          assertRedirectError(await authorize(client, { resource: ORDERS, scope: 'openid', prompt: 'none', state }), state, 'consent_required');
          let run = await login(client, { resource: ORDERS, scope: 'openid' });
          assert.deepEqual(run.steps, ['consent']);
          assert.deepEqual(run.shown.scopeInfo, []);
          assert.deepEqual(consentKeys(client.id), ['openid', 'profile', `${ORDERS}${US}`]);
          assert.deepEqual((await login(client, { resource: ORDERS, scope: 'openid' })).steps, []);

          // A new permission of the same API needs consent again; then it is remembered.
          run = await login(client, { resource: ORDERS, scope: 'openid read:orders' });
          assert.deepEqual(run.steps, ['consent']);
          assert.deepEqual(run.shown.scopeInfo, [{ key: 'read:orders', name: 'Read orders', description: 'Read your orders' }]);
          assert.deepEqual(consentKeys(client.id), ['openid', 'profile', `${ORDERS}${US}`, `${ORDERS}${US}read:orders`]);
          assert.deepEqual((await login(client, { resource: ORDERS, scope: 'openid read:orders' })).steps, []);
          assert.deepEqual((await login(client, { resource: `${ORDERS}/`, scope: 'read:orders' })).steps, []);
          assert.deepEqual((await login(client, { scope: 'openid profile' })).steps, []);

          // Another API is another audience.
          run = await login(client, { resource: PROFILE, scope: 'openid read:profile-data' });
          assert.deepEqual(run.steps, ['consent']);
          assert.deepEqual(run.shown.scopeInfo, [{ key: 'read:profile-data', name: 'Read profile data' }]);
          assert.deepEqual(sorted(consentKeys(client.id)), sorted(['openid', 'profile', `${ORDERS}${US}`, `${ORDERS}${US}read:orders`, `${PROFILE}${US}read:profile-data`, `${PROFILE}${US}`]));
        });
      });

      describe('refresh re-checks the API grant (§1.9.3)', () => {
        it('keeps the API audience; refuses once the client lost the permission or the access; a refused refresh spends nothing', async () => {
          const client = await grantedClient('Refresh RP', { skipConsent: true });
          const fresh = () => loginAndExchange(client, { resource: ORDERS, scope: 'openid read:orders' });
          const grantBack = () => setGrant(orders.id, client.id, { userDelegatedPermissionIds: [p['read:orders'], p['list:orders']], clientPermissionIds: [p['write:orders'], p['export:orders']] });

          const tokens = await fresh();
          const res = await refresh(client, tokens.refresh_token);
          assert.equal(res.status, 200, await res.clone().text());
          const refreshed = await res.json();
          assert.equal(refreshed.scope, 'openid read:orders');
          const at = await verifyAccessToken(refreshed.access_token);
          assert.deepEqual(at.aud, [ORDERS, issuer]);
          assert.deepEqual(at.scp, ['openid', 'read:orders']);
          assert.deepEqual((await introspect(client, refreshed.access_token)).aud, [ORDERS, issuer]);
          assert.equal((await userinfo(refreshed.access_token)).status, 200);

          // read:orders now only for the client itself: the user-delegated grant no longer has it.
          await setGrant(orders.id, client.id, { userDelegatedAccess: true, clientPermissionIds: [p['read:orders']] });
          await assertOAuthError(await refresh(client, refreshed.refresh_token), 400, 'invalid_scope', notAvailable('read:orders'));

          // No user-delegated access to the API at all (the client still holds it as a client).
          await setGrant(orders.id, client.id, { userDelegatedAccess: false, clientPermissionIds: [p['read:orders']] });
          await assertOAuthError(await refresh(client, refreshed.refresh_token), 403, 'access_denied', notAllowedResource(ORDERS));

          // Granted again: the refused attempts did not spend the refresh token.
          await grantBack();
          const again = await refresh(client, refreshed.refresh_token);
          assert.equal(again.status, 200, await again.clone().text());
          const latest = await again.json();
          assert.deepEqual((await verifyAccessToken(latest.access_token)).aud, [ORDERS, issuer]);
          const audienceOnly = await loginAndExchange(client, { resource: ORDERS, scope: 'openid' });

          // The grant revoked entirely: the client no longer holds read:orders at all (fosite's check).
          const revoked = await asAdmin(`/api/apis/${orders.id}/clients/${client.id}`, { method: 'DELETE' });
          assert.equal(revoked.status, 204);
          await assertOAuthError(await refresh(client, latest.refresh_token), 400, 'invalid_scope', "The OAuth 2.0 Client is not allowed to request scope 'read:orders'.");
          // A token for the API without a custom scope is refused too, by fosite's exact audience check first (the
          // client's audiences no longer include the API).
          await assertOAuthError(await refresh(client, audienceOnly.refresh_token), 400, 'invalid_request',
            `Requested audience '${ORDERS}' has not been whitelisted by the OAuth 2.0 Client.`);
          await grantBack();
        });
      });

      describe('client_credentials (§1.9.4)', () => {
        it('with a resource: the client-subject permissions, aud [resource], never identity scopes', async () => {
          let res = await clientCredentials(main, { resource: ORDERS });
          assert.equal(res.status, 200, await res.clone().text());
          let tokens = await res.json();
          assert.deepEqual(Object.keys(tokens).sort(), ['access_token', 'expires_in', 'scope', 'token_type']);
          assert.deepEqual(scopesOf(tokens.scope), ['export:orders', 'write:orders']);
          let at = await verifyAccessToken(tokens.access_token);
          assert.deepEqual(at.aud, [ORDERS]);
          assert.equal(at.sub, `client-${main.id}`);
          assert.equal(at.client_id, main.id);
          assert.deepEqual(sorted(at.scp), ['export:orders', 'write:orders']);
          await assertOAuthError(await userinfo(tokens.access_token), 403, 'access_denied', undefined, { descriptionText: NOT_AUDIENCED });
          const intro = await introspect(main, tokens.access_token);
          assert.equal(intro.active, true);
          assert.deepEqual(intro.aud, [ORDERS]);
          assert.equal(intro.sub, `client-${main.id}`);
          assert.deepEqual(scopesOf(intro.scope), ['export:orders', 'write:orders']);

          res = await clientCredentials(main, { resource: `${ORDERS}/`, scope: 'openid profile write:orders' });
          assert.equal(res.status, 200, await res.clone().text());
          tokens = await res.json();
          assert.equal(tokens.scope, 'write:orders');
          at = await verifyAccessToken(tokens.access_token);
          assert.deepEqual(at.aud, [ORDERS]);
          assert.deepEqual(at.scp, ['write:orders']);
        });

        it('without a resource: aud [client_id] and no custom scope', async () => {
          let res = await clientCredentials(main);
          assert.equal(res.status, 200, await res.clone().text());
          const at = await verifyAccessToken((await res.json()).access_token);
          assert.deepEqual(at.aud, [main.id]);
          assert.equal(at.scope, undefined);
          res = await clientCredentials(main, { scope: 'write:orders' });
          await assertOAuthError(res, 400, 'invalid_scope', notAvailable('write:orders'));
        });

        it('refuses a user-only permission, an unknown API and an API without client access', async () => {
          await assertOAuthError(await clientCredentials(main, { resource: ORDERS, scope: 'read:orders' }), 400, 'invalid_scope', notAvailable('read:orders'));
          await assertOAuthError(await clientCredentials(main, { resource: ORDERS, scope: 'write:orders list:orders' }), 400, 'invalid_scope', notAvailable('list:orders'));
          await assertOAuthError(await clientCredentials(main, { resource: 'https://unknown.example.com' }), 400, 'invalid_target', invalidTarget('https://unknown.example.com'));
          await assertOAuthError(await clientCredentials(main, { resource: PROFILE }), 403, 'access_denied', notAllowedResource(PROFILE));
          await assertOAuthError(await clientCredentials(main, { resource: BILLING }), 403, 'access_denied', notAllowedResource(BILLING));
        });

        it('an API deleted: its resource is unknown everywhere', async () => {
          const temp = await createApi('Temp', 'https://temp.example.com');
          const tempIds = permissionIds(await setPermissions(temp.id, [{ key: 'temp:do', name: 'Do' }]));
          await setGrant(temp.id, main.id, { userDelegatedPermissionIds: [tempIds['temp:do']], clientPermissionIds: [tempIds['temp:do']] });
          const res = await clientCredentials(main, { resource: 'https://temp.example.com' });
          assert.equal(res.status, 200, await res.clone().text());
          assert.equal((await res.json()).scope, 'temp:do');
          assert.equal((await asAdmin(`/api/apis/${temp.id}`, { method: 'DELETE' })).status, 204);
          await assertOAuthError(await clientCredentials(main, { resource: 'https://temp.example.com' }), 400, 'invalid_target', invalidTarget('https://temp.example.com'));
          const state = randomState();
          assertRedirectError(await authorize(main, { resource: 'https://temp.example.com', scope: 'openid', state }), state, 'invalid_request', COLLAPSED);
        });
      });

      describe('device authorization (§1.14)', () => {
        const deviceAuthorize = (client, params) => form('/api/oidc/device/authorize', { ...client.params, client_id: client.id, ...params }, client.auth);

        it('refuses an unknown or ungranted resource (invalid_target) and a client-only permission (invalid_scope)', async () => {
          await assertOAuthError(await deviceAuthorize(main, { scope: 'openid', resource: 'https://unknown.example.com' }), 400, 'invalid_target', invalidTarget('https://unknown.example.com'));
          await assertOAuthError(await deviceAuthorize(main, { scope: 'openid', resource: BILLING }), 400, 'invalid_target', invalidTarget(BILLING));
          await assertOAuthError(await deviceAuthorize(main, { scope: 'openid write:orders', resource: ORDERS }), 400, 'invalid_scope', notAvailable('write:orders'));
          await assertOAuthError(await deviceAuthorize(main, { scope: 'openid read:orders' }), 400, 'invalid_scope', notAvailable('read:orders'));
        });

        it('a resource request: /device shows scopeInfo, the device gets a token for the API', async () => {
          const client = await grantedClient('Orders TV');
          const res = await deviceAuthorize(client, { scope: 'openid read:orders', resource: ORDERS });
          assert.equal(res.status, 200, await res.clone().text());
          const codes = await res.json();

          const info = await ok(await raw(`/api/oidc/device/info?code=${codes.user_code}`, { cookies: [tim.cookie] }));
          assert.deepEqual(info.scope, ['openid', 'read:orders']);
          assert.deepEqual(info.scopeInfo, [{ key: 'read:orders', name: 'Read orders', description: 'Read your orders' }]);
          assert.equal(info.authorizationRequired, true);
          const verified = await raw(`/api/oidc/device/verify?code=${codes.user_code}`, { method: 'POST', cookies: [tim.cookie] });
          assert.equal(verified.status, 204, await verified.clone().text());

          const polled = await tokenRequest(client, { grant_type: DEVICE_GRANT, device_code: codes.device_code });
          assert.equal(polled.status, 200, await polled.clone().text());
          const tokens = await polled.json();
          assert.equal(tokens.scope, 'openid read:orders');
          const at = await verifyAccessToken(tokens.access_token);
          assert.deepEqual(at.aud, [ORDERS, issuer]);
          assert.equal(at.sub, tim.id);
          assert.deepEqual(consentKeys(client.id), ['openid', `${ORDERS}${US}read:orders`, `${ORDERS}${US}`]);

          // Consent remembered for the same API request.
          const second = await (await deviceAuthorize(client, { scope: 'openid read:orders', resource: ORDERS })).json();
          assert.equal((await ok(await raw(`/api/oidc/device/info?code=${second.user_code}`, { cookies: [tim.cookie] }))).authorizationRequired, false);
        });

        it('access revoked after the device asked: /device refuses to show or approve the code', async () => {
          const client = await grantedClient('Revoked TV');
          const codes = await (await deviceAuthorize(client, { scope: 'openid read:orders', resource: ORDERS })).json();
          const revoked = await asAdmin(`/api/apis/${orders.id}/clients/${client.id}`, { method: 'DELETE' });
          assert.equal(revoked.status, 204);
          // The fosite error through Pocket ID's REST error handler: its code and status, the full description.
          const refused = `${'The resource owner or authorization server denied the request.'} ${notAllowedResource(ORDERS)}`;
          await expectError(await raw(`/api/oidc/device/info?code=${codes.user_code}`, { cookies: [tim.cookie] }), 403, 'access_denied', refused);
          await expectError(await raw(`/api/oidc/device/verify?code=${codes.user_code}`, { method: 'POST', cookies: [tim.cookie] }), 403, 'access_denied', refused);
          await assertOAuthError(await tokenRequest(client, { grant_type: DEVICE_GRANT, device_code: codes.device_code }), 400, 'authorization_pending');
        });
      });
    });
  });
}
