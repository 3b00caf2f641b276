// Pushed authorization requests (RFC 9126, protocol.md §1.8 and §1.5 steps 3b/4c) over HTTP, on SQLite and
// PostgreSQL: push with client authentication → 201 request_uri → /authorize with only client_id + request_uri → code
// → token; single use, client binding, refusals, and clients that require PAR.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { engines, postgresUrl, startInstance, cleanup, runSql, setupFirstAdmin } from './lib/server.mjs';

const INVALID_REQUEST =
  'The request is missing a required parameter, includes an invalid parameter value, includes a parameter more than once, or is otherwise malformed.';
const INVALID_REQUEST_URI = 'The request_uri in the Authorization Request returns an error or contains invalid data.';

for (const engine of engines) {
  describe(`pushed authorization requests on ${engine}`, { skip: engine === 'postgres' && !postgresUrl ? 'PID_TEST_POSTGRES_URL is not set' : false }, () => {
    let server;
    let session;
    const redirectUri = 'http://localhost:9876/cb';
    const verifier = crypto.randomBytes(32).toString('base64url');
    const challenge = crypto.createHash('sha256').update(verifier).digest('base64url');

    const api = (p, { method = 'GET', body } = {}) =>
      fetch(server.url + p, {
        method,
        redirect: 'manual',
        headers: { Cookie: session, ...(body ? { 'Content-Type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });

    async function newClient(extra = {}) {
      const res = await api('/api/oidc/clients', {
        method: 'POST',
        body: { name: 'PAR RP', callbackURLs: [redirectUri], pkceEnabled: true, skipConsent: true, ...extra },
      });
      assert.equal(res.status, 201);
      const client = await res.json();
      const secret = await (await api(`/api/oidc/clients/${client.id}/secrets`, { method: 'POST', body: {} })).json();
      return { id: client.id, secret: secret.secret, basic: 'Basic ' + Buffer.from(`${client.id}:${secret.secret}`).toString('base64') };
    }

    const push = (client, params, { auth = client.basic } = {}) =>
      fetch(server.url + '/api/oidc/par', {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...(auth ? { Authorization: auth } : {}) },
        body: new URLSearchParams(params),
      });

    const authorizeParams = (client, extra = {}) => ({
      client_id: client.id,
      response_type: 'code',
      scope: 'openid email',
      redirect_uri: redirectUri,
      state: 'par-state-123',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      ...extra,
    });

    const authorize = (query) => fetch(`${server.url}/authorize?${new URLSearchParams(query)}`, { redirect: 'manual', headers: { Cookie: session } });

    before(async () => {
      server = await startInstance(engine);
      session = await setupFirstAdmin(server);
    });
    after(async () => {
      await server?.stop();
      cleanup(server.cwd);
    });

    it('push, authorize with only client_id and request_uri, exchange the code', async () => {
      const client = await newClient();
      const pushed = await push(client, authorizeParams(client));
      assert.equal(pushed.status, 201);
      assert.equal(pushed.headers.get('cache-control'), 'no-store');
      const body = await pushed.json();
      assert.match(body.request_uri, /^urn:ietf:params:oauth:request_uri:[A-Za-z0-9_-]{43}$/);
      assert.equal(body.expires_in, 90);

      const res = await authorize({ client_id: client.id, request_uri: body.request_uri });
      assert.equal(res.status, 303);
      const location = new URL(res.headers.get('location'));
      assert.equal(location.origin + location.pathname, redirectUri);
      assert.equal(location.searchParams.get('state'), 'par-state-123');
      const code = location.searchParams.get('code');
      assert.match(code, /^pocket_id_ac_/);

      const token = await fetch(server.url + '/api/oidc/token', {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: client.basic },
        body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier }),
      });
      assert.equal(token.status, 200);
      const tokens = await token.json();
      assert.ok(tokens.id_token);
      assert.equal(tokens.scope, 'openid email');

      // Single use: the same request_uri again goes to the error page.
      const again = await authorize({ client_id: client.id, request_uri: body.request_uri });
      assert.equal(again.status, 302);
      assert.equal(again.headers.get('location'), '/interaction/error?error=Invalid+PAR+session');
    });

    it('another client cannot use the pushed request', async () => {
      const client = await newClient();
      const other = await newClient();
      const body = await (await push(client, authorizeParams(client))).json();
      const res = await authorize({ client_id: other.id, request_uri: body.request_uri });
      assert.equal(res.status, 302);
      assert.equal(
        decodeURIComponent(res.headers.get('location').replace('/interaction/error?error=', '').replaceAll('+', ' ')),
        "The 'client_id' must match the one sent in the pushed authorization request.",
      );
    });

    it('an unknown request_uri', async () => {
      const client = await newClient();
      const res = await authorize({ client_id: client.id, request_uri: 'urn:ietf:params:oauth:request_uri:nope' });
      assert.equal(res.status, 302);
      assert.equal(res.headers.get('location'), '/interaction/error?error=Invalid+PAR+session');
    });

    it('refusals at the PAR endpoint are fosite JSON errors', async () => {
      const client = await newClient();
      let res = await push(client, authorizeParams(client), { auth: 'Basic ' + Buffer.from(`${client.id}:wrong-secret-value`).toString('base64') });
      assert.equal(res.status, 401);
      assert.equal((await res.json()).error, 'invalid_client');

      res = await push(client, authorizeParams(client, { redirect_uri: 'https://evil.example.com/cb' }));
      assert.equal(res.status, 400);
      assert.deepEqual(await res.json(), {
        error: 'invalid_request',
        error_description: `${INVALID_REQUEST} The redirect_uri 'https://evil.example.com/cb' is not registered for this client.`,
      });

      res = await push(client, authorizeParams(client, { request_uri: 'urn:ietf:params:oauth:request_uri:x' }));
      assert.equal(res.status, 400);
      assert.deepEqual(await res.json(), { error: 'invalid_request', error_description: `${INVALID_REQUEST} The request must not contain 'request_uri'.` });

      res = await push(client, authorizeParams(client, { state: 'short' }));
      assert.equal(res.status, 400);
      assert.equal((await res.json()).error, 'invalid_state');

      const { code_challenge, code_challenge_method, ...withoutPkce } = authorizeParams(client);
      res = await push(client, withoutPkce);
      assert.equal(res.status, 400);
      assert.equal((await res.json()).error_description, `${INVALID_REQUEST} This client requires PKCE, but the 'code_challenge' parameter is missing.`);
    });

    it('a client that requires PAR refuses plain authorize requests but accepts pushed ones', async () => {
      const client = await newClient({ requiresPushedAuthorizationRequests: true });
      const plain = await authorize(authorizeParams(client));
      assert.equal(plain.status, 303);
      const error = new URL(plain.headers.get('location'));
      assert.equal(error.searchParams.get('error'), 'error');
      assert.equal(error.searchParams.get('state'), 'par-state-123');

      const body = await (await push(client, authorizeParams(client))).json();
      const res = await authorize({ client_id: client.id, request_uri: body.request_uri });
      assert.equal(res.status, 303);
      assert.ok(new URL(res.headers.get('location')).searchParams.get('code'));
    });

    it('an expired pushed request', async () => {
      const client = await newClient();
      const body = await (await push(client, authorizeParams(client))).json();
      const aged = runSql(
        server,
        engine,
        `UPDATE oauth2_sessions SET expires_at = ${engine === 'sqlite' ? "CAST(strftime('%s','now') AS INTEGER) - 1" : "now() - interval '1 second'"} WHERE kind = 'par' RETURNING id`,
      );
      assert.equal(aged.length, 1);
      const res = await authorize({ client_id: client.id, request_uri: body.request_uri });
      assert.equal(res.headers.get('location'), '/interaction/error?error=Invalid+PAR+session');
    });
  });
}
