#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine and runs every test: C++ unit and integration tests (ASan/UBSan) on SQLite and
# on a throwaway PostgreSQL cluster, then the black-box HTTP/CLI tests against the built binary on both engines.
set -euo pipefail
cd "$(dirname "$0")/.."
# Compiler-cache hits across clones and build directories (paths are rewritten relative to the repository).
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
root=$PWD
# The project's shared fixtures (Pocket ID export, images, GeoIP): beside the repository, as CI checks it out; a clone
# elsewhere (a temp dir) uses the workplace copy. Every test reads PID_FIXTURES_DIR.
if [[ -z "${PID_FIXTURES_DIR:-}" ]]; then
  if [[ -d "$root/../shared/fixtures" ]]; then PID_FIXTURES_DIR=$(cd "$root/../shared/fixtures" && pwd); else PID_FIXTURES_DIR=/work/shared/fixtures; fi
fi
export PID_FIXTURES_DIR

scripts/setup.sh --test
scripts/setup-node.sh

build=build/test
cmake -S . -B "$build" -DPID_SANITIZE=ON -DPID_EMBED_UI=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"$(nproc)"

# The cluster lives under /tmp, not in the checkout: the postgres user must traverse every parent directory, which a
# checkout in a private directory (mktemp -d, a home directory) does not allow.
pg_dir=$(mktemp -d /tmp/pid-pg-cluster.XXXXXX)
cleanup() { scripts/pg-test-cluster.sh stop "$pg_dir" >/dev/null 2>&1 || true; rm -rf "$pg_dir"; }
trap cleanup EXIT
PID_TEST_POSTGRES_URL=$(scripts/pg-test-cluster.sh start "$pg_dir")
export PID_TEST_POSTGRES_URL
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

status=0
echo "== C++ tests (ctest) =="
(cd "$build" && ctest --output-on-failure -j"$(nproc)") || status=1

echo "== Black-box tests (node --test), SQLite and PostgreSQL =="
export PID_BINARY="$root/$build/pocket-id"
(cd tests/e2e && node --test --test-concurrency=1 ./*.test.mjs) || status=1

echo "== The release binary (what scripts/run.sh builds: static, non-PIE), SQLite and PostgreSQL =="
scripts/build-release.sh >/dev/null
cmake -DBINARY=build/release/pocket-id -DREADELF=readelf -DALLOWED="libc;libm;ld-linux-x86-64" \
  -P src/app/check_needed_libraries.cmake || status=1
(cd tests/e2e && PID_BINARY="$root/build/release/pocket-id" node --test --test-concurrency=1 \
  ./foundation.test.mjs ./oidc-flow.test.mjs ./profile-pictures.test.mjs ./audit-log.test.mjs) || status=1

echo "== Web UI: type check, unit tests, browser tests (Playwright, Debian Chromium) =="
(cd frontend && npm run check --silent && npm run test:unit --silent && npm run test:e2e) || status=1
echo "== Browser tests against the real server (CDP virtual authenticator), SQLite and PostgreSQL =="
(cd frontend && PID_ENGINE=sqlite npm run test:real) || status=1
(cd frontend && PID_ENGINE=postgres npm run test:real) || status=1

echo "== Fuzzing the WebAuthn parsers (libFuzzer, 20 s) =="
scripts/fuzz.sh 20 || status=1

exit $status
