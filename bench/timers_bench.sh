#!/usr/bin/env bash
# Six timers over a week (specs/admin/borg/original.sched) on one wall clock, against the same
# policy with one clock per timer (bench/timers/clock_per_timer.sched): states, and user CPU
# seconds (best of REPEAT runs, the two specs alternated), for the explicit engine, for bmc
# finding each of the three collisions, and for chc proving check_gets_lock for every CHECK_MAX.
# A run not done within LIMIT seconds answers unknown.
#
#   bench/timers_bench.sh [LIMIT]      (LIMIT defaults to 120 seconds per run)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh
ensure_packages time  # /usr/bin/time
build build Release
limit=${1:-120}
repeat=${REPEAT:-3}
wall=specs/admin/borg/original.sched
per_timer=bench/timers/clock_per_timer.sched
declare -A best verdict
# run KEY SPEC ARGS...: records the least user CPU seconds and the verdict line of KEY.
run() {
  local key=$1 spec=$2
  shift 2
  local out secs
  out=$( { /usr/bin/time -f "cpu %U" ./build/interlock check "$spec" --timeout "$limit" "$@"; } 2>&1 || true)
  secs=$(sed -n 's/^cpu //p' <<<"$out")
  verdict[$key]=$(grep -E "^(holds|violated|unknown)" <<<"$out" | head -1 | awk '{print $1}')
  if grep -q "explored:" <<<"$out"; then verdict[$key]="${verdict[$key]}, $(sed -n 's/^explored: \([0-9]*\) states.*/\1 states/p' <<<"$out")"; fi
  if [ -z "${best[$key]:-}" ] || awk "BEGIN{exit !($secs < ${best[$key]})}"; then best[$key]=$secs; fi
}
for _ in $(seq 1 "$repeat"); do
  for which in wall per_timer; do
    spec=${!which}
    run "$which explicit" "$spec" --native off
    for p in backup_reads_whole_dump backup_gets_lock prune_gets_lock; do
      run "$which bmc $p" "$spec" --engine bmc --prop "$p"
    done
    run "$which chc" "$spec" --engine chc --free all --prop check_gets_lock
  done
done
printf '%-46s %-34s %s\n' "what" "answer" "user CPU s (best of $repeat)"
for which in wall per_timer; do
  for engine in explicit "bmc backup_reads_whole_dump" "bmc backup_gets_lock" "bmc prune_gets_lock" chc; do
    printf '%-46s %-34s %s\n' "$which, $engine" "${verdict[$which $engine]}" "${best[$which $engine]}"
  done
done
