// The device authorization flow (RFC 8628, protocol.md §1.14 and §1.9.5) end to end, on SQLite and PostgreSQL: a
// device asks for codes, polls the token endpoint, its user approves the code with a signed-in session (consent,
// reauthentication, group restriction), and the device gets tokens verified with npm `jose` against our JWKS. Then
// every refusal the spec names: pending, expired, replayed, another client's code, unknown codes, a second approval.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { engines, postgresUrl, startInstance, cleanup, cookieValue } from './lib/server.mjs';
import { SoftAuthenticator } from './lib/authenticator.mjs';
import { assertAppError } from './lib/app-errors.mjs';
import { assertOAuthError } from './lib/oauth-errors.mjs';
import { basicAuthorization, postForm } from './lib/oauth-requests.mjs';

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

for (const engine of engines) {
  describe(`OIDC device authorization flow on ${engine}`, { skip: engine === 'postgres' && !postgresUrl ? 'PID_TEST_POSTGRES_URL is not set' : false }, () => {
    let server;
    let issuer;
    let session; // a passkey sign-in's access_token cookie (amr phr)
    let signedInAt;
    let me;
    let jwks;
    let authenticator;
    const SCOPE = 'openid profile email';

    const api = (p, { method = 'GET', cookies = [], body } = {}) =>
      fetch(new URL(p, issuer), {
        method,
        redirect: 'manual',
        headers: { Cookie: cookies.filter(Boolean).join('; '), ...(body ? { 'Content-Type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
    const form = (p, params, headers = {}) => postForm(issuer, p, params, headers);
    const basic = (id, secret) => ({ Authorization: basicAuthorization(id, secret) });
    const sql = (statement) =>
      (engine === 'sqlite'
        ? execFileSync('sqlite3', ['-batch', '-cmd', '.timeout 5000', `${server.cwd}/data/pocket-id.db`, statement])
        : execFileSync('psql', [server.env.DB_CONNECTION_STRING, '-qAt', '-v', 'ON_ERROR_STOP=1', '-c', statement])
      ).toString().trim();

    async function createClient(name, extra = {}) {
      const res = await api('/api/oidc/clients', { method: 'POST', cookies: [session], body: { name, callbackURLs: ['http://localhost/cb'], ...extra } });
      assert.equal(res.status, 201, await res.clone().text());
      const created = await res.json();
      if (extra.isPublic) return { id: created.id, auth: {} , params: { client_id: created.id } };
      const sec = await api(`/api/oidc/clients/${encodeURIComponent(created.id)}/secrets`, { method: 'POST', cookies: [session], body: {} });
      assert.equal(sec.status, 201, await sec.clone().text());
      const { secret } = await sec.json();
      return { id: created.id, secret, auth: basic(created.id, secret), params: { client_id: created.id } };
    }

    const deviceAuthorize = (client, params = {}) => form('/api/oidc/device/authorize', { ...client.params, scope: SCOPE, ...params }, client.auth);
    async function newDeviceCode(client, params) {
      const res = await deviceAuthorize(client, params);
      assert.equal(res.status, 200, await res.clone().text());
      return res.json();
    }
    const poll = (client, deviceCode) => form('/api/oidc/token', { ...client.params, grant_type: DEVICE_GRANT, device_code: deviceCode }, client.auth);
    const info = (code, cookies = [session]) => api(`/api/oidc/device/info?code=${encodeURIComponent(code)}`, { cookies });
    const verify = (code, cookies = [session]) => api(`/api/oidc/device/verify?code=${encodeURIComponent(code)}`, { method: 'POST', cookies });

    async function reauthenticate() {
      const start = await api('/api/webauthn/login/start');
      const res = await api('/api/webauthn/reauthenticate', { method: 'POST', cookies: [session, cookieValue(start, 'session')], body: authenticator.get(await start.json()) });
      assert.equal(res.status, 204, await res.clone().text());
      return cookieValue(res, 'reauthentication_token');
    }

    before(async () => {
      server = await startInstance(engine);
      issuer = server.env.APP_URL;
      const setup = await api('/api/signup/setup', { method: 'POST', body: { username: 'tim', email: 'tim@example.com', firstName: 'Tim', lastName: 'Cook' } });
      assert.equal(setup.status, 200, await setup.clone().text());
      authenticator = new SoftAuthenticator({ origin: issuer });
      const regStart = await api('/api/webauthn/register/start', { cookies: [cookieValue(setup, 'access_token')] });
      const reg = await api('/api/webauthn/register/finish', {
        method: 'POST',
        cookies: [cookieValue(setup, 'access_token'), cookieValue(regStart, 'session')],
        body: authenticator.create(await regStart.json()),
      });
      assert.equal(reg.status, 200, await reg.clone().text());
      signedInAt = Math.floor(Date.now() / 1000);
      const loginStart = await api('/api/webauthn/login/start');
      const login = await api('/api/webauthn/login/finish', { method: 'POST', cookies: [cookieValue(loginStart, 'session')], body: authenticator.get(await loginStart.json()) });
      assert.equal(login.status, 200, await login.clone().text());
      session = cookieValue(login, 'access_token');
      me = await (await api('/api/users/me', { cookies: [session] })).json();
      jwks = createRemoteJWKSet(new URL('/.well-known/jwks.json', issuer));
    });

    after(async () => {
      await server?.stop();
      if (server) cleanup(server.cwd);
    });

    it('a confidential client: codes, pending, consent on /device, then tokens; the code works once', async () => {
      const client = await createClient('TV app');
      const res = await deviceAuthorize(client, { scope: `${SCOPE} unknown-scope` });
      assert.equal(res.status, 200, await res.clone().text());
      assert.equal(res.headers.get('cache-control'), 'no-store');
      const codes = await res.json();
      assert.deepEqual(Object.keys(codes).sort(), ['device_code', 'expires_in', 'interval', 'user_code', 'verification_uri', 'verification_uri_complete']);
      assert.match(codes.device_code, /^pocket_id_dc_[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}$/);
      assert.match(codes.user_code, /^E[ABCDEFGHJKMNPQRSTUVWXYZ0-9]{7}$/);
      assert.equal(codes.verification_uri, `${issuer}/device`);
      assert.equal(codes.verification_uri_complete, `${issuer}/device?user_code=${codes.user_code}`);
      assert.ok(codes.expires_in >= 898 && codes.expires_in <= 900, String(codes.expires_in));
      assert.equal(codes.interval, 5);

      await assertOAuthError(await poll(client, codes.device_code), 400, 'authorization_pending');

      // The /device page reads the request: unknown scopes dropped, consent needed, the client's public face.
      const read = await info(`  ${codes.user_code.toLowerCase()} `);
      assert.equal(read.status, 200, await read.clone().text());
      assert.deepEqual(await read.json(), {
        scope: ['openid', 'profile', 'email'],
        scopeInfo: [],
        authorizationRequired: true,
        reauthenticationRequired: false,
        client: { id: client.id, name: 'TV app', description: '', hasLogo: false, hasDarkLogo: false, launchURL: null, requiresReauthentication: false, clientType: 'standard' },
      });

      const approved = await verify(codes.user_code);
      assert.equal(approved.status, 204, await approved.clone().text());
      // Approved once: the code is spent for /device.
      await assertAppError(await info(codes.user_code), 400, 'oidc_invalid_device_code', 'Device code is invalid');
      await assertAppError(await verify(codes.user_code), 400, 'oidc_invalid_device_code', 'Device code is invalid');
      assert.equal(sql(`SELECT count(*) FROM audit_logs WHERE event = 'NEW_DEVICE_CODE_AUTHORIZATION' AND user_id = '${me.id}'`), '1');

      const tokenRes = await poll(client, codes.device_code);
      assert.equal(tokenRes.status, 200, await tokenRes.clone().text());
      const tokens = await tokenRes.json();
      assert.deepEqual(Object.keys(tokens).sort(), ['access_token', 'expires_in', 'id_token', 'refresh_token', 'scope', 'token_type']);
      assert.equal(tokens.token_type, 'bearer');
      assert.equal(tokens.scope, SCOPE);
      assert.match(tokens.refresh_token, /^pocket_id_rt_/);
      const { payload: id } = await jwtVerify(tokens.id_token, jwks, { issuer, audience: client.id, typ: 'JWT' });
      assert.equal(id.sub, me.id);
      assert.equal(id.email, 'tim@example.com');
      assert.deepEqual(id.amr, ['phr']);
      assert.ok(Math.abs(id.auth_time - signedInAt) <= 2, `${id.auth_time} vs ${signedInAt}`);
      await jwtVerify(tokens.access_token, jwks, { issuer, typ: 'at+jwt' });
      const ui = await fetch(`${issuer}/api/oidc/userinfo`, { headers: { Authorization: `Bearer ${tokens.access_token}` } });
      assert.equal(ui.status, 200, await ui.clone().text());
      assert.equal((await ui.json()).sub, me.id);

      // The refresh token rotates like any other.
      const refreshed = await form('/api/oidc/token', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token }, client.auth);
      assert.equal(refreshed.status, 200, await refreshed.clone().text());
      const rotated = await refreshed.json();

      // A second exchange of the same device code is a replay: refused, and the login's tokens are revoked.
      await assertOAuthError(await poll(client, codes.device_code), 400, 'invalid_grant', 'The authorization code has already been used.');
      const after = await fetch(`${issuer}/api/oidc/userinfo`, { headers: { Authorization: `Bearer ${rotated.access_token}` } });
      assert.equal(after.status, 401);
      await assertOAuthError(await form('/api/oidc/token', { grant_type: 'refresh_token', refresh_token: rotated.refresh_token }, client.auth), 400, 'invalid_grant',
        'The refresh token was already used.');
    });

    it('remembers consent, and a public client authenticates with its client_id alone', async () => {
      const client = await createClient('CLI', { isPublic: true });
      const first = await newDeviceCode(client);
      assert.equal((await info(first.user_code).then((r) => r.json())).authorizationRequired, true);
      assert.equal((await verify(first.user_code)).status, 204);
      assert.equal((await poll(client, first.device_code)).status, 200);

      const second = await newDeviceCode(client);
      assert.equal((await info(second.user_code).then((r) => r.json())).authorizationRequired, false);
      assert.equal((await verify(second.user_code)).status, 204);
      assert.equal(sql(`SELECT count(*) FROM audit_logs WHERE event = 'DEVICE_CODE_AUTHORIZATION' AND user_id = '${me.id}'`), '1');
      const tokens = await (await poll(client, second.device_code)).json();
      assert.ok(tokens.access_token && tokens.id_token, JSON.stringify(tokens));

      const skips = await createClient('Skips consent', { isPublic: true, skipConsent: true });
      const third = await newDeviceCode(skips);
      assert.equal((await info(third.user_code).then((r) => r.json())).authorizationRequired, false);
    });

    it('a client that requires reauthentication: verify needs a fresh passkey, which sets auth_time', async () => {
      const client = await createClient('Vault', { requiresReauthentication: true });
      const codes = await newDeviceCode(client);
      const read = await (await info(codes.user_code)).json();
      assert.equal(read.reauthenticationRequired, true);
      assert.equal(read.client.requiresReauthentication, true);
      await assertAppError(await verify(codes.user_code), 401, 'reauthentication_required', 'Reauthentication is required');
      await assertAppError(await verify(codes.user_code, [session, 'reauthentication_token=not-a-real-token']), 401, 'reauthentication_required');

      await new Promise((r) => setTimeout(r, 1100)); // so the reauthentication is visibly later than the sign-in
      const reauthAt = Math.floor(Date.now() / 1000);
      const cookie = await reauthenticate();
      assert.equal((await verify(codes.user_code, [session, cookie])).status, 204);
      const tokens = await (await poll(client, codes.device_code)).json();
      const { payload: id } = await jwtVerify(tokens.id_token, jwks, { issuer, audience: client.id });
      assert.ok(id.auth_time >= reauthAt && id.auth_time > signedInAt, `${id.auth_time} vs ${reauthAt}`);
    });

    it('a group-restricted client the user may not use: 403 without a code member', async () => {
      const client = await createClient('Team only', { isGroupRestricted: true });
      const codes = await newDeviceCode(client);
      const res = await verify(codes.user_code);
      assert.equal(res.status, 403);
      assert.deepEqual(await res.json(), { error: "You're not allowed to access this service." });
      await assertOAuthError(await poll(client, codes.device_code), 400, 'authorization_pending');
    });

    it('refuses unknown, missing and expired codes, another client\'s code, and malformed device requests', async () => {
      const client = await createClient('Refusals');
      const other = await createClient('Other');
      const codes = await newDeviceCode(client);

      await assertAppError(await info('EZZZZZZZ'), 400, 'oidc_invalid_device_code', 'Device code is invalid');
      await assertAppError(await api('/api/oidc/device/info', { cookies: [session] }), 400, 'validation_failed', 'code is required');
      assert.equal((await info(codes.user_code, [])).status, 401);
      assert.equal((await verify(codes.user_code, [])).status, 401);

      await assertOAuthError(await poll(other, codes.device_code), 400, 'invalid_grant',
        'The OAuth 2.0 Client ID from this request does not match the one from the authorize request.');
      await assertOAuthError(await poll(client, 'pocket_id_dc_garbage.garbage'), 400, 'invalid_grant');

      await assertOAuthError(await deviceAuthorize(client, { client_id: other.id }), 400, 'invalid_request', 'Provided client_id mismatch.');
      await assertOAuthError(await form('/api/oidc/device/authorize', { client_id: client.id, scope: SCOPE }), 401, 'invalid_client');
      await assertOAuthError(await deviceAuthorize(client, { resource: 'https://api.example.com' }), 400, 'invalid_target',
        "The requested resource 'https://api.example.com' is invalid, missing, unknown, or malformed.");
      await assertOAuthError(await fetch(`${issuer}/api/oidc/device/authorize`), 400, 'invalid_request', "HTTP method is 'GET', expected 'POST'.");

      // Fifteen minutes later (moved back in the table): expired for the page and for the device.
      const past = engine === 'sqlite' ? "CAST(strftime('%s','now') AS INTEGER) - 60" : "now() - interval '1 minute'";
      sql(`UPDATE oauth2_sessions SET expires_at = ${past} WHERE kind IN ('device_code', 'user_code')`);
      await assertAppError(await info(codes.user_code), 400, 'oidc_device_code_expired', 'Device code has expired');
      await assertOAuthError(await poll(client, codes.device_code), 400, 'expired_token', /^Device code expired at '\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+0000 UTC'\.$/);
    });
  });
}
