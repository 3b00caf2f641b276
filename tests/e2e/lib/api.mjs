// Shared helpers for the HTTP-level suites: a small fetch wrapper for the JSON API with assertions for success and
// for the error envelope, SQL snippets that differ between SQLite and PostgreSQL, and an admin API key row inserted
// the way the key table stores it. Server start/stop, SQL and CLI access stay in ./server.mjs.
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';

// The shape of a request id: a UUID as the server prints it.
export const REQUEST_ID = /^[0-9a-f-]{36}$/;

// Bodies fetch sends as they are (with their own Content-Type, if any); anything else but a string is JSON.
const isRawBody = (body) =>
  body instanceof FormData || body instanceof URLSearchParams || body instanceof Blob ||
  body instanceof ArrayBuffer || ArrayBuffer.isView(body);

/**
 * HTTP helpers bound to one test instance.
 *
 * `server` is the Instance from ./server.mjs, or a function returning it — suites that start their instance in
 * `before()` pass `() => server` so the client can be created when the `describe` body runs.
 *
 * Returns:
 * - `api(path, { method = 'GET', cookie, key, body, headers, redirect })` → the fetch Response of `server.url + path`.
 *   `cookie` becomes the Cookie header (when truthy); `key` the X-API-Key header whenever it is given, even `''`
 *   (so an empty key can be tested). A plain object or array `body` is sent as JSON with
 *   `Content-Type: application/json`, a string as JSON text with that header too; FormData, URLSearchParams, Blob
 *   and byte buffers go as they are. `headers` are applied last and win. Redirects are not followed
 *   (`redirect: 'manual'`): a 30x reaches the test as it is, so an API route that redirects cannot pass by accident.
 * - `json(res)` → the parsed body, or undefined when it is empty. No status check.
 * - `ok(res, status = 200)` → asserts the status (showing the body when it differs) and returns the parsed body,
 *   or undefined when empty.
 * - `expectError(res, status, code, message)` → asserts the status and the error envelope every API error carries:
 *   a JSON object with string `error` and `code` and a UUID `request_id` that is also sent as the X-Request-ID
 *   header; `code` and `message` (the `error` text) are compared when given. Returns the parsed body (e.g. for
 *   `details`).
 */
export function apiClient(server) {
  const instance = typeof server === 'function' ? server : () => server;

  const api = (p, { method = 'GET', cookie, key, body, headers = {}, redirect = 'manual' } = {}) =>
    fetch(instance().url + p, {
      method,
      redirect,
      headers: {
        ...(cookie ? { Cookie: cookie } : {}),
        ...(key !== undefined && key !== null ? { 'X-API-Key': key } : {}),
        ...(body !== undefined && !isRawBody(body) ? { 'Content-Type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined || typeof body === 'string' || isRawBody(body) ? body : JSON.stringify(body),
    });

  const json = async (res) => {
    const text = await res.text();
    return text ? JSON.parse(text) : undefined;
  };

  const ok = async (res, status = 200) => {
    const text = await res.text();
    assert.equal(res.status, status, text);
    return text ? JSON.parse(text) : undefined;
  };

  const expectError = async (res, status, code, message) => {
    const text = await res.text();
    assert.equal(res.status, status, text);
    let body;
    assert.doesNotThrow(() => { body = JSON.parse(text); }, `error body is not JSON: ${text}`);
    assert.equal(typeof body, 'object', text);
    assert.equal(typeof body.error, 'string', text);
    assert.equal(typeof body.code, 'string', text);
    if (code !== undefined) assert.equal(body.code, code, text);
    if (message !== undefined) assert.equal(body.error, message, text);
    assert.match(body.request_id, REQUEST_ID, text);
    assert.equal(res.headers.get('x-request-id'), body.request_id, 'X-Request-ID header matches request_id');
    return body;
  };

  return { api, json, ok, expectError };
}

/**
 * SQL snippets for hand-written statements on `engine` ('sqlite' stores times as unix seconds and booleans as 0/1,
 * 'postgres' uses timestamptz and booleans):
 * - `now()` → the current time;
 * - `later(seconds = 86400)` → that many seconds from now (default one day);
 * - `past(seconds = 60)` → that many seconds ago (default one minute);
 * - `at(unix)` → a fixed time given in unix seconds;
 * - `bool(b)` → a boolean literal.
 */
export function sqlDialect(engine) {
  const sqlite = engine === 'sqlite';
  return {
    now: () => (sqlite ? "strftime('%s','now')" : 'now()'),
    later: (seconds = 86400) => (sqlite ? `strftime('%s','now') + ${seconds}` : `now() + interval '${seconds} seconds'`),
    past: (seconds = 60) => (sqlite ? `strftime('%s','now') - ${seconds}` : `now() - interval '${seconds} seconds'`),
    at: (unix) => (sqlite ? String(unix) : `to_timestamp(${unix})`),
    bool: (b) => (sqlite ? (b ? '1' : '0') : String(b)),
  };
}

/**
 * Inserts an API key row for `userId` with the secret `secret`, stored the way the key table keeps it (lowercase
 * hex SHA-256 of the secret), valid for a day. `sql` runs one statement (runSql bound to the instance); returns the
 * row's id. Use the secret as `key` in `api()`.
 */
export function insertApiKey(sql, engine, userId, secret, { name = 'e2e' } = {}) {
  const { now, later } = sqlDialect(engine);
  const id = randomUUID();
  const hash = createHash('sha256').update(secret).digest('hex');
  sql(`INSERT INTO api_keys (id, name, key, expires_at, created_at, user_id)
       VALUES ('${id}', '${name}', '${hash}', ${later()}, ${now()}, '${userId}')`);
  return id;
}
