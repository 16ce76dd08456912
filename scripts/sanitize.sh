#!/usr/bin/env bash
# The test suite again, built in Debug with AddressSanitizer and UndefinedBehaviorSanitizer.
# The KB specs explore millions of states each (minutes under the sanitizers); their code paths
# are covered by the small specs and the unit tests, so the spec-file tests (and the threaded
# search's, spec by spec) run here without them. The examples of the docs (label docs) and of the
# README check what the commands print, which gains nothing here: they are left out. The tests
# that repeat a check over many random specs take a fifth of them here (tests/support/test_effort.h).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh
ensure_packages "${INTERLOCK_TEST_PACKAGES[@]}"
build build-asan Debug -DINTERLOCK_SANITIZE=ON
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir build-asan -j2 --output-on-failure -LE 'spec_files|docs' -E 'specs_msmail|^Readme\.' "$@"
ctest --test-dir build-asan -j2 --output-on-failure -L spec_files -E 'specs_msmail' "$@"
