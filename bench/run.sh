#!/usr/bin/env bash
# Foundation benchmark (run on demand; results go in the README, never into tests).
#  - discovery and JWKS throughput, one server thread pinned to CPU 0, wrk with keep-alive pinned to CPU 1
#  - idle RSS after start-up and after the load
#  - start-to-healthy time on an existing database (median of 11 starts)
# Usage: bench/run.sh [sqlite|postgres]   (postgres needs PID_TEST_POSTGRES_URL)
set -euo pipefail
cd "$(dirname "$0")/.."
engine=${1:-sqlite}

scripts/setup.sh
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq --no-install-recommends wrk >/dev/null; }
scripts/build-release.sh >/dev/null
bin=$PWD/build/release/pocket-id

work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
port=18411
export ENCRYPTION_KEY=bench-encryption-key-0123456789 APP_URL=http://localhost:$port HOST=127.0.0.1 PORT=$port
export SERVER_THREADS=1 LOG_LEVEL=warn
if [[ $engine == postgres ]]; then export DB_CONNECTION_STRING=$PID_TEST_POSTGRES_URL; fi

wait_healthy() { until curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; do sleep 0.002; done; }
start_server() { (cd "$work" && exec taskset -c 0 "$bin") & server_pid=$!; }

# First start creates the database and the key; later starts measure an existing database.
start_server; wait_healthy; kill -TERM $server_pid; wait $server_pid || true

starts=()
for _ in $(seq 11); do
  t0=$(date +%s%N); start_server; wait_healthy; t1=$(date +%s%N)
  starts+=($(( (t1 - t0) / 1000 )))
  kill -TERM $server_pid; wait $server_pid || true
done
median_start=$(printf '%s\n' "${starts[@]}" | sort -n | sed -n 6p)

start_server; wait_healthy
sleep 0.5
rss_idle=$(awk '/VmRSS/ {print $2}' /proc/$server_pid/status)

echo "engine: $engine"
echo "start to healthy (median of 11, existing DB): $((median_start / 1000)).$(( (median_start % 1000) / 100 )) ms"
echo "idle RSS after start: $((rss_idle / 1024)).$(( (rss_idle % 1024) * 10 / 1024 )) MB"
# Server CPU time per request (utime + stime from /proc): steadier than req/s when the VM has steal time.
cpu_ticks() { awk '{print $14 + $15}' /proc/$server_pid/stat; }
measure() {  # label, then wrk arguments
  local label=$1; shift
  local c0 c1 out n
  c0=$(cpu_ticks); out=$(taskset -c 1 wrk -t1 -c32 -d10s "$@"); c1=$(cpu_ticks)
  n=$(grep -oE '[0-9]+ requests in' <<<"$out" | awk '{print $1}')
  echo "$label: $(grep 'Requests/sec' <<<"$out" | awk '{print $2}') req/s, server CPU $(awk -v c=$((c1 - c0)) -v n="$n" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.1f", c * 1e6 / hz / n}') us/request ($(grep -E '^\s+Latency' <<<"$out" | awk '{print "avg latency " $2}'))"
}
for path in /.well-known/openid-configuration /.well-known/jwks.json /healthz; do
  measure "$path" "http://127.0.0.1:$port$path"
done
for path in /.well-known/openid-configuration /.well-known/jwks.json; do
  measure "$path, pipelined x16" -s bench/lua/pipeline.lua "http://127.0.0.1:$port" "$path"
done
rss_after=$(awk '/VmRSS/ {print $2}' /proc/$server_pid/status)
echo "RSS after load: $((rss_after / 1024)).$(( (rss_after % 1024) * 10 / 1024 )) MB"
kill -TERM $server_pid; wait $server_pid || true

# The ceiling of this setup: the same wrk runs against a minimal C epoll responder (bench/loopback_ceiling.c).
cc -O2 -o "$work/loopback_ceiling" bench/loopback_ceiling.c
ceiling_port=18499
taskset -c 0 "$work/loopback_ceiling" $ceiling_port & ceiling_pid=$!
sleep 0.2
echo "loopback ceiling: $(taskset -c 1 wrk -t1 -c32 -d10s "http://127.0.0.1:$ceiling_port/" | grep 'Requests/sec' | awk '{print $2}') req/s"
kill $ceiling_pid
