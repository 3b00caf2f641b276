#!/usr/bin/env bash
# Installs everything a fresh Debian 12 machine lacks to build, run and test Pocket ID (C++).
# Idempotent: when every package is already present it only checks and returns in well under a second.
set -euo pipefail

# Build toolchain and libraries (docs: ../shared/docs/stack.md). Always the versioned Boost 1.81 packages:
# the unversioned libboost-*-dev ones pull in 1.74 and remove 1.81.
BUILD_PACKAGES=(
  cmake g++ pkg-config ccache make
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libssl-dev libsqlite3-dev libpq-dev
  libcurl4-openssl-dev libldap-dev libmaxminddb-dev
  libspdlog-dev libfmt-dev libcli11-dev
  libicu-dev libpng-dev libjpeg62-turbo-dev libwebp-dev libgif-dev libfreetype-dev libstb-dev fonts-dejavu-core
  libgtest-dev libgmock-dev libbenchmark-dev
)
# Services and tools the tests start on loopback.
TEST_PACKAGES=(postgresql sqlite3 curl python3-jwt python3-cryptography clang libclang-rt-14-dev chromium apache2 libapache2-mod-auth-openidc)

want=("${BUILD_PACKAGES[@]}")
if [[ "${1:-}" == "--test" ]]; then want+=("${TEST_PACKAGES[@]}"); fi

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
