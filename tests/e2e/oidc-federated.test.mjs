// Federated client credentials (protocol.md §1.17) on SQLite and PostgreSQL: a client trusts an external issuer (a
// JWKS served by this test on loopback), and a JWT that issuer signed (npm `jose`) authenticates the client at the
// token endpoint (client_credentials) and at device authorization. Then every refusal: wrong key, expired, wrong
// audience or subject, missing iss/sub, garbage, an issuer the client does not trust, an unreachable JWKS, and
// replay protection.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair, decodeJwt } from 'jose';
import { engines, postgresUrl, startInstance, cleanup, setupFirstAdmin, freePort } from './lib/server.mjs';
import { assertOAuthError } from './lib/oauth-errors.mjs';

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

for (const engine of engines) {
  describe(`federated client credentials on ${engine}`, { skip: engine === 'postgres' && !postgresUrl ? 'PID_TEST_POSTGRES_URL is not set' : false }, () => {
    let server;
    let issuerServer; // the external IdP's JWKS endpoint
    let externalIssuer; // http://127.0.0.1:<port>
    let admin;
    let signingKey; // in the JWKS
    let strangerKey; // not in the JWKS
    let jwksRequests = 0;

    const form = (path, params) =>
      fetch(new URL(path, server.env.APP_URL), {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(params),
      });

    async function createClient(name, federatedIdentities) {
      const res = await fetch(`${server.env.APP_URL}/api/oidc/clients`, {
        method: 'POST',
        headers: { Cookie: admin, 'Content-Type': 'application/json' },
        body: JSON.stringify({ name, callbackURLs: ['http://localhost/cb'], credentials: { federatedIdentities } }),
      });
      assert.equal(res.status, 201, await res.clone().text());
      return (await res.json()).id;
    }

    // An assertion as the external issuer signs it; `claims` overrides the defaults.
    function assertion(clientId, claims = {}, { key = signingKey, kid = 'k1' } = {}) {
      const now = Math.floor(Date.now() / 1000);
      const body = { iss: externalIssuer, sub: clientId, aud: server.env.APP_URL, iat: now, exp: now + 120, jti: randomUUID(), ...claims };
      for (const [k, v] of Object.entries(body)) if (v === undefined) delete body[k];
      return new SignJWT(body).setProtectedHeader({ alg: 'ES256', kid }).sign(key.privateKey);
    }

    const clientCredentials = (clientAssertion, extra = {}) =>
      form('/api/oidc/token', { grant_type: 'client_credentials', client_assertion_type: JWT_BEARER, client_assertion: clientAssertion, ...extra });

    before(async () => {
      signingKey = await generateKeyPair('ES256');
      strangerKey = await generateKeyPair('ES256');
      const jwk = { ...(await exportJWK(signingKey.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
      const port = await freePort();
      externalIssuer = `http://127.0.0.1:${port}`;
      issuerServer = createServer((req, res) => {
        if (req.url === '/.well-known/jwks.json' || req.url === '/custom/keys') {
          jwksRequests++;
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ keys: [{ kty: 'oct', k: 'c2VjcmV0', kid: 'symmetric' }, jwk] }));
        } else {
          res.writeHead(404);
          res.end();
        }
      });
      await new Promise((resolve) => issuerServer.listen(port, '127.0.0.1', resolve));
      server = await startInstance(engine);
      admin = await setupFirstAdmin(server);
    });

    after(async () => {
      await server?.stop();
      if (server) cleanup(server.cwd);
      issuerServer?.close();
    });

    it('an assertion from the trusted issuer authenticates the client, with or without client_id', async () => {
      const clientId = await createClient('CI deployer', [{ issuer: externalIssuer }]);
      const res = await clientCredentials(await assertion(clientId), { client_id: clientId });
      assert.equal(res.status, 200, await res.clone().text());
      const tokens = await res.json();
      assert.equal(tokens.token_type, 'bearer');
      assert.equal(decodeJwt(tokens.access_token).sub, `client-${clientId}`);

      // Without client_id the assertion's sub names the client; the JWKS was fetched once and cached.
      const again = await clientCredentials(await assertion(clientId));
      assert.equal(again.status, 200, await again.clone().text());
      assert.equal(jwksRequests, 1);

      // The same client at device authorization.
      const device = await form('/api/oidc/device/authorize', {
        client_id: clientId, scope: 'openid', client_assertion_type: JWT_BEARER, client_assertion: await assertion(clientId),
      });
      assert.equal(device.status, 200, await device.clone().text());
      assert.match((await device.json()).device_code, /^pocket_id_dc_/);
    });

    it('refuses assertions that do not verify or do not fit the federated identity', async () => {
      const clientId = await createClient('Strict', [{ issuer: externalIssuer, subject: 'repo:acme/app', audience: 'pocket-id-prod', jwks: `${externalIssuer}/custom/keys` }]);
      const good = { sub: 'repo:acme/app', aud: 'pocket-id-prod' };
      const ok = await clientCredentials(await assertion(clientId, good), { client_id: clientId });
      assert.equal(ok.status, 200, await ok.clone().text());

      const invalid = 'Invalid client assertion.';
      const now = Math.floor(Date.now() / 1000);
      for (const [what, jwt] of [
        ['another key', await assertion(clientId, good, { key: strangerKey })],
        ['an unknown kid', await assertion(clientId, good, { kid: 'k2' })],
        ['expired', await assertion(clientId, { ...good, iat: now - 600, exp: now - 300 })],
        ['no exp', await assertion(clientId, { ...good, exp: undefined })],
        ['not yet valid', await assertion(clientId, { ...good, nbf: now + 600 })],
        ['the default audience', await assertion(clientId, { ...good, aud: server.env.APP_URL })],
        ['the client id as subject', await assertion(clientId, { aud: 'pocket-id-prod' })],
      ]) {
        await assertOAuthError(await clientCredentials(jwt, { client_id: clientId }), 401, 'invalid_client', invalid).catch((e) => {
          e.message = `${what}: ${e.message}`;
          throw e;
        });
      }
      // The audience may be one of several.
      const listed = await clientCredentials(await assertion(clientId, { ...good, aud: ['other', 'pocket-id-prod'] }), { client_id: clientId });
      assert.equal(listed.status, 200, await listed.clone().text());
    });

    it('missing iss or sub, garbage, an untrusted issuer, an unreachable JWKS', async () => {
      const clientId = await createClient('Plain federated', [{ issuer: externalIssuer }]);
      await assertOAuthError(await clientCredentials(await assertion(clientId, { iss: undefined }), { client_id: clientId }), 401, 'invalid_client',
        'Client assertion is missing issuer.');
      await assertOAuthError(await clientCredentials(await assertion(clientId, { sub: undefined })), 401, 'invalid_client',
        'Client assertion is missing subject.');
      await assertOAuthError(await clientCredentials('not-a-jwt', { client_id: clientId }), 401, 'invalid_client', 'Invalid client assertion.');
      await assertOAuthError(await clientCredentials('a.b.c', { client_id: clientId }), 401, 'invalid_client', 'Invalid client assertion.');
      await assertOAuthError(await clientCredentials(await assertion('no-such-client')), 401, 'invalid_client');

      // An issuer the client does not trust: fosite's private_key_jwt, which no Pocket ID client supports.
      await assertOAuthError(await clientCredentials(await assertion(clientId, { iss: 'https://elsewhere.example' }), { client_id: clientId }), 400,
        'invalid_request', 'The server configuration does not support OpenID Connect specific authentication methods.');

      const closedPort = await freePort();
      const unreachable = await createClient('Unreachable JWKS', [{ issuer: externalIssuer, jwks: `http://127.0.0.1:${closedPort}/jwks.json` }]);
      await assertOAuthError(await clientCredentials(await assertion(unreachable), { client_id: unreachable }), 401, 'invalid_client',
        'Unable to fetch client assertion JWKS.');
    });

    it('introspection with the assertion as bearer and client_id', async () => {
      const clientId = await createClient('Introspector', [{ issuer: externalIssuer }]);
      const { access_token: token } = await (await clientCredentials(await assertion(clientId), { client_id: clientId })).json();
      const introspect = async (bearer, params) =>
        fetch(`${server.env.APP_URL}/api/oidc/introspect`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${bearer}`, 'Content-Type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(params),
        });
      const res = await introspect(await assertion(clientId), { client_id: clientId, token });
      assert.equal(res.status, 200, await res.clone().text());
      const body = await res.json();
      assert.equal(body.active, true);
      assert.equal(body.client_id, clientId);
      assert.equal(body.sub, `client-${clientId}`);
      // A bearer that is no valid assertion of this client, next to a client_id: 401.
      await assertOAuthError(await introspect(await assertion(clientId, {}, { key: strangerKey }), { client_id: clientId, token }), 401,
        'request_unauthorized', 'The client assertion could not be validated.');
      await assertOAuthError(await introspect(token, { client_id: clientId, token }), 401, 'request_unauthorized',
        'The client assertion could not be validated.');
    });

    it('replay protection accepts each jti once', async () => {
      const clientId = await createClient('Replay protected', [{ issuer: externalIssuer, replayProtection: true }]);
      const jwt = await assertion(clientId);
      assert.equal((await clientCredentials(jwt, { client_id: clientId })).status, 200);
      await assertOAuthError(await clientCredentials(jwt, { client_id: clientId }), 401, 'invalid_client', 'Client assertion has already been used.');
      await assertOAuthError(await clientCredentials(await assertion(clientId, { jti: undefined }), { client_id: clientId }), 401, 'invalid_client',
        'Client assertion is missing jti claim, which is required for replay protection.');
    });
  });
}
