#!/usr/bin/python3
"""Cross-checks pid_crypto's JOSE layer against an independent implementation (PyJWT + cryptography).

Run by crypto_test (interop_test.cpp) with Debian's /usr/bin/python3 (packages python3-jwt,
python3-cryptography).

  interop.py verify DIR
      For every algorithm, reads DIR/<ALG>.jwk.json (our public JWK) and DIR/<ALG>.jwt (a JWT we signed),
      verifies the token through jwt.PyJWK pinned to that algorithm, checks header and claims, and checks
      that a tampered copy is rejected. Prints "verified 7" on success; exits non-zero on any failure.

  interop.py sign
      For every algorithm, generates a key with `cryptography`, signs a JWT with PyJWT and prints a JSON
      array of {"alg", "public_jwk", "private_jwk", "token"} for the C++ side to verify and import.
"""
import json
import os
import sys

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from jwt.algorithms import ECAlgorithm, OKPAlgorithm, RSAAlgorithm

ALGS = ["RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "EdDSA"]


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def tamper(token):
    header, payload, sig = token.split(".")
    # Flip one character in the middle of the signature (stays valid base64url).
    i = len(sig) // 2
    sig = sig[:i] + ("A" if sig[i] != "A" else "B") + sig[i + 1:]
    return ".".join([header, payload, sig])


def verify(directory):
    for alg in ALGS:
        with open(os.path.join(directory, alg + ".jwk.json")) as f:
            jwk = json.load(f)
        with open(os.path.join(directory, alg + ".jwt")) as f:
            token = f.read().strip()
        if jwk.get("alg") != alg or jwk.get("use") != "sig":
            fail(f"{alg}: unexpected JWK {jwk}")
        key = jwt.PyJWK(jwk)  # parses the JWK for the algorithm it names
        header = jwt.get_unverified_header(token)
        if header != {"alg": alg, "kid": jwk["kid"], "typ": "JWT"}:
            fail(f"{alg}: unexpected header {header}")
        try:
            claims = jwt.decode(token, key.key, algorithms=[alg])
        except Exception as e:  # noqa: BLE001 - report anything
            fail(f"{alg}: PyJWT rejected our token: {e!r}")
        if claims != {"sub": "interop", "alg_under_test": alg, "n": 42}:
            fail(f"{alg}: unexpected claims {claims}")
        try:
            jwt.decode(tamper(token), key.key, algorithms=[alg])
            fail(f"{alg}: PyJWT accepted a tampered token")
        except jwt.InvalidSignatureError:
            pass
        print("ok", alg)
    print("verified", len(ALGS))


_rsa_key = None


def new_key(alg):
    global _rsa_key
    if alg.startswith("RS"):
        # One RSA-2048 key serves RS256/384/512 (the algorithm picks the hash, not the key size); key
        # generation plus validation costs ~1 s per key in cryptography 38.
        if _rsa_key is None:
            _rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        return _rsa_key, RSAAlgorithm
    if alg.startswith("ES"):
        curve = {"ES256": ec.SECP256R1(), "ES384": ec.SECP384R1(), "ES512": ec.SECP521R1()}[alg]
        return ec.generate_private_key(curve), ECAlgorithm
    return ed25519.Ed25519PrivateKey.generate(), OKPAlgorithm


def sign():
    out = []
    for alg in ALGS:
        priv, algo_cls = new_key(alg)
        kid = "py-" + alg.lower()
        public_jwk = json.loads(algo_cls.to_jwk(priv.public_key()))
        public_jwk.update({"kid": kid, "alg": alg, "use": "sig"})
        private_jwk = json.loads(algo_cls.to_jwk(priv))
        private_jwk.update({"kid": kid, "alg": alg, "use": "sig"})
        token = jwt.encode({"sub": "pyjwt", "alg_under_test": alg}, priv, algorithm=alg, headers={"kid": kid})
        out.append({"alg": alg, "public_jwk": public_jwk, "private_jwk": private_jwk, "token": token})
    json.dump(out, sys.stdout)
    print()


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "verify":
        verify(sys.argv[2])
    elif len(sys.argv) == 2 and sys.argv[1] == "sign":
        sign()
    else:
        fail("usage: interop.py verify DIR | interop.py sign")


if __name__ == "__main__":
    main()
