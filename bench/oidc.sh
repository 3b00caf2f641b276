#!/usr/bin/env bash
# OIDC benchmark (run on demand; results go in the README, never into tests).
#  - login exchanges: GET /authorize with an existing session → 303 with a code → POST /api/oidc/token
#    (PKCE S256 + client_secret_basic), ES256 signing key, SQLite on disk (or PostgreSQL)
#  - refresh with rotation: POST /api/oidc/token grant_type=refresh_token
# One server thread pinned to CPU 0; wrk (32 connections, one thread) pinned to CPU 1; RSS before and after; bytes
# the server wrote (WAL pages and checkpoints, from /proc/PID/io) per operation.
# Usage: bench/oidc.sh [sqlite|postgres] [seconds]   (postgres needs PID_TEST_POSTGRES_URL)
# BENCH_PERF=DIR also records a CPU profile of each phase into DIR/login.data and DIR/refresh.data (DWARF call
# graphs: the release binary has no frame pointers; `perf report -i DIR/refresh.data --children` reads them).
set -euo pipefail
cd "$(dirname "$0")/.."
engine=${1:-sqlite}
duration=${2:-10}

scripts/setup.sh
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq --no-install-recommends wrk >/dev/null; }
command -v jq >/dev/null || { apt-get update -qq && apt-get install -y -qq --no-install-recommends jq >/dev/null; }
if [[ -n ${BENCH_PERF:-} ]] && ! command -v perf >/dev/null; then
  apt-get update -qq && apt-get install -y -qq --no-install-recommends linux-perf >/dev/null
fi
scripts/build-release.sh >/dev/null
bin=$PWD/build/release/pocket-id

work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
port=18412
base=http://127.0.0.1:$port
export ENCRYPTION_KEY=bench-encryption-key-0123456789 APP_URL=http://localhost:$port HOST=127.0.0.1 PORT=$port
export SERVER_THREADS=1 LOG_LEVEL=warn
if [[ $engine == postgres ]]; then
  db=pid_bench_$$
  psql "$PID_TEST_POSTGRES_URL" -qc "CREATE DATABASE $db"
  export DB_CONNECTION_STRING=${PID_TEST_POSTGRES_URL%/*}/$db?sslmode=disable
fi

(cd "$work" && "$bin" key-rotate --alg ES256 --yes >/dev/null)
(cd "$work" && exec taskset -c 0 "$bin") & server_pid=$!
until curl -fs "$base/healthz" >/dev/null 2>&1; do sleep 0.01; done
rss() { awk '/VmRSS/ {print $2 / 1024 " MB"}' /proc/$server_pid/status; }
written() { awk '/^wchar/ {print $2}' /proc/$server_pid/io; }
# profile NAME: starts perf on the server for one phase when BENCH_PERF is set; stop_profile ends it.
profile() { [[ -z ${BENCH_PERF:-} ]] || { mkdir -p "$BENCH_PERF"; perf record -q --call-graph dwarf,32768 -F 499 -o "$BENCH_PERF/$1.data" -p $server_pid & perf_pid=$!; }; }
stop_profile() { [[ -z ${BENCH_PERF:-} ]] || { kill -INT $perf_pid; wait $perf_pid || true; }; }
# report_written BEFORE COUNT_LINE: kB the server wrote per operation (SQLite; PostgreSQL writes in its own
# processes), from wrk's "<label>/s: N  (<label> TOTAL, ...)" line.
report_written() {
  local total
  total=$(sed -n 's/.*(\([a-z ]*\) \([0-9]*\),.*/\2/p' <<<"$2")
  echo "$2"
  [[ $engine == sqlite && -n $total && $total -gt 0 ]] && echo "written per operation: $(( ($(written) - $1) / total / 1024 )) kB"
  return 0
}

# The first admin's session, a confidential PKCE client that skips consent, and one secret.
cookie=$(curl -fsS -D - -o /dev/null -H 'Content-Type: application/json' \
  -d '{"username":"bench","email":"bench@example.com","firstName":"Bench","lastName":"User"}' \
  "$base/api/signup/setup" | sed -n 's/^[Ss]et-[Cc]ookie: \(access_token=[^;]*\).*/\1/p' | tr -d '\r')
client=$(curl -fsS -H "Cookie: $cookie" -H 'Content-Type: application/json' \
  -d '{"name":"Bench","callbackURLs":["http://localhost/cb"],"pkceEnabled":true,"skipConsent":true}' \
  "$base/api/oidc/clients" | jq -r .id)
secret=$(curl -fsS -H "Cookie: $cookie" -H 'Content-Type: application/json' -d '{}' \
  "$base/api/oidc/clients/$client/secrets" | jq -r .secret)

verifier=bench-code-verifier-0123456789-0123456789-0123456789
challenge=$(printf %s "$verifier" | openssl dgst -sha256 -binary | basenc --base64url | tr -d '=')
export BENCH_COOKIE=$cookie
export BENCH_BASIC="Basic $(printf %s "$client:$secret" | base64 -w0)"
export BENCH_AUTHORIZE_PATH="/authorize?client_id=$client&response_type=code&scope=openid%20profile%20email&redirect_uri=http%3A%2F%2Flocalhost%2Fcb&state=bench-state-123&code_challenge=$challenge&code_challenge_method=S256"
export BENCH_TOKEN_BODY="grant_type=authorization_code&redirect_uri=http%3A%2F%2Flocalhost%2Fcb&code_verifier=$verifier"

echo "engine: $engine, ES256, one server thread"
echo "idle RSS: $(rss)"
echo "== login exchange (authorize + token), 32 connections, ${duration}s"
before=$(written); profile login
out=$(taskset -c 1 wrk -t1 -c32 -d"${duration}s" -s bench/lua/login_exchange.lua "$base" | grep -E 'exchanges|latency|Requests/sec')
stop_profile; report_written "$before" "$out"
echo "RSS after: $(rss)"

# Seed refresh tokens with real exchanges (curl), then rotate them under load.
seeds=$work/refresh_tokens
for _ in $(seq 96); do
  loc=$(curl -fsS -o /dev/null -w '%{redirect_url}' -H "Cookie: $cookie" "$base$BENCH_AUTHORIZE_PATH")
  code=$(sed -n 's/.*[?&]code=\([^&]*\).*/\1/p' <<<"$loc")
  curl -fsS -H "Authorization: $BENCH_BASIC" -d "$BENCH_TOKEN_BODY&code=$code" "$base/api/oidc/token" | jq -r .refresh_token
done >"$seeds"
echo "== refresh with rotation, 32 connections, ${duration}s"
before=$(written); profile refresh
out=$(BENCH_REFRESH_FILE=$seeds BENCH_THREADS=1 taskset -c 1 wrk -t1 -c32 -d"${duration}s" -s bench/lua/refresh.lua "$base" |
  grep -E 'refreshes|latency|Requests/sec')
stop_profile; report_written "$before" "$out"
echo "RSS after: $(rss)"
kill -TERM $server_pid; wait $server_pid || true
if [[ $engine == postgres ]]; then psql "$PID_TEST_POSTGRES_URL" -qc "DROP DATABASE $db WITH (FORCE)"; fi
