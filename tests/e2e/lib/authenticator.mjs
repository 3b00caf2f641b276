// A software passkey authenticator for black-box tests of the WebAuthn endpoints: it answers the server's
// options the way a browser + authenticator would (attestation "none", discoverable credentials), with keys
// from node:crypto, so every cryptographic check on the server side runs for real.
import crypto from 'node:crypto';

const b64url = (buf) => Buffer.from(buf).toString('base64url');
const sha256 = (data) => crypto.createHash('sha256').update(data).digest();

// Minimal CBOR encoder (RFC 8949) for the few types attestation objects use.
function cborHead(major, n) {
  if (n < 24) return Buffer.from([(major << 5) | n]);
  if (n < 0x100) return Buffer.from([(major << 5) | 24, n]);
  if (n < 0x10000) { const b = Buffer.alloc(3); b[0] = (major << 5) | 25; b.writeUInt16BE(n, 1); return b; }
  const b = Buffer.alloc(5); b[0] = (major << 5) | 26; b.writeUInt32BE(n, 1); return b;
}
export function cbor(value) {
  if (typeof value === 'number') return value >= 0 ? cborHead(0, value) : cborHead(1, -1 - value);
  if (Buffer.isBuffer(value)) return Buffer.concat([cborHead(2, value.length), value]);
  if (typeof value === 'string') { const s = Buffer.from(value, 'utf8'); return Buffer.concat([cborHead(3, s.length), s]); }
  if (Array.isArray(value)) return Buffer.concat([cborHead(4, value.length), ...value.map(cbor)]);
  if (value instanceof Map) {
    const parts = [cborHead(5, value.size)];
    for (const [k, v] of value) parts.push(cbor(k), cbor(v));
    return Buffer.concat(parts);
  }
  throw new Error(`cbor: unsupported ${typeof value}`);
}

const ALGORITHMS = {
  ES256: { cose: -7, make: () => crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }) },
  RS256: { cose: -257, make: () => crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }) },
  EdDSA: { cose: -8, make: () => crypto.generateKeyPairSync('ed25519') },
};

function coseKey(alg, publicKey) {
  const jwk = publicKey.export({ format: 'jwk' });
  const d = (s) => Buffer.from(s, 'base64url');
  if (alg === 'ES256') return cbor(new Map([[1, 2], [3, -7], [-1, 1], [-2, d(jwk.x)], [-3, d(jwk.y)]]));
  if (alg === 'RS256') return cbor(new Map([[1, 3], [3, -257], [-1, d(jwk.n)], [-2, d(jwk.e)]]));
  return cbor(new Map([[1, 1], [3, -8], [-1, 6], [-2, d(jwk.x)]]));
}

function sign(alg, privateKey, data) {
  if (alg === 'EdDSA') return crypto.sign(null, data, privateKey);
  return crypto.sign('sha256', data, privateKey); // EC signatures come out DER, as WebAuthn wants
}

const FLAG_UP = 0x01, FLAG_UV = 0x04, FLAG_BE = 0x08, FLAG_BS = 0x10, FLAG_AT = 0x40;

export class SoftAuthenticator {
  constructor({ origin, alg = 'ES256', userVerification = true, backupEligible = false } = {}) {
    this.origin = origin;
    this.alg = alg;
    this.userVerification = userVerification;
    this.backupEligible = backupEligible;
    this.credentials = [];
  }

  flags(extra = 0) {
    let f = FLAG_UP | extra;
    if (this.userVerification) f |= FLAG_UV;
    if (this.backupEligible) f |= FLAG_BE | FLAG_BS;
    return f;
  }

  // navigator.credentials.create() → RegistrationResponseJSON
  create(options, { origin = this.origin, challenge = options.challenge } = {}) {
    const { publicKey, privateKey } = ALGORITHMS[this.alg].make();
    const credentialId = crypto.randomBytes(16);
    const clientDataJSON = Buffer.from(JSON.stringify({ type: 'webauthn.create', challenge, origin, crossOrigin: false }));
    const head = Buffer.alloc(37);
    sha256(options.rp.id).copy(head, 0);
    head[32] = this.flags(FLAG_AT);
    const idLen = Buffer.alloc(2);
    idLen.writeUInt16BE(credentialId.length);
    const authData = Buffer.concat([head, Buffer.alloc(16), idLen, credentialId, coseKey(this.alg, publicKey)]);
    const attestationObject = cbor(new Map([['fmt', 'none'], ['attStmt', new Map()], ['authData', authData]]));
    this.credentials.push({ id: credentialId, privateKey, userHandle: Buffer.from(options.user.id, 'base64url'), rpId: options.rp.id, counter: 0 });
    return {
      id: b64url(credentialId),
      rawId: b64url(credentialId),
      type: 'public-key',
      response: { clientDataJSON: b64url(clientDataJSON), attestationObject: b64url(attestationObject), transports: ['internal'] },
      clientExtensionResults: { credProps: { rk: true } },
      authenticatorAttachment: 'platform',
    };
  }

  // navigator.credentials.get() → AuthenticationResponseJSON, with knobs to break it for negative tests.
  get(options, { credential = this.credentials.at(-1), origin = this.origin, tamperSignature = false, userHandle } = {}) {
    const clientDataJSON = Buffer.from(JSON.stringify({ type: 'webauthn.get', challenge: options.challenge, origin, crossOrigin: false }));
    const authData = Buffer.alloc(37);
    sha256(options.rpId).copy(authData, 0);
    authData[32] = this.flags();
    authData.writeUInt32BE(++credential.counter, 33);
    const signature = sign(this.alg, credential.privateKey, Buffer.concat([authData, sha256(clientDataJSON)]));
    if (tamperSignature) signature[signature.length - 1] ^= 0xff;
    return {
      id: b64url(credential.id),
      rawId: b64url(credential.id),
      type: 'public-key',
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authData),
        signature: b64url(signature),
        userHandle: b64url(userHandle ?? credential.userHandle),
      },
      clientExtensionResults: {},
    };
  }
}
