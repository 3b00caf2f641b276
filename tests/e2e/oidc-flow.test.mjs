// The OIDC provider through a real relying-party library: npm `openid-client` (v6) as a confidential client
// (client_secret_basic) runs the authorization-code flow with PKCE, userinfo, refresh, introspection and
// RP-initiated logout, and every ID/access token is verified with npm `jose` against our JWKS. Then the refusals
// protocol.md names (wrong redirect_uri, code replay, PKCE mismatch, expired code, refresh reuse, wrong client
// secret, unknown scope, missing state), each with its exact status, error and error_description — on SQLite and
// PostgreSQL.
//
// The browser part of a real sign-in is played by plain HTTP with the user's Pocket ID session cookie (a passkey
// sign-in with the software authenticator): GET /authorize either 303s straight to the redirect URI or 302s to
// /interaction?interaction=<id>, whose steps we complete through the same API the web UI uses.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import * as oidc from 'openid-client';
import { createRemoteJWKSet, jwtVerify, decodeProtectedHeader } from 'jose';
import { engines, postgresUrl, startInstance, cleanup, cookieValue, runSql } from './lib/server.mjs';
import { SoftAuthenticator } from './lib/authenticator.mjs';
import { assertOAuthError, description } from './lib/oauth-errors.mjs';
import { basicAuthorization, postForm } from './lib/oauth-requests.mjs';



const leftHalfHash = (token) => crypto.createHash('sha256').update(token).digest().subarray(0, 16).toString('base64url');

for (const engine of engines) {
  describe(`OIDC with openid-client on ${engine}`, { skip: engine === 'postgres' && !postgresUrl ? 'PID_TEST_POSTGRES_URL is not set' : false }, () => {
    let server;
    let issuer; // APP_URL: http://localhost:<port>
    let session; // access_token=… cookie from a passkey sign-in (amr phr)
    let signedInAt; // Unix seconds, just before that sign-in
    let me; // GET /api/users/me
    let metadata; // discovery document
    let jwks;
    const client = {}; // the confidential client under test: { id, secret, config }
    const otherClient = {};
    const CALLBACK = 'http://localhost:7777/callback';
    const CALLBACK2 = 'http://localhost:7777/callback2';
    const LOGOUT_CALLBACK = 'http://localhost:7777/logged-out';
    const SCOPE = 'openid profile email groups';

    const api = (p, { method = 'GET', cookies = [], body } = {}) =>
      fetch(issuer + p, {
        method,
        redirect: 'manual',
        headers: { Cookie: cookies.filter(Boolean).join('; '), ...(body ? { 'Content-Type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });

    const sql = (statement) => runSql(server, engine, statement);

    async function createClient(name, extra = {}) {
      const res = await api('/api/oidc/clients', {
        method: 'POST',
        cookies: [session],
        body: { name, callbackURLs: [CALLBACK, CALLBACK2], logoutCallbackURLs: [LOGOUT_CALLBACK], isPublic: false, pkceEnabled: true, ...extra },
      });
      assert.equal(res.status, 201, await res.clone().text());
      const created = await res.json();
      assert.equal(typeof created.id, 'string');
      const sec = await api(`/api/oidc/clients/${encodeURIComponent(created.id)}/secrets`, { method: 'POST', cookies: [session], body: {} });
      assert.equal(sec.status, 201, await sec.clone().text());
      const { secret } = await sec.json();
      assert.match(secret, /^[A-Za-z0-9]{32}$/);
      return { id: created.id, secret };
    }

    const discover = (id, secret) =>
      oidc.discovery(new URL(issuer), id, { client_secret: secret }, oidc.ClientSecretBasic(secret), { execute: [oidc.allowInsecureRequests] });

    // The user agent's part of /authorize: follows Pocket ID's interaction (completing each step as the web UI
    // would, with the session cookie) and returns the final response — a 303 to the redirect URI on success — and
    // the interaction steps that were required.
    async function authorize(url, { cookie = session } = {}) {
      let res = await fetch(url, { redirect: 'manual', headers: { Cookie: cookie } });
      const steps = [];
      if (res.status === 302 && res.headers.get('location')?.startsWith('/interaction?')) {
        const m = /^\/interaction\?interaction=([^&]+)$/.exec(res.headers.get('location'));
        assert.ok(m, res.headers.get('location'));
        const id = decodeURIComponent(m[1]);
        const got = await api(`/api/oidc/interactions/${encodeURIComponent(id)}`);
        assert.equal(got.status, 200, await got.clone().text());
        let interaction = await got.json();
        assert.equal(interaction.id, id);
        for (let i = 0; ; i++) {
          assert.ok(i < 5, 'interaction does not finish');
          steps.push(interaction.currentStep);
          const done = await api(`/api/oidc/interactions/${encodeURIComponent(id)}/complete`, {
            method: 'POST',
            cookies: [cookie],
            body: { step: interaction.currentStep },
          });
          assert.equal(done.status, 200, await done.clone().text());
          const body = await done.json();
          if (body.redirectUrl) {
            assert.equal(body.redirectUrl, `/authorize?interaction=${encodeURIComponent(id)}`);
            res = await fetch(new URL(body.redirectUrl, issuer), { redirect: 'manual', headers: { Cookie: cookie } });
            break;
          }
          interaction = body.interaction;
        }
      }
      return { res, steps };
    }

    // A complete authorization request of `c` (PKCE S256 unless overridden); returns the callback URL and the checks.
    async function login(c, { scope = SCOPE, redirect_uri = CALLBACK, params = {} } = {}) {
      const codeVerifier = oidc.randomPKCECodeVerifier();
      const checks = { pkceCodeVerifier: codeVerifier, expectedState: oidc.randomState(), expectedNonce: oidc.randomNonce(), idTokenExpected: true };
      const url = oidc.buildAuthorizationUrl(c.config, {
        redirect_uri,
        scope,
        code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        state: checks.expectedState,
        nonce: checks.expectedNonce,
        ...params,
      });
      const { res, steps } = await authorize(url);
      assert.equal(res.status, 303, `${res.status} ${res.headers.get('location')} ${await res.clone().text()}`);
      const callback = new URL(res.headers.get('location'));
      assert.equal(callback.origin + callback.pathname, redirect_uri, callback.href);
      assert.equal(callback.searchParams.get('error'), null, callback.href);
      return { callback, checks, steps, response: res };
    }

    // Exchanges through openid-client and verifies the ID token signature with jose.
    async function loginAndExchange(c, opts) {
      const { callback, checks } = await login(c, opts);
      const tokens = await oidc.authorizationCodeGrant(c.config, callback, checks);
      return { tokens, checks, callback };
    }

    const verifyIdToken = (token, audience) => jwtVerify(token, jwks, { issuer, audience, typ: 'JWT' });
    const verifyAccessToken = (token) => jwtVerify(token, jwks, { issuer, typ: 'at+jwt' });

    // A raw token request with client_secret_basic.
    function tokenRequest(params, { id = client.id, secret = client.secret } = {}) {
      return postForm(metadata.token_endpoint, '', params, { Authorization: basicAuthorization(id, secret) });
    }
    const userinfo = (accessToken) => fetch(metadata.userinfo_endpoint, { headers: { Authorization: `Bearer ${accessToken}` } });

    before(async () => {
      server = await startInstance(engine);
      issuer = server.env.APP_URL;
      const setup = await api('/api/signup/setup', { method: 'POST', body: { username: 'tim', email: 'tim@example.com', firstName: 'Tim', lastName: 'Cook' } });
      assert.equal(setup.status, 200, await setup.clone().text());
      const setupSession = cookieValue(setup, 'access_token');

      // A passkey, and a passkey sign-in: the session whose amr (phr) and iat (auth_time) reach the ID token.
      const authenticator = new SoftAuthenticator({ origin: issuer });
      const regStart = await api('/api/webauthn/register/start', { cookies: [setupSession] });
      const regOptions = await regStart.json();
      const reg = await api('/api/webauthn/register/finish', {
        method: 'POST',
        cookies: [setupSession, cookieValue(regStart, 'session')],
        body: authenticator.create(regOptions),
      });
      assert.equal(reg.status, 200, await reg.clone().text());
      signedInAt = Math.floor(Date.now() / 1000);
      const loginStart = await api('/api/webauthn/login/start');
      const loginRes = await api('/api/webauthn/login/finish', {
        method: 'POST',
        cookies: [cookieValue(loginStart, 'session')],
        body: authenticator.get(await loginStart.json()),
      });
      assert.equal(loginRes.status, 200, await loginRes.clone().text());
      session = cookieValue(loginRes, 'access_token');
      me = await (await api('/api/users/me', { cookies: [session] })).json();

      // A group, added the way the guides' scripts do it (by SQL): its `name` must reach the `groups` claim.
      const groupId = crypto.randomUUID();
      const now = engine === 'sqlite' ? "datetime('now')" : 'now()';
      sql(
        `INSERT INTO user_groups (id, created_at, updated_at, friendly_name, name) VALUES ('${groupId}', ${now}, ${now}, 'Developers', 'developers');` +
          `INSERT INTO user_groups_users (user_id, user_group_id) VALUES ('${me.id}', '${groupId}');`,
      );

      Object.assign(client, await createClient('openid-client RP'));
      client.config = await discover(client.id, client.secret);
      Object.assign(otherClient, await createClient('Another RP'));
      otherClient.config = await discover(otherClient.id, otherClient.secret);
      metadata = client.config.serverMetadata();
      jwks = createRemoteJWKSet(new URL(metadata.jwks_uri));
    });

    after(async () => {
      await server?.stop();
      if (server) cleanup(server.cwd);
    });

    it('discovers the provider with openid-client', async () => {
      assert.equal(metadata.issuer, issuer);
      assert.equal(metadata.authorization_endpoint, `${issuer}/authorize`);
      assert.equal(metadata.token_endpoint, `${issuer}/api/oidc/token`);
      assert.equal(metadata.userinfo_endpoint, `${issuer}/api/oidc/userinfo`);
      assert.equal(metadata.end_session_endpoint, `${issuer}/api/oidc/end-session`);
      assert.equal(metadata.jwks_uri, `${issuer}/.well-known/jwks.json`);
      assert.equal(metadata.authorization_response_iss_parameter_supported, true);
      assert.ok(client.config.serverMetadata().supportsPKCE('S256'));
      assert.equal(client.config.clientMetadata().client_id, client.id);
    });

    it('signs in with the code flow and PKCE: consent once, tokens verified against the JWKS, userinfo, introspection', async () => {
      const { callback, checks, steps, response } = await login(client);
      // The first authorization of a new client asks for consent, and nothing else (the user is signed in).
      assert.deepEqual(steps, ['consent']);
      assert.equal(response.headers.get('cache-control'), 'no-store');
      assert.equal(response.headers.get('pragma'), 'no-cache');
      // code, iss, scope, state — and nothing else, keys sorted (Go's url.Values.Encode).
      const keys = [...callback.searchParams.keys()];
      assert.deepEqual(keys, ['code', 'iss', 'scope', 'state']);
      assert.match(callback.searchParams.get('code'), /^pocket_id_ac_[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}$/);
      assert.equal(callback.searchParams.get('iss'), issuer);
      assert.equal(callback.searchParams.get('scope'), SCOPE);
      assert.equal(callback.searchParams.get('state'), checks.expectedState);

      // openid-client checks state, iss, the PKCE exchange, and the ID token's iss/aud/exp/iat/nonce.
      const tokens = await oidc.authorizationCodeGrant(client.config, callback, checks);
      assert.equal(tokens.token_type, 'bearer');
      assert.ok(tokens.expires_in >= 3598 && tokens.expires_in <= 3600, String(tokens.expires_in));
      assert.equal(tokens.scope, SCOPE);
      assert.match(tokens.refresh_token, /^pocket_id_rt_[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}$/);

      // The ID token, verified with jose against the published key.
      const { keys: published } = await (await fetch(metadata.jwks_uri)).json();
      assert.equal(published.length, 1);
      const idHeader = decodeProtectedHeader(tokens.id_token);
      assert.deepEqual(idHeader, { alg: 'RS256', kid: published[0].kid, typ: 'JWT' });
      const { payload: id } = await verifyIdToken(tokens.id_token, client.id);
      const now = Math.floor(Date.now() / 1000);
      assert.deepEqual(
        Object.keys(id).sort(),
        [
          'amr', 'at_hash', 'aud', 'auth_time', 'display_name', 'email', 'email_verified', 'exp', 'family_name',
          'given_name', 'groups', 'iat', 'iss', 'jti', 'name', 'nonce', 'picture', 'preferred_username', 'rat', 'sub', 'type',
        ].sort(),
      );
      assert.equal(id.sub, me.id);
      assert.deepEqual(id.aud, [client.id]);
      assert.equal(id.nonce, checks.expectedNonce);
      assert.equal(id.at_hash, leftHalfHash(tokens.access_token));
      assert.deepEqual(id.amr, ['phr']);
      assert.equal(id.type, 'id-token');
      assert.ok(id.auth_time >= signedInAt - 1 && id.auth_time <= now + 1, `auth_time ${id.auth_time}`);
      assert.ok(id.rat <= id.iat + 1 && id.rat >= signedInAt - 1, `rat ${id.rat}, iat ${id.iat}`);
      assert.ok(Math.abs(id.iat - now) <= 5);
      assert.ok(Math.abs(id.exp - id.iat - 3600) <= 1, `exp ${id.exp}, iat ${id.iat}`);
      assert.match(id.jti, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      assert.equal(id.given_name, 'Tim');
      assert.equal(id.family_name, 'Cook');
      assert.equal(id.name, 'Tim Cook');
      assert.equal(id.display_name, me.displayName);
      assert.equal(id.preferred_username, 'tim');
      assert.equal(id.picture, `${issuer}/api/users/${me.id}/profile-picture.png`);
      assert.equal(id.email, 'tim@example.com');
      assert.equal(id.email_verified, me.emailVerified);
      assert.deepEqual(id.groups, ['developers']);
      assert.deepEqual(tokens.claims(), id);

      // The access token: an RFC 9068 JWT with exactly these claims.
      assert.deepEqual(decodeProtectedHeader(tokens.access_token), { alg: 'RS256', kid: published[0].kid, typ: 'at+jwt' });
      const { payload: at } = await verifyAccessToken(tokens.access_token);
      assert.deepEqual(Object.keys(at).sort(), ['aud', 'client_id', 'exp', 'iat', 'iss', 'jti', 'scope', 'scp', 'sub']);
      assert.deepEqual(at.aud, [client.id, issuer]);
      assert.equal(at.client_id, client.id);
      assert.equal(at.sub, me.id);
      assert.equal(at.scope, SCOPE);
      assert.deepEqual(at.scp, SCOPE.split(' '));
      assert.ok(Math.abs(at.exp - at.iat - 3600) <= 1, `exp ${at.exp}, iat ${at.iat}`);

      // Userinfo through openid-client (checks sub and the content type), built live from the database.
      const info = await oidc.fetchUserInfo(client.config, tokens.access_token, me.id);
      assert.deepEqual(info, {
        sub: me.id,
        given_name: 'Tim',
        family_name: 'Cook',
        name: 'Tim Cook',
        display_name: me.displayName,
        preferred_username: 'tim',
        picture: `${issuer}/api/users/${me.id}/profile-picture.png`,
        email: 'tim@example.com',
        email_verified: me.emailVerified,
        groups: ['developers'],
      });

      // Introspection by the owning client (client_secret_basic).
      const intro = await oidc.tokenIntrospection(client.config, tokens.access_token);
      assert.equal(intro.active, true);
      assert.equal(intro.iss, issuer);
      assert.equal(intro.client_id, client.id);
      assert.equal(intro.sub, me.id);
      assert.equal(intro.username, me.id);
      assert.equal(intro.scope, SCOPE);
      assert.deepEqual(intro.aud, [client.id, issuer]);
      assert.equal(intro.exp, at.exp);
      const rtIntro = await oidc.tokenIntrospection(client.config, tokens.refresh_token);
      assert.equal(rtIntro.active, true);
      // …but not by another client.
      assert.deepEqual(await oidc.tokenIntrospection(otherClient.config, tokens.access_token), { active: false });

      // Consent is remembered: the next authorization goes straight back to the client.
      const again = await login(client);
      assert.deepEqual(again.steps, []);
    });

    it('refreshes with openid-client: rotation, a new ID token, the old access token revoked', async () => {
      const { tokens } = await loginAndExchange(client);
      const { payload: first } = await verifyIdToken(tokens.id_token, client.id);
      await new Promise((r) => setTimeout(r, 1100)); // so a fresh iat is visibly fresh

      const refreshed = await oidc.refreshTokenGrant(client.config, tokens.refresh_token);
      assert.equal(refreshed.token_type, 'bearer');
      assert.equal(refreshed.scope, SCOPE);
      assert.notEqual(refreshed.access_token, tokens.access_token);
      assert.notEqual(refreshed.refresh_token, tokens.refresh_token);
      assert.match(refreshed.refresh_token, /^pocket_id_rt_/);
      const { payload: id } = await verifyIdToken(refreshed.id_token, client.id);
      assert.equal(id.sub, me.id);
      assert.notEqual(id.jti, first.jti);
      assert.ok(id.iat > first.iat);
      assert.ok(Math.abs(id.exp - id.iat - 3600) <= 1);
      assert.equal(id.at_hash, leftHalfHash(refreshed.access_token));
      assert.deepEqual(id.groups, ['developers']);
      const { payload: at } = await verifyAccessToken(refreshed.access_token);
      assert.deepEqual(at.aud, [client.id, issuer]);

      assert.equal((await oidc.fetchUserInfo(client.config, refreshed.access_token, me.id)).sub, me.id);
      // Rotation deletes the access tokens of the family: the first one no longer works.
      assert.equal((await userinfo(tokens.access_token)).status, 401);
      assert.deepEqual(await oidc.tokenIntrospection(client.config, tokens.access_token), { active: false });

      // The new refresh token rotates again.
      const third = await oidc.refreshTokenGrant(client.config, refreshed.refresh_token);
      assert.equal((await oidc.fetchUserInfo(client.config, third.access_token, me.id)).email, 'tim@example.com');
    });

    it('signs out through the end-session endpoint: the login\'s tokens are revoked and the session cookie cleared', async () => {
      const { tokens } = await loginAndExchange(client);
      const state = oidc.randomState();
      const url = oidc.buildEndSessionUrl(client.config, { id_token_hint: tokens.id_token, post_logout_redirect_uri: LOGOUT_CALLBACK, state });
      const res = await fetch(url, { redirect: 'manual', headers: { Cookie: session } });
      assert.equal(res.status, 302);
      const back = new URL(res.headers.get('location'));
      assert.equal(back.origin + back.pathname, LOGOUT_CALLBACK);
      assert.deepEqual([...back.searchParams], [['state', state]]);
      assert.match(cookieValue(res, 'access_token') ?? 'none', /^access_token=$/);

      assert.equal((await userinfo(tokens.access_token)).status, 401);
      const r = await tokenRequest({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
      assert.equal(r.status, 400);
      assert.equal((await r.json()).error, 'invalid_grant');

      // Without a hint: Pocket ID's own sign-out page, the cookie left alone.
      const bare = await fetch(metadata.end_session_endpoint, { redirect: 'manual', headers: { Cookie: session } });
      assert.equal(bare.status, 302);
      assert.equal(bare.headers.get('location'), `${issuer}/logout`);
      assert.equal(cookieValue(bare, 'access_token'), undefined);
    });

    describe('refusals', () => {
      it('an unregistered redirect_uri is never redirected to', async () => {
        const url = oidc.buildAuthorizationUrl(client.config, {
          redirect_uri: 'http://localhost:7777/elsewhere',
          scope: SCOPE,
          state: oidc.randomState(),
          code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
          code_challenge_method: 'S256',
        });
        const res = await fetch(url, { redirect: 'manual', headers: { Cookie: session } });
        assert.equal(res.status, 302);
        const location = res.headers.get('location');
        assert.match(location, /^\/interaction\/error\?error=/);
        const message = new URLSearchParams(location.split('?')[1]).get('error');
        assert.ok(message.endsWith('is not registered for this client.'), message);
      });

      it('a redirect_uri at the token endpoint that differs from the authorization request', async () => {
        const { callback, checks } = await login(client, { redirect_uri: CALLBACK });
        const res = await tokenRequest({
          grant_type: 'authorization_code',
          code: callback.searchParams.get('code'),
          redirect_uri: CALLBACK2, // registered too, but not the one sent
          code_verifier: checks.pkceCodeVerifier,
        });
        await assertOAuthError(res, 400, 'invalid_grant', 'The "redirect_uri" from this request does not match the one from the authorize request.');
      });

      it('a replayed code is refused and revokes what the first exchange issued', async () => {
        const { callback, checks } = await login(client);
        const params = { grant_type: 'authorization_code', code: callback.searchParams.get('code'), redirect_uri: CALLBACK, code_verifier: checks.pkceCodeVerifier };
        const first = await tokenRequest(params);
        assert.equal(first.status, 200);
        assert.equal(first.headers.get('cache-control'), 'no-store');
        assert.equal(first.headers.get('pragma'), 'no-cache');
        assert.equal(first.headers.get('content-type'), 'application/json;charset=UTF-8');
        const tokens = await first.json();
        assert.deepEqual(Object.keys(tokens).sort(), ['access_token', 'expires_in', 'id_token', 'refresh_token', 'scope', 'token_type']);
        assert.equal(tokens.token_type, 'bearer');
        assert.equal((await userinfo(tokens.access_token)).status, 200);

        await assertOAuthError(await tokenRequest(params), 400, 'invalid_grant', 'The authorization code has already been used.');
        // The replay revoked the first exchange's access and refresh tokens.
        assert.equal((await userinfo(tokens.access_token)).status, 401);
        const refresh = await tokenRequest({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
        assert.equal(refresh.status, 400);
        assert.equal((await refresh.json()).error, 'invalid_grant');
      });

      it('a code_verifier that does not match the code_challenge', async () => {
        const { callback } = await login(client);
        const code = callback.searchParams.get('code');
        await assertOAuthError(
          await tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: CALLBACK, code_verifier: oidc.randomPKCECodeVerifier() }),
          400,
          'invalid_grant',
          'The PKCE code challenge did not match the code verifier.',
        );
        const short = await login(client);
        await assertOAuthError(
          await tokenRequest({ grant_type: 'authorization_code', code: short.callback.searchParams.get('code'), redirect_uri: CALLBACK, code_verifier: 'too-short' }),
          400,
          'invalid_grant',
          'The PKCE code verifier must be at least 43 characters.',
        );
        // openid-client sees the same refusal.
        const again = await login(client);
        await assert.rejects(
          oidc.authorizationCodeGrant(client.config, again.callback, { ...again.checks, pkceCodeVerifier: oidc.randomPKCECodeVerifier() }),
          (e) => e.error === 'invalid_grant' && e.status === 400,
        );
      });

      it('a PKCE client without code_challenge gets the error at its redirect URI', async () => {
        const state = oidc.randomState();
        const url = oidc.buildAuthorizationUrl(client.config, { redirect_uri: CALLBACK, scope: SCOPE, state });
        const res = await fetch(url, { redirect: 'manual', headers: { Cookie: session } });
        assert.equal(res.status, 303);
        const cb = new URL(res.headers.get('location'));
        assert.equal(cb.origin + cb.pathname, CALLBACK);
        assert.equal(cb.searchParams.get('error'), 'invalid_request');
        assert.equal(cb.searchParams.get('error_description'), description('invalid_request', "This client requires PKCE, but the 'code_challenge' parameter is missing."));
        assert.equal(cb.searchParams.get('state'), state);
        assert.equal(cb.searchParams.get('code'), null);
      });

      it('an expired code', async () => {
        const { callback, checks } = await login(client);
        const code = callback.searchParams.get('code');
        const signature = code.split('.')[1];
        // Age it by 1 hour in the database (a code lives 15 minutes): the row's expires_at and the expiry kept in
        // the stored session (protocol.md §2.7).
        const aged =
          engine === 'sqlite'
            ? sql(
                `UPDATE oauth2_sessions SET expires_at = CAST(strftime('%s','now') AS INTEGER) - 3600, ` +
                  `request_data = CAST(json_set(CAST(request_data AS TEXT), '$.requested_at', '2000-01-01T00:00:00Z', ` +
                  `'$.session.expires_at.authorize_code', '2000-01-01T00:00:00Z') AS BLOB) ` +
                  `WHERE kind = 'authorize_code' AND key = '${signature}' RETURNING id`,
              )
            : sql(
                `UPDATE oauth2_sessions SET expires_at = now() - interval '1 hour', ` +
                  `request_data = jsonb_set(jsonb_set(request_data, '{requested_at}', '"2000-01-01T00:00:00Z"'), ` +
                  `'{session,expires_at,authorize_code}', '"2000-01-01T00:00:00Z"') ` +
                  `WHERE kind = 'authorize_code' AND key = '${signature}' RETURNING id`,
              );
        assert.equal(aged.length, 1, 'the authorize_code row is keyed by the part of the code after the dot (protocol.md §2.1)');
        await assertOAuthError(
          await tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: CALLBACK, code_verifier: checks.pkceCodeVerifier }),
          400,
          'invalid_grant',
        );
      });

      it('a code issued to another client', async () => {
        const { callback, checks } = await login(client);
        await assertOAuthError(
          await tokenRequest(
            { grant_type: 'authorization_code', code: callback.searchParams.get('code'), redirect_uri: CALLBACK, code_verifier: checks.pkceCodeVerifier },
            otherClient,
          ),
          400,
          'invalid_grant',
          'The OAuth 2.0 Client ID from this request does not match the one from the authorize request.',
        );
      });

      it('a reused refresh token revokes the whole family', async () => {
        const { tokens } = await loginAndExchange(client);
        const rotated = await oidc.refreshTokenGrant(client.config, tokens.refresh_token);
        await assertOAuthError(
          await tokenRequest({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token }),
          400,
          'invalid_grant',
          'The refresh token was already used.',
        );
        // The family is gone: the rotated tokens no longer work either.
        assert.equal((await userinfo(rotated.access_token)).status, 401);
        const next = await tokenRequest({ grant_type: 'refresh_token', refresh_token: rotated.refresh_token });
        assert.equal(next.status, 400);
        assert.equal((await next.json()).error, 'invalid_grant');
        assert.deepEqual(await oidc.tokenIntrospection(client.config, rotated.refresh_token), { active: false });
      });

      it('a wrong client secret (and an unknown client) fail client authentication without burning the code', async () => {
        const { callback, checks } = await login(client);
        const params = { grant_type: 'authorization_code', code: callback.searchParams.get('code'), redirect_uri: CALLBACK, code_verifier: checks.pkceCodeVerifier };
        await assertOAuthError(await tokenRequest(params, { id: client.id, secret: 'not-the-secret-of-this-client' }), 401, 'invalid_client');
        await assertOAuthError(await tokenRequest(params, { id: 'no-such-client', secret: client.secret }), 401, 'invalid_client');
        await assertOAuthError(await tokenRequest(params, { id: client.id, secret: otherClient.secret }), 401, 'invalid_client');
        // openid-client configured with a wrong secret.
        const wrong = await discover(client.id, 'x'.repeat(32));
        await assert.rejects(oidc.authorizationCodeGrant(wrong, callback, checks), (e) => e.status === 401 && (e.error ?? e.cause?.error) === 'invalid_client');
        // Client authentication comes first: the code is still good for the right client.
        const ok = await tokenRequest(params);
        assert.equal(ok.status, 200, await ok.clone().text());
      });

      it('unknown scopes are dropped silently', async () => {
        const { callback, checks, steps } = await login(client, { scope: 'openid profile no-such-scope' });
        assert.deepEqual(steps, []); // openid profile is within the consent given before
        assert.equal(callback.searchParams.get('scope'), 'openid profile');
        const tokens = await oidc.authorizationCodeGrant(client.config, callback, checks);
        assert.equal(tokens.scope, 'openid profile');
        const { payload: id } = await verifyIdToken(tokens.id_token, client.id);
        assert.equal(id.preferred_username, 'tim');
        assert.equal(id.email, undefined);
        assert.equal(id.groups, undefined);
        const { payload: at } = await verifyAccessToken(tokens.access_token);
        assert.deepEqual(at.scp, ['openid', 'profile']);
        const info = await oidc.fetchUserInfo(client.config, tokens.access_token, me.id);
        assert.equal(info.email, undefined);
        assert.equal(info.name, 'Tim Cook');
      });

      it('a missing or short state', async () => {
        const challenge = await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier());
        for (const state of [undefined, 'abc']) {
          const url = oidc.buildAuthorizationUrl(client.config, {
            redirect_uri: CALLBACK,
            scope: SCOPE,
            code_challenge: challenge,
            code_challenge_method: 'S256',
            ...(state ? { state } : {}),
          });
          const res = await fetch(url, { redirect: 'manual', headers: { Cookie: session } });
          assert.equal(res.status, 303, `state ${state}: ${res.status} ${res.headers.get('location')}`);
          const cb = new URL(res.headers.get('location'));
          assert.equal(cb.origin + cb.pathname, CALLBACK);
          assert.equal(cb.searchParams.get('error'), 'invalid_state');
          assert.equal(
            cb.searchParams.get('error_description'),
            description('invalid_state', "Request parameter 'state' must be at least be 8 characters long to ensure sufficient entropy."),
          );
          // state is always present: empty when the request had none.
          assert.equal(cb.searchParams.get('state'), state ?? '');
          assert.equal(cb.searchParams.get('code'), null);
        }
      });
    });
  });
}

// The Apache relying party's launcher (the full browser sign-in through it is frontend/tests/real/
// oidc-relying-parties.spec.ts): mod_auth_openidc loads our discovery document and sends an unauthenticated browser
// to our authorization endpoint with PKCE.
describe('mod_auth_openidc reads our discovery', () => {
  it('redirects /private/ to our authorization endpoint', async () => {
    const { startApache } = await import('../rp/apache/start-apache.mjs');
    const http = await import('node:http');
    const server = await startInstance('sqlite');
    let rp;
    try {
      rp = await startApache({ metadataUrl: `${server.env.APP_URL}/.well-known/openid-configuration`, clientId: 'apache-rp', clientSecret: 'apache-rp-secret-0123456789' });
      // A browser navigation (fetch() would announce itself as a script, which mod_auth_openidc answers with 401).
      const res = await new Promise((resolve, reject) =>
        http.get(`${rp.url}/private/`, { headers: { Accept: 'text/html', 'Sec-Fetch-Mode': 'navigate', 'Sec-Fetch-Dest': 'document' } }, resolve).on('error', reject),
      );
      res.resume();
      assert.equal(res.statusCode, 302, rp.logs());
      const location = new URL(res.headers.location);
      assert.equal(location.origin + location.pathname, `${server.env.APP_URL}/authorize`);
      const q = location.searchParams;
      assert.equal(q.get('client_id'), 'apache-rp');
      assert.equal(q.get('response_type'), 'code');
      assert.equal(q.get('redirect_uri'), `${rp.url}/private/redirect_uri`);
      assert.equal(q.get('scope'), 'openid email profile groups');
      assert.equal(q.get('code_challenge_method'), 'S256');
      assert.ok(q.get('state').length >= 8 && q.get('nonce').length >= 8);
    } finally {
      await rp?.stop();
      await server.stop();
      cleanup(server.cwd);
    }
  });
});
