// fosite's JSON errors as the OIDC endpoints send them (protocol.md §1.2): the descriptions, and an exact assertion.
import assert from 'node:assert/strict';

export const DESCRIPTIONS = {
  invalid_request:
    'The request is missing a required parameter, includes an invalid parameter value, includes a parameter more than once, or is otherwise malformed.',
  invalid_grant:
    'The provided authorization grant (e.g., authorization code, resource owner credentials) or refresh token is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.',
  invalid_client:
    'Client authentication failed (e.g., unknown client, no client authentication included, or unsupported authentication method).',
  invalid_scope: 'The requested scope is invalid, unknown, or malformed.',
  invalid_state: 'The state is missing or does not have enough characters and is therefore considered too weak.',
  invalid_target: 'The requested resource is invalid, missing, unknown, or malformed.',
  access_denied: 'The resource owner or authorization server denied the request.',
  request_unauthorized: 'The request could not be authorized.',
  login_required: 'The Authorization Server requires End-User authentication.',
  consent_required: 'The Authorization Server requires End-User consent.',
  insufficient_entropy: 'The request used a security parameter (e.g., anti-replay, anti-csrf) with insufficient entropy.',
  authorization_pending:
    "The authorization request is still pending as the end user hasn't yet completed the user-interaction steps.",
  expired_token: 'The device_code has expired, and the device authorization session has concluded.',
};

// The wire text: "<description> <hint>" with every " as '.
export const description = (error, hint) => `${DESCRIPTIONS[error]}${hint ? ` ${hint}` : ''}`.replaceAll('"', "'");

// A fosite JSON error, exactly. `hint` may be a RegExp for hints that carry a time; `descriptionText` replaces the
// whole expected description.
export async function assertOAuthError(res, status, error, hint, { descriptionText } = {}) {
  const text = await res.text();
  assert.equal(res.status, status, text);
  assert.equal(res.headers.get('content-type'), 'application/json;charset=UTF-8');
  assert.equal(res.headers.get('cache-control'), 'no-store');
  assert.equal(res.headers.get('pragma'), 'no-cache');
  const body = JSON.parse(text);
  if (hint instanceof RegExp) {
    assert.equal(body.error, error, text);
    assert.ok(body.error_description.startsWith(`${DESCRIPTIONS[error]} `), text);
    assert.match(body.error_description.slice(DESCRIPTIONS[error].length + 1), hint);
    return;
  }
  assert.deepEqual(body, { error, error_description: descriptionText ?? description(error, hint) });
}
