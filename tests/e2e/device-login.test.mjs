// "Sign in with another device" (Pocket ID device login, protocol.md §5.5), end to end on SQLite and PostgreSQL: a
// signed-out browser asks for a "P…" code and polls its exchange (which, unlike upstream's 25-second long poll,
// answers at once: 202 while pending); a signed-in user inspects the request on /device and approves it with a fresh
// passkey reauthentication (≤ 60 s old, consumed, bound to that user) or denies it; the requesting browser then gets
// a session with amr ["otp"] and a REMOTE_SIGN_IN audit row, once. Then every refusal: wrong cookie, unknown,
// expired, decided twice, denied, disabled user, missing/stale/foreign reauthentication, and the https cookie names;
// the creation rate limit is a todo (no rate limiter yet).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { engines, postgresUrl, startInstance, makeWorkdir, runSql, cleanup, cookieValue, setupFirstAdmin } from './lib/server.mjs';
import { apiClient, sqlDialect, insertApiKey } from './lib/api.mjs';
import { SoftAuthenticator } from './lib/authenticator.mjs';

const fixtures = process.env.PID_FIXTURES_DIR ?? path.resolve(import.meta.dirname, '../../../shared/fixtures');

const CODE = /^P[ABCDEFGHJKMNPQRSTUVWXYZ0123456789]{7}$/;
const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;
const EXPIRED = ['device_login_expired', 'Device login request is invalid or expired'];
const DENIED = ['device_login_denied', 'Device login request was denied'];
const REAUTH = ['reauthentication_required', 'Reauthentication is required'];

const chromeWindows =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
const firefoxLinux = 'Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0';

const sha256 = (s) => createHash('sha256').update(s).digest('hex');
const join = (...cookies) => cookies.filter(Boolean).join('; ');
const setCookie = (res, name) => res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));

for (const engine of engines) {
  describe(`Device login (sign in with another device) on ${engine}`, { skip: engine === 'postgres' && !postgresUrl ? 'PID_TEST_POSTGRES_URL is not set' : false }, () => {
    let server;
    let tim; // admin's session cookie (amr phr, from a passkey sign-in)
    let timId;
    let timKey;
    let bob; // a second user's session cookie
    let bobId;
    let bobKey;

    const { api, ok, expectError } = apiClient(() => server);
    const { at, bool, past } = sqlDialect(engine);
    const sql = (statement) => runSql(server, engine, statement);

    // The requesting (signed-out) browser.
    async function createRequest(headers = { 'X-Forwarded-For': '81.2.69.142', 'User-Agent': chromeWindows }) {
      const res = await api('/api/device-login/requests', { method: 'POST', headers });
      const body = await ok(res, 201);
      return { ...body, res, cookie: cookieValue(res, 'device_login_token') };
    }
    const exchange = (id, cookie, headers = {}) =>
      api(`/api/device-login/requests/${encodeURIComponent(id)}/exchange`, { method: 'POST', cookie, headers });
    // The approving (signed-in) browser.
    const inspect = (code, cookie = tim) => api('/api/device-login/verification', { method: 'POST', cookie, body: code === undefined ? {} : { code } });
    const decide = (code, decision, cookie = tim) =>
      api('/api/device-login/verification/decision', { method: 'POST', cookie, body: { code, decision } });

    // A fresh passkey reauthentication with `key` while signed in as `session`; returns the reauthentication cookie.
    async function reauthenticate(session, key) {
      const start = await api('/api/webauthn/login/start');
      assert.equal(start.status, 200);
      const res = await api('/api/webauthn/reauthenticate', {
        method: 'POST',
        cookie: join(session, cookieValue(start, 'session')),
        body: key.get(await start.json()),
      });
      assert.equal(res.status, 204, await res.clone().text());
      const cookie = cookieValue(res, 'reauthentication_token');
      assert.match(cookie ?? '', /^reauthentication_token=[A-Za-z0-9]{32}$/);
      return cookie;
    }
    async function approve(code, session = tim, key = timKey) {
      const reauth = await reauthenticate(session, key);
      const res = await decide(code, 'approve', join(session, reauth));
      assert.equal(res.status, 204, await res.clone().text());
    }
    async function registerPasskey(session) {
      const key = new SoftAuthenticator({ origin: server.env.APP_URL });
      const start = await api('/api/webauthn/register/start', { cookie: session });
      assert.equal(start.status, 200, await start.clone().text());
      const fin = await api('/api/webauthn/register/finish', { method: 'POST', cookie: join(session, cookieValue(start, 'session')), body: key.create(await start.json()) });
      assert.equal(fin.status, 200, await fin.clone().text());
      return key;
    }
    const expire = (code) => sql(`UPDATE device_login_requests SET expires_at = ${past(5)} WHERE code_hash = '${sha256(code)}'`);

    before(async () => {
      const cwd = makeWorkdir();
      mkdirSync(path.join(cwd, 'geo'));
      const dbPath = path.join(cwd, 'geo', 'GeoLite2-City.mmdb');
      copyFileSync(path.join(fixtures, 'geoip', 'GeoLite2-City-Test.mmdb'), dbPath);
      server = await startInstance(engine, { cwd, extra: { TRUST_PROXY: 'true', GEOLITE_DB_PATH: dbPath, DISABLE_RATE_LIMITING: 'true' } });

      // tim: the first admin, with a passkey, signed in with it.
      const setup = await setupFirstAdmin(server);
      timKey = await registerPasskey(setup);
      const loginStart = await api('/api/webauthn/login/start');
      const login = await api('/api/webauthn/login/finish', { method: 'POST', cookie: cookieValue(loginStart, 'session'), body: timKey.get(await loginStart.json()) });
      assert.equal(login.status, 200, await login.clone().text());
      tim = cookieValue(login, 'access_token');
      timId = (await ok(await api('/api/users/me', { cookie: tim }))).id;

      // bob: a second user, signed in with a login code, with his own passkey.
      bobId = randomUUID();
      sql(`INSERT INTO users (id, created_at, username, email, first_name, last_name, display_name, is_admin, disabled, email_verified)
        VALUES ('${bobId}', ${at(1700000000)}, 'bob', 'bob@example.com', 'Bob', 'Builder', 'Bob Builder', ${bool(false)}, ${bool(false)}, ${bool(true)})`);
      const { token } = await ok(await api(`/api/users/${bobId}/one-time-access-token`, { method: 'POST', cookie: tim }), 201);
      const otp = await api(`/api/one-time-access-token/${token}`, { method: 'POST' });
      assert.equal(otp.status, 200, await otp.clone().text());
      bob = cookieValue(otp, 'access_token');
      bobKey = await registerPasskey(bob);
    });

    after(async () => {
      await server?.stop();
      if (server) cleanup(server.cwd);
    });

    it('creates a request: a P… code that is also its id, the /device links, a 5-minute expiry and a cookie for its exchange only', async () => {
      const before = Date.now();
      const req = await createRequest();
      const { res, cookie, ...body } = req;
      assert.deepEqual(Object.keys(body).sort(), ['expiresAt', 'id', 'interval', 'userCode', 'verificationUri', 'verificationUriComplete']);
      assert.match(body.userCode, CODE);
      assert.equal(body.id, body.userCode);
      assert.equal(body.verificationUri, `${server.env.APP_URL}/device`);
      assert.equal(body.verificationUriComplete, `${server.env.APP_URL}/device?user_code=${body.userCode}`);
      assert.equal(body.interval, 3);
      assert.match(body.expiresAt, RFC3339);
      const expiresAt = Date.parse(body.expiresAt);
      assert.ok(expiresAt >= before + 295_000 && expiresAt <= Date.now() + 301_000, `${body.expiresAt} is not ~5 minutes ahead`);

      const set = setCookie(res, 'device_login_token');
      assert.match(set, new RegExp(`^device_login_token=[A-Za-z0-9]{32}; Path=/api/device-login/requests/${body.id}/exchange; Max-Age=900; HttpOnly; Secure; SameSite=Lax$`));
      assert.equal(res.headers.getSetCookie().length, 1, res.headers.getSetCookie().join('\n'));

      // The browser's token is stored only as its SHA-256 digest.
      const token = cookie.split('=')[1];
      assert.deepEqual(sql(`SELECT status FROM device_login_requests WHERE token_hash = '${sha256(token)}'`), ['pending']);
      assert.deepEqual(sql(`SELECT count(*) FROM device_login_requests WHERE token_hash = '${token}' OR code_hash = '${token}'`), ['0']);

      // Two requests never share a code or a token.
      const other = await createRequest();
      assert.notEqual(other.id, body.id);
      assert.notEqual(other.cookie, cookie);
    });

    it('a pending exchange answers 202 with an empty body at once; unknown ids and missing or foreign cookies are 401', async () => {
      const req = await createRequest();
      for (let i = 0; i < 2; i++) {
        const started = Date.now();
        const res = await exchange(req.id, req.cookie);
        const elapsed = Date.now() - started;
        assert.equal(res.status, 202, await res.clone().text());
        assert.equal(await res.text(), '');
        assert.ok(elapsed < 2000, `pending exchange took ${elapsed} ms (expected an immediate answer)`);
        assert.equal(res.headers.getSetCookie().length, 0);
      }

      const other = await createRequest();
      await expectError(await exchange(req.id), 401, ...EXPIRED);
      await expectError(await exchange(req.id, 'device_login_token='), 401, ...EXPIRED);
      await expectError(await exchange(req.id, 'device_login_token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'), 401, ...EXPIRED);
      await expectError(await exchange(req.id, other.cookie), 401, ...EXPIRED); // another request's token
      await expectError(await exchange(other.id, req.cookie), 401, ...EXPIRED);
      await expectError(await exchange('PZZZZZZZ', req.cookie), 401, ...EXPIRED);
      await expectError(await exchange('not-a-code', req.cookie), 401, ...EXPIRED);
      // None of that touched the request.
      assert.equal((await exchange(req.id, req.cookie)).status, 202);
    });

    it('verification shows the requesting device and location, accepts typed variants of the code, and refuses the rest', async () => {
      const req = await createRequest({ 'X-Forwarded-For': '81.2.69.142', 'User-Agent': chromeWindows });
      const res = await inspect(req.userCode);
      const info = await ok(res);
      assert.deepEqual(info, {
        userCode: req.userCode,
        device: 'Chrome on Windows 10.0',
        ipAddress: '81.2.69.142',
        country: 'United Kingdom',
        city: 'London',
        expiresAt: info.expiresAt,
      });
      assert.match(info.expiresAt, RFC3339);
      assert.equal(Date.parse(info.expiresAt), Date.parse(req.expiresAt));

      // Lower case and surrounding spaces are fine; the canonical code comes back.
      assert.equal((await ok(await inspect(`  ${req.userCode.toLowerCase()}\t`))).userCode, req.userCode);

      // I and O are read as 1 and 0 (the alphabet has neither letter): find a code with a 1 or a 0 to retype.
      let withDigit;
      for (let i = 0; i < 30 && !withDigit; i++) {
        const r = await createRequest({ 'User-Agent': firefoxLinux });
        if (/[01]/.test(r.userCode.slice(1))) withDigit = r;
      }
      assert.ok(withDigit, 'no code with a 0 or 1 in 30 requests');
      const typed = 'P' + withDigit.userCode.slice(1).replaceAll('1', 'I').replaceAll('0', 'o');
      const local = await ok(await inspect(typed));
      assert.deepEqual([local.userCode, local.device, local.ipAddress, local.country, local.city],
        [withDigit.userCode, 'Firefox on Linux x86_64', '127.0.0.1', 'Internal Network', 'LAN']);

      let err = await expectError(await inspect(undefined), 400, 'validation_failed', 'Code is required');
      assert.deepEqual(err.details.fields, [{ field: 'code', code: 'required', message: 'is required' }]);
      await expectError(await inspect(''), 400, 'validation_failed', 'Code is required');
      await expectError(await inspect('PZZZZZZZ'), 401, ...EXPIRED);
      await expectError(await inspect(req.userCode.slice(0, 7)), 401, ...EXPIRED);

      // The approving side needs a browser session: none → 401, an API key is not accepted here.
      await expectError(await inspect(req.userCode, null), 401, 'not_signed_in', 'You are not signed in');
      await expectError(await decide(req.userCode, 'deny', null), 401, 'not_signed_in');
      const key = 'device-login-e2e-api-key-0123456789';
      insertApiKey(sql, engine, timId, key);
      await expectError(await api('/api/device-login/verification', { method: 'POST', key, body: { code: req.userCode } }), 403, 'api_key_auth_not_allowed',
        'API key authentication is not allowed for this endpoint');
      await expectError(await api('/api/device-login/verification/decision', { method: 'POST', key, body: { code: req.userCode, decision: 'deny' } }), 403,
        'api_key_auth_not_allowed');
      // Still pending after all that.
      assert.equal((await exchange(req.id, req.cookie)).status, 202);
    });

    it('an approved request signs the requesting browser in once: user DTO, amr otp session, REMOTE_SIGN_IN for the approver', async () => {
      const req = await createRequest({ 'User-Agent': chromeWindows });
      assert.equal((await exchange(req.id, req.cookie)).status, 202);
      await approve(req.userCode.toLowerCase(), bob, bobKey);
      assert.deepEqual(sql(`SELECT status, user_id FROM device_login_requests WHERE code_hash = '${sha256(req.userCode)}'`), [`approved|${bobId}`]);
      // Decided: no longer shown on /device.
      await expectError(await inspect(req.userCode, bob), 401, ...EXPIRED);

      // Approved, yet only for the browser that holds this request's token.
      await expectError(await exchange(req.id, 'device_login_token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'), 401, ...EXPIRED);

      const started = Date.now();
      const res = await exchange(req.id, req.cookie, { 'X-Forwarded-For': '89.160.20.112', 'User-Agent': firefoxLinux });
      const user = await ok(res);
      assert.ok(Date.now() - started < 5000);
      assert.equal(user.id, bobId);
      assert.equal(user.username, 'bob');
      assert.equal(user.email, 'bob@example.com');
      assert.equal(user.displayName, 'Bob Builder');
      assert.equal(user.isAdmin, false);
      assert.equal(user.disabled, false);

      assert.match(setCookie(res, 'access_token'), /^access_token=[^;]+; Path=\/; Max-Age=3600; HttpOnly; Secure; SameSite=Lax$/);
      const session = cookieValue(res, 'access_token');
      const jwt = session.slice('access_token='.length);
      const { payload } = await jwtVerify(jwt, createRemoteJWKSet(new URL('/.well-known/jwks.json', server.url)));
      assert.equal(payload.sub, bobId);
      assert.deepEqual(payload.amr, ['otp']);
      assert.equal(payload.exp - payload.iat, 3600);
      assert.ok(Math.abs(payload.iat - Date.now() / 1000) <= 5);
      const me = await ok(await api('/api/users/me', { cookie: session }));
      assert.equal(me.id, bobId);

      // Single use: the request is gone.
      await expectError(await exchange(req.id, req.cookie), 401, ...EXPIRED);
      assert.deepEqual(sql(`SELECT count(*) FROM device_login_requests WHERE code_hash = '${sha256(req.userCode)}'`), ['0']);

      // The remote sign-in is in bob's own log, with the exchanging browser's address and device.
      const logs = await ok(await api('/api/audit-logs?filters[event]=REMOTE_SIGN_IN', { cookie: session }));
      assert.equal(logs.data.length, 1, JSON.stringify(logs));
      const [row] = logs.data;
      assert.deepEqual(
        { event: row.event, userID: row.userID, ipAddress: row.ipAddress, device: row.device, country: row.country, city: row.city, data: row.data },
        { event: 'REMOTE_SIGN_IN', userID: bobId, ipAddress: '89.160.20.112', device: 'Firefox on Linux x86_64', country: 'Sweden', city: 'Linköping', data: {} },
      );
      const timLogs = await ok(await api('/api/audit-logs?filters[event]=REMOTE_SIGN_IN', { cookie: tim }));
      assert.equal(timLogs.data.length, 0);
    });

    it('approval needs a passkey reauthentication of the approving user from the last minute, used once', async () => {
      const req = await createRequest();
      await expectError(await decide(req.userCode, 'approve', tim), 401, ...REAUTH);
      await expectError(await decide(req.userCode, 'approve', join(tim, 'reauthentication_token=')), 401, ...REAUTH);
      await expectError(await decide(req.userCode, 'approve', join(tim, 'reauthentication_token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')), 401, ...REAUTH);
      // A session-only reauthentication counts too, if the passkey sign-in is still fresh — but a login-code session
      // (bob's, amr otp) cannot produce one without a passkey.
      await expectError(await api('/api/webauthn/reauthenticate', { method: 'POST', cookie: join(bob, cookieValue(await api('/api/webauthn/login/start'), 'session')) }),
        401, ...REAUTH);

      // Tim's proof does not approve for bob (it is bound to the passkey's owner) and is not used up by trying.
      const timProof = await reauthenticate(tim, timKey);
      await expectError(await decide(req.userCode, 'approve', join(bob, timProof)), 401, ...REAUTH);
      assert.equal((await exchange(req.id, req.cookie)).status, 202);
      assert.equal((await ok(await inspect(req.userCode, bob))).userCode, req.userCode);

      const ok204 = await decide(req.userCode, 'approve', join(tim, timProof));
      assert.equal(ok204.status, 204, await ok204.clone().text());
      assert.equal(await ok204.text(), '');

      // The proof was consumed by the approval.
      const next = await createRequest();
      await expectError(await decide(next.userCode, 'approve', join(tim, timProof)), 401, ...REAUTH);
      assert.equal((await exchange(next.id, next.cookie)).status, 202);

      // A fresh proof with an unknown or spent code: the code is what fails.
      await expectError(await decide('PZZZZZZZ', 'approve', join(tim, await reauthenticate(tim, timKey))), 401, ...EXPIRED);
      await expectError(await decide(req.userCode, 'approve', join(tim, await reauthenticate(tim, timKey))), 401, ...EXPIRED);
      // Without a proof, approval is refused before the code is even looked at.
      await expectError(await decide('PZZZZZZZ', 'approve', tim), 401, ...REAUTH);

      const signedIn = await ok(await exchange(req.id, req.cookie));
      assert.equal(signedIn.id, timId);
    });

    it('a reauthentication older than a minute does not approve', async () => {
      const req = await createRequest();
      const proof = await reauthenticate(tim, timKey);
      const token = proof.split('=')[1];
      const hash = sha256(token);
      assert.deepEqual(sql(`SELECT count(*) FROM reauthentication_tokens WHERE token = '${hash}'`), ['1']);
      sql(`UPDATE reauthentication_tokens SET created_at = ${past(61)} WHERE token = '${hash}'`);
      await expectError(await decide(req.userCode, 'approve', join(tim, proof)), 401, ...REAUTH);
      assert.equal((await exchange(req.id, req.cookie)).status, 202);
      assert.equal((await ok(await inspect(req.userCode))).userCode, req.userCode);
      // Upstream consumes the proof inside a transaction that is rolled back when it is too old: the (still
      // unexpired) token survives the refusal.
      assert.deepEqual(sql(`SELECT count(*) FROM reauthentication_tokens WHERE token = '${hash}'`), ['1']);

      // 50 seconds old is still fresh enough.
      const fresh = await reauthenticate(tim, timKey);
      sql(`UPDATE reauthentication_tokens SET created_at = ${past(50)} WHERE token = '${sha256(fresh.split('=')[1])}'`);
      assert.equal((await decide(req.userCode, 'approve', join(tim, fresh))).status, 204);
      assert.equal((await ok(await exchange(req.id, req.cookie))).id, timId);
    });

    it('a denied request: 204 without reauthentication, then 403 device_login_denied on every poll until it expires', async () => {
      const req = await createRequest();
      const proof = await reauthenticate(tim, timKey);
      const res = await decide(` ${req.userCode.toLowerCase()} `, 'deny', join(tim, proof));
      assert.equal(res.status, 204, await res.clone().text());
      for (let i = 0; i < 3; i++) await expectError(await exchange(req.id, req.cookie), 403, ...DENIED);
      // Another browser's cookie still learns nothing.
      await expectError(await exchange(req.id, 'device_login_token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'), 401, ...EXPIRED);

      // Decided: not shown, and no second decision either way.
      await expectError(await inspect(req.userCode), 401, ...EXPIRED);
      await expectError(await decide(req.userCode, 'deny'), 401, ...EXPIRED);
      await expectError(await decide(req.userCode, 'approve', join(tim, await reauthenticate(tim, timKey))), 401, ...EXPIRED);
      await expectError(await exchange(req.id, req.cookie), 403, ...DENIED);

      // Denying did not use up the reauthentication proof.
      const other = await createRequest();
      assert.equal((await decide(other.userCode, 'approve', join(tim, proof))).status, 204);

      expire(req.userCode);
      await expectError(await exchange(req.id, req.cookie), 401, ...EXPIRED);
    });

    it('an approved request cannot be decided again, and decision bodies are validated', async () => {
      const req = await createRequest();
      await approve(req.userCode);
      await expectError(await decide(req.userCode, 'deny'), 401, ...EXPIRED);
      await expectError(await decide(req.userCode, 'approve', join(tim, await reauthenticate(tim, timKey))), 401, ...EXPIRED);

      const pending = await createRequest();
      let err = await expectError(await decide(pending.userCode, 'maybe'), 400, 'validation_failed', 'Decision is invalid');
      assert.deepEqual(err.details.fields, [{ field: 'decision', code: 'oneof', message: 'is invalid' }]);
      err = await expectError(await api('/api/device-login/verification/decision', { method: 'POST', cookie: tim, body: { code: pending.userCode } }), 400,
        'validation_failed', 'Decision is required');
      assert.deepEqual(err.details.fields, [{ field: 'decision', code: 'required', message: 'is required' }]);
      err = await expectError(await api('/api/device-login/verification/decision', { method: 'POST', cookie: tim, body: {} }), 400,
        'validation_failed', 'Code is required, decision is required');
      assert.deepEqual(err.details.fields.map((f) => f.field), ['code', 'decision']);
      await expectError(await api('/api/device-login/verification/decision', { method: 'POST', cookie: tim, body: 'not json' }), 400, 'invalid_request_body');
      await expectError(await decide('PZZZZZZZ', 'deny'), 401, ...EXPIRED);
      assert.equal((await exchange(pending.id, pending.cookie)).status, 202);

      assert.equal((await ok(await exchange(req.id, req.cookie))).id, timId);
    });

    it("a disabled approver's request is refused with 403 user_disabled and kept until the user is enabled again", async () => {
      const req = await createRequest();
      await approve(req.userCode, bob, bobKey);
      const remoteSignIns = () => sql(`SELECT count(*) FROM audit_logs WHERE event = 'REMOTE_SIGN_IN' AND user_id = '${bobId}'`)[0];
      const before = remoteSignIns();
      sql(`UPDATE users SET disabled = ${bool(true)} WHERE id = '${bobId}'`);
      try {
        await expectError(await exchange(req.id, req.cookie), 403, 'user_disabled');
        await expectError(await exchange(req.id, req.cookie), 403, 'user_disabled');
        assert.equal(remoteSignIns(), before);
      } finally {
        sql(`UPDATE users SET disabled = ${bool(false)} WHERE id = '${bobId}'`);
      }
      const user = await ok(await exchange(req.id, req.cookie));
      assert.equal(user.id, bobId);
      assert.equal(Number(remoteSignIns()), Number(before) + 1);
    });

    it('an expired request is refused everywhere: exchange, verification and decision', async () => {
      const pending = await createRequest();
      const approved = await createRequest();
      await approve(approved.userCode);
      const denied = await createRequest();
      assert.equal((await decide(denied.userCode, 'deny')).status, 204);
      for (const r of [pending, approved, denied]) expire(r.userCode);

      for (const r of [pending, approved, denied]) await expectError(await exchange(r.id, r.cookie), 401, ...EXPIRED);
      await expectError(await inspect(pending.userCode), 401, ...EXPIRED);
      await expectError(await decide(pending.userCode, 'deny'), 401, ...EXPIRED);
      await expectError(await decide(pending.userCode, 'approve', join(tim, await reauthenticate(tim, timKey))), 401, ...EXPIRED);
    });
  });

  describe(`Device login over https on ${engine}`, { skip: engine === 'postgres' && !postgresUrl ? 'PID_TEST_POSTGRES_URL is not set' : false }, () => {
    let server;
    const { api, ok, expectError } = apiClient(() => server);

    before(async () => {
      // Rate limiting stays on here (production defaults); the app URL only decides cookie names and links.
      server = await startInstance(engine, { extra: { APP_URL: 'https://id.example.com' } });
    });
    after(async () => {
      await server?.stop();
      if (server) cleanup(server.cwd);
    });

    it('uses the __Secure- cookie name for the exchange binding', async () => {
      const res = await api('/api/device-login/requests', { method: 'POST' });
      const body = await ok(res, 201);
      assert.equal(body.verificationUri, 'https://id.example.com/device');
      assert.equal(body.verificationUriComplete, `https://id.example.com/device?user_code=${body.userCode}`);
      const set = res.headers.getSetCookie();
      assert.equal(set.length, 1, set.join('\n'));
      assert.match(set[0], new RegExp(`^__Secure-device_login_token=[A-Za-z0-9]{32}; Path=/api/device-login/requests/${body.id}/exchange; Max-Age=900; HttpOnly; Secure; SameSite=Lax$`));
      const cookie = set[0].split(';')[0];

      assert.equal((await api(`/api/device-login/requests/${body.id}/exchange`, { method: 'POST', cookie })).status, 202);
      // The plain name is not read when APP_URL is https.
      await expectError(await api(`/api/device-login/requests/${body.id}/exchange`, { method: 'POST', cookie: cookie.replace('__Secure-', '') }), 401, ...EXPIRED);
    });

    // Rate limiting (protocol.md's rate-limit table) is not built for any endpoint yet: this documents the target and
    // reports as a todo instead of failing the suite.
    it('creating requests is rate limited per client address (device-login-create: burst 5)', { todo: 'no rate limiter yet' }, async () => {
      // The previous test created one request from this address.
      for (let i = 0; i < 4; i++) assert.equal((await api('/api/device-login/requests', { method: 'POST' })).status, 201);
      const limited = await api('/api/device-login/requests', { method: 'POST' });
      await expectError(limited, 429, 'rate_limited');
      assert.match(limited.headers.get('retry-after') ?? '', /^\d+$/);
    });
  });
}
