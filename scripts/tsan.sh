#!/usr/bin/env bash
# The search on several threads under ThreadSanitizer: the explicit engine and its state-by-state
# tests against one thread (tests/solver/threaded_search_test.cpp), built alone (no command line,
# no Z3) with -fsanitize=thread. Any data race it reports fails the run (about 4 minutes of tests,
# the 1.1 million states of links_4 on 1, 2 and 3 threads the longest).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh
ensure_packages "${INTERLOCK_TEST_PACKAGES[@]}"
dir=build-tsan
mkdir -p "$dir"
if [ ! -f "$dir/CMakeCache.txt" ]; then
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DINTERLOCK_TSAN=ON >"$dir.log" 2>&1 || { cat "$dir.log" >&2; exit 1; }
fi
cmake --build "$dir" -j2 --target interlock_thread_tests >"$dir.log" 2>&1 || { grep -E 'error|Error' "$dir.log" | head -40 >&2; exit 1; }
export TSAN_OPTIONS="halt_on_error=1 exitcode=66" INTERLOCK_CACHE="$PWD/$dir/native-cache"
"$dir/tests/interlock_thread_tests" --gtest_brief=1 "$@"
