// Requests as an OAuth client sends them: form-encoded POSTs and HTTP Basic client authentication (RFC 6749 §2.3.1:
// id and secret form-URL-encoded before base64).
export const basicAuthorization = (id, secret) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

// POST `params` form-encoded to `path` under `base`; redirects are not followed.
export const postForm = (base, path, params, headers = {}) =>
  fetch(new URL(path, base), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(params),
  });
