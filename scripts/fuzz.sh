#!/usr/bin/env bash
# Builds the libFuzzer target for pid_webauthn (src/webauthn/fuzz/webauthn_fuzz.cpp) with clang, seeds its
# corpus from src/webauthn/testdata/vectors.json and runs it.
#
#   scripts/fuzz.sh [seconds]      default 60; exits non-zero when the fuzzer finds a crash
#
# Needs clang and libFuzzer (Debian: clang, libclang-rt-14-dev). Uses its own build directory
# ($PID_FUZZ_BUILD_DIR, default build-fuzz); the corpus there grows from run to run. Crashing inputs are
# written to <build>/fuzz-artifacts/.
set -euo pipefail

seconds="${1:-60}"
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${PID_FUZZ_BUILD_DIR:-$root/build-fuzz}"
cxx="${PID_FUZZ_CXX:-/usr/bin/clang++}"

mkdir -p "$build"
CXX="$cxx" cmake -S "$root" -B "$build" -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DPID_FUZZ=ON -DPID_SANITIZE=ON -DPID_BUILD_TESTS=OFF >"$build/configure.log" 2>&1 ||
  { cat "$build/configure.log"; exit 1; }
cmake --build "$build" -j2 --target webauthn_fuzz

corpus="$build/fuzz-corpus"
artifacts="$build/fuzz-artifacts"
mkdir -p "$corpus" "$artifacts"

# Seeds: one file per (selector, payload); see the selector table in webauthn_fuzz.cpp.
/usr/bin/python3 - "$root/src/webauthn/testdata/vectors.json" "$corpus" <<'EOF'
import base64, hashlib, json, os, struct, sys

vectors = json.load(open(sys.argv[1]))
out = sys.argv[2]

def b(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))

def chunk(x):
    return struct.pack(">H", len(x)) + x

def seed(selector, payload):
    data = bytes([selector]) + payload
    with open(os.path.join(out, "seed-" + hashlib.sha1(data).hexdigest()), "wb") as f:
        f.write(data)

for r in vectors["registrations"].values():
    cd, ao = b(r["client_data_json"]), b(r["attestation_object"])
    seed(0, ao)
    seed(1, b(r["auth_data"]))
    seed(2, b(r["public_key"]))
    seed(5, cd)
    seed(6, chunk(cd) + ao)
    body = {"id": r["credential_id"], "rawId": r["credential_id"], "type": "public-key",
            "response": {"clientDataJSON": r["client_data_json"], "attestationObject": r["attestation_object"],
                         "transports": ["internal", "hybrid"]},
            "clientExtensionResults": {"credProps": {"rk": True}}, "authenticatorAttachment": "platform"}
    seed(3, json.dumps(body).encode())
for a in vectors["assertions"].values():
    cd, ad, key, sig = (b(a[k]) for k in ("client_data_json", "authenticator_data", "public_key", "signature"))
    seed(1, ad)
    seed(2, key)
    seed(7, chunk(cd) + chunk(ad) + chunk(key) + sig)
    body = {"id": a["credential_id"], "rawId": a["credential_id"], "type": "public-key",
            "response": {"clientDataJSON": a["client_data_json"], "authenticatorData": a["authenticator_data"],
                         "signature": a["signature"], "userHandle": "dXNlcg"}}
    seed(4, json.dumps(body).encode())
EOF

echo "fuzzing for ${seconds}s; corpus $corpus ($(ls "$corpus" | wc -l) files)"
# -rss_limit_mb: the decoder's memory is linear in the input, so anything near this limit is a bug.
exec "$build/src/webauthn/webauthn_fuzz" "$corpus" \
  -max_total_time="$seconds" -max_len=16384 -timeout=10 -rss_limit_mb=1024 -malloc_limit_mb=256 \
  -print_final_stats=1 -artifact_prefix="$artifacts/"
