// Real relying parties signing in through the real server in a real browser, with a passkey (Chromium's virtual
// authenticator over CDP):
//  * npm `oidc-client-ts` configured exactly as Dashy configures it (public client, PKCE, redirect_uri = the bare
//    origin, scopes `openid profile email groups`, response_mode query), in a page served on loopback by this test;
//    then Dashy's sign-out (signoutRedirect).
//  * Apache httpd with mod_auth_openidc (tests/rp/apache/start-apache.mjs, confidential client_secret_basic + PKCE)
//    protecting /private/: unauthenticated → our sign-in → passkey → the protected page showing the user's claims;
//    then mod_auth_openidc's RP-initiated logout.
// On SQLite, or on PostgreSQL with PID_ENGINE=postgres.
import { test, expect, type Page } from '@playwright/test';
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { signUpFirstAdmin } from './browser';
import { PocketId } from './server';
import { startApache, freePort } from '../../../tests/rp/apache/start-apache.mjs';

// oidc-client-ts is a dependency of the black-box tests (tests/e2e, installed by scripts/setup-node.sh).
const OIDC_CLIENT_TS = path.resolve(
	import.meta.dirname,
	'../../../tests/e2e/node_modules/oidc-client-ts/dist/browser/oidc-client-ts.js'
);

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

type Admin = { cookie: string; userId: string };

// The first admin signs up and registers a passkey in the browser; then the browser forgets the session, so the
// relying party's sign-in has to use the passkey.
async function firstAdminWithPasskey(page: Page, server: PocketId): Promise<Admin> {
	const admin = await signUpFirstAdmin(page, server);
	await page.context().clearCookies();
	addToGroup(server, admin.id, 'developers');
	return { cookie: admin.cookie, userId: admin.id };
}

// A group membership added the way the guides' scripts do it (SQL): the group's `name` reaches the groups claim.
function addToGroup(server: PocketId, userId: string, name: string) {
	const id = randomUUID();
	const sqlite = process.env.PID_ENGINE !== 'postgres';
	const now = sqlite ? "datetime('now')" : 'now()';
	const sql =
		`INSERT INTO user_groups (id, created_at, updated_at, friendly_name, name) VALUES ('${id}', ${now}, ${now}, '${name}', '${name}');` +
		`INSERT INTO user_groups_users (user_id, user_group_id) VALUES ('${userId}', '${id}');`;
	if (sqlite) execFileSync('sqlite3', [`${server.cwd}/data/pocket-id.db`, sql]);
	else execFileSync('psql', [server.env.DB_CONNECTION_STRING, '-v', 'ON_ERROR_STOP=1', '-qc', sql]);
}

async function createClient(server: PocketId, admin: Admin, body: Record<string, unknown>) {
	const res = await fetch(`${server.url}/api/oidc/clients`, {
		method: 'POST',
		headers: { Cookie: admin.cookie, 'Content-Type': 'application/json' },
		body: JSON.stringify(body)
	});
	expect(res.status, await res.clone().text()).toBe(201);
	const client = await res.json();
	let secret: string | undefined;
	if (!body.isPublic) {
		const s = await fetch(`${server.url}/api/oidc/clients/${encodeURIComponent(client.id)}/secrets`, {
			method: 'POST',
			headers: { Cookie: admin.cookie, 'Content-Type': 'application/json' },
			body: '{}'
		});
		expect(s.status, await s.clone().text()).toBe(201);
		secret = (await s.json()).secret;
	}
	return { id: client.id as string, secret };
}

// Pocket ID's interaction page, not signed in: "Sign in" signs in with the passkey, then shows the consent for the
// requested scopes; "Sign in" again grants it.
async function signInAndConsent(page: Page, server: PocketId, clientName: string) {
	await page.waitForURL(new RegExp(`^${escapeRegExp(server.url)}/interaction\\?interaction=`));
	await expect(page.getByRole('heading', { name: `Sign in to ${clientName}` })).toBeVisible();
	await page.getByRole('button', { name: 'Sign in', exact: true }).click();
	const scopes = page.getByTestId('scopes');
	await expect(scopes).toBeVisible();
	for (const scope of ['Profile', 'Email', 'Groups']) await expect(scopes.getByText(scope, { exact: true })).toBeVisible();
	await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

// Dashy's src/utils/OidcAuth.js, verbatim in what it configures and calls.
function dashyPage(authority: string, clientId: string) {
	return `<!doctype html>
<html><head><meta charset="utf-8"><title>Dashy-like RP</title><script src="/oidc-client-ts.js"></script></head>
<body>
<h1>Dashy-like RP</h1>
<p id="status">loading</p>
<pre id="profile"></pre>
<pre id="userinfo"></pre>
<button id="logout" hidden>Sign out</button>
<script>
const { UserManager, WebStorageStateStore } = oidc;
const settings = {
  userStore: new WebStorageStateStore({ store: window.localStorage }),
  authority: ${JSON.stringify(authority)},
  client_id: ${JSON.stringify(clientId)},
  redirect_uri: \`\${window.location.origin}\`,
  response_type: 'code',
  scope: 'openid profile email groups',
  response_mode: 'query',
  filterProtocolClaims: true,
};
const userManager = new UserManager(settings);

async function login() {
  const url = new URL(window.location.href);
  const code = url.searchParams.get('code');
  if (code) {
    await userManager.signinCallback(window.location.href);
    window.location.href = '/';
    return;
  }
  const user = await userManager.getUser();
  if (user === null) {
    await userManager.signinRedirect();
  } else {
    window.__user = user;
    document.getElementById('profile').textContent = JSON.stringify(user.profile);
    // The access token at the userinfo endpoint, cross-origin (CORS preflight for Authorization).
    const res = await fetch(await userManager.metadataService.getUserInfoEndpoint(), {
      headers: { Authorization: 'Bearer ' + user.access_token },
    });
    document.getElementById('userinfo').textContent = res.status + ' ' + (await res.text());
    document.getElementById('logout').hidden = false;
    document.getElementById('status').textContent = 'signed in as ' + user.profile.preferred_username;
  }
}

async function logout() {
  await userManager.signoutRedirect();
}

document.getElementById('logout').onclick = () => logout().catch((e) => (document.getElementById('status').textContent = 'error: ' + e.message));
login().catch((e) => (document.getElementById('status').textContent = 'error: ' + e.message));
</script>
</body></html>
`;
}

async function serveDashy(authority: string, clientId: string, port: number): Promise<Server> {
	const html = dashyPage(authority, clientId);
	const lib = readFileSync(OIDC_CLIENT_TS);
	const server = createServer((req, res) => {
		if (req.url === '/oidc-client-ts.js') {
			res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8' });
			res.end(lib);
		} else if (req.url === '/favicon.ico') {
			res.writeHead(404);
			res.end();
		} else {
			res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
			res.end(html);
		}
	});
	await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
	return server;
}

test('oidc-client-ts as Dashy: public client with PKCE, passkey sign-in, userinfo, sign-out', async ({ page }) => {
	const server = await PocketId.create();
	let rp: Server | undefined;
	try {
		const admin = await firstAdminWithPasskey(page, server);
		const port = await freePort();
		const origin = `http://127.0.0.1:${port}`;
		const client = await createClient(server, admin, {
			name: 'Dashy',
			callbackURLs: [origin],
			logoutCallbackURLs: [origin],
			isPublic: true,
			pkceEnabled: true
		});
		expect(client.secret).toBeUndefined();
		rp = await serveDashy(server.url, client.id, port);

		const authorizeRequests: URL[] = [];
		const endSessionRequests: URL[] = [];
		page.on('request', (r) => {
			const u = new URL(r.url());
			if (u.origin === server.url && u.pathname === '/authorize' && !u.searchParams.has('interaction')) authorizeRequests.push(u);
			if (u.origin === server.url && u.pathname === '/api/oidc/end-session') endSessionRequests.push(u);
		});

		await page.goto(origin);
		await signInAndConsent(page, server, 'Dashy');
		await page.waitForURL(`${origin}/`);
		await expect(page.locator('#status')).toHaveText('signed in as tim');

		// What the library sent: Dashy's settings.
		expect(authorizeRequests).toHaveLength(1);
		const a = authorizeRequests[0].searchParams;
		expect(a.get('client_id')).toBe(client.id);
		expect(a.get('redirect_uri')).toBe(origin);
		expect(a.get('response_type')).toBe('code');
		expect(a.get('response_mode')).toBe('query');
		expect(a.get('scope')).toBe('openid profile email groups');
		expect(a.get('code_challenge_method')).toBe('S256');
		expect(a.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);

		// What it got.
		const user = await page.evaluate(() => (window as unknown as { __user: Record<string, unknown> }).__user);
		expect(user.token_type).toBe('bearer');
		expect(user.scope).toBe('openid profile email groups');
		expect(user.refresh_token).toMatch(/^pocket_id_rt_/);
		expect(typeof user.id_token).toBe('string');
		expect(user.profile).toMatchObject({
			sub: admin.userId,
			iss: server.url,
			aud: [client.id],
			preferred_username: 'tim',
			name: 'Tim Cook',
			given_name: 'Tim',
			family_name: 'Cook',
			email: 'tim.cook@test.com',
			groups: ['developers'],
			type: 'id-token'
		});
		// Dashy filters the protocol claims out of the profile; they are in the ID token itself.
		const idToken = JSON.parse(Buffer.from(String(user.id_token).split('.')[1], 'base64url').toString());
		expect(idToken.amr).toEqual(['phr']);
		expect(typeof idToken.nonce).toBe('undefined'); // oidc-client-ts sends no nonce for code flow
		expect(idToken.at_hash).toMatch(/^[A-Za-z0-9_-]{22}$/);
		const [status, ...body] = (await page.locator('#userinfo').textContent())!.split(' ');
		expect(status).toBe('200');
		expect(JSON.parse(body.join(' '))).toMatchObject({ sub: admin.userId, email: 'tim.cook@test.com', preferred_username: 'tim', groups: ['developers'] });

		// Dashy's sign-out: signoutRedirect with the ID token as hint; Pocket ID sends the browser to the client's
		// first logout callback (the origin) and forgets the session, so the app's next sign-in lands on Pocket ID's
		// sign-in page again.
		await page.getByRole('button', { name: 'Sign out' }).click();
		await page.waitForURL(new RegExp(`^${escapeRegExp(server.url)}/interaction\\?interaction=`));
		expect(endSessionRequests).toHaveLength(1);
		expect(endSessionRequests[0].searchParams.get('id_token_hint')).toBe(user.id_token);
		// oidc-client-ts only adds client_id when asked to; when it is there it must name this client.
		expect(endSessionRequests[0].searchParams.get('client_id') ?? client.id).toBe(client.id);
		expect(authorizeRequests).toHaveLength(2);
		await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
		expect((await page.context().cookies(server.url)).find((c) => c.name === 'access_token')?.value ?? '').toBe('');
		// …and revoked that login's refresh token.
		const refresh = await fetch(`${server.url}/api/oidc/token`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: String(user.refresh_token), client_id: client.id })
		});
		expect(refresh.status).toBe(400);
		expect((await refresh.json()).error).toBe('invalid_grant');
	} finally {
		rp?.closeAllConnections();
		await new Promise((r) => (rp ? rp.close(r) : r(undefined)));
		await server.dispose();
	}
});

test('Apache mod_auth_openidc protects /private/: passkey sign-in, claims, logout', async ({ page }) => {
	const server = await PocketId.create();
	let apache: Awaited<ReturnType<typeof startApache>> | undefined;
	let passed = false;
	try {
		const admin = await firstAdminWithPasskey(page, server);
		const port = await freePort();
		const base = `http://127.0.0.1:${port}`;
		const client = await createClient(server, admin, {
			name: 'Apache',
			callbackURLs: [`${base}/private/redirect_uri`],
			logoutCallbackURLs: [`${base}/loggedout.html`],
			isPublic: false,
			pkceEnabled: true
		});
		apache = await startApache({
			metadataUrl: `${server.url}/.well-known/openid-configuration`,
			clientId: client.id,
			clientSecret: client.secret!,
			port
		});

		// Unauthenticated → redirected to our authorization endpoint → the interaction page.
		const authorize = page.waitForRequest((r) => r.url().startsWith(`${server.url}/authorize?`));
		await page.goto(`${base}/private/`);
		const sent = new URL((await authorize).url()).searchParams;
		expect(sent.get('client_id')).toBe(client.id);
		expect(sent.get('redirect_uri')).toBe(`${base}/private/redirect_uri`);
		expect(sent.get('code_challenge_method')).toBe('S256');
		expect(sent.get('scope')).toBe('openid email profile groups');

		await signInAndConsent(page, server, 'Apache');
		await page.waitForURL(`${base}/private/`);
		const text = (await page.locator('body').textContent()) ?? '';
		const claims = Object.fromEntries(
			text
				.split('\n')
				.filter((l) => l.includes('='))
				.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)])
		);
		expect(claims).toMatchObject({
			REMOTE_USER: 'tim',
			AUTH_TYPE: 'openid-connect',
			OIDC_CLAIM_iss: server.url,
			OIDC_CLAIM_sub: admin.userId,
			OIDC_CLAIM_aud: client.id,
			OIDC_CLAIM_preferred_username: 'tim',
			OIDC_CLAIM_name: 'Tim Cook',
			OIDC_CLAIM_email: 'tim.cook@test.com',
			OIDC_CLAIM_amr: 'phr',
			OIDC_CLAIM_type: 'id-token',
			OIDC_CLAIM_groups: 'developers'
		});

		// Still signed in at the relying party: no round trip to Pocket ID.
		await page.goto(`${base}/private/`);
		expect(page.url()).toBe(`${base}/private/`);

		// mod_auth_openidc's RP-initiated logout → our end-session endpoint (id_token_hint, post_logout_redirect_uri)
		// → back to the registered logout page. Both sessions are gone afterwards.
		const endSession = page.waitForRequest((r) => r.url().startsWith(`${server.url}/api/oidc/end-session?`));
		await page.goto(`${base}/private/redirect_uri?logout=${encodeURIComponent(`${base}/loggedout.html`)}`);
		const logout = new URL((await endSession).url()).searchParams;
		expect(logout.get('id_token_hint')).toBeTruthy();
		expect(logout.get('post_logout_redirect_uri')).toBe(`${base}/loggedout.html`);
		await page.waitForURL(new RegExp(`^${escapeRegExp(base)}/loggedout\\.html`));
		await expect(page.getByText('signed out')).toBeVisible();
		expect((await page.context().cookies(server.url)).find((c) => c.name === 'access_token')?.value ?? '').toBe('');

		await page.goto(`${base}/private/`);
		await page.waitForURL(new RegExp(`^${escapeRegExp(server.url)}/interaction\\?interaction=`));
		passed = true;
	} finally {
		if (!passed && apache) console.log(`--- apache (${apache.conf})\n${apache.logs()}`);
		await apache?.stop();
		await server.dispose();
	}
});
