#!/usr/bin/env bash
# Builds the web UI (frontend/) and copies the static output to $1, for embedding into the binary.
set -euo pipefail
out=${1:?usage: build-ui.sh OUTPUT_DIR}
cd "$(dirname "$0")/../frontend"
if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
  # npm ci refuses this lock file: the registry lacks other platforms' optional binaries (frontend/README.md).
  npm install --no-audit --no-fund --loglevel=error
fi
npm run build --silent >/dev/null
rm -rf "$out"
cp -r build "$out"
