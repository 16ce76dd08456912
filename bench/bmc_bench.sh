#!/usr/bin/env bash
# bmc on the KB spec: the time to find the drop (default schedule, and every parameter free), and
# the time to search a property that holds (`server_back`) to each depth, whole process, best of
# REPEAT runs. A depth not done within LIMIT seconds is reported as such and deeper ones skipped.
#
#   bench/bmc_bench.sh [LIMIT]      (LIMIT defaults to 120 seconds per run)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh
ensure_packages
build build Release
limit=${1:-120}
repeat=${REPEAT:-3}
spec=specs/msmail/original.sched
# Prints the best seconds of `interlock check SPEC ARGS...`, or "over LIMIT" if a run timed out.
best_time() {
  local best=""
  for _ in $(seq 1 "$repeat"); do
    local start end secs out
    start=$(date +%s.%N)
    out=$(./build/interlock check "$spec" --engine bmc --timeout "$limit" --quiet "$@" 2>&1 || true)
    end=$(date +%s.%N)
    if grep -q "timeout after" <<<"$out"; then echo "over $limit"; return; fi
    secs=$(awk "BEGIN{print $end - $start}")
    if [ -z "$best" ] || awk "BEGIN{exit !($secs < $best)}"; then best=$secs; fi
  done
  echo "$best"
}
printf '%-44s %s\n' "what" "seconds"
printf '%-44s %s\n' "drop, default schedule" "$(best_time --prop no_drop)"
printf '%-44s %s\n' "drop, every parameter free" "$(best_time --prop no_drop --free all)"
for free in "" "--free all"; do
  for depth in 10 20 30 40 50 100 200; do
    t=$(best_time --prop server_back --depth "$depth" $free)
    printf '%-44s %s\n' "server_back to depth $depth ${free:+(every parameter free)}" "$t"
    case $t in over*) break ;; esac
  done
done
