#!/usr/bin/env bash
# Builds the release binary, build/release/pocket-id: Release, web UI embedded, dependencies linked statically
# (cmake/static_dependencies.cmake). Used by scripts/run.sh, scripts/test.sh and the benchmarks; expects the
# packages of scripts/setup.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DPID_BUILD_TESTS=OFF -DPID_EMBED_UI=ON >/dev/null
cmake --build build/release -j"$(nproc)" --target pocket-id
