#!/usr/bin/env bash
# Installs what interlock needs, builds it with its tests (Release) and runs every test via CTest.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/common.sh
ensure_packages "${INTERLOCK_TEST_PACKAGES[@]}"
build build Release
ctest --test-dir build -j2 --output-on-failure "$@"
