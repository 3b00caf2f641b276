// Passkeys over the real endpoints with a software authenticator: registration and discoverable sign-in for
// ES256, RS256 and EdDSA keys, passkey management, and every refusal the spec names — on SQLite and PostgreSQL.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { engines, postgresUrl, startInstance, cleanup, setupFirstAdmin, cookieValue } from './lib/server.mjs';
import { SoftAuthenticator } from './lib/authenticator.mjs';


for (const engine of engines) {
  describe(`passkeys on ${engine}`, { skip: engine === 'postgres' && !postgresUrl ? 'PID_TEST_POSTGRES_URL is not set' : false }, () => {
    let server;
    let session; // access_token=… of the admin
    const api = (p, { method = 'GET', cookies = [], body } = {}) =>
      fetch(server.url + p, {
        method,
        headers: { Cookie: cookies.filter(Boolean).join('; '), ...(body ? { 'Content-Type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });

    async function register(authenticator, opts = {}) {
      const start = await api('/api/webauthn/register/start', { cookies: [session] });
      assert.equal(start.status, 200);
      const options = await start.json();
      const ceremony = cookieValue(start, 'session');
      return api('/api/webauthn/register/finish', { method: 'POST', cookies: [session, ceremony], body: authenticator.create(options, opts) });
    }

    async function login(authenticator, opts = {}) {
      const start = await api('/api/webauthn/login/start');
      const options = await start.json();
      const ceremony = cookieValue(start, 'session');
      const res = await api('/api/webauthn/login/finish', { method: 'POST', cookies: [ceremony], body: authenticator.get(options, opts) });
      return { res, ceremony, options };
    }

    before(async () => {
      server = await startInstance(engine);
      session = await setupFirstAdmin(server);
    });
    after(async () => {
      await server?.stop();
      cleanup(server.cwd);
    });

    it('offers Pocket ID\'s creation options', async () => {
      const start = await api('/api/webauthn/register/start', { cookies: [session] });
      const o = await start.json();
      assert.deepEqual(o.rp, { name: 'Pocket ID', id: 'localhost' });
      assert.equal(o.user.name, 'tim');
      assert.equal(o.user.displayName, 'Tim Cook');
      assert.equal(Buffer.from(o.user.id, 'base64url').toString().length, 36);
      assert.match(o.challenge, /^[A-Za-z0-9_-]{43}$/);
      assert.deepEqual(o.pubKeyCredParams.map((p) => p.alg), [-7, -35, -36, -257, -258, -259, -37, -38, -39, -8]);
      assert.equal(o.timeout, 60000);
      assert.deepEqual(o.authenticatorSelection, { requireResidentKey: true, residentKey: 'required', userVerification: 'required' });
      assert.deepEqual(o.extensions, { credProps: true });
      assert.equal(o.attestation, undefined);
      assert.match(start.headers.getSetCookie()[0], /^session=[0-9a-f-]{36}; Path=\/; Max-Age=60; HttpOnly; Secure; SameSite=Lax$/);
      const anon = await api('/api/webauthn/register/start');
      assert.equal(anon.status, 401);
    });

    for (const alg of ['ES256', 'RS256', 'EdDSA']) {
      it(`registers an ${alg} passkey and signs in with it`, async () => {
        const authenticator = new SoftAuthenticator({ origin: server.env.APP_URL, alg });
        const reg = await register(authenticator);
        assert.equal(reg.status, 200, await reg.clone().text());
        const cred = await reg.json();
        assert.equal(cred.name, 'New Passkey');
        assert.equal(cred.attestationType, 'none');
        assert.deepEqual(cred.transport, ['internal']);
        assert.equal(cred.backupEligible, false);

        const { res } = await login(authenticator);
        assert.equal(res.status, 200, await res.clone().text());
        assert.equal((await res.json()).username, 'tim');
        const cookie = cookieValue(res, 'access_token');
        assert.match(res.headers.getSetCookie().find((c) => c.startsWith('access_token=')), /Max-Age=3600/);
        const me = await api('/api/users/me', { cookies: [cookie] });
        assert.equal(me.status, 200);
        if (engine === 'sqlite') {
          const { execFileSync } = await import('node:child_process');
          const events = execFileSync('sqlite3', [`${server.cwd}/data/pocket-id.db`, 'SELECT event FROM audit_logs ORDER BY created_at, rowid']).toString();
          assert.match(events, /PASSKEY_ADDED\nSIGN_IN\n$/);
        }
      });
    }

    it('lists, renames and deletes passkeys', async () => {
      const list = await (await api('/api/webauthn/credentials', { cookies: [session] })).json();
      assert.equal(list.length, 3);
      // Each was used once to sign in above.
      for (const c of list) assert.ok(Date.parse(c.lastUsedAt) >= Date.parse(c.createdAt), JSON.stringify(c));
      const renamed = await api(`/api/webauthn/credentials/${list[0].id}`, { method: 'PATCH', cookies: [session], body: { name: 'My laptop' } });
      assert.equal(renamed.status, 200);
      assert.equal((await renamed.json()).name, 'My laptop');
      const empty = await api(`/api/webauthn/credentials/${list[0].id}`, { method: 'PATCH', cookies: [session], body: { name: '' } });
      assert.equal((await empty.json()).code, 'validation_failed');
      const del = await api(`/api/webauthn/credentials/${list[2].id}`, { method: 'DELETE', cookies: [session] });
      assert.equal(del.status, 204);
      const gone = await api(`/api/webauthn/credentials/${list[2].id}`, { method: 'DELETE', cookies: [session] });
      assert.equal(gone.status, 404);
      assert.equal((await gone.json()).error, 'Passkey not found');
      const me = await (await api('/api/users/me', { cookies: [session] })).json();
      const admin = await (await api(`/api/users/${me.id}/webauthn-credentials`, { cookies: [session] })).json();
      assert.deepEqual(admin.map((c) => c.name).sort(), ['My laptop', 'New Passkey']);
    });

    it('refuses a registration from another origin or without user verification', async () => {
      const wrongOrigin = await register(new SoftAuthenticator({ origin: 'http://evil.example' }));
      assert.equal(wrongOrigin.status, 400);
      assert.equal((await wrongOrigin.json()).code, 'invalid_webauthn_response');
      const noUv = await register(new SoftAuthenticator({ origin: server.env.APP_URL, userVerification: false }));
      assert.equal(noUv.status, 400);
      const body = await noUv.json();
      assert.equal(body.code, 'passkey_user_verification_required');
      assert.equal(body.error, "Your passkey couldn't verify you. If you're using a security key, configure a FIDO2 PIN and try again");
    });

    it('refuses bad signatures, unknown credentials, replayed and missing ceremonies', async () => {
      const authenticator = new SoftAuthenticator({ origin: server.env.APP_URL });
      assert.equal((await register(authenticator)).status, 200);

      const bad = await login(authenticator, { tamperSignature: true });
      assert.equal(bad.res.status, 401);
      assert.deepEqual(Object.keys(await bad.res.json()).sort(), ['code', 'error', 'request_id']);

      const stranger = new SoftAuthenticator({ origin: server.env.APP_URL });
      stranger.create({ rp: { id: 'localhost' }, user: { id: Buffer.from('someone').toString('base64url') }, challenge: 'x' });
      const unknown = await login(stranger);
      assert.equal(unknown.res.status, 401);
      assert.equal((await unknown.res.json()).code, 'webauthn_authentication_failed');

      const ok = await login(authenticator);
      assert.equal(ok.res.status, 200);
      // The same ceremony cannot be finished twice.
      const replay = await api('/api/webauthn/login/finish', { method: 'POST', cookies: [ok.ceremony], body: authenticator.get(ok.options) });
      assert.equal(replay.status, 400);
      assert.equal((await replay.json()).code, 'invalid_webauthn_session');

      const start = await (await api('/api/webauthn/login/start')).json();
      const noCookie = await api('/api/webauthn/login/finish', { method: 'POST', body: authenticator.get(start) });
      assert.equal(noCookie.status, 400);
      assert.equal((await noCookie.json()).code, 'missing_session_id');
      const garbage = await api('/api/webauthn/login/finish', { method: 'POST', body: { id: 'x' } });
      assert.equal((await garbage.json()).code, 'invalid_webauthn_response');

      const wrongOrigin = await login(authenticator, { origin: 'http://localhost:1' });
      assert.equal(wrongOrigin.res.status, 401);
    });

    it('refuses passkey sign-in for a disabled user', async () => {
      // A second user with a passkey, disabled afterwards through the database as an admin would.
      const authenticator = new SoftAuthenticator({ origin: server.env.APP_URL });
      assert.equal((await register(authenticator)).status, 200);
      const me = await (await api('/api/users/me', { cookies: [session] })).json();
      const { execFileSync } = await import('node:child_process');
      if (engine === 'sqlite') {
        execFileSync('sqlite3', [`${server.cwd}/data/pocket-id.db`, `UPDATE users SET disabled = 1 WHERE id = '${me.id}'`]);
      } else {
        execFileSync('psql', [server.env.DB_CONNECTION_STRING, '-qc', `UPDATE users SET disabled = true WHERE id = '${me.id}'`]);
      }
      const { res } = await login(authenticator);
      assert.equal(res.status, 403);
      assert.equal((await res.json()).code, 'user_disabled');
    });
  });
}

describe('reauthentication', () => {
  it('issues a single-use reauthentication cookie after a fresh passkey sign-in or assertion', async () => {
    const server = await startInstance('sqlite');
    try {
      const api = (p, { method = 'GET', cookies = [], body } = {}) =>
        fetch(server.url + p, {
          method,
          headers: { Cookie: cookies.filter(Boolean).join('; '), ...(body ? { 'Content-Type': 'application/json' } : {}) },
          body: body ? JSON.stringify(body) : undefined,
        });
      const setup = await api('/api/signup/setup', { method: 'POST', body: { username: 'tim', email: 'tim@example.com', firstName: 'Tim' } });
      const otpSession = cookieValue(setup, 'access_token');
      const authenticator = new SoftAuthenticator({ origin: server.env.APP_URL });
      const regStart = await api('/api/webauthn/register/start', { cookies: [otpSession] });
      const regOptions = await regStart.json();
      await api('/api/webauthn/register/finish', { method: 'POST', cookies: [otpSession, cookieValue(regStart, 'session')], body: authenticator.create(regOptions) });

      // A session from setup (amr otp) is not proof enough on its own.
      const start = await api('/api/webauthn/login/start');
      const ceremony = cookieValue(start, 'session');
      const options = await start.json();
      const noProof = await api('/api/webauthn/reauthenticate', { method: 'POST', cookies: [otpSession, ceremony] });
      assert.equal(noProof.status, 401);
      assert.equal((await noProof.json()).code, 'reauthentication_required');
      const noCeremony = await api('/api/webauthn/reauthenticate', { method: 'POST', cookies: [otpSession] });
      assert.equal((await noCeremony.json()).code, 'missing_session_id');

      // A fresh assertion is.
      const ok = await api('/api/webauthn/reauthenticate', { method: 'POST', cookies: [otpSession, ceremony], body: authenticator.get(options) });
      assert.equal(ok.status, 204, await ok.clone().text());
      assert.match(ok.headers.getSetCookie()[0], /^reauthentication_token=[A-Za-z0-9]{32}; Path=\/; Max-Age=180; HttpOnly; Secure; SameSite=Lax$/);

      // So is a passkey sign-in less than a minute old.
      const login = await api('/api/webauthn/login/finish', { method: 'POST', cookies: [cookieValue(await api('/api/webauthn/login/start'), 'session')], body: {} });
      assert.equal(login.status, 400);
      const s2 = await api('/api/webauthn/login/start');
      const passkeySession = cookieValue(
        await api('/api/webauthn/login/finish', { method: 'POST', cookies: [cookieValue(s2, 'session')], body: authenticator.get(await s2.json()) }),
        'access_token',
      );
      const s3 = await api('/api/webauthn/login/start');
      const recent = await api('/api/webauthn/reauthenticate', { method: 'POST', cookies: [passkeySession, cookieValue(s3, 'session')] });
      assert.equal(recent.status, 204);
    } finally {
      await server.stop();
      cleanup(server.cwd);
    }
  });
});
