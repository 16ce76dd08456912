#!/usr/bin/env bash
# What liveness costs on the explicit engine: on the benchmark family, the whole-process time of
# a safety check that visits every state (`no_drop`, which holds) against a response property on
# the same state space (`backup_completes`), best of REPEAT runs each, and their ratio.
#
#   bench/liveness_bench.sh [MAX_N]      (MAX_N defaults to 4: ~1.1 million states)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh
ensure_packages
build build Release
specs/bench/generate.sh
max=${1:-4}
repeat=${REPEAT:-3}
best_time() {  # best wall-clock seconds of `interlock check SPEC --prop PROP`
  local best=""
  for _ in $(seq 1 "$repeat"); do
    local start end secs
    start=$(date +%s.%N)
    ./build/interlock check "$1" --prop "$2" --symmetry off --quiet >/dev/null || true
    end=$(date +%s.%N)
    secs=$(awk "BEGIN{print $end - $start}")
    if [ -z "$best" ] || awk "BEGIN{exit !($secs < $best)}"; then best=$secs; fi
  done
  echo "$best"
}
printf '%-4s %12s %14s %14s %8s\n' N states safety_s liveness_s ratio
for n in $(seq 3 "$max"); do
  spec="specs/bench/links_$n.sched"
  states=$(./build/interlock check "$spec" --prop no_drop --symmetry off 2>/dev/null | sed -nE 's/^explored: ([0-9]+) states.*/\1/p')
  safety=$(best_time "$spec" no_drop)
  liveness=$(best_time "$spec" backup_completes)
  printf '%-4s %12s %14.3f %14.3f %8.2f\n' "$n" "$states" "$safety" "$liveness" "$(awk "BEGIN{print $liveness / $safety}")"
done
