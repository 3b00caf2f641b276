// Pocket ID's REST errors (management.md §1): {"error": <message>, "code": <code>, "request_id": <uuid>, ...}.
import assert from 'node:assert/strict';

// Asserts the status, code and (when given) message; returns the parsed body for further checks.
export async function assertAppError(res, status, code, message) {
  const text = await res.text();
  assert.equal(res.status, status, text);
  const body = JSON.parse(text);
  assert.equal(body.code, code, text);
  if (message !== undefined) assert.equal(body.error, message);
  assert.match(body.request_id, /^[0-9a-f-]{36}$/);
  return body;
}
