// The audit log over HTTP (management.md §1.10, §3): sign-ins write rows whose country/city come from the GeoLite2
// database (GEOLITE_DB_PATH = MaxMind's test database) for the client address behind a trusted proxy
// (TRUST_PROXY=true + X-Forwarded-For), or Pocket ID's internal-network labels; the device string comes from the
// User-Agent. Then the read API: own logs, all logs with filters and pagination, the admin filter lists, 401/403.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { engines, postgresUrl, startInstance, makeWorkdir, runSql, cleanup, cookieValue, setupFirstAdmin } from './lib/server.mjs';
import { apiClient, sqlDialect } from './lib/api.mjs';

const fixtures = process.env.PID_FIXTURES_DIR ?? path.resolve(import.meta.dirname, '../../../shared/fixtures');

const chromeWindows =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
const firefoxLinux = 'Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0';
const safariIphone =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1';

for (const engine of engines) {
  describe(`Audit log on ${engine}`, { skip: engine === 'postgres' && !postgresUrl ? 'PID_TEST_POSTGRES_URL is not set' : false }, () => {
    let server;
    let admin; // tim's access_token cookie
    let timId;
    let bobId;
    let bob; // bob's cookie, from his first sign-in

    const { api, json, expectError } = apiClient(() => server);
    const { at, bool } = sqlDialect(engine);
    const list = async (p, cookie = admin) => {
      const res = await api(p, { cookie });
      assert.equal(res.status, 200, await res.clone().text());
      return json(res);
    };
    // Signs `userId` in with a one-time access code, as if from `ip` (through the trusted proxy) with `userAgent`.
    const signIn = async (userId, ip, userAgent) => {
      const created = await api(`/api/users/${userId}/one-time-access-token`, { method: 'POST', cookie: admin });
      assert.equal(created.status, 201);
      const { token } = await json(created);
      const res = await api(`/api/one-time-access-token/${token}`, {
        method: 'POST',
        headers: { 'X-Forwarded-For': ip, 'User-Agent': userAgent },
      });
      assert.equal(res.status, 200, await res.clone().text());
      return cookieValue(res, 'access_token');
    };
    const blob = (s) => (engine === 'sqlite' ? `CAST('${s}' AS BLOB)` : `'${s}'::jsonb`);

    before(async () => {
      const cwd = makeWorkdir();
      mkdirSync(path.join(cwd, 'geo'));
      const dbPath = path.join(cwd, 'geo', 'GeoLite2-City.mmdb');
      copyFileSync(path.join(fixtures, 'geoip', 'GeoLite2-City-Test.mmdb'), dbPath);
      server = await startInstance(engine, { cwd, extra: { TRUST_PROXY: 'true', GEOLITE_DB_PATH: dbPath } });
      admin = await setupFirstAdmin(server);
      timId = (await list('/api/users/me')).id;
      bobId = randomUUID();
      runSql(server, engine, `INSERT INTO users (id, created_at, username, email, first_name, last_name, display_name, is_admin, disabled, email_verified)
        VALUES ('${bobId}', ${at(1700000000)}, 'bob', 'bob@example.com', 'Bob', 'B', 'Bob B', ${bool(false)}, ${bool(false)}, ${bool(false)})`);

      bob = await signIn(bobId, '81.2.69.142', chromeWindows);
      await signIn(bobId, '192.168.1.20', firefoxLinux);
      await signIn(timId, '89.160.20.112', safariIphone);
      await signIn(timId, '100.64.3.4', 'curl/8.4.0');
      // Authorizations the OIDC flow would write, older than the sign-ins.
      runSql(server, engine, `INSERT INTO audit_logs (id, created_at, event, ip_address, user_agent, data, user_id, country, city) VALUES
        ('${randomUUID()}', ${at(1700000100)}, 'NEW_CLIENT_AUTHORIZATION', '2.125.160.216', '${firefoxLinux}', ${blob('{"clientName":"Nextcloud"}')}, '${bobId}', 'United Kingdom', 'Boxford'),
        ('${randomUUID()}', ${at(1700000200)}, 'CLIENT_AUTHORIZATION', NULL, '', ${blob('{"clientName":"Grafana"}')}, '${timId}', '', ''),
        ('${randomUUID()}', ${at(1700000300)}, 'PASSKEY_REMOVED', '10.0.0.9', '${chromeWindows}', ${blob('{"passkeyName":"YubiKey","actorUserID":"x","actorUsername":"tim"}')}, '${bobId}', 'Internal Network', 'LAN')`);
    });
    after(async () => {
      await server?.stop();
      if (server) cleanup(server.cwd);
    });

    it('stores the GeoIP location of the forwarded client address with each sign-in', () => {
      const rows = runSql(server, engine, `SELECT ip_address, country, city FROM audit_logs WHERE event = 'TOKEN_SIGN_IN' ORDER BY country, city`);
      assert.deepEqual(rows, [
        '192.168.1.20|Internal Network|LAN',
        '100.64.3.4|Internal Network|Tailscale',
        '89.160.20.112|Sweden|Linköping',
        '81.2.69.142|United Kingdom|London',
      ]);
    });

    it("lists a user's own logs with location and device", async () => {
      const page = await list('/api/audit-logs?sort[column]=createdAt&sort[direction]=desc&filters[event]=TOKEN_SIGN_IN', bob);
      assert.deepEqual(page.pagination, { totalPages: 1, totalItems: 2, currentPage: 1, itemsPerPage: 20 });
      const byIp = Object.fromEntries(page.data.map((e) => [e.ipAddress, e]));
      const london = byIp['81.2.69.142'];
      assert.ok(london, JSON.stringify(page.data));
      assert.match(london.id, /^[0-9a-f-]{36}$/);
      assert.ok(!Number.isNaN(Date.parse(london.createdAt)));
      assert.deepEqual(
        { ...london, id: undefined, createdAt: undefined },
        {
          id: undefined,
          createdAt: undefined,
          event: 'TOKEN_SIGN_IN',
          ipAddress: '81.2.69.142',
          country: 'United Kingdom',
          city: 'London',
          device: 'Chrome on Windows 10.0',
          userID: bobId,
          username: '',
          actorUsername: '',
          data: {},
        },
      );
      const lan = byIp['192.168.1.20'];
      assert.equal(lan.country, 'Internal Network');
      assert.equal(lan.city, 'LAN');
      assert.equal(lan.device, 'Firefox on Linux x86_64');

      const all = await list('/api/audit-logs?sort[column]=createdAt&sort[direction]=asc', bob);
      assert.equal(all.pagination.totalItems, 4); // bob's only: 2 sign-ins, 1 authorization, 1 passkey removal
      assert.ok(all.data.every((e) => e.userID === bobId));
      assert.equal(all.data[0].event, 'NEW_CLIENT_AUTHORIZATION');
      assert.equal(all.data[0].createdAt, '2023-11-14T22:15:00Z');
      const removed = all.data.find((e) => e.event === 'PASSKEY_REMOVED');
      assert.equal(removed.actorUsername, 'tim');
      assert.deepEqual(removed.data, { passkeyName: 'YubiKey', actorUserID: 'x', actorUsername: 'tim' });
    });

    it('lists every log for admins, with usernames, filters and pagination', async () => {
      const all = await list('/api/audit-logs/all?sort[column]=createdAt&sort[direction]=desc');
      assert.equal(all.pagination.totalItems, 7);
      assert.ok(all.data.every((e) => e.username === (e.userID === bobId ? 'bob' : 'tim')));
      const grafana = all.data.find((e) => e.event === 'CLIENT_AUTHORIZATION');
      assert.equal(grafana.ipAddress, ''); // NULL address
      assert.equal(grafana.device, ' on  ');
      const tailscale = all.data.find((e) => e.ipAddress === '100.64.3.4');
      assert.deepEqual([tailscale.country, tailscale.city, tailscale.device], ['Internal Network', 'Tailscale', 'curl on  ']);
      const sweden = all.data.find((e) => e.ipAddress === '89.160.20.112');
      assert.deepEqual([sweden.country, sweden.city, sweden.device], ['Sweden', 'Linköping', 'Safari on iOS 17.1']);

      const events = (page) => page.data.map((e) => e.event).sort();
      assert.deepEqual(events(await list(`/api/audit-logs/all?filters[userId]=${timId}`)), [
        'CLIENT_AUTHORIZATION', 'TOKEN_SIGN_IN', 'TOKEN_SIGN_IN',
      ]);
      assert.deepEqual(events(await list('/api/audit-logs/all?filters[userId]=nobody')), []);
      assert.deepEqual(events(await list('/api/audit-logs/all?filters[event]=PASSKEY_REMOVED&filters[event]=CLIENT_AUTHORIZATION')), [
        'CLIENT_AUTHORIZATION', 'PASSKEY_REMOVED',
      ]);
      assert.deepEqual(events(await list('/api/audit-logs/all?filters[clientName]=Nextcloud')), ['NEW_CLIENT_AUTHORIZATION']);
      assert.deepEqual(events(await list('/api/audit-logs/all?filters[location]=internal')), [
        'PASSKEY_REMOVED', 'TOKEN_SIGN_IN', 'TOKEN_SIGN_IN',
      ]);
      // Deliberate fix: Pocket ID's "external" matches nothing; here it is every row outside the internal network.
      assert.deepEqual(events(await list('/api/audit-logs/all?filters[location]=external')), [
        'CLIENT_AUTHORIZATION', 'NEW_CLIENT_AUTHORIZATION', 'TOKEN_SIGN_IN', 'TOKEN_SIGN_IN',
      ]);
      assert.deepEqual(events(await list(`/api/audit-logs/all?filters[userId]=${bobId}&filters[location]=external`)), [
        'NEW_CLIENT_AUTHORIZATION', 'TOKEN_SIGN_IN',
      ]);

      const seen = new Set();
      for (const page of [1, 2, 3, 4]) {
        const res = await list(`/api/audit-logs/all?sort[column]=createdAt&sort[direction]=desc&pagination[page]=${page}&pagination[limit]=3`);
        assert.deepEqual(res.pagination, { totalPages: 3, totalItems: 7, currentPage: Math.min(page, 3), itemsPerPage: 3 });
        if (page <= 3) res.data.forEach((e) => seen.add(e.id));
        if (page === 3) assert.equal(res.data.length, 1);
      }
      assert.equal(seen.size, 7);
      const oldestFirst = await list('/api/audit-logs/all?sort[column]=createdAt&sort[direction]=asc&pagination[limit]=1');
      assert.equal(oldestFirst.data[0].event, 'NEW_CLIENT_AUTHORIZATION');
      assert.equal(oldestFirst.data[0].username, 'bob');
    });

    it('offers the client names and users that have logs', async () => {
      assert.deepEqual(await list('/api/audit-logs/filters/client-names'), ['Grafana', 'Nextcloud']);
      assert.deepEqual(await list('/api/audit-logs/filters/users'), { [bobId]: 'bob', [timId]: 'tim' });
    });

    it('requires a session, and admin rights for everybody’s logs', async () => {
      for (const p of ['/api/audit-logs', '/api/audit-logs/all', '/api/audit-logs/filters/client-names', '/api/audit-logs/filters/users']) {
        await expectError(await api(p), 401, 'not_signed_in');
      }
      for (const p of ['/api/audit-logs/all', '/api/audit-logs/filters/client-names', '/api/audit-logs/filters/users']) {
        await expectError(await api(p, { cookie: bob }), 403, 'forbidden');
      }
    });
  });
}

describe('Audit log without a GeoLite2 database or a trusted proxy', () => {
  let server;
  before(async () => {
    server = await startInstance('sqlite', { extra: { GEOLITE_DB_PATH: '/nonexistent/GeoLite2-City.mmdb' } });
  });
  after(async () => {
    await server?.stop();
    if (server) cleanup(server.cwd);
  });

  it('ignores X-Forwarded-For from an untrusted peer and labels loopback as LAN', async () => {
    const admin = await setupFirstAdmin(server);
    const me = await (await fetch(server.url + '/api/users/me', { headers: { Cookie: admin } })).json();
    const created = await fetch(`${server.url}/api/users/${me.id}/one-time-access-token`, { method: 'POST', headers: { Cookie: admin } });
    const { token } = await created.json();
    const res = await fetch(`${server.url}/api/one-time-access-token/${token}`, {
      method: 'POST',
      headers: { 'X-Forwarded-For': '81.2.69.142', 'User-Agent': 'curl/8.4.0' },
    });
    assert.equal(res.status, 200);
    const page = await (await fetch(server.url + '/api/audit-logs', { headers: { Cookie: admin } })).json();
    assert.equal(page.data.length, 1);
    assert.deepEqual([page.data[0].ipAddress, page.data[0].country, page.data[0].city], ['127.0.0.1', 'Internal Network', 'LAN']);
  });
});
