#!/usr/bin/env bash
# Installs the npm packages of the black-box tests (tests/e2e) from package-lock.json. Quick when already done.
set -euo pipefail
cd "$(dirname "$0")/../tests/e2e"
if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
