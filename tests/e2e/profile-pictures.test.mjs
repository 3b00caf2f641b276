// Profile pictures (management.md §1.1, §8) over HTTP: uploads of PNG/JPEG/WebP/GIF as admin and as oneself turned
// into 300×300 PNGs, invalid images and ids, who may do what, the generated initials avatar and its cache, the
// cache headers, and resetting — on SQLite and PostgreSQL with files on disk, plus one round trip with
// FILE_BACKEND=database.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { engines, postgresUrl, startInstance, runCli, runSql, cleanup, cookieValue } from './lib/server.mjs';
import { apiClient, sqlDialect, insertApiKey } from './lib/api.mjs';

// The shared image fixtures: $PID_FIXTURES_DIR (scripts/test.sh), else ../shared/fixtures beside the repository.
const fixtures = path.join(process.env.PID_FIXTURES_DIR ?? path.resolve(import.meta.dirname, '../../../shared/fixtures'), 'images');
// Small WebP/GIF/JPEG samples kept beside the image module's unit tests.
const testdata = path.resolve(import.meta.dirname, '../../src/core/image/testdata');

const PUBLIC_CACHE = 'public, max-age=900, stale-while-revalidate=3600';

// Width, height and colour type from a PNG's signature and IHDR chunk; throws when the bytes are not a PNG.
function pngHeader(buf) {
  assert.ok(buf.length > 33, `too short for a PNG: ${buf.length} bytes`);
  assert.deepEqual([...buf.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
  assert.equal(buf.subarray(12, 16).toString('latin1'), 'IHDR');
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20), colorType: buf[25] };
}

const fileForm = (data, name) => {
  const form = new FormData();
  form.append('file', new Blob([data]), name);
  return form;
};
const sha = (buf) => createHash('sha256').update(buf).digest('hex');

async function setUp(engine, extra = {}) {
  const server = await startInstance(engine, { extra });
  const sql = (statement) => runSql(server, engine, statement);
  const { now, bool } = sqlDialect(engine);
  const res = await fetch(server.url + '/api/signup/setup', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: 'tim', email: 'tim@example.com', firstName: 'Tim', lastName: 'Cook' }),
  });
  assert.equal(res.status, 200);
  const admin = cookieValue(res, 'access_token');
  const adminId = (await res.json()).id;
  // A user without admin rights, signed in through a login code, and one without any name.
  const bobId = randomUUID();
  sql(`INSERT INTO users (id, created_at, username, email, first_name, last_name, display_name, is_admin, disabled, email_verified)
       VALUES ('${bobId}', ${now()}, 'bob', 'bob@example.com', 'Bob', 'Builder', 'Bob Builder', ${bool(false)}, ${bool(false)}, ${bool(true)})`);
  const zedId = randomUUID();
  sql(`INSERT INTO users (id, created_at, username, email, first_name, last_name, display_name, is_admin, disabled, email_verified)
       VALUES ('${zedId}', ${now()}, 'zed', NULL, '', '', '', ${bool(false)}, ${bool(false)}, ${bool(false)})`);
  const cli = await runCli(['one-time-access-token', 'bob'], { env: server.env, cwd: server.cwd });
  assert.equal(cli.code, 0, cli.stderr);
  const code = cli.stdout.match(/\/lc\/([A-Za-z0-9]+)/)[1];
  const login = await fetch(`${server.url}/api/one-time-access-token/${code}`, { method: 'POST' });
  assert.equal(login.status, 200);
  const bob = cookieValue(login, 'access_token');
  return { server, sql, admin, adminId, bob, bobId, zedId };
}

function client(ctx) {
  const { api, expectError } = apiClient(() => ctx.server);
  // GET the picture: asserts a 300×300 PNG and returns its bytes and response.
  const picture = async (userId, query = '') => {
    const res = await api(`/api/users/${userId}/profile-picture.png${query}`);
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal(res.headers.get('content-type'), 'image/png');
    const body = Buffer.from(await res.arrayBuffer());
    const { width, height } = pngHeader(body);
    assert.deepEqual([width, height], [300, 300]);
    return { res, body };
  };
  const upload = (p, cookie, data, name = 'picture.bin') =>
    api(p, { method: 'PUT', cookie, body: fileForm(data, name) });
  return { api, expectError, picture, upload };
}

for (const engine of engines) {
  describe(`Profile pictures on ${engine}`, { skip: engine === 'postgres' && !postgresUrl ? 'PID_TEST_POSTGRES_URL is not set' : false }, () => {
    let ctx;
    let c;
    const uploads = () => path.join(ctx.server.cwd, 'data', 'uploads');
    const customFile = (id) => path.join(uploads(), 'profile-pictures', `${id}.png`);

    before(async () => {
      ctx = await setUp(engine);
      c = client(ctx);
    });
    after(async () => {
      await ctx?.server.stop();
      if (ctx) cleanup(ctx.server.cwd);
    });

    it('serves a generated initials picture, cached in file storage, with cache headers', async () => {
      const defaults = path.join(uploads(), 'profile-pictures', 'defaults');
      assert.equal(existsSync(path.join(defaults, 'TC.png')), false);
      const { res, body } = await c.picture(ctx.adminId);
      assert.equal(res.headers.get('cache-control'), PUBLIC_CACHE);
      assert.equal(pngHeader(body).colorType, 2, 'opaque RGB');
      // Cached under the initials, and served from there afterwards.
      assert.deepEqual(readFileSync(path.join(defaults, 'TC.png')), body);
      const again = await c.picture(ctx.adminId);
      assert.deepEqual(again.body, body);

      // `skipCache` (any value) leaves the default no-store header.
      const fresh = await c.picture(ctx.adminId, '?skipCache=1700000000');
      assert.equal(fresh.res.headers.get('cache-control'), 'private, no-store');
      assert.equal((await c.picture(ctx.adminId, '?skipCache')).res.headers.get('cache-control'), 'private, no-store');

      // Nameless users get the first two letters of their username; other initials draw differently.
      const zed = await c.picture(ctx.zedId);
      assert.deepEqual(readFileSync(path.join(defaults, 'ZE.png')), zed.body);
      assert.notEqual(sha(zed.body), sha(body));
      // Public: no session needed, and HEAD works too.
      const head = await c.api(`/api/users/${ctx.adminId}/profile-picture.png`, { method: 'HEAD' });
      assert.equal(head.status, 200);
    });

    it('refuses malformed and unknown user ids', async () => {
      for (const id of ['not-a-uuid', 'me', '12345678-1234-1234-1234-12345678901']) {
        const body = await c.expectError(await c.api(`/api/users/${id}/profile-picture.png`), 400, 'validation_failed', 'Request validation failed');
        assert.deepEqual(body.details.fields, [{ field: 'userId', code: 'invalid_format', message: 'must be a valid UUID' }]);
      }
      await c.expectError(await c.api(`/api/users/${randomUUID()}/profile-picture.png`), 404, 'user_not_found', 'User not found');
      const png = readFileSync(`${fixtures}/cloud-logo.png`);
      const body = await c.expectError(await c.upload('/api/users/nope/profile-picture', ctx.admin, png), 400, 'validation_failed');
      assert.deepEqual(body.details.fields, [{ field: 'userId', code: 'invalid_format', message: 'must be a valid UUID' }]);
      await c.expectError(await c.upload(`/api/users/${randomUUID()}/profile-picture`, ctx.admin, png), 404, 'user_not_found');
      await c.expectError(await c.api(`/api/users/nope/profile-picture`, { method: 'DELETE', cookie: ctx.admin }), 400, 'validation_failed');
      await c.expectError(await c.api(`/api/users/${randomUUID()}/profile-picture`, { method: 'DELETE', cookie: ctx.admin }), 404, 'user_not_found');
    });

    it('names the file after the stored user id, whatever the case of the id in the URL', async () => {
      // PostgreSQL's uuid type matches an upper-case id, SQLite's text column does not (as in Pocket ID).
      const res = await c.upload(`/api/users/${ctx.zedId.toUpperCase()}/profile-picture`, ctx.admin, readFileSync(`${testdata}/quadrants.gif`));
      if (engine === 'postgres') {
        assert.equal(res.status, 204, await res.text());
        assert.ok(existsSync(customFile(ctx.zedId)));
        assert.equal((await c.api(`/api/users/${ctx.zedId.toUpperCase()}/profile-picture`, { method: 'DELETE', cookie: ctx.admin })).status, 204);
        assert.equal(existsSync(customFile(ctx.zedId)), false);
      } else {
        await c.expectError(res, 404, 'user_not_found');
      }
    });

    it('lets admins change anyone and users only themselves', async () => {
      const png = readFileSync(`${fixtures}/cloud-logo.png`);
      await c.expectError(await c.upload('/api/users/me/profile-picture', undefined, png), 401, 'not_signed_in', 'You are not signed in');
      await c.expectError(await c.api('/api/users/me/profile-picture', { method: 'DELETE' }), 401, 'not_signed_in');
      await c.expectError(await c.upload(`/api/users/${ctx.bobId}/profile-picture`, undefined, png), 401, 'not_signed_in');
      await c.expectError(await c.upload(`/api/users/${ctx.adminId}/profile-picture`, ctx.bob, png), 403, 'forbidden');
      await c.expectError(await c.upload(`/api/users/${ctx.bobId}/profile-picture`, ctx.bob, png), 403, 'forbidden');
      await c.expectError(await c.api(`/api/users/${ctx.adminId}/profile-picture`, { method: 'DELETE', cookie: ctx.bob }), 403, 'forbidden');
      assert.equal(existsSync(customFile(ctx.adminId)), false);
      assert.equal(existsSync(customFile(ctx.bobId)), false);
    });

    for (const [name, file] of [
      ['PNG', `${fixtures}/cloud-logo.png`],
      ['JPEG', `${fixtures}/clouds.jpg`],
      ['WebP', `${testdata}/quadrants.webp`],
      ['GIF', `${testdata}/quadrants.gif`],
      ['EXIF-rotated JPEG', `${testdata}/quadrants-exif6.jpg`],
    ]) {
      it(`stores an uploaded ${name} as a 300×300 PNG (admin for another user)`, async () => {
        // The file name does not matter: the type comes from the content.
        const res = await c.upload(`/api/users/${ctx.bobId}/profile-picture`, ctx.admin, readFileSync(file), 'upload.txt');
        assert.equal(res.status, 204, await res.text());
        const stored = readFileSync(customFile(ctx.bobId));
        assert.deepEqual([pngHeader(stored).width, pngHeader(stored).height], [300, 300]);
        const { res: got, body } = await c.picture(ctx.bobId);
        assert.deepEqual(body, stored);
        assert.equal(got.headers.get('cache-control'), PUBLIC_CACHE);
      });
    }

    it('lets a user set and reset their own picture', async () => {
      const res = await c.upload('/api/users/me/profile-picture', ctx.bob, readFileSync(`${testdata}/quadrants.gif`), 'me.gif');
      assert.equal(res.status, 204, await res.text());
      const own = readFileSync(customFile(ctx.bobId));
      assert.deepEqual((await c.picture(ctx.bobId)).body, own);

      const del = await c.api('/api/users/me/profile-picture', { method: 'DELETE', cookie: ctx.bob });
      assert.equal(del.status, 204);
      assert.equal(existsSync(customFile(ctx.bobId)), false);
      // Back to the initials avatar "BB", now cached too.
      const { body } = await c.picture(ctx.bobId);
      assert.deepEqual(readFileSync(path.join(uploads(), 'profile-pictures', 'defaults', 'BB.png')), body);
      // Resetting again is fine.
      assert.equal((await c.api('/api/users/me/profile-picture', { method: 'DELETE', cookie: ctx.bob })).status, 204);
    });

    it('lets an admin reset a user to the default picture', async () => {
      const res = await c.upload(`/api/users/${ctx.zedId}/profile-picture`, ctx.admin, readFileSync(`${fixtures}/pingvin-share-logo.png`));
      assert.equal(res.status, 204);
      const custom = (await c.picture(ctx.zedId)).body;
      const del = await c.api(`/api/users/${ctx.zedId}/profile-picture`, { method: 'DELETE', cookie: ctx.admin });
      assert.equal(del.status, 204);
      assert.equal(existsSync(customFile(ctx.zedId)), false);
      const initials = (await c.picture(ctx.zedId)).body;
      assert.notEqual(sha(initials), sha(custom));
      assert.deepEqual(initials, readFileSync(path.join(uploads(), 'profile-pictures', 'defaults', 'ZE.png')));
    });

    it('refuses files that are not images, and requests without a file', async () => {
      const target = `/api/users/${ctx.adminId}/profile-picture`;
      const png = readFileSync(`${fixtures}/cloud-logo.png`);
      for (const [what, data] of [
        ['text', Buffer.from('hello, world')],
        ['SVG', readFileSync(`${fixtures}/cloud-logo.svg`)],
        ['ICO', readFileSync(`${fixtures}/w3-schools-favicon.ico`)],
        ['truncated PNG', png.subarray(0, png.length / 2)],
        ['empty file', Buffer.alloc(0)],
      ]) {
        const res = await c.upload(target, ctx.admin, data, 'picture.png');
        await c.expectError(res, 400, 'invalid_image', 'File is not a valid image').catch((e) => {
          throw new Error(`${what}: ${e.message}`);
        });
      }
      assert.equal(existsSync(customFile(ctx.adminId)), false);

      const noFile = new FormData();
      noFile.append('other', new Blob([png]), 'x.png');
      const body = await c.expectError(await c.api(target, { method: 'PUT', cookie: ctx.admin, body: noFile }), 400, 'validation_failed', 'File is required');
      assert.deepEqual(body.details.fields, [{ field: 'file', code: 'required', message: 'is required' }]);
      await c.expectError(
        await c.api(target, { method: 'PUT', cookie: ctx.admin, body: png, headers: { 'Content-Type': 'image/png' } }),
        400, 'invalid_request_body');
    });

    it('accepts an admin API key', async () => {
      const token = 'pp-e2e-' + randomUUID();
      insertApiKey(ctx.sql, engine, ctx.adminId, token, { name: 'pictures' });
      const res = await c.api(`/api/users/${ctx.adminId}/profile-picture`, {
        method: 'PUT', key: token, body: fileForm(readFileSync(`${testdata}/quadrants.jpg`), 'a.jpg'),
      });
      assert.equal(res.status, 204, await res.text());
      assert.ok(existsSync(customFile(ctx.adminId)));
      const del = await c.api(`/api/users/${ctx.adminId}/profile-picture`, { method: 'DELETE', key: token });
      assert.equal(del.status, 204);
      assert.equal(existsSync(customFile(ctx.adminId)), false);
    });
  });

  describe(`Profile pictures in the database storage on ${engine}`, { skip: engine === 'postgres' && !postgresUrl ? 'PID_TEST_POSTGRES_URL is not set' : false }, () => {
    let ctx;
    let c;
    before(async () => {
      ctx = await setUp(engine, { FILE_BACKEND: 'database' });
      c = client(ctx);
    });
    after(async () => {
      await ctx?.server.stop();
      if (ctx) cleanup(ctx.server.cwd);
    });

    it('keeps uploads and initials avatars in the storage table', async () => {
      const size = (p) => ctx.sql(`SELECT size FROM storage WHERE path = '${p}'`)[0];
      const initials = (await c.picture(ctx.bobId)).body;
      assert.equal(size('profile-pictures/defaults/BB.png'), String(initials.length));

      const res = await c.upload('/api/users/me/profile-picture', ctx.bob, readFileSync(`${testdata}/quadrants.webp`), 'me.webp');
      assert.equal(res.status, 204, await res.text());
      const custom = (await c.picture(ctx.bobId)).body;
      assert.equal(size(`profile-pictures/${ctx.bobId}.png`), String(custom.length));
      assert.notEqual(sha(custom), sha(initials));
      assert.equal(existsSync(path.join(ctx.server.cwd, 'data', 'uploads', 'profile-pictures')), false);

      assert.equal((await c.api(`/api/users/${ctx.bobId}/profile-picture`, { method: 'DELETE', cookie: ctx.admin })).status, 204);
      assert.equal(size(`profile-pictures/${ctx.bobId}.png`), undefined);
      assert.deepEqual((await c.picture(ctx.bobId)).body, initials);
    });
  });
}
