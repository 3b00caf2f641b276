#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine, builds the server and runs it on http://localhost:1411 with SQLite in ./data.
# Extra arguments go to the binary (e.g. `scripts/run.sh key-rotate --alg ES256`).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
scripts/build-release.sh

# The binary refuses to start without ENCRYPTION_KEY, as Pocket ID does. For a local try we make one once and
# keep it in the data directory; set ENCRYPTION_KEY yourself for anything real.
if [[ -z "${ENCRYPTION_KEY:-}" && -z "${ENCRYPTION_KEY_FILE:-}" ]] && ! grep -qE '^\s*(export\s+)?ENCRYPTION_KEY(_FILE)?=' .env 2>/dev/null; then
  mkdir -p data
  if [[ ! -s data/.encryption-key ]]; then
    (umask 077 && openssl rand -base64 32 | tr -d '\n' > data/.encryption-key)
    echo "run.sh: no ENCRYPTION_KEY set; generated one into data/.encryption-key (used via ENCRYPTION_KEY_FILE)"
  else
    echo "run.sh: using ENCRYPTION_KEY from data/.encryption-key"
  fi
  export ENCRYPTION_KEY_FILE=data/.encryption-key
fi
exec build/release/pocket-id "$@"
