#!/usr/bin/env bash
# The explicit engine on the benchmark family specs/bench/links_N.sched (N RSC links sharing one
# server and one drain-coordinated backup): states, states per second and visited-set bytes per
# state for each N, measured by interlock itself, best of REPEAT runs (with native code as the
# default --native auto gives it: the first run may compile, later ones find it cached; the last
# column says which share of the states native code expanded). With --callgrind, also the
# instruction count per state for N=3 (repeatable on a shared, noisy machine). Each size is run
# on the spec's default schedule, where the backup drains links mid-message, and on the variant
# "idle" (--set BACKUP_AT=60), where it never does; and each with partial-order reduction off
# (--por off) and on (--por on, which needs --lint off; docs/engines.md).
#
#   bench/run_bench.sh [MAX_N] [--callgrind]      (MAX_N defaults to 5: ~19.6 million states)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh
ensure_packages
build build Release
specs/bench/generate.sh
max=${1:-5}
repeat=${REPEAT:-3}
# Two schedules: "drain" (the spec's default: the backup drains links on the line) and "idle"
# (BACKUP_AT=60, the schedule the first figures were measured on: every link idle at the backup).
printf '%-4s %-6s %-4s %12s %14s %10s %12s %10s %8s\n' N sched por states transitions seconds states/s B/state native
for n in $(seq 1 "$max"); do
  for schedule in drain idle; do
   for por in off on; do
    set_args=()
    [ "$schedule" = idle ] && set_args=(--set BACKUP_AT=60)
    [ "$por" = on ] && set_args+=(--por on --lint off)
    [ "$por" = off ] && set_args+=(--por off)
    best=""
    for _ in $(seq 1 "$repeat"); do
      line=$(./build/interlock check "specs/bench/links_$n.sched" --prop no_drop --symmetry off "${set_args[@]}" 2>/dev/null | grep '^explored:')
      secs=$(echo "$line" | sed -E 's/.*depth [0-9]+, ([0-9.]+) s.*/\1/')
      if [ -z "$best" ] || awk "BEGIN{exit !($secs < $(echo "$best" | sed -E 's/.*depth [0-9]+, ([0-9.]+) s.*/\1/'))}"; then best=$line; fi
    done
    states=$(echo "$best" | sed -E 's/^explored: ([0-9]+) states.*/\1/')
    trans=$(echo "$best" | sed -E 's/.* ([0-9]+) transitions.*/\1/')
    secs=$(echo "$best" | sed -E 's/.*depth [0-9]+, ([0-9.]+) s.*/\1/')
    rate=$(echo "$best" | sed -E 's/.* ([0-9]+) states\/s.*/\1/')
    bps=$(echo "$best" | sed -E 's/.*\(([0-9.]+) B\/state.*/\1/')
    # The share of states expanded by native code (docs/engines.md): 0% for runs too short for it.
    native=$(echo "$best" | sed -nE 's/.* ([0-9]+) states expanded by native code.*/\1/p')
    share=$(awk "BEGIN{printf \"%d%%\", 100 * ${native:-0} / $states}")
    printf '%-4s %-6s %-4s %12s %14s %10s %12s %10s %8s\n' "$n" "$schedule" "$por" "$states" "$trans" "$secs" "$rate" "$bps" "$share"
   done
  done
done
if [ "${2:-}" = "--callgrind" ]; then
  ensure_packages valgrind
  out=$(mktemp)
  valgrind --tool=callgrind --callgrind-out-file="$out" ./build/interlock check specs/bench/links_3.sched --prop no_drop --symmetry off --quiet >/dev/null 2>"$out.log"
  total=$(grep -oE 'Collected : [0-9]+' "$out.log" | grep -oE '[0-9]+')
  states=$(./build/interlock check specs/bench/links_3.sched --prop no_drop --symmetry off 2>/dev/null | sed -nE 's/^explored: ([0-9]+) states.*/\1/p')
  echo "callgrind, N=3: $total instructions in all, $((total / states)) per state (whole process)"
  rm -f "$out" "$out.log"
fi
