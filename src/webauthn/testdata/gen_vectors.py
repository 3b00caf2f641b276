#!/usr/bin/python3
"""Generates src/webauthn/testdata/vectors.json: fixed WebAuthn registration and assertion vectors.

Run once by hand (Debian: /usr/bin/python3 + python3-cryptography); the output is committed and the tests
only read it. Keys are fresh on every run, so re-running changes every byte: commit the result with the
tests that use it. CBOR is encoded here by a small canonical encoder, so no CBOR package is needed.

    /usr/bin/python3 src/webauthn/testdata/gen_vectors.py > src/webauthn/testdata/vectors.json
"""

import base64
import datetime
import hashlib
import json
import os
import struct
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.x509.oid import NameOID

RP_ID = "id.example.com"
ORIGIN = "https://id.example.com"
CHALLENGE = base64.urlsafe_b64encode(os.urandom(32)).rstrip(b"=").decode()
AAGUID = bytes.fromhex("ea9b8d664d011d213ce4b6b48cb575d4")  # Google Password Manager's AAGUID

UP, UV, BE, BS, AT, ED = 0x01, 0x04, 0x08, 0x10, 0x40, 0x80


def b64u(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


# --- minimal canonical CBOR encoder (ints, bytes, text, lists, dicts in insertion order, bools, None) ---
def _head(major, n):
    if n < 24:
        return bytes([(major << 5) | n])
    for info, fmt in ((24, ">B"), (25, ">H"), (26, ">I"), (27, ">Q")):
        if n < (1 << (8 * struct.calcsize(fmt))):
            return bytes([(major << 5) | info]) + struct.pack(fmt, n)
    raise ValueError(n)


def cbor(v):
    if v is False:
        return b"\xf4"
    if v is True:
        return b"\xf5"
    if v is None:
        return b"\xf6"
    if isinstance(v, int):
        return _head(0, v) if v >= 0 else _head(1, -1 - v)
    if isinstance(v, bytes):
        return _head(2, len(v)) + v
    if isinstance(v, str):
        b = v.encode()
        return _head(3, len(b)) + b
    if isinstance(v, list):
        return _head(4, len(v)) + b"".join(cbor(x) for x in v)
    if isinstance(v, dict):
        return _head(5, len(v)) + b"".join(cbor(k) + cbor(x) for k, x in v.items())
    raise TypeError(type(v))


# --- keys ---
ALGS = {
    -7: ("ES256", lambda: ec.generate_private_key(ec.SECP256R1())),
    -35: ("ES384", lambda: ec.generate_private_key(ec.SECP384R1())),
    -36: ("ES512", lambda: ec.generate_private_key(ec.SECP521R1())),
    -257: ("RS256", lambda: rsa.generate_private_key(65537, 2048)),
    -258: ("RS384", lambda: rsa.generate_private_key(65537, 2048)),
    -259: ("RS512", lambda: rsa.generate_private_key(65537, 2048)),
    -37: ("PS256", lambda: rsa.generate_private_key(65537, 2048)),
    -38: ("PS384", lambda: rsa.generate_private_key(65537, 2048)),
    -39: ("PS512", lambda: rsa.generate_private_key(65537, 2048)),
    -8: ("EdDSA", lambda: ed25519.Ed25519PrivateKey.generate()),
}
HASHES = {
    -7: hashes.SHA256, -35: hashes.SHA384, -36: hashes.SHA512,
    -257: hashes.SHA256, -258: hashes.SHA384, -259: hashes.SHA512,
    -37: hashes.SHA256, -38: hashes.SHA384, -39: hashes.SHA512,
}
_keys = {}


def key(alg):
    if alg not in _keys:
        _keys[alg] = ALGS[alg][1]()
    return _keys[alg]


def cose_key(alg, priv=None):
    pub = (priv or key(alg)).public_key()
    if alg in (-7, -35, -36):
        n = pub.public_numbers()
        crv, width = {-7: (1, 32), -35: (2, 48), -36: (3, 66)}[alg]
        return cbor({1: 2, 3: alg, -1: crv, -2: n.x.to_bytes(width, "big"), -3: n.y.to_bytes(width, "big")})
    if alg == -8:
        raw = pub.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return cbor({1: 1, 3: alg, -1: 6, -2: raw})
    n = pub.public_numbers()
    return cbor({1: 3, 3: alg, -1: n.n.to_bytes((n.n.bit_length() + 7) // 8, "big"),
                 -2: n.e.to_bytes(3, "big")})


def sign(alg, data, priv=None):
    priv = priv or key(alg)
    if alg in (-7, -35, -36):
        return priv.sign(data, ec.ECDSA(HASHES[alg]()))  # DER, as WebAuthn wants
    if alg in (-257, -258, -259):
        return priv.sign(data, padding.PKCS1v15(), HASHES[alg]())
    if alg in (-37, -38, -39):
        h = HASHES[alg]()
        return priv.sign(data, padding.PSS(padding.MGF1(h), h.digest_size), h)
    return priv.sign(data)


# --- WebAuthn structures ---
def client_data(typ, **extra):
    d = {"type": typ, "challenge": CHALLENGE, "origin": ORIGIN, "crossOrigin": False}
    d.update(extra)
    return json.dumps(d, separators=(",", ":")).encode()


def auth_data(flags, count=0, cred_id=None, cose=None, ext=None, rp_id=RP_ID):
    out = hashlib.sha256(rp_id.encode()).digest() + bytes([flags]) + struct.pack(">I", count)
    if cred_id is not None:
        out += AAGUID + struct.pack(">H", len(cred_id)) + cred_id + cose
    if ext is not None:
        out += cbor(ext)
    return out


def att_object(fmt, ad, stmt):
    return cbor({"fmt": fmt, "attStmt": stmt, "authData": ad})


def cred_id(tag):
    return hashlib.sha256(b"credential " + tag.encode()).digest()


registrations = {}
assertions = {}


def add_registration(name, cd, ao, cid, cose, ad):
    registrations[name] = {"client_data_json": b64u(cd), "attestation_object": b64u(ao),
                           "credential_id": b64u(cid), "public_key": b64u(cose), "auth_data": b64u(ad)}


def none_registration(name, alg=-7, flags=UP | UV | AT, cd=None, ad_suffix=b"", cid=None, ext=None):
    cid = cid if cid is not None else cred_id(name)
    cose = cose_key(alg)
    cd = cd or client_data("webauthn.create")
    ad = auth_data(flags | (ED if ext is not None else 0), 0, cid, cose, ext) + ad_suffix
    add_registration(name, cd, att_object("none", ad, {}), cid, cose, ad)


def attestation_cert(aaguid=AAGUID, ca=False, ou="Authenticator Attestation"):
    att_key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "US"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Pocket ID Test Vendor"),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, ou),
        x509.NameAttribute(NameOID.COMMON_NAME, "Pocket ID Test Batch"),
    ])
    builder = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
               .public_key(att_key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(datetime.datetime(2024, 1, 1))
               .not_valid_after(datetime.datetime(2099, 12, 31))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if aaguid is not None:
        der = b"\x04\x10" + aaguid  # OCTET STRING { aaguid }
        builder = builder.add_extension(
            x509.UnrecognizedExtension(x509.ObjectIdentifier("1.3.6.1.4.1.45724.1.1.4"), der), critical=False)
    cert = builder.sign(att_key, hashes.SHA256())
    return att_key, cert.public_bytes(serialization.Encoding.DER)


def packed_registration(name, x5c=None, bad_sig=False, stmt_alg=-7):
    cid = cred_id(name)
    cose = cose_key(-7)
    cd = client_data("webauthn.create")
    ad = auth_data(UP | UV | AT, 0, cid, cose)
    data = ad + hashlib.sha256(cd).digest()
    if x5c is None:
        sig = sign(-7, data)
        stmt = {"alg": stmt_alg, "sig": sig}
    else:
        att_key, der = x5c
        sig = att_key.sign(data, ec.ECDSA(hashes.SHA256()))
        stmt = {"alg": -7, "sig": sig, "x5c": [der]}
    if bad_sig:
        stmt["sig"] = sig[:-1] + bytes([sig[-1] ^ 1])
    add_registration(name, cd, att_object("packed", ad, stmt), cid, cose, ad)


def add_assertion(name, alg=-7, flags=UP | UV, cd=None, ad=None, bad_sig=False, count=7):
    cd = cd or client_data("webauthn.get")
    ad = ad if ad is not None else auth_data(flags, count)
    sig = sign(alg, ad + hashlib.sha256(cd).digest())
    if bad_sig:
        sig = sig[:-1] + bytes([sig[-1] ^ 1])
    assertions[name] = {"client_data_json": b64u(cd), "authenticator_data": b64u(ad), "signature": b64u(sig),
                        "public_key": b64u(cose_key(alg)), "credential_id": b64u(cred_id(name))}


def main():
    # Registrations
    none_registration("none_es256")
    none_registration("none_rs256", alg=-257)
    none_registration("none_eddsa", alg=-8)
    none_registration("none_synced", flags=UP | UV | BE | BS | AT)
    none_registration("none_no_uv", flags=UP | AT)
    none_registration("none_no_up", flags=UV | AT)
    none_registration("none_bs_without_be", flags=UP | UV | BS | AT)
    none_registration("none_wrong_type", cd=client_data("webauthn.get"))
    none_registration("none_cross_origin", cd=client_data("webauthn.create", crossOrigin=True))
    none_registration("none_trailing_bytes", ad_suffix=b"\x00")
    none_registration("none_cred_id_too_long", cid=bytes(1024))
    none_registration("none_extensions", ext={"credProtect": 2})
    packed_registration("packed_self_es256")
    packed_registration("packed_self_bad_sig", bad_sig=True)
    packed_registration("packed_self_alg_mismatch", stmt_alg=-257)
    packed_registration("packed_x5c_es256", x5c=attestation_cert())
    packed_registration("packed_x5c_no_aaguid_ext", x5c=attestation_cert(aaguid=None))
    packed_registration("packed_x5c_bad_sig", x5c=attestation_cert(), bad_sig=True)
    packed_registration("packed_x5c_aaguid_mismatch", x5c=attestation_cert(aaguid=bytes(16)))
    packed_registration("packed_x5c_ca", x5c=attestation_cert(ca=True))
    packed_registration("packed_x5c_wrong_ou", x5c=attestation_cert(ou="Attestation"))
    # An unsupported format: a fido-u2f-shaped statement
    cid = cred_id("fido_u2f")
    cose = cose_key(-7)
    ad = auth_data(UP | AT, 0, cid, cose)
    add_registration("fido_u2f", client_data("webauthn.create"),
                     att_object("fido-u2f", ad, {"sig": b"\x30\x00", "x5c": []}), cid, cose, ad)
    # Truncated authData: the COSE key is cut short
    ad = auth_data(UP | UV | AT, 0, cred_id("truncated"), cose)
    add_registration("truncated_auth_data", client_data("webauthn.create"), att_object("none", ad[:-5], {}),
                     cred_id("truncated"), cose, ad[:-5])

    # Assertions: one per algorithm
    for alg, (name, _) in ALGS.items():
        add_assertion("valid_" + name.lower(), alg=alg)
    add_assertion("no_uv", flags=UP)
    add_assertion("synced", flags=UP | UV | BE | BS)
    add_assertion("backup_eligible_not_synced", flags=UP | UV | BE)
    add_assertion("bs_without_be", flags=UP | UV | BS)
    add_assertion("no_up", flags=UV)
    add_assertion("wrong_type", cd=client_data("webauthn.create"))
    add_assertion("cross_origin", cd=client_data("webauthn.get", crossOrigin=True))
    add_assertion("top_origin", cd=client_data("webauthn.get", topOrigin="https://top.example"))
    add_assertion("bad_sig", bad_sig=True)
    add_assertion("trailing_bytes", ad=auth_data(UP | UV, 7) + b"\x00")
    add_assertion("truncated_auth_data", ad=auth_data(UP | UV, 7)[:36])
    add_assertion("extensions", ad=auth_data(UP | UV | ED, 7, ext={"credProtect": 2}))

    out = {
        "_comment": "Generated by gen_vectors.py; test-only keys. Do not edit by hand.",
        "rp_id": RP_ID, "origin": ORIGIN, "challenge": CHALLENGE, "aaguid": b64u(AAGUID),
        "registrations": registrations, "assertions": assertions,
    }
    json.dump(out, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
