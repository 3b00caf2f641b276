#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for tests.
#
#   scripts/pg-test-cluster.sh start <dir>   # initdb into <dir> (if needed), start, print the URL
#   scripts/pg-test-cluster.sh url   <dir>   # print the URL of a running cluster
#   scripts/pg-test-cluster.sh stop  <dir>   # stop it and remove <dir> (a missing cluster is fine)
#
# The server listens on 127.0.0.1 (first free port from 54329 upwards) and on a Unix socket in <dir>/sock, with
# trust auth and fsync=off: it is for tests only and holds nothing worth keeping. When run as root (CI), the
# cluster is owned by and run as the `postgres` OS user, because PostgreSQL refuses to run as root.
# Typical use:  export PID_TEST_POSTGRES_URL=$(scripts/pg-test-cluster.sh start /tmp/pid-pg)
set -euo pipefail

usage() {
  echo "usage: $0 start|stop|url <dir>" >&2
  exit 2
}

[[ $# -eq 2 ]] || usage
cmd=$1
dir=$2

pg_bin() {
  if [[ -n "${PG_BIN:-}" ]]; then echo "$PG_BIN"; return; fi
  local d
  for d in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
    [[ -x "$d/pg_ctl" ]] && { echo "$d"; return; }
  done
  local ctl
  ctl=$(command -v pg_ctl || true)
  [[ -n "$ctl" ]] && { dirname "$ctl"; return; }
  echo "pg-test-cluster: PostgreSQL server binaries not found (set PG_BIN)" >&2
  exit 1
}

# Runs a command as the cluster owner: `postgres` when we are root, ourselves otherwise.
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

port_in_use() {
  # Anything that accepts a TCP connection, or a PostgreSQL socket lock file for that port, counts as taken.
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
  [[ -e "/tmp/.s.PGSQL.$1.lock" ]] && return 0
  return 1
}

url_for() {
  echo "postgres://postgres@127.0.0.1:$1/postgres?sslmode=disable"
}

is_running() {
  [[ -f "$dir/data/PG_VERSION" ]] && as_owner "$BIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1
}

wait_ready() {
  local port=$1
  for _ in $(seq 1 100); do
    if "$BIN/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres; then return 0; fi
    sleep 0.1
  done
  echo "pg-test-cluster: server on port $port did not become ready; log: $dir/server.log" >&2
  return 1
}

init_cluster() {
  mkdir -p "$dir"
  if [[ $(id -u) -eq 0 ]]; then chown postgres: "$dir"; fi
  chmod 700 "$dir"
  # The owner must be able to reach <dir>; fail early with a useful message instead of initdb's.
  if ! as_owner test -w "$dir"; then
    echo "pg-test-cluster: $dir is not writable by the cluster owner (are its parents traversable?)" >&2
    exit 1
  fi
  as_owner mkdir -p "$dir/sock"
  local locale=C
  locale -a 2>/dev/null | grep -qix 'c.utf-\?8' && locale=C.UTF-8
  as_owner "$BIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale="$locale" --no-sync >"$dir/initdb.log" 2>&1 || {
    echo "pg-test-cluster: initdb failed; see $dir/initdb.log" >&2
    cat "$dir/initdb.log" >&2
    exit 1
  }
}

# True when <dir> holds nothing but what `start` creates (e.g. after a failed initdb).
only_our_files() {
  local f
  for f in "$dir"/* "$dir"/.[!.]*; do
    [[ -e "$f" ]] || continue
    case "${f##*/}" in
      data | sock | port | initdb.log | server.log) ;;
      *) return 1 ;;
    esac
  done
  return 0
}

check_socket_path() {
  # Unix socket paths are limited to 107 bytes; PostgreSQL's own error for this is easy to miss in the log.
  local socket_path="$dir/sock/.s.PGSQL.54329"
  if ((${#socket_path} > 107)); then
    echo "pg-test-cluster: $dir is too long a path for a Unix socket directory; use a shorter one (e.g. under /tmp)" >&2
    exit 1
  fi
}

start_cluster() {
  local port
  for port in $(seq 54329 54429); do
    port_in_use "$port" && continue
    if as_owner "$BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
      -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories='$dir/sock' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      start >/dev/null 2>&1; then
      echo "$port" | as_owner tee "$dir/port" >/dev/null
      wait_ready "$port"
      url_for "$port"
      return 0
    fi
    # Most likely the port was taken between the check and the bind; try the next one.
    grep -q "could not bind\|Address already in use" "$dir/server.log" 2>/dev/null || {
      echo "pg-test-cluster: server failed to start; log: $dir/server.log" >&2
      tail -n 20 "$dir/server.log" >&2 || true
      exit 1
    }
  done
  echo "pg-test-cluster: no free port in 54329-54429" >&2
  exit 1
}

BIN=$(pg_bin)
dir=$(realpath -m "$dir")

case "$cmd" in
  start)
    if is_running && [[ -f "$dir/port" ]]; then
      url_for "$(cat "$dir/port")"
      exit 0
    fi
    check_socket_path
    [[ -f "$dir/data/PG_VERSION" ]] || init_cluster
    start_cluster
    ;;
  url)
    if is_running && [[ -f "$dir/port" ]]; then
      url_for "$(cat "$dir/port")"
    else
      echo "pg-test-cluster: no running cluster in $dir" >&2
      exit 1
    fi
    ;;
  stop)
    [[ -e "$dir" ]] || exit 0
    # Refuse to delete a directory that is not one of ours (a mistyped argument must not cost data).
    if [[ ! -f "$dir/data/PG_VERSION" ]] && ! only_our_files; then
      echo "pg-test-cluster: $dir does not look like a test cluster; not removing it" >&2
      exit 1
    fi
    if [[ -f "$dir/data/PG_VERSION" ]]; then
      as_owner "$BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  *)
    usage
    ;;
esac
